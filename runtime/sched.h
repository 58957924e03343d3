/*
** sched.h
** The cooperative scheduler: one OS thread, a FIFO run queue, switching
** from a process that blocks or yields straight to the next runnable one
** (through the scheduler's own stack only when none is, when a timer or the
** idle side is due, or when the process has exited), and the turns the idle
** side (the shell's input) gets even while processes stay runnable.
*/
#ifndef CERL_SCHED_H
#define CERL_SCHED_H

#include "proc.h"

#include <poll.h>

/* The running process (NULL while the scheduler itself runs). */
extern Proc *sched_current;

/* Puts a waiting or new process on the run queue (no-op if it is already
** runnable, running or exiting). */
void sched_make_runnable(Proc *p);
/* Takes p off the run queue if it is there. */
void sched_dequeue(Proc *p);

/* From a process: let every other runnable process run first (in run-queue
** order; returns at once, without a switch, when no other is runnable and
** neither a timer nor the idle hook is due). */
void sched_pass(void);
/* Counts one reduction (a receive, a poll) of the running process; every
** SCHED_BUDGET of them it lets the others run first (sched_pass), and then
** returns true. No-op returning false outside a process. Inline, and the
** budget a power of two: it runs on every receive. */
enum { SCHED_BUDGET = 1024 };
static inline bool sched_reduce(void)
{
    Proc *p = sched_current;
    if (!p || (++p->reductions & (SCHED_BUDGET - 1)) != 0)
        return false;
    sched_pass();
    return true;
}
/* From a process: block (PS_WAITING) until sched_make_runnable wakes it. */
void sched_wait(void);
/* From a process: block until every other process has run and none is
** runnable (timeouts not awaited), or for about 100 ms while others stay
** runnable: a process that never stops does not hold the caller up. */
void sched_wait_idle(void);

/* From a process: like sched_wait, but also woken 'ms' milliseconds from
** now. Returns true when the timeout woke it, false for any other wake-up. */
bool sched_wait_timeout(long ms);
/* Monotonic milliseconds. */
uint64_t sched_now_ms(void);
/* How long the idle hook may block: 0 when a process is runnable or a
** timeout is due, else the milliseconds until the earliest timeout, -1 when
** there is none. */
long sched_next_timeout(void);

/* Switches to a process since start-up, and the processes on the run
** queue now (statistics/1). */
uint64_t sched_context_switches(void);
size_t sched_run_queue_len(void);

/* From a process that has ended (PS_EXITING): leave for good. */
__attribute__((noreturn)) void sched_leave(void);

/* Runs processes; calls idle() whenever none is runnable, and also at
** least every 10 ms while some stay runnable (so the shell reads its input
** and answers while a process spins); returns when idle() returns false.
** idle() runs on the scheduler's stack, may wake processes, and may block
** for input or timers at most sched_next_timeout() milliseconds. */
void sched_run(bool (*idle)(void));

/* Runs processes until none is runnable, then returns. From the scheduler's
** stack only (tests and start-up). */
void sched_run_until_idle(void);

/* ------------------------------------------ wake-ups from other threads
** The distribution's connection thread (dist/conn.c) hands work to the
** scheduler: it calls sched_wake(), and the scheduler then runs the wake
** hook on its own stack, between two turns of the idle hook. */

/* Sets the function run on the scheduler's stack after sched_wake (once
** for any number of wakes since its last run). From the scheduler's thread,
** before other threads may call sched_wake. */
void sched_set_wake_hook(void (*hook)(void));
/* From any thread: the wake hook runs soon; an idle hook blocked in
** sched_poll returns. Never blocks. */
void sched_wake(void);
/* poll(2) for idle hooks: returns as poll does, or 0 when sched_wake was
** called (before or during the wait). */
int sched_poll(struct pollfd *fds, nfds_t n, int timeout_ms);

/* ---- distnet: the distribution's sockets in the idle poll (dist/conn.c)
** sched_poll also waits on the descriptors fill() gives (at most 'max'),
** then hands them with their revents to serve(), which returns true when
** it queued work for the wake hook (which then runs, as after sched_wake).
** From the scheduler's thread. */
enum { SCHED_POLL_EXTRA = 64 };
void sched_set_poll_hook(int (*fill)(struct pollfd *fds, int max), bool (*serve)(const struct pollfd *fds, int n));

/* For proc.c only: the first thing a new process does on its own stack
** (tells AddressSanitizer the switch is over, and starts it with no catch
** frames, whichever stack it came from); and taking an exiting
** process out of the scheduler's reach (run queue, timer, idle waiter). */
void sched_entered_(void);
void sched_forget_(Proc *p);

/* memory: for hibernate.c only. From a process that has set its state
** (waiting, or runnable when it must go on at once): abandons its stack
** for good; the next time it runs it starts afresh at proc_start_ (its
** entry_fn with its argv). The scheduler then calls hibernate_release_. */
__attribute__((noreturn)) void sched_restart_(void);

#endif
