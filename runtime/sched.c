/*
** sched.c
** Run queue, yield, waiting, and the loop that switches between processes.
*/
#include "sched.h"
#include "asan.h"
#include "ctx.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Proc *sched_current;

/* The run queue: a circular list through rq_next/rq_prev with a sentinel. */
static Proc runq = {.rq_next = &runq, .rq_prev = &runq};
/* The scheduler's own saved stack pointer while a process runs, and (for
** AddressSanitizer) the bounds of its stack, learned on the first switch. */
static void *sched_sp;
static const void *sched_stack_base;
static size_t sched_stack_size;
/* A process waiting in sched_wait_idle, woken when the run queue empties. */
static Proc *idle_waiter;

extern void proc_start_(void);
extern void proc_free_(Proc *p);

void sched_make_runnable(Proc *p)
{
    if (p->state != PS_WAITING)
        return;
    p->state = PS_RUNNABLE;
    p->rq_prev = runq.rq_prev;
    p->rq_next = &runq;
    runq.rq_prev->rq_next = p;
    runq.rq_prev = p;
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
    ASAN_FINISH_SWITCH(NULL, &sched_stack_base, &sched_stack_size);
}

static void switch_out(Proc *p)
{
    void *fake = NULL;
    p->exc_top = exc_top_;
    ASAN_START_SWITCH(&fake, sched_stack_base, sched_stack_size);
    ctx_switch(&p->sp, sched_sp);
    ASAN_FINISH_SWITCH(fake, &sched_stack_base, &sched_stack_size);
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

void sched_wait_idle(void)
{
    Proc *p = sched_current;
    do {
        idle_waiter = p;
        sched_wait(); /* a message may wake it early: then wait again */
        idle_waiter = NULL;
    } while (runq.rq_next != &runq);
}

void sched_wait(void)
{
    Proc *p = sched_current;
    p->state = PS_WAITING;
    switch_out(p);
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
    return timer_next();
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
    if (idle_waiter == p)
        idle_waiter = NULL;
    timer_cancel(&p->timer);
    sched_dequeue(p);
}

void sched_leave(void)
{
    Proc *p = sched_current;
    ASAN_START_SWITCH(NULL, sched_stack_base, sched_stack_size); /* this stack is done */
    ctx_switch(&p->sp, sched_sp);
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
    sched_current = p;
    heap_current_ = &p->heap;
    void *fake = NULL;
    ASAN_START_SWITCH(&fake, p->stack.base, p->stack.size);
    ctx_switch(&sched_sp, p->sp);
    ASAN_FINISH_SWITCH(fake, NULL, NULL);
    sched_current = NULL;
    heap_current_ = NULL;
    exc_top_ = NULL;
    if (p->state == PS_EXITING)
        proc_free_(p);
}

void sched_run_until_idle(void)
{
    for (;;) {
        fire_timers();
        while (runq.rq_next != &runq) {
            run_one(runq.rq_next);
            if (timer_pending() && timer_next() == 0)
                fire_timers();
        }
        if (!idle_waiter)
            return;
        Proc *w = idle_waiter;
        idle_waiter = NULL;
        sched_make_runnable(w);
    }
}

void sched_run(bool (*idle)(void))
{
    for (;;) {
        sched_run_until_idle();
        if (!idle())
            return;
    }
}
