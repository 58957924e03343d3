/*
** libc_wrap.c
** cerl's versions of the libc calls through which a module could take the
** runtime's signals, threads or OS process away from it: signal dispositions,
** signal masks, the alternate signal stack, timers that signal, signals sent
** to the runtime itself, fork, exec and threads, pause, and the same
** through syscall(). libc_guard.c links modules to them. (A module's own
** `syscall` instruction is not seen: that would take seccomp.)
**
** Each call gets what a careful runtime does with it, decided per call:
**  - refused with an errno, the process running on: a handler for a signal
**    (module code would run in whatever process is running, and may be
**    purged), any change to a signal the runtime owns, to the alternate
**    signal stack, a signal to every process or to the process group;
**  - emulated: blocking a signal the runtime owns is ignored, as blocking
**    SIGKILL is; pause() and sigsuspend() block the calling process, not
**    the runtime (no module handler can ever end them);
**  - the calling process ends, when the call cannot be given any meaning in
**    a process: a fork (the child would run the session a second time), an
**    exec (it would replace the runtime), a thread (it would run beside the
**    scheduler, which is not thread-safe), a switch to a stack of the
**    module's own (setcontext), a timer that signals, a signal
**    that would end or stop the runtime. Reasons {unsupported, Call, Where}
**    and {signal, Sig, Where} (include/cerl.h).
** SIGTERM sent to the runtime is let through: like erl, cerl shuts down
** cleanly on it (interrupt.h).
*/
#include "libc_wrap.h"
#include "code.h"
#include "fault.h"
#include "interrupt.h"
#include "proc.h"
#include "sched.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

/* The signals whose handlers or defaults the runtime depends on. */
static const int owned_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP,
                                    SIGINT, SIGPROF, SIGTERM, SIGKILL, SIGSTOP};

static bool is_owned(int sig)
{
    for (size_t i = 0; i < sizeof owned_signals / sizeof *owned_signals; i++)
        if (owned_signals[i] == sig)
            return true;
    return false;
}

/* ================================================== ending the process */

/* Ends the running process with {Tag, What, Where}, reported like a fault;
** 'ret' is the return address into the module function that made the call.
** Returns (doing nothing) when no process is running. */
static void end_process(const char *tag, Term what, void *ret)
{
    Proc *p = sched_current;
    if (!p)
        return;
    Heap *h = &p->heap;
    Term where = code_address_info(h, (uintptr_t)ret - 1);
    if (where == ERL_NONE)
        where = AM_undefined;
    Term reason = term_tuple(h, 3, (Term[]){erl_atom(tag), what, where});
    if (proc_error_hook)
        proc_error_hook(p, reason);
    proc_exit_self(reason);
}

static void unsupported(const char *call, void *ret)
{
    end_process("unsupported", erl_atom(call), ret);
}

/* The signal's name as an atom: sigkill, sigusr1, ... */
static Term signal_atom(int sig)
{
    const char *abbrev = sigabbrev_np(sig);
    char name[32];
    if (!abbrev)
        return erl_mk_int(sig);
    snprintf(name, sizeof name, "sig%s", abbrev);
    for (char *c = name; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return erl_atom(name);
}

/* ============================================================ handlers */

/* Whether installing 'handler' for sig is allowed: SIG_DFL or SIG_IGN for a
** signal the runtime does not own. */
static bool may_set(int sig, void (*handler)(int))
{
    if (sig <= 0 || sig >= NSIG || is_owned(sig))
        return false;
    return handler == SIG_DFL || handler == SIG_IGN;
}

void (*libc_wrap_signal(int sig, void (*handler)(int)))(int)
{
    if (!may_set(sig, handler)) {
        errno = EINVAL;
        return SIG_ERR;
    }
    return signal(sig, handler);
}

int libc_wrap_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (act && ((act->sa_flags & SA_SIGINFO) || !may_set(sig, act->sa_handler))) {
        errno = EINVAL;
        return -1;
    }
    return sigaction(sig, act, old);
}

int libc_wrap_sigaltstack(const stack_t *ss, stack_t *old)
{
    if (ss) {
        errno = EPERM;
        return -1;
    }
    return sigaltstack(NULL, old);
}

/* =============================================================== masks */

/* The mask change asked for, without the runtime's signals. */
static void strip_owned(sigset_t *dst, const sigset_t *src)
{
    *dst = *src;
    for (size_t i = 0; i < sizeof owned_signals / sizeof *owned_signals; i++)
        sigdelset(dst, owned_signals[i]);
}

int libc_wrap_sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    if (!set)
        return sigprocmask(how, NULL, old);
    sigset_t s;
    strip_owned(&s, set);
    if (how == SIG_UNBLOCK)
        s = *set; /* unblocking never hurts */
    return sigprocmask(how, &s, old);
}

int libc_wrap_pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
    return libc_wrap_sigprocmask(how, set, old) == 0 ? 0 : errno;
}

/* ============================================================== timers */

unsigned libc_wrap_alarm(unsigned seconds)
{
    if (seconds)
        unsupported("alarm", __builtin_return_address(0));
    return 0; /* no alarm is ever pending */
}

useconds_t libc_wrap_ualarm(useconds_t usecs, useconds_t interval)
{
    if (usecs || interval)
        unsupported("ualarm", __builtin_return_address(0));
    return 0;
}

int libc_wrap_setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
    if (old)
        memset(old, 0, sizeof *old); /* the module's own timers: none */
    if (value && (value->it_value.tv_sec || value->it_value.tv_usec))
        unsupported("setitimer", __builtin_return_address(0));
    if (!value && !old) {
        errno = EFAULT;
        return -1;
    }
    return 0;
}

int libc_wrap_timer_create(clockid_t clock, struct sigevent *sev, void *timerid)
{
    unsupported("timer_create", __builtin_return_address(0));
    errno = EAGAIN;
    return -1;
}

/* ===================================================== sending signals */

/* Whether sig, sent to the runtime, leaves it running: it is handled or
** ignored, or its default action is to ignore it. */
static bool harmless(int sig)
{
    struct sigaction sa;
    if (sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH)
        return true;
    return sigaction(sig, NULL, &sa) == 0 && ((sa.sa_flags & SA_SIGINFO) || sa.sa_handler != SIG_DFL);
}

/* A signal for the runtime itself, from the calling process: SIGTERM, the
** faults the runtime turns into process exits, and signals that leave it
** running go through; any other would end or stop the runtime, so it ends
** the caller instead. */
static int signal_self(int sig, void *ret)
{
    if (sig == SIGTERM) {
        int r = raise(sig);
        interrupt_poll(); /* the shutdown, now rather than at the next tick */
        return r;
    }
    if (sig == 0 || sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
        sig == SIGABRT || sig == SIGTRAP || sig == SIGINT)
        return raise(sig);
    if (sig < 0 || sig >= NSIG) {
        errno = EINVAL;
        return -1;
    }
    if (harmless(sig) && sig != SIGKILL && sig != SIGSTOP)
        return raise(sig);
    end_process("signal", signal_atom(sig), ret);
    return raise(sig); /* no process running: as libc */
}

static int send_signal(pid_t pid, int sig, void *ret)
{
    if (pid == getpid())
        return signal_self(sig, ret);
    if (pid <= 0 && sig != 0) {
        errno = EPERM; /* the process group, or every process: never */
        return -1;
    }
    return kill(pid, sig);
}

int libc_wrap_kill(pid_t pid, int sig)
{
    return send_signal(pid, sig, __builtin_return_address(0));
}

int libc_wrap_killpg(pid_t pgrp, int sig)
{
    if (sig != 0 && (pgrp <= 0 || pgrp == getpgrp())) {
        errno = EPERM;
        return -1;
    }
    return killpg(pgrp, sig);
}

int libc_wrap_raise(int sig)
{
    return signal_self(sig, __builtin_return_address(0));
}

int libc_wrap_pthread_kill(pthread_t thread, int sig)
{
    if (pthread_equal(thread, pthread_self()))
        return signal_self(sig, __builtin_return_address(0)) == 0 ? 0 : errno;
    return pthread_kill(thread, sig);
}

/* ================================================== forks and threads */

pid_t libc_wrap_fork(void)
{
    unsupported("fork", __builtin_return_address(0));
    errno = ENOSYS;
    return -1;
}

pid_t libc_wrap_vfork(void)
{
    unsupported("vfork", __builtin_return_address(0));
    errno = ENOSYS;
    return -1;
}

int libc_wrap_clone(int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
    unsupported("clone", __builtin_return_address(0));
    errno = ENOSYS;
    return -1;
}

int libc_wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    unsupported("pthread_create", __builtin_return_address(0));
    return EAGAIN;
}

int libc_wrap_thrd_create(void *t, int (*fn)(void *), void *arg)
{
    unsupported("thrd_create", __builtin_return_address(0));
    return 2; /* thrd_error */
}

/* Calls that end the process with {unsupported, Name, Where}, and fail
** with EPERM when no process is running. An exec would replace the whole
** runtime with another program, daemon() fork it. */
#define UNSUPPORTED_CALL(name, params)                                                             \
    int libc_wrap_##name params                                                                    \
    {                                                                                              \
        unsupported(#name, __builtin_return_address(0));                                           \
        errno = EPERM;                                                                             \
        return -1;                                                                                 \
    }
UNSUPPORTED_CALL(execve, (const char *path, char *const argv[], char *const envp[]))
UNSUPPORTED_CALL(execv, (const char *path, char *const argv[]))
UNSUPPORTED_CALL(execvp, (const char *file, char *const argv[]))
UNSUPPORTED_CALL(execvpe, (const char *file, char *const argv[], char *const envp[]))
UNSUPPORTED_CALL(execl, (const char *path, const char *arg, ...))
UNSUPPORTED_CALL(execlp, (const char *file, const char *arg, ...))
UNSUPPORTED_CALL(execle, (const char *path, const char *arg, ...))
UNSUPPORTED_CALL(fexecve, (int fd, char *const argv[], char *const envp[]))
UNSUPPORTED_CALL(daemon, (int nochdir, int noclose))
/* A stack of the module's own would escape every check on the process's
** stack (stack_limit.c, fault.c). */
UNSUPPORTED_CALL(setcontext, (const void *ucp))
UNSUPPORTED_CALL(swapcontext, (void *oucp, const void *ucp))

/* ============================================================= syscall */

/* syscall(): the system calls behind the functions above (and exit's) get
** the same answers; the rest go through. */
long libc_wrap_syscall(long n, ...)
{
    void *ret = __builtin_return_address(0);
    long a[6];
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    switch (n) {
    case SYS_rt_sigaction:
    case SYS_rt_sigprocmask:
        if (a[1]) {
            errno = EINVAL; /* no mask or handler set this way */
            return -1;
        }
        break;
    case SYS_sigaltstack:
        if (a[0]) {
            errno = EPERM;
            return -1;
        }
        break;
    case SYS_kill:
        return send_signal((pid_t)a[0], (int)a[1], ret);
    case SYS_tgkill:
        if (a[0] == getpid() && a[1] == gettid())
            return signal_self((int)a[2], ret);
        break;
    case SYS_tkill:
        if (a[0] == gettid())
            return signal_self((int)a[1], ret);
        break;
    case SYS_fork:
    case SYS_vfork:
    case SYS_clone:
    case SYS_clone3:
        unsupported(n == SYS_fork ? "fork" : n == SYS_vfork ? "vfork" : n == SYS_clone ? "clone" : "clone3", ret);
        errno = ENOSYS;
        return -1;
    case SYS_execve:
    case SYS_execveat:
        unsupported(n == SYS_execve ? "execve" : "execveat", ret);
        errno = EPERM;
        return -1;
    case SYS_alarm:
        if (a[0])
            unsupported("alarm", ret);
        return 0;
    case SYS_setitimer:
        if (a[1] && (((const struct itimerval *)a[1])->it_value.tv_sec ||
                     ((const struct itimerval *)a[1])->it_value.tv_usec))
            unsupported("setitimer", ret);
        return 0;
    case SYS_timer_create:
        unsupported("timer_create", ret);
        errno = EAGAIN;
        return -1;
    case SYS_pause:
    case SYS_rt_sigsuspend:
        if (sched_current)
            return libc_wrap_pause();
        break;
    case SYS_exit:
    case SYS_exit_group:
        if (sched_current)
            fault_module_exit((int)a[0]);
        break;
    }
    return syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* ============================================================= waiting */

static int never(Term msg, void *ctx)
{
    return 0;
}

int libc_wrap_pause(void)
{
    if (!sched_current)
        return pause();
    for (;;)
        erl_receive_match(never, NULL, -1); /* until the process is killed */
}

int libc_wrap_sigsuspend(const sigset_t *mask)
{
    if (!sched_current)
        return sigsuspend(mask);
    return libc_wrap_pause();
}
