/*
** libc_guard.c
** The table of libc functions a module gets cerl's replacement for.
*/
#include "libc_guard.h"
#include "fault.h"
#include "libc_wrap.h"
#include "stack.h"

#include <stddef.h>

const LibcGuard libc_guards[] = {
    /* a module that calls exit() ends its process, not the runtime */
    {"exit", (const void *)fault_module_exit},
    {"_exit", (const void *)fault_module_exit},
    {"_Exit", (const void *)fault_module_exit},
    /* a block that does not fit in the process's stack ends the process */
    {"alloca", (const void *)stack_alloca_},
    /* signals, timers, forks and threads stay the runtime's (libc_wrap.c) */
    {"signal", (const void *)libc_wrap_signal},
    {"__sysv_signal", (const void *)libc_wrap_signal},
    {"sysv_signal", (const void *)libc_wrap_signal},
    {"bsd_signal", (const void *)libc_wrap_signal},
    {"sigset", (const void *)libc_wrap_signal},
    {"sigaction", (const void *)libc_wrap_sigaction},
    {"sigaltstack", (const void *)libc_wrap_sigaltstack},
    {"sigprocmask", (const void *)libc_wrap_sigprocmask},
    {"pthread_sigmask", (const void *)libc_wrap_pthread_sigmask},
    {"alarm", (const void *)libc_wrap_alarm},
    {"ualarm", (const void *)libc_wrap_ualarm},
    {"setitimer", (const void *)libc_wrap_setitimer},
    {"timer_create", (const void *)libc_wrap_timer_create},
    {"kill", (const void *)libc_wrap_kill},
    {"killpg", (const void *)libc_wrap_killpg},
    {"raise", (const void *)libc_wrap_raise},
    {"pthread_kill", (const void *)libc_wrap_pthread_kill},
    {"fork", (const void *)libc_wrap_fork},
    {"vfork", (const void *)libc_wrap_vfork},
    {"clone", (const void *)libc_wrap_clone},
    {"pthread_create", (const void *)libc_wrap_pthread_create},
    {"thrd_create", (const void *)libc_wrap_thrd_create},
    {"execve", (const void *)libc_wrap_execve},
    {"execv", (const void *)libc_wrap_execv},
    {"execvp", (const void *)libc_wrap_execvp},
    {"execvpe", (const void *)libc_wrap_execvpe},
    {"execl", (const void *)libc_wrap_execl},
    {"execlp", (const void *)libc_wrap_execlp},
    {"execle", (const void *)libc_wrap_execle},
    {"fexecve", (const void *)libc_wrap_fexecve},
    {"daemon", (const void *)libc_wrap_daemon},
    {"setcontext", (const void *)libc_wrap_setcontext},
    {"swapcontext", (const void *)libc_wrap_swapcontext},
    {"pause", (const void *)libc_wrap_pause},
    {"sigsuspend", (const void *)libc_wrap_sigsuspend},
    {"syscall", (const void *)libc_wrap_syscall},
    /* a longjmp with a garbage jmp_buf would restore a garbage signal mask
    ** and stack pointer: it ends its process instead */
    {"longjmp", (const void *)fault_module_longjmp},
    {"_longjmp", (const void *)fault_module_longjmp},
    {"siglongjmp", (const void *)fault_module_longjmp},
    {NULL, NULL},
};
