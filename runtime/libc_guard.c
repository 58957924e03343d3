/*
** libc_guard.c
** The table of libc functions a module gets cerl's replacement for, and the
** replacements that are not fault.c's.
*/
#include "libc_guard.h"
#include "fault.h"
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

/* syscall(2): the exit system calls end the process; the rest go through. */
static long guard_syscall(long nr, long a, long b, long c, long d, long e, long f)
{
    if (nr == SYS_exit || nr == SYS_exit_group)
        fault_module_exit((int)a);
    return syscall(nr, a, b, c, d, e, f);
}

const LibcGuard libc_guards[] = {
    /* a module that calls exit() ends its process, not the runtime */
    {"exit", (const void *)fault_module_exit},
    {"_exit", (const void *)fault_module_exit},
    {"_Exit", (const void *)fault_module_exit},
    {"quick_exit", (const void *)guard_quick_exit},
    {"err", (const void *)guard_err},
    {"errx", (const void *)guard_errx},
    {"verr", (const void *)guard_verr},
    {"verrx", (const void *)guard_verrx},
    {"error", (const void *)guard_error},
    {"error_at_line", (const void *)guard_error_at_line},
    {"pthread_exit", (const void *)guard_thread_exit},
    {"thrd_exit", (const void *)guard_thread_exit},
    {"syscall", (const void *)guard_syscall},
    {NULL, NULL},
};
