/*
** libc_guard.c
** The table of libc functions a module gets cerl's replacement for, and the
** replacements that are not fault.c's.
*/
#include "libc_guard.h"
#include "fault.h"
#include "libc_wrap.h"
#include "stack.h"
#include "term.h"

#include <err.h>
#include <errno.h>
#include <error.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ================================================ exits with a message */

/* err(3) and its kin print as libc does ("cerl: message: strerror"), then
** end the calling process with {exit, Status}, as exit(Status) would. */
static void guard_verr(int status, const char *fmt, va_list ap)
{
    vwarn(fmt, ap);
    fault_module_exit(status);
}

static void guard_verrx(int status, const char *fmt, va_list ap)
{
    vwarnx(fmt, ap);
    fault_module_exit(status);
}

static void guard_err(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    guard_verr(status, fmt, ap);
}

static void guard_errx(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    guard_verrx(status, fmt, ap);
}

/* GNU error(3) and error_at_line(3): the message as libc prints it; a
** non-zero status ends the process instead of the program. */
static void guard_error(int status, int errnum, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    error(0, errnum, "%s", msg);
    if (status)
        fault_module_exit(status);
}

static void guard_error_at_line(int status, int errnum, const char *file, unsigned line, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    error_at_line(0, errnum, file, line, "%s", msg);
    if (status)
        fault_module_exit(status);
}

/* ==================================================== plain exits */

static void guard_quick_exit(int status)
{
    fault_module_exit(status);
}

/* A module's "thread" is its process: ending it is ending the process,
** with reason normal. */
static void guard_thread_exit(void *ret)
{
    erl_exit(erl_atom("normal"));
}

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
    {"quick_exit", (const void *)guard_quick_exit},
    {"err", (const void *)guard_err},
    {"errx", (const void *)guard_errx},
    {"verr", (const void *)guard_verr},
    {"verrx", (const void *)guard_verrx},
    {"error", (const void *)guard_error},
    {"error_at_line", (const void *)guard_error_at_line},
    {"pthread_exit", (const void *)guard_thread_exit},
    {"thrd_exit", (const void *)guard_thread_exit},
    {NULL, NULL},
};
