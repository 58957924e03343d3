/*
** monitor.h
** Monitors and links: who is told when a process ends, and how.
*/
#ifndef CERL_MONITOR_H
#define CERL_MONITOR_H

#include "proc.h"

/* A monitor held by 'watcher' on 'target'.
** Invariant: a live monitor is on exactly two lists, the watcher's
** 'monitors' (w_ links) and the target's 'watchers' (t_ links); both
** processes are alive. It is freed when either ends or on demonitor. */
struct Monitor {
    uint32_t ref[3]; /* the reference's numbers, rebuilt on any heap */
    Proc *watcher;
    Proc *target;
    Term name;       /* the registered name it was made with, or ERL_NONE */
    Monitor *w_next, *w_prev;
    Monitor *t_next, *t_prev;
};

/* p has ended with 'reason': sends {'DOWN', Ref, process, Pid|{Name,Node},
** Reason} for each monitor on p and drops the monitors p held. */
void monitor_proc_exited(Proc *p, Term reason);
/* p has ended with 'reason': sends the exit signal to every linked process
** and clears p's links. */
void link_proc_exited(Proc *p, Term reason);
/* Number of monitors p holds. */
size_t monitor_count(Proc *p);

#endif
