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
** called on the scheduler's stack, gives the whole stack back (to the
** stack pool, its pages but the top one to the system); p gets a stack
** again when it wakes (proc_stack_ready_). */
void hibernate_release_(Proc *p);

/* For process_info: the initial call of p, a process that hibernated, as
** {M, F, Arity} on h; ERL_NONE when p never hibernated or it is unknown. */
Term hibernate_initial_call_(Heap *h, Proc *p);

#endif
