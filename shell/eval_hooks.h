/*
** eval_hooks.h
** What the shell's evaluator asks of the rest of the system: calls, sends
** and receives. eval.c calls these; the shell proper implements them (unit
** tests provide stubs).
*/
#ifndef CERL_EVAL_HOOKS_H
#define CERL_EVAL_HOOKS_H

#include "../runtime/term.h"

#include <stdbool.h>

/* Name(Args) without a module: a shell command (c/1, flush/0, b/0, f/1 ...)
** or an auto-imported BIF (self/0, spawn/3 ...). argv[0..argc) are on the
** calling process's heap. Returns the value; raises as erl would, including
** "undefined shell command Name/Argc" for an unknown name. */
Term eval_hook_local_call(Term name, int argc, Term *argv);

/* Mod:Fun(Args) with both atoms: reaches the current version of Mod.
** Returns the value or raises (undef and whatever the function raises). */
Term eval_hook_remote_call(Term mod, Term fun, int argc, Term *argv);

/* To ! Msg. Returns msg; raises badarg (with {operator, '!', [To, Msg]}) for
** an unregistered name or a term that is neither pid nor atom. */
Term eval_hook_send(Term to, Term msg);

/* Selective receive over the calling process's mailbox. Calls match(M, ctx)
** on each queued message M, oldest first, and on each one that arrives
** while waiting; the first M for which it returns true is removed from the
** mailbox and returned. 'match' never raises and may be called again on
** messages it refused before. timeout_ms: -1 waits forever, 0 only looks at
** what is queued. Returns ERL_NONE when the timeout passed without a match. */
Term eval_hook_receive(bool (*match)(Term msg, void *ctx), void *ctx, long timeout_ms);

#endif
