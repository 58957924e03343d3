/*
** shell.h
** The shell proper: its evaluator process, which reads, evaluates and
** prints commands, and is replaced by a fresh one when a command fails.
*/
#ifndef CERL_SHELL_H
#define CERL_SHELL_H

#include "eval.h"

/* Starts the first evaluator process. The scheduler runs it. */
void shell_start(void);
/* The shell's variable bindings (b/0, f/0, f/1). */
Bindings *shell_bindings(void);
/* Prints text as shell output (stdout). */
void shell_print(const char *s);
/* q(): the session ends once the current command's result is printed. */
void shell_quit(void);

#endif
