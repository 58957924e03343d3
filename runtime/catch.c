/*
** catch.c
** try ... catch for modules (erl_catch): a catch frame around one call,
** on the runtime's side of the call so that modules need no setjmp.
*/
#include "error.h"

int erl_catch(Term (*fn)(void *ctx), void *ctx, Term *value, Term *cls)
{
    ErlCatch c;
    if (exc_try(&c) == 0) {
        Term v = fn(ctx);
        exc_end(&c);
        *value = v;
        return 1;
    }
    ErlException e;
    exc_caught(&c, &e);
    *cls = e.cls;
    *value = e.reason;
    return 0;
}
