/*
** sched.h
** The cooperative scheduler: one OS thread, a FIFO run queue, and switching
** between process stacks and the scheduler's own stack.
*/
#ifndef CERL_SCHED_H
#define CERL_SCHED_H

#include "proc.h"

/* The running process (NULL while the scheduler itself runs). */
extern Proc *sched_current;

/* Puts a waiting or new process on the run queue (no-op if it is already
** runnable, running or exiting). */
void sched_make_runnable(Proc *p);
/* Takes p off the run queue if it is there. */
void sched_dequeue(Proc *p);

/* From a process: let every other runnable process run first. */
void sched_pass(void);
/* From a process: block (PS_WAITING) until sched_make_runnable wakes it. */
void sched_wait(void);
/* From a process: block until every other process has run and none is
** runnable (timeouts not awaited). */
void sched_wait_idle(void);

/* From a process: like sched_wait, but also woken 'ms' milliseconds from
** now. Returns true when the timeout woke it, false for any other wake-up. */
bool sched_wait_timeout(long ms);
/* Monotonic milliseconds. */
uint64_t sched_now_ms(void);
/* Milliseconds until the earliest timeout, 0 if one is due, -1 if none. */
long sched_next_timeout(void);

/* From a process that has ended (PS_EXITING): leave for good. */
__attribute__((noreturn)) void sched_leave(void);

/* Runs processes until none is runnable, then calls idle(); returns when
** idle() returns false. idle() runs on the scheduler's stack and may block
** (for input or timers) and wake processes. */
void sched_run(bool (*idle)(void));

/* Runs processes until none is runnable, then returns. From the scheduler's
** stack only (tests and start-up). */
void sched_run_until_idle(void);

#endif
