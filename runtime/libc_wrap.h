/*
** libc_wrap.h
** What modules get instead of libc's signal, timer, fork and thread calls
** (libc_guard.c binds them; see libc_wrap.c for the policy of each).
** Each has the signature of the libc function it replaces, and is meant to
** be called from module code only: one that ends the calling process blames
** the module function it returns to. With no process running they behave as
** libc does, or refuse.
*/
#ifndef CERL_LIBC_WRAP_H
#define CERL_LIBC_WRAP_H

#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* Handlers: SIG_DFL and SIG_IGN for signals the runtime does not own;
** anything else fails with EINVAL. Queries (act NULL) answer as libc. */
void (*libc_wrap_signal(int sig, void (*handler)(int)))(int);
int libc_wrap_sigaction(int sig, const struct sigaction *act, struct sigaction *old);
/* Changing the alternate signal stack fails with EPERM. */
int libc_wrap_sigaltstack(const stack_t *ss, stack_t *old);

/* Blocking the runtime's signals is silently ignored (as for SIGKILL). */
int libc_wrap_sigprocmask(int how, const sigset_t *set, sigset_t *old);
int libc_wrap_pthread_sigmask(int how, const sigset_t *set, sigset_t *old);

/* Arming a timer ends the process with {unsupported, Call, Where};
** disarming (0) does nothing. */
unsigned libc_wrap_alarm(unsigned seconds);
useconds_t libc_wrap_ualarm(useconds_t usecs, useconds_t interval);
int libc_wrap_setitimer(int which, const struct itimerval *value, struct itimerval *old);
int libc_wrap_timer_create(clockid_t clock, struct sigevent *sev, void *timerid);

/* A signal to the runtime itself: SIGTERM (clean shutdown), SIGINT and the
** fault signals go through; any other ends the process with
** {signal, Sig, Where}. To the process group or every process: EPERM. */
int libc_wrap_kill(pid_t pid, int sig);
int libc_wrap_killpg(pid_t pgrp, int sig);
int libc_wrap_raise(int sig);
int libc_wrap_pthread_kill(pthread_t thread, int sig);

/* End the process with {unsupported, Call, Where}. */
pid_t libc_wrap_fork(void);
pid_t libc_wrap_vfork(void);
int libc_wrap_clone(int (*fn)(void *), void *stack, int flags, void *arg, ...);
int libc_wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);
int libc_wrap_thrd_create(void *t, int (*fn)(void *), void *arg);
int libc_wrap_execve(const char *path, char *const argv[], char *const envp[]);
int libc_wrap_execv(const char *path, char *const argv[]);
int libc_wrap_execvp(const char *file, char *const argv[]);
int libc_wrap_execvpe(const char *file, char *const argv[], char *const envp[]);
int libc_wrap_execl(const char *path, const char *arg, ...);
int libc_wrap_execlp(const char *file, const char *arg, ...);
int libc_wrap_execle(const char *path, const char *arg, ...);
int libc_wrap_fexecve(int fd, char *const argv[], char *const envp[]);
int libc_wrap_daemon(int nochdir, int noclose);
int libc_wrap_setcontext(const void *ucp);
int libc_wrap_swapcontext(void *oucp, const void *ucp);

/* syscall(): the system calls behind the functions here get the same
** answers; other calls go through. */
long libc_wrap_syscall(long n, ...);

/* Block the calling process until it is killed; the runtime runs on. */
int libc_wrap_pause(void);
int libc_wrap_sigsuspend(const sigset_t *mask);

#endif
