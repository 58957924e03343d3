/*
** lint.h
** erl's compile-time check of a shell command, as erl_lint does it: the
** messages erl prints before evaluating anything ("* 1:1: variable 'X' is
** unbound", "... unsafe in 'case' (line 1, column 7)", "illegal pattern").
*/
#ifndef CERL_LINT_H
#define CERL_LINT_H

#include "eval.h"
#include "records.h"

/* Checks the expressions es[0..n) in sequence, starting from the variables
** bound in b, with the record definitions of rt (NULL: none): "* 1:1:
** record foo undefined", "field x undefined in record p", ... Returns erl's
** message (malloc'd, the caller frees) for the first problem, or NULL when
** there is none. */
char *lint_run(Ast **es, int n, const Bindings *b, const Records *rt);

/* Whether e is the shell command f(Var), whose variable may be unbound. */
bool lint_is_forget_call(const Ast *e);

#endif
