/*
** reader.h
** The shell's input side: prompts, reading lines (GNU readline on a
** terminal, plain reads when piped), and cutting the text into commands.
*/
#ifndef CERL_READER_H
#define CERL_READER_H

#include <stdbool.h>

/* Chooses readline or plain input by whether stdin is a terminal. */
void reader_init(void);

/* From the shell's evaluator process: shows 'prompt' and blocks until a
** whole command (up to and including its terminating dot) is available.
** Returns it (caller frees), or NULL at end of input. Text typed after the
** dot stays for the next call. */
char *reader_get_command(const char *prompt);

/* The scheduler's idle hook: runs when no process is runnable. Reads input
** for a waiting shell, or reads ahead. Returns false when the session ends
** (end of input, or reader_stop). */
bool reader_idle(void);

/* Forgets p as the process waiting for input (it has died). */
struct Proc;
void reader_abandon(struct Proc *p);

/* Ends the session at the next idle point (q(), halt()). */
void reader_stop(void);

#endif
