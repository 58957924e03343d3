/*
** cmdhist.h
** The shell's command history for h/0, v/1 and e/1: the last 20 commands
** as erl_pp prints them, with their values.
*/
#ifndef CERL_CMDHIST_H
#define CERL_CMDHIST_H

#include "../runtime/buf.h"
#include "../runtime/error.h"
#include "parser.h"

#include <stdbool.h>

enum { CMDHIST_KEEP = 20 };

/* Appends the command's expressions as erl's h() shows them ("X = 5, Y = 7",
** "foo(1, {a, b}, [1, 2 | T])"), with erl's substitutions: v(-1) in
** command 'n' becomes v(n-1), e(N) becomes the text of command N. Returns
** false when a v(N) or e(N) with a literal N names no command kept, with
** erl's message in *err ("* 10: command not found", malloc'd, caller frees);
** the command then must not run. */
bool cmdhist_text(Buf *out, const Ast *cmd, int n, char **err);

/* Appends the fun expression 'fun' (an AST_FUN with clauses) as erl's b()
** lays it out: "fun(A, B) ->", further clauses under the '(' (under the
** name of a named fun), each body expression on a line of its own 4 columns
** right of them, "end" at indent;
** the first line starts at the current position. */
void cmdhist_fun_layout(Buf *out, const Ast *fun, int indent);

/* Records command n (its text from cmdhist_text) before it runs; drops
** the commands numbered below n - history (CMDHIST_KEEP unless
** cmdhist_set_history said otherwise) and the values numbered below
** n - results. */
void cmdhist_add(int n, const char *text);

/* history(N) and results(N) of erl's shell: how many commands, and how
** many of their values, are kept from now on (n >= 0; the caller checks).
** Return the number before. */
int cmdhist_set_history(int n);
int cmdhist_set_results(int n);
/* Its outcome: the value (copied to the history's own heap), or the
** exception, kept as erl keeps it: {'EXIT', {Reason, Stack}} ({nocatch, T}
** for a throw; Stack is [] in cerl). */
void cmdhist_set_value(int n, Term v);
void cmdhist_set_exception(int n, const ErlException *e);
/* An evaluator killed in the middle of command n by an exit signal (a
** kill, a purge, a linked process's death): {'EXIT', Reason}, as erl keeps
** it (the reason is copied). */
void cmdhist_set_exit(int n, Term reason);
/* A check failure such as "variable 'T' is unbound": {'EXIT',{unbound_var,'T'}}. */
void cmdhist_set_check_failure(int n, const char *msg);

/* Command n's number as v/e take it: n > 0 as it is, n <= 0 relative to
** 'current' (the number of the command running now). Returns whether such a
** command is kept (with a value, for v). */
bool cmdhist_has(int n, int current, bool need_value);
/* Its value, copied onto h (ERL_NONE when not kept). */
Term cmdhist_value(int n, int current, Heap *h);
/* Its text (static until the next cmdhist_add), or NULL. */
const char *cmdhist_command(int n, int current);

/* h() run as command 'current': appends "N: text" and "-> value" for every
** earlier command kept, oldest first. */
void cmdhist_list(Buf *out, int current);

/* Forgets everything (tests). */
void cmdhist_reset(void);

/* ------------------------------------------------ one history per shell job
** The functions above work on one history: the first, until cmdhist_use
** chooses another. A shell job (Ctrl-G s) has its own numbering and keeps
** its own history. */
typedef struct CmdHist CmdHist;
/* A new, empty history (caller deletes it). Cannot fail. */
CmdHist *cmdhist_new(void);
/* Frees h and what it keeps; NULL and the first history are ignored. If h
** was in use, the first history is used from now on. */
void cmdhist_delete(CmdHist *h);
/* Makes h (NULL: the first history) the one the functions above use. */
void cmdhist_use(CmdHist *h);

#endif
