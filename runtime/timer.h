/*
** timer.h
** Timeouts: a min-heap of deadlines, each waking a process (receive ...
** after) or sending a message (erlang:send_after/3).
*/
#ifndef CERL_TIMER_H
#define CERL_TIMER_H

#include "term.h"

struct Proc;

/* A pending timeout: wakes a process (receive ... after), or, inside a
** SendTimer, sends a message (erlang:send_after/3).
** Invariant: while armed, the timer is at heap[index] and does not fire
** before its heap parent: its (deadline, seq) is not smaller. Timers with
** the same deadline fire in the order they were armed. index is SIZE_MAX
** when not armed. */
typedef struct Timer {
    uint64_t deadline; /* timer_now_ms() when it fires */
    uint64_t seq;      /* when it was armed, among all timers */
    size_t index;
    struct Proc *proc; /* the process to wake; NULL for a SendTimer */
} Timer;

/* A send_after timer; owns 'heap', which holds 'dest' and 'msg'. */
typedef struct SendTimer {
    Timer timer; /* first: a Timer with proc NULL is a SendTimer */
    Term dest, msg;
    Heap heap;
    uint32_t ref[3]; /* its reference, for cancel_timer */
} SendTimer;

uint64_t timer_now_ms(void); /* async-signal-safe: the watchdog calls it */

/* The deadline, on timer_now_ms()'s count, of a timeout of 'ms' from now:
** one tick more than ms when ms > 0, since now may be most of a
** millisecond past its count, so that no timeout ends early (erl's
** timer:sleep(20) takes at least 20 ms). */
static inline uint64_t timer_deadline(long ms)
{
    return timer_now_ms() + (ms <= 0 ? 0 : (uint64_t)ms + 1);
}

/* The milliseconds left before 'deadline' as erl reports them
** (erlang:cancel_timer/1): never more than the timeout asked for. */
static inline long timer_left(uint64_t deadline)
{
    uint64_t now = timer_now_ms();
    return deadline > now + 1 ? (long)(deadline - now - 1) : 0;
}

/* Arms t to fire 'ms' milliseconds from now (timer_deadline). */
void timer_arm(Timer *t, long ms);
/* Disarms t if armed. */
void timer_cancel(Timer *t);
bool timer_armed(const Timer *t);
/* Whether any timer is armed (cheap: no clock read). */
bool timer_pending(void);
/* Milliseconds until the earliest deadline, 0 if one is due, -1 if none. */
long timer_next(void);
/* Removes and returns the due timer that fires first (earliest deadline,
** then earliest armed), or NULL when none is due. */
Timer *timer_pop_due(void);
/* The armed send timer with this reference, or NULL. */
SendTimer *timer_find_ref(Term ref);
/* Monotonic milliseconds. */

#endif
