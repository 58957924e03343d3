/*
** shell.h
** The shell proper: its evaluator process, which reads, evaluates and
** prints commands, and is replaced by a fresh one when a command fails.
*/
#ifndef CERL_SHELL_H
#define CERL_SHELL_H

#include "eval.h"

#define CERL_VERSION "0.1.0"

/* Routes process output, error reports, Ctrl-C's BREAK menu and the
** watchdog's reports through the shell, without starting an evaluator
** (cerl -noshell). Idempotent. */
void shell_init(void);
/* shell_init, then starts the first evaluator process. The scheduler runs it. */
void shell_start(void);
/* The shell's variable bindings (b/0, f/0, f/1). */
Bindings *shell_bindings(void);
/* The shell's record definitions (rd/2, rf/0,1, rl/0,1, records.h). */
struct Records;
struct Records *shell_records(void);
/* Prints text as shell output: through the reader, so that a prompt and a
** partly typed line stay intact (reader_print). */
void shell_print(const char *s);
void shell_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* q(), init:stop(): the session ends once the current command's result is
** printed. */
void shell_quit(void);

/* The number of the command running now (the prompt's number). */
int shell_command_number(void);
/* Ctrl-G i: kills the evaluator (reason killed, reported as
** "** exception exit: killed"); a new one takes the prompt. */
void shell_interrupt(void);
/* Piped input has ended while the evaluator is blocked in a command and
** nothing can wake it (no process runnable, no timer pending): says so and
** kills it as the BREAK menu's k would ("** exception exit: killed"), so
** that the commands read after it still run. Returns whether it did. */
bool shell_kill_stuck_evaluator(void);
/* The user is about to kill p from a menu: if it is the evaluator, its
** death is reported as "** exception exit: killed". */
struct Proc;
void shell_note_kill(const struct Proc *p);
/* Whether p is the shell's evaluator process. */
struct Proc;
bool shell_is_evaluator(const struct Proc *p);

/* The i-th shell command (commands.c) and its arity; NULL past the last.
** For completion and help. */
const char *shell_command(size_t i, int *arity);

/* Runs an expression as erl's -eval does, in the calling process, with
** bindings of its own; raises what it raises (a syntax error as
** {badmatch, {error, {1, erl_parse, Message}}}). */
Term shell_eval_string(const char *text);

#endif
