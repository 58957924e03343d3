/*
** error.c
** Raising and catching exceptions inside one process.
*/
#include "error.h"
#include "stacktrace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The running process's innermost catch frame and its last exception; the
** scheduler saves and restores both on every switch. */
ErlCatch *exc_top_;
ErlException exc_last_;
/* Called when nothing catches: ends the running process (set by proc.c). */
void (*exc_uncaught_)(const ErlException *e);

void exc_push(ErlCatch *c)
{
    c->prev = exc_top_;
    c->fault_floor = 0;
    exc_top_ = c;
}

void exc_end(ErlCatch *c)
{
    exc_top_ = c->prev;
}

void exc_caught(ErlCatch *c, ErlException *e)
{
    exc_top_ = c->prev;
    *e = exc_last_;
}

void (*exc_fault_)(Term reason);

void exc_badterm(Term crossing, Term what)
{
    Heap *h = heap_current();
    Term reason = term_tuple(h, 3, (Term[]){erl_atom("badterm"), crossing, what});
    if (exc_fault_)
        exc_fault_(reason);
    fprintf(stderr, "cerl: a bad term was handed to the runtime outside any process\n");
    abort();
}

void exc_check_term_(const char *crossing, Term t)
{
    Term what = term_check(heap_current(), t);
    if (what != ERL_NONE)
        exc_badterm(erl_atom(crossing), what);
}

/* The name of the entry point that raises exceptions of class cls. */
static const char *raiser(Term cls)
{
    return cls == AM_exit ? "erl_exit" : cls == AM_throw ? "erl_throw" : "erl_error";
}

/* Hands exc_last_ to the innermost catch frame, or ends the process. */
__attribute__((noreturn)) static void deliver(void)
{
    if (exc_top_)
        _longjmp(exc_top_->jb, 1);
    if (exc_uncaught_)
        exc_uncaught_(&exc_last_);
    fprintf(stderr, "cerl: uncaught exception outside any process\n");
    abort();
}

void exc_raise(Term cls, Term reason, Term where)
{
    exc_check_term(raiser(cls), reason);
    if (where != ERL_NONE)
        exc_check_term(raiser(cls), where);
    exc_last_.cls = cls;
    exc_last_.reason = reason;
    exc_last_.where = where;
    /* the frames only: what they mean is looked up if someone asks */
    exc_last_.npcs = stacktrace_capture(exc_last_.pcs, EXC_STACK_DEPTH);
    deliver();
}

void exc_reraise(const ErlException *e)
{
    exc_check_term(raiser(e->cls), e->reason);
    if (e->where != ERL_NONE)
        exc_check_term(raiser(e->cls), e->where);
    exc_last_ = *e;
    deliver();
}

void exc_raise_in(Term reason, const char *name, int argc, const Term *argv, const char *note)
{
    Heap *h = heap_current();
    Term args = ERL_NIL;
    for (int i = argc; i > 0; i--)
        args = term_cons(h, argv[i - 1], args);
    Term fn = strchr(name, ':') ? term_string(h, name, strlen(name)) : erl_atom(name);
    Term where;
    if (note)
        where = term_tuple(h, 4, (Term[]){erl_atom("function"), fn, args, term_string(h, note, strlen(note))});
    else
        where = term_tuple(h, 3, (Term[]){erl_atom("function"), fn, args});
    exc_raise(AM_error, reason, where);
}

void exc_badarg(const char *name, int argc, const Term *argv, const char *note)
{
    exc_raise_in(AM_badarg, name, argc, argv, note);
}

void erl_error(Term reason)
{
    exc_raise(AM_error, reason, ERL_NONE);
}

void erl_throw(Term term)
{
    exc_raise(AM_throw, term, ERL_NONE);
}
