/*
** sched.c
** Run queue, yield, waiting, direct switches from process to process, the
** turns the idle side gets while processes stay runnable, and the loop on the
** scheduler's own stack.
*/
#include "sched.h"
#include "asan.h"
#include "ctx.h"
#include "hibernate.h"
#include "purgescan.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

Proc *sched_current;

enum {
    SCHED_TURN_MS = 10,    /* the idle hook's turn comes at least this often */
    SCHED_QUIET_MS = 100,  /* sched_wait_idle waits at most about this long */
    SCHED_CHECK_MAX = 64   /* switches between two looks at the clock, at most */
};

/* The scheduler's state (one scheduler, one thread).
** Invariants: a process is on the run queue (a circular list through
** rq_next/rq_prev, 'runq' its sentinel) exactly when PS_RUNNABLE;
** 'idle_waiter' is NULL or a PS_WAITING process inside sched_wait_idle.
**
** Switching: a process that blocks or yields switches straight to the head
** of the run queue. It goes through the scheduler's stack instead only when
** nothing else is runnable, when the clock says the scheduler has work (a
** timer due, the idle waiter's time up, the idle hook's turn), or when it
** has exited (its stack is freed there). The clock is read only every
** 'countdown' switches: often enough that timers fire on time and the idle
** side gets its turns, rarely enough that switching stays cheap. */
static struct {
    Proc runq;
    void *sp;                 /* the scheduler's stack pointer while a process runs */
    const void *stack_base;   /* its stack, for AddressSanitizer, learned */
    size_t stack_size;        /* on the first switch from it */
    Proc *from;               /* who made the last switch: a process, or NULL for the scheduler */
    Proc *idle_waiter;
    bool waiter_released;     /* the scheduler, not a message, woke idle_waiter */
    bool for_turn;            /* inside sched_run: the idle hook's turns count */
    bool clock_due;           /* a process came back to the scheduler for the clock */
    uint64_t waiter_until_ms; /* when idle_waiter is released even if others run */
    uint64_t turn_ms;         /* when the idle hook's turn comes even if others run */
    unsigned countdown;       /* switches until the clock is read again */
    unsigned check_every;     /* what countdown starts from */
    uint64_t checked_ms;      /* the clock when last read */
    uint64_t context_switches;/* switches to a process since start-up */
    void (*wake_hook)(void);  /* run after sched_wake, or NULL */
    int wake_fd;              /* eventfd other threads write to, or -1 */
    atomic_int woken;         /* sched_wake came since the hook last ran */
} S = {.runq = {.rq_next = &S.runq, .rq_prev = &S.runq}, .countdown = 1, .check_every = 1, .wake_fd = -1};

static bool queue_empty(void)
{
    return S.runq.rq_next == &S.runq;
}

void sched_make_runnable(Proc *p)
{
    if (p->state != PS_WAITING)
        return;
    p->state = PS_RUNNABLE;
    p->rq_prev = S.runq.rq_prev;
    p->rq_next = &S.runq;
    S.runq.rq_prev->rq_next = p;
    S.runq.rq_prev = p;
}

void sched_dequeue(Proc *p)
{
    if (!p->rq_next)
        return;
    p->rq_prev->rq_next = p->rq_next;
    p->rq_next->rq_prev = p->rq_prev;
    p->rq_next = p->rq_prev = NULL;
}

/* ------------------------------------------------------------ switching */

/* Whether the clock says the scheduler has work: a timer due, the idle
** waiter's time up, or the idle hook's turn. Reads the clock only every
** check_every calls: processes that run long between switches get it read
** at each switch, quick ones only every SCHED_CHECK_MAX. */
static inline bool clock_due(void)
{
    if (--S.countdown != 0)
        return false;
    uint64_t now = timer_now_ms();
    if (now - S.checked_ms > 1)
        S.check_every = 1;
    else if (S.check_every < SCHED_CHECK_MAX)
        S.check_every *= 2;
    S.countdown = S.check_every;
    S.checked_ms = now;
    return (timer_pending() && timer_next() == 0) || (S.idle_waiter && now >= S.waiter_until_ms) ||
           (S.for_turn && now >= S.turn_ms);
}

/* Makes p, taken off the run queue, the running process; returns the stack
** pointer to switch to. */
static void *enter(Proc *p)
{
    sched_dequeue(p);
    if (!p->sp)
        p->sp = ctx_prepare(p->stack.base, p->stack.size, proc_start_);
    p->state = PS_RUNNING;
    p->reductions++;
    S.context_switches++;
    sched_current = p;
    heap_current_ = &p->heap;
    return p->sp;
}

/* First thing on a process's stack after a switch to it ('fake' as saved
** by its ASAN_START_SWITCH, NULL on a fresh stack). */
static inline void arrived(void *fake)
{
    const void *base = NULL;
    size_t size = 0;
    ASAN_FINISH_SWITCH(fake, &base, &size);
    if (!S.from) { /* from the scheduler's stack: remember where that is */
        S.stack_base = base;
        S.stack_size = size;
    }
}

void sched_entered_(void)
{
    arrived(NULL);
    exc_top_ = NULL;
    /* purgeidle: a fresh stack is a change the purge scan must see, even
    ** when it summarised the process (its entry function) before it ran */
    purgescan_mark_started(sched_current);
}

/* Suspends the running process p (already waiting, or queued by
** sched_pass) and runs the next runnable process directly, or the
** scheduler. Returns when p runs again. */
static void switch_out(Proc *p)
{
    Proc *next = S.runq.rq_next;
    /* memory: one whose stack is not at hand gets it on the scheduler's */
    bool to_sched = next == &S.runq || clock_due() || !proc_stack_at_hand_(next);
    if (next == p && !to_sched) { /* it passed, and no one else is runnable */
        sched_dequeue(p);
        p->state = PS_RUNNING;
        p->reductions++; /* as a switch back would: the watchdog sees it move */
        return;
    }
    void *fake = NULL;
    p->exc_top = exc_top_;
    S.from = p;
    if (p->state == PS_WAITING) /* purgeidle: its first block summarises it */
        purgescan_blocking(p);
    if (to_sched) {
        S.clock_due = next != &S.runq;
        ASAN_START_SWITCH(&fake, S.stack_base, S.stack_size);
        ctx_switch(&p->sp, S.sp);
    } else {
        void *sp = enter(next);
        ASAN_START_SWITCH(&fake, next->stack.base, next->stack.size);
        ctx_switch(&p->sp, sp);
    }
    arrived(fake);
    /* resumed: sched_current == p again */
    purgescan_mark_ran(p);
    exc_top_ = p->exc_top;
}

void sched_pass(void)
{
    Proc *p = sched_current;
    p->state = PS_WAITING; /* so that make_runnable queues it at the back */
    sched_make_runnable(p);
    switch_out(p);
}

void sched_wait(void)
{
    Proc *p = sched_current;
    p->state = PS_WAITING;
    switch_out(p);
}

void sched_wait_idle(void)
{
    Proc *p = sched_current;
    S.waiter_released = false;
    S.waiter_until_ms = timer_now_ms() + SCHED_QUIET_MS;
    while (!S.waiter_released) {
        S.idle_waiter = p;
        sched_wait(); /* a message may wake it early: then wait again */
        S.idle_waiter = NULL;
    }
}

/* Wakes the process in sched_wait_idle, if any. */
static void release_idle_waiter(void)
{
    Proc *w = S.idle_waiter;
    if (!w)
        return;
    S.idle_waiter = NULL;
    S.waiter_released = true;
    sched_make_runnable(w);
}

uint64_t sched_now_ms(void)
{
    return timer_now_ms();
}

bool sched_wait_timeout(long ms)
{
    Proc *p = sched_current;
    p->timed_out = false;
    timer_arm(&p->timer, ms);
    sched_wait();
    timer_cancel(&p->timer);
    return p->timed_out;
}

long sched_next_timeout(void)
{
    if (!queue_empty() || purgescan_idle_pending()) /* purgeidle: more to summarise */
        return 0;
    long t = timer_next(), s = stack_idle_timeout(timer_now_ms());
    return s >= 0 && (t < 0 || s < t) ? s : t;
}

/* Fires every timer that is due: wakes its process, or sends its message
** (dropped when the destination is gone, as erl does). */
static void fire_timers(void)
{
    Timer *t;
    while ((t = timer_pop_due())) {
        if (t->proc) {
            t->proc->timed_out = true;
            sched_make_runnable(t->proc);
            continue;
        }
        SendTimer *st = (SendTimer *)t;
        Proc *to = erl_is_pid(st->dest) ? proc_find(st->dest) : proc_whereis(st->dest);
        if (to) {
            mbox_put(&to->mbox, &to->heap, st->msg);
            sched_make_runnable(to);
        }
        heap_destroy(&st->heap);
        free(st);
    }
}

void sched_forget_(Proc *p)
{
    if (S.idle_waiter == p)
        S.idle_waiter = NULL;
    timer_cancel(&p->timer);
    sched_dequeue(p);
}

void sched_leave(void)
{
    Proc *p = sched_current;
    S.from = p;
    S.clock_due = false;
    ASAN_START_SWITCH(NULL, S.stack_base, S.stack_size); /* this stack is done */
    ctx_switch(&p->sp, S.sp);
    abort(); /* an exiting process is never resumed */
}

/* memory: hibernation (hibernate.c). The running process leaves its
** stack for good; run_one, back on the scheduler's stack, gives the
** stack's pages back, and the next run starts it afresh at proc_start_. */
void sched_restart_(void)
{
    Proc *p = sched_current;
    void *abandoned;
    p->sp = NULL;
    S.from = p;
    S.clock_due = false;
    ASAN_START_SWITCH(NULL, S.stack_base, S.stack_size); /* this stack is done */
    ctx_switch(&abandoned, S.sp);
    abort(); /* the abandoned stack is never resumed */
}

/* From the scheduler's stack: switches to p, and returns when some process
** switches back; frees that process if it ended. */
static void run_one(Proc *p)
{
    if (!proc_stack_ready_(p)) { /* memory: its stack is taken when it starts */
        proc_fail_start_(p);
        return;
    }
    void *sp = enter(p);
    S.from = NULL;
    void *fake = NULL;
    ASAN_START_SWITCH(&fake, p->stack.base, p->stack.size);
    ctx_switch(&S.sp, sp);
    ASAN_FINISH_SWITCH(fake, NULL, NULL);
    Proc *last = S.from;
    sched_current = NULL;
    heap_current_ = NULL;
    exc_top_ = NULL;
    if (last->state == PS_EXITING)
        proc_free_(last);
    else if (!last->sp) /* memory: it left its stack (sched_restart_) */
        hibernate_release_(last);
}

/* Runs processes until none is runnable (then the idle waiter, if any, has
** its turn first), or, with 'for_turn', until the idle hook's turn comes. */
static void run_queue(bool for_turn)
{
    S.for_turn = for_turn;
    for (;;) {
        if (timer_pending())
            fire_timers();
        if (queue_empty()) {
            if (!S.idle_waiter)
                break;
            release_idle_waiter();
            continue;
        }
        if (S.clock_due) { /* a process came back for what the clock says */
            S.clock_due = false;
            uint64_t now = timer_now_ms();
            if (S.idle_waiter && now >= S.waiter_until_ms)
                release_idle_waiter();
            if (for_turn && now >= S.turn_ms)
                break;
        }
        run_one(S.runq.rq_next);
    }
    S.for_turn = false;
}

uint64_t sched_context_switches(void)
{
    return S.context_switches;
}

size_t sched_run_queue_len(void)
{
    size_t n = 0;
    for (Proc *p = S.runq.rq_next; p != &S.runq; p = p->rq_next)
        n++;
    return n;
}

void sched_run_until_idle(void)
{
    run_queue(false);
}

void sched_set_wake_hook(void (*hook)(void))
{
    if (S.wake_fd < 0)
        S.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    S.wake_hook = hook;
}

void sched_wake(void)
{
    atomic_store(&S.woken, 1);
    uint64_t one = 1;
    if (S.wake_fd >= 0 && write(S.wake_fd, &one, sizeof one) < 0) {
        /* the counter is full: a wake-up is pending anyway */
    }
}

/* ---- distnet: the idle poll's extra descriptors (sched_set_poll_hook) */
static struct {
    int (*fill)(struct pollfd *fds, int max);
    bool (*serve)(const struct pollfd *fds, int n);
} PollHook;

void sched_set_poll_hook(int (*fill)(struct pollfd *fds, int max), bool (*serve)(const struct pollfd *fds, int n))
{
    PollHook.fill = fill;
    PollHook.serve = serve;
}

int sched_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    if (S.wake_fd < 0 || n > 7)
        return poll(fds, n, timeout_ms);
    struct pollfd all[8 + SCHED_POLL_EXTRA];
    for (nfds_t i = 0; i < n; i++)
        all[i] = fds[i];
    all[n] = (struct pollfd){.fd = S.wake_fd, .events = POLLIN};
    int extra = PollHook.fill ? PollHook.fill(all + n + 1, SCHED_POLL_EXTRA) : 0;
    int r = poll(all, n + 1 + (nfds_t)extra, timeout_ms);
    for (nfds_t i = 0; i < n; i++)
        fds[i].revents = all[i].revents;
    if (PollHook.serve && PollHook.serve(all + n + 1, r > 0 ? extra : 0)) {
        atomic_store(&S.woken, 1);
        return 0; /* the wake hook's turn (sched_run) */
    }
    if (r > 0 && extra) { /* the caller counts its own descriptors only */
        r = 0;
        for (nfds_t i = 0; i <= n; i++)
            r += all[i].revents != 0;
    }
    if (r > 0 && all[n].revents) {
        uint64_t count;
        if (read(S.wake_fd, &count, sizeof count) < 0) {
            /* already drained */
        }
        return 0; /* the wake hook's turn (sched_run) */
    }
    return r;
}

/* The wake hook, if a wake-up came since it last ran. */
static void run_wake_hook(void)
{
    if (S.wake_hook && atomic_exchange(&S.woken, 0))
        S.wake_hook();
}

void sched_run(bool (*idle)(void))
{
    for (;;) {
        run_wake_hook();
        run_queue(true);
        stack_idle(timer_now_ms()); /* pages of exited processes' stacks */
        /* purgeidle: nothing runnable, so summaries for the next purge are
        ** made now, a millisecond at a time (purgescan.h) */
        if (queue_empty())
            purgescan_idle_step();
        if (!idle())
            return;
        S.turn_ms = timer_now_ms() + SCHED_TURN_MS;
    }
}
