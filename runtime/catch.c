/*
** catch.c
** try ... catch for modules (erl_catch): a catch frame around one call,
** on the runtime's side of the call so that modules need no setjmp.
*/
#include "error.h"
#include "heap.h"
#include "stacktrace.h"

/* The stack trace is built (names and lines looked up) only when asked for:
** stack is NULL for erl_catch. */
static int catch_call(Term (*fn)(void *ctx), void *ctx, Term *value, Term *cls, Term *stack)
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
    if (stack)
        *stack = stacktrace_build(heap_current(), &e);
    return 0;
}

int erl_catch(Term (*fn)(void *ctx), void *ctx, Term *value, Term *cls)
{
    return catch_call(fn, ctx, value, cls, NULL);
}

int erl_catch_stack(Term (*fn)(void *ctx), void *ctx, Term *value, Term *cls, Term *stack)
{
    return catch_call(fn, ctx, value, cls, stack);
}
