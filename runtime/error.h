/*
** error.h
** Exceptions: error, exit and throw raised in a process, caught by the
** nearest catch frame of that same process (never across processes).
*/
#ifndef CERL_ERROR_H
#define CERL_ERROR_H

#include "term.h"

#include <setjmp.h>
#include <stdint.h>

/* The most module frames an exception records, as erl's default
** backtrace_depth. */
enum { EXC_STACK_DEPTH = 8 };

/* What was raised. 'where' says where, for the shell's report:
**   ERL_NONE                             nothing more to say
**   {M, F, Args}                         for undef: the function that is missing
**   {operator, Op, Args}                 "in operator  Op/N" / "called as A Op B"
**   {function, Name, Args}               "in function  Name/N" / "called as Name(Args)"
**   {function, Name, Args, Note}         ...and "*** Note" (a string) below.
** Name is an atom (register) or a "M:F" string (code:purge). The terms live
** on the raising process's heap. */
typedef struct ErlException {
    Term cls;    /* AM_error, AM_exit or AM_throw */
    Term reason; /* the exit reason / error term / thrown term */
    Term where;
    int npcs;    /* module frames recorded at the raise (stacktrace.h) */
    uintptr_t pcs[EXC_STACK_DEPTH]; /* their code addresses, innermost first */
} ErlException;

/* A catch frame, on the C stack of the function that catches.
** Invariant: the frames of a process form a stack through 'prev'; the top
** one belongs to the innermost active EXC_TRY. */
/* fault_floor is 0 for an ordinary catch frame, which faults pass by; for a
** frame that also receives faults (exc_try_fault, fault.h) it is the lowest
** stack address of the catching function's frames: everything below it
** belongs to the protected code and may be abandoned and reused. */
typedef struct ErlCatch {
    jmp_buf jb;
    struct ErlCatch *prev;
    uintptr_t fault_floor;
} ErlCatch;

/* Push / pop a catch frame for the running process. Use as
**     ErlCatch c; ErlException e;
**     if (exc_try(&c) == 0) { ...; exc_end(&c); } else { exc_caught(&c, &e); ... }
** exc_try is a macro around _setjmp, so it must be called in the function
** that stays on the stack while the protected code runs. */
#define exc_try(c) (exc_push(c), _setjmp((c)->jb))
void exc_push(ErlCatch *c);
/* Faults (fault.h) the protected code makes land in c, as exceptions of
** class exit, when fault.c finds it safe: call exc_catch_faults(&c, floor)
** after exc_try(&c) returned 0 and before the protected call, with floor an
** address below every frame of the function that called exc_try (the frame
** address of a non-inlined function it calls). */
static inline void exc_catch_faults(ErlCatch *c, uintptr_t floor)
{
    c->fault_floor = floor;
}
/* Pops 'c' when the protected code finished normally. */
void exc_end(ErlCatch *c);
/* After a raise landed in 'c': pops it and stores what was raised in *e. */
void exc_caught(ErlCatch *c, ErlException *e);

/* Raise in the running process. With no catch frame the process exits:
** reason for exit, {Reason, Stack} semantics simplified to Reason for error
** and {nocatch, T} for throw. Never return. A reason or where that is not
** a sound term of the running process's heap ends the process instead
** (exc_badterm, crossing erl_exit, erl_error or erl_throw by class). */
__attribute__((noreturn)) void exc_raise(Term cls, Term reason, Term where);
/* Raises e again, as caught, keeping the frames recorded where it was
** first raised (a catch that does not match passes it on). */
__attribute__((noreturn)) void exc_reraise(const ErlException *e);
/* Raises error 'reason' as a BIF does: where is {function, Name, Args},
** or {function, Name, Args, Note} when note is not NULL. Name is an atom's
** name (an erlang BIF) or a "mod:fun" string, which is reported as one. */
__attribute__((noreturn)) void exc_raise_in(Term reason, const char *name, int argc, const Term *argv,
                                            const char *note);
/* badarg raised by a BIF: exc_raise_in with reason badarg. */
__attribute__((noreturn)) void exc_badarg(const char *name, int argc, const Term *argv, const char *note);

/* EXC_ARGS(A1, ..., An) stands for the two arguments 'argc, argv' of
** exc_raise_in and exc_badarg, for one to eight terms. */
#define EXC_ARGS(...) ERL_NARGS_(0, __VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0), (Term[]){0, __VA_ARGS__} + 1
/* BADARG(Name, Note, A1, ..., An): badarg in BIF Name called with A1..An
** (one to eight terms); Note is a string or NULL. Never returns. */
#define BADARG(name, note, ...) exc_badarg(name, EXC_ARGS(__VA_ARGS__), note)

/* A term a process handed to the runtime at 'crossing' (an atom naming the
** entry point, such as erl_send, or {M, F, Arity} for a module function's
** result) is not a term of its heap: 'what' is the offending word as an
** integer, or the atom cycle for a term that contains itself. Ends the
** running process with {badterm, Crossing, What}, reported and uncatchable
** like a fault (see cerl.h); nobody else is touched. Never returns. */
__attribute__((noreturn)) void exc_badterm(Term crossing, Term what);
/* Checks t against the running process's heap (term_check) and calls
** exc_badterm with the atom 'crossing' when it is not sound. Cost: one
** look-up in the heap's page map per object of t. */
void exc_check_term_(const char *crossing, Term t);
static inline void exc_check_term(const char *crossing, Term t)
{
    if (!erl_is_int(t) && (t & 15) != 6) /* small integers and local pids are always sound */
        exc_check_term_(crossing, t);
}

/* Ends the running process with 'reason' as a fault does: reported, links
** and monitors told, no catch frame consulted; must not return. Set by the
** process layer. */
extern void (*exc_fault_)(Term reason);

/* Scheduler's view: swapped on every process switch. */
extern ErlCatch *exc_top_;
extern ErlException exc_last_;
/* Called when nothing catches; must not return. Set by the process layer. */
extern void (*exc_uncaught_)(const ErlException *e);

#endif
