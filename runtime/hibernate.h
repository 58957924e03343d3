/*
** hibernate.h
** erlang:hibernate/3: a process gives back its stack and its heap's
** garbage; the next message starts it afresh in M:F(A...).
*/
#ifndef CERL_HIBERNATE_H
#define CERL_HIBERNATE_H

#include "proc.h"

/* erl_hibernate (cerl.h) is the entry point for modules. */

/* Enters erlang:hibernate/3 in the export table; bif_init calls it. */
void hibernate_init(void);

/* For the scheduler: p has just left its stack for good (sched_restart_);
** called on the scheduler's stack, gives the stack's pages back (all but
** the page holding p's struct and the first slots of its heap). */
void hibernate_release_(Proc *p);

#endif
