/*
** reader.h
** The shell's terminal: prompts, reading lines (GNU readline's callback
** interface on a terminal, plain reads when piped), cutting the text into
** commands, and printing output without breaking the line being typed.
*/
#ifndef CERL_READER_H
#define CERL_READER_H

#include <stdbool.h>
#include <stddef.h>

/* Chooses readline or plain input by whether stdin and stdout are a
** terminal. On a terminal: loads the history from ~/.cerl_history, sets up
** completion, and arranges for the terminal to be restored at exit. With
** 'noshell' nothing is read: the idle hook only waits for timers and
** Ctrl-C, until reader_stop. */
void reader_init(bool noshell);
/* Whether the session runs on a terminal (readline). */
bool reader_is_tty(void);

/* From the shell's evaluator process: shows 'prompt' and blocks until a
** whole command (up to and including its terminating dot) is available.
** Returns it (caller frees; *len is its length: a NUL byte in the input is
** a character like any other), or NULL at end of input. Text typed after
** the dot stays for the next call. */
char *reader_get_command(const char *prompt, size_t *len);

/* The scheduler's idle hook: runs when no process is runnable. Shows the
** prompt, reads input while timers fire on time (it waits at most until
** the next timeout), runs a pending Ctrl-C's BREAK menu and Ctrl-G's menu.
** Returns false when the session ends (end of input, or reader_stop). */
bool reader_idle(void);

/* Forgets p as the process waiting for input (it has died). */
struct Proc;
void reader_abandon(struct Proc *p);

/* Ends the session at the next idle point (q(), halt()). */
void reader_stop(void);

/* Writes output from anywhere (shell results, io:format, reports). While a
** prompt or a partly typed line is showing, the text appears on its own
** line above it and the prompt and line are redrawn. Cannot fail. */
void reader_print(const char *s, size_t n);

/* ------------------------------------------------------------- menus */

/* Before a menu (BREAK, User switch) prints: leaves the line being typed
** where it is and moves to a fresh line. */
void reader_menu_begin(void);
/* Shows 'prompt' and reads one line of the user's answer into buf (without
** its newline), echoed as typed. Returns false at end of input or when a
** Ctrl-C interrupted the read. */
bool reader_menu_line(const char *prompt, char *buf, size_t size);
/* After a menu: redraws the prompt and the line being typed. */
void reader_menu_end(void);

#endif
