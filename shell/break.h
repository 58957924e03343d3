/*
** break.h
** erl's keys: Ctrl-C's BREAK menu and Ctrl-G's User switch menu.
*/
#ifndef CERL_BREAK_H
#define CERL_BREAK_H

#include "../runtime/proc.h"

#include <stdbool.h>

/* Ctrl-C (interrupt_break_hook): shows erl's BREAK menu and acts on the
** choices until one returns to the shell. 'in' is the process stopped to
** run the menu (a runaway one, typically), NULL when the scheduler runs it.
** Returns true when the user chose to kill 'in'. (a)bort exits. */
bool break_menu(Proc *in);

/* Ctrl-G: erl's "User switch command" menu (c, i, k, j, s, q, h, ?), from
** the scheduler's idle hook. */
void break_user_switch(void);

/* The lines of one process as the BREAK menu's p and k show it, appended
** to b ("=proc:<0.81.0>", "State: Waiting", ...). */
struct Buf;
void break_proc_info(struct Buf *b, Proc *p);

#endif
