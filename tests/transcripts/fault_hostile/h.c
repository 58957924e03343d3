/* h.c -- a hostile module: one way to crash per function. Each crash must
** end only the process that runs it, with the reason runtime/fault.h gives. */
#include <cerl.h>
#include <stdlib.h>
#include <string.h>

MODULE(h);
EXPORT(null/0, div0/1, abrt/0, deep/0, lib/0, ill/0, ex/1, wait/0, wait_then_crash/0);

static volatile int *nowhere;

Term null(void) { return erl_mk_int(*nowhere); }                  /* {segv,Where,0} */
Term div0(Term d) { return erl_mk_int(100 / (int)erl_int_value(d)); } /* {badarith,Where} */
Term abrt(void) { abort(); return ATOM(ok); }                      /* {abort,Where} */

static int recurse(int n)
{
    volatile char pad[64];
    pad[0] = (char)n;
    return recurse(n + 1) + pad[0];
}
Term deep(void) { return erl_mk_int(recurse(0)); }                 /* {stack_overflow,Where} */

Term lib(void) { return erl_mk_int((long)strlen((const char *)nowhere)); } /* in libc */
Term ill(void) { __asm__("ud2"); return ATOM(ok); }                /* {sigill,Where} */
Term ex(Term s) { exit((int)erl_int_value(s)); return ATOM(ok); }  /* {exit,S} */

Term wait(void)
{
    erl_receive();
    return ATOM(ok);
}

Term wait_then_crash(void)
{
    erl_receive();
    return erl_mk_int(*nowhere);
}
