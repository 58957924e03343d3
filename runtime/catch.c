/*
** catch.c
** try ... catch for modules (erl_catch): a catch frame around one call,
** on the runtime's side of the call so that modules need no setjmp.
*/
#include "error.h"
#include "heap.h"
#include "stacktrace.h"

#include <stdbool.h>
#include <stdint.h>

/* Calls fn(ctx) from a frame of its own, below every frame of catch_call:
** its frame address is the floor under which a fault may abandon the stack
** (error.h). Not inlined, so that the frame is really apart. */
__attribute__((noinline)) static Term call_above_floor(Term (*fn)(void *ctx), void *ctx, ErlCatch *c)
{
    exc_catch_faults(c, (uintptr_t)__builtin_frame_address(0));
    Term v = fn(ctx);
    __asm__ volatile("" ::: "memory"); /* no tail call: the floor stays this frame's */
    return v;
}

/* The stack trace is built (names and lines looked up) only when asked for:
** stack is NULL for erl_catch. With faults, the catch frame also receives
** the faults of fn (erl_catch_fault). */
static int catch_call(Term (*fn)(void *ctx), void *ctx, Term *value, Term *cls, Term *stack,
                      bool faults)
{
    ErlCatch c;
    if (exc_try(&c) == 0) {
        Term v = faults ? call_above_floor(fn, ctx, &c) : fn(ctx);
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
    return catch_call(fn, ctx, value, cls, NULL, false);
}

int erl_catch_stack(Term (*fn)(void *ctx), void *ctx, Term *value, Term *cls, Term *stack)
{
    return catch_call(fn, ctx, value, cls, stack, false);
}

int erl_catch_fault(Term (*fn)(void *ctx), void *ctx, Term *value, Term *cls, Term *stack)
{
    return catch_call(fn, ctx, value, cls, stack, true);
}
