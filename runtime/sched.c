/*
** sched.c
** Run queue, yield, waiting, the turns the idle side gets while processes
** stay runnable, and the loop that switches between processes.
*/
#include "sched.h"
#include "asan.h"
#include "ctx.h"

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
** The clock is read only every 'check_every' switches: often enough that
** timers fire on time and the idle side gets its turns, rarely enough that
** switching stays cheap. */
static struct {
    Proc runq;
    void *sp;                 /* the scheduler's stack pointer while a process runs */
    const void *stack_base;   /* its stack, for AddressSanitizer, */
    size_t stack_size;        /* learned on the first switch */
    Proc *idle_waiter;
    bool waiter_released;     /* the scheduler, not a message, woke idle_waiter */
    uint64_t waiter_until_ms; /* when idle_waiter is released even if others run */
    uint64_t turn_ms;         /* when the idle hook's turn comes even if others run */
    unsigned switches;        /* since the clock was last read */
    unsigned check_every;
    uint64_t checked_ms;      /* the clock when last read */
    uint64_t context_switches;/* switches to a process since start-up */
    void (*wake_hook)(void);  /* run after sched_wake, or NULL */
    int wake_fd;              /* eventfd other threads write to, or -1 */
    atomic_int woken;         /* sched_wake came since the hook last ran */
} S = {.runq = {.rq_next = &S.runq, .rq_prev = &S.runq}, .check_every = 1, .wake_fd = -1};

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

void sched_entered_(void)
{
    ASAN_FINISH_SWITCH(NULL, &S.stack_base, &S.stack_size);
}

static void switch_out(Proc *p)
{
    void *fake = NULL;
    p->exc_top = exc_top_;
    ASAN_START_SWITCH(&fake, S.stack_base, S.stack_size);
    ctx_switch(&p->sp, S.sp);
    ASAN_FINISH_SWITCH(fake, &S.stack_base, &S.stack_size);
    /* resumed by the scheduler: sched_current == p again */
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
    if (!queue_empty())
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
    ASAN_START_SWITCH(NULL, S.stack_base, S.stack_size); /* this stack is done */
    ctx_switch(&p->sp, S.sp);
    abort(); /* an exiting process is never resumed */
}

/* Switches to p and back; frees p if it ended meanwhile. */
static void run_one(Proc *p)
{
    sched_dequeue(p);
    if (!p->sp)
        p->sp = ctx_prepare(p->stack.base, p->stack.size, proc_start_);
    p->state = PS_RUNNING;
    p->reductions++;
    S.context_switches++;
    sched_current = p;
    heap_current_ = &p->heap;
    void *fake = NULL;
    ASAN_START_SWITCH(&fake, p->stack.base, p->stack.size);
    ctx_switch(&S.sp, p->sp);
    ASAN_FINISH_SWITCH(fake, NULL, NULL);
    sched_current = NULL;
    heap_current_ = NULL;
    exc_top_ = NULL;
    if (p->state == PS_EXITING)
        proc_free_(p);
}

/* After a switch: every check_every switches, reads the clock, fires the
** timers that are due and releases an idle waiter whose time is up.
** Returns whether the idle hook's turn has come. */
static bool check_clock(void)
{
    if (++S.switches < S.check_every)
        return false;
    uint64_t now = timer_now_ms();
    /* processes that run long between switches get the clock read after
    ** each switch; quick ones only every SCHED_CHECK_MAX */
    if (now - S.checked_ms > 1)
        S.check_every = 1;
    else if (S.check_every < SCHED_CHECK_MAX)
        S.check_every *= 2;
    S.switches = 0;
    S.checked_ms = now;
    if (timer_pending())
        fire_timers();
    if (S.idle_waiter && now >= S.waiter_until_ms)
        release_idle_waiter();
    return now >= S.turn_ms;
}

/* Runs processes until none is runnable (then the idle waiter, if any, has
** its turn first), or, with 'for_turn', until the idle hook's turn comes. */
static void run_queue(bool for_turn)
{
    for (;;) {
        if (timer_pending())
            fire_timers();
        while (!queue_empty()) {
            run_one(S.runq.rq_next);
            if (check_clock() && for_turn && !queue_empty())
                return;
        }
        if (!S.idle_waiter)
            return;
        release_idle_waiter();
    }
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

int sched_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    if (S.wake_fd < 0 || n > 7)
        return poll(fds, n, timeout_ms);
    struct pollfd all[8];
    for (nfds_t i = 0; i < n; i++)
        all[i] = fds[i];
    all[n] = (struct pollfd){.fd = S.wake_fd, .events = POLLIN};
    int r = poll(all, n + 1, timeout_ms);
    for (nfds_t i = 0; i < n; i++)
        fds[i].revents = all[i].revents;
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
        if (!idle())
            return;
        S.turn_ms = timer_now_ms() + SCHED_TURN_MS;
    }
}
