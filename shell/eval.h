/*
** eval.h
** The shell's evaluator: runs a parsed command against the shell's
** variable bindings, the way erl_eval does, with erl's compile-time check
** for unbound variables before each expression of the command.
*/
#ifndef CERL_EVAL_H
#define CERL_EVAL_H

#include "../runtime/buf.h"
#include "../runtime/error.h"
#include "parser.h"

#include <stdbool.h>

/* ----------------------------------------------------------- bindings */

typedef struct Binding {
    Term name;  /* the variable's name, an atom ('X') */
    Term value;
} Binding;

/* The shell's variables. Values live on one heap: the evaluating process's
** (heap_current() while a command runs); when that process is replaced,
** bindings_copy_to moves them to the new one.
** The array is malloc'd for the shell's own bindings, which outlive any
** one evaluator, and lives on 'heap' for the bindings of a fun being
** applied: the collector then sees the values through it (the Bindings
** itself is on the C stack of the process applying the fun), so a fun runs
** with collections on, in any process.
** Invariant: v[0..n) in the order they were bound; no name appears twice,
** except while a list comprehension runs, when a generator's variable may
** hide an older one of the same name (lookups take the newest). */
typedef struct Bindings {
    Binding *v; /* malloc'd and owned, or on 'heap' */
    size_t n, cap;
    Heap *heap; /* NULL: v is malloc'd */
} Bindings;

/* A zeroed Bindings is empty too. */
void bindings_init(Bindings *b);
void bindings_destroy(Bindings *b);
/* The value bound to 'name', or ERL_NONE when unbound. */
Term bindings_get(const Bindings *b, Term name);
/* Binds 'name' (replacing any value it had). Cannot fail. */
void bindings_set(Bindings *b, Term name, Term value);
/* f(X): forgets 'name'. Returns false when it was not bound. */
bool bindings_forget(Bindings *b, Term name);
/* f(): forgets everything. */
void bindings_clear(Bindings *b);
/* b(): the bindings sorted by name as erl lists them; a malloc'd array of
** *n entries that the caller frees (NULL when empty). */
Binding *bindings_sorted(const Bindings *b, size_t *n);
/* Copies every value onto 'h' and rebinds to the copies (for the shell's
** new evaluator process). The old heap may be destroyed afterwards. */
void bindings_copy_to(Bindings *b, Heap *h);

/* --------------------------------------------------------- evaluation */

/* Evaluates the command (an AST_BLOCK from parser_parse) in the calling
** process, building terms on heap_current(), and returns the value of its
** last expression. Before each top-level expression it runs erl's check
** against the bindings of that moment (as erl's shell does, so the earlier
** expressions' side effects have happened when a later one fails it).
** Raises with exc_raise whatever erl raises: {badmatch,V}, badarith with
** {operator, Op, Args}, {case_clause,V}, if_clause, ... and the check's
** failure, recognised by eval_check_failure. On any raise the bindings made
** by this command are undone; on success they are kept in *b. */
Term eval_command(Ast *cmd, Bindings *b);

/* eval_command as the shell runs a command: with its record definitions
** rt, which the check uses and record syntax is expanded against
** (records.h), and which rd/2, rf/0,1, rl/0,1 and rp/1 act on. Funs made by
** the command keep rt for those commands. rt may be NULL (no records). */
struct Records;
Term eval_shell_command(Ast *cmd, Bindings *b, struct Records *rt);

/* If 'e' is the check failure raised by eval_command, appends the line erl
** prints for it (no newline) and returns true:
**   "* 1:1: variable 'X' is unbound"
**   "* 1:42: variable 'Z' unsafe in 'case' (line 1, column 7)"
**   "* 1:1: illegal pattern"
** Such a failure is a compile-time error in erl: the evaluator process
** survives it, but the prompt number still increments. Returns false for
** every other exception. */
bool eval_check_failure(const ErlException *e, Buf *out);

/* Applies a fun term to argv[0..argc) in the calling process: the fun's
** clauses run with the bindings it closed over (fun M:F/A calls M:F).
** Raises {badarity, {Fun, Args}}, function_clause, or what the body raises. */
Term eval_apply_fun(Term fun, int argc, const Term *argv);

/* erl's check of a whole command before any of it runs: returns the
** message eval_command would raise if every expression bound what it can
** bind, or NULL when the command passes (malloc'd, the caller frees).
** The shell does not need it (eval_command checks as it goes, which is
** what erl does); it is for callers that must not evaluate anything. */
char *eval_check(Ast *cmd, const Bindings *b);

/* The AST_FUN a fun made by this evaluator comes from (b() prints its
** source, as erl's shell does), or NULL for any other term. */
const Ast *eval_fun_source(Term t);

#endif
