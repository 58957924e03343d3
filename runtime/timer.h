/*
** timer.h
** Timeouts: a min-heap of deadlines, each waking a process (receive ...
** after) or sending a message (erlang:send_after/3).
*/
#ifndef CERL_TIMER_H
#define CERL_TIMER_H

#include "term.h"

struct Proc;

/* A pending timeout.
** Invariant: while armed, the timer is at heap[index]; its deadline is no
** earlier than its heap parent's. A send timer owns 'heap', which holds
** 'dest' and 'msg'; a wake timer is embedded in its Proc. */
typedef struct Timer {
    uint64_t deadline; /* sched_now_ms() when it fires */
    size_t index;      /* position in the heap; SIZE_MAX when not armed */
    struct Proc *proc; /* wake timer: the process to wake */
    Term dest, msg;    /* send timer: where and what */
    Heap heap;
    uint32_t ref[3];   /* send timer: its reference, for cancel_timer */
} Timer;

/* Arms t to fire 'ms' milliseconds from now. */
void timer_arm(Timer *t, long ms);
/* Disarms t if armed. */
void timer_cancel(Timer *t);
bool timer_armed(const Timer *t);
/* Milliseconds until the earliest deadline, 0 if one is due, -1 if none. */
long timer_next(void);
/* Removes and returns a due timer, or NULL when none is due. */
Timer *timer_pop_due(void);
/* The armed send timer with this reference, or NULL. */
Timer *timer_find_ref(Term ref);
/* Monotonic milliseconds. */
uint64_t timer_now_ms(void);

#endif
