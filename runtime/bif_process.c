/*
** bif_process.c
** Receiving with patterns and timeouts, and timers (send_after,
** cancel_timer, sleep).
*/
#include "bif.h"
#include "bignum.h"
#include "buf.h"
#include "code.h"
#include "error.h"
#include "export.h"
#include "frames.h"
#include "gc.h"
#include "monitor.h"
#include "proc.h"
#include "sched.h"

#include <stdlib.h>
#include <string.h>

/* ========================================================== receiving */

Term bif_receive(bool (*match)(Term msg, void *ctx), void *ctx, long timeout_ms)
{
    Proc *self = sched_current; /* proc_current(), without the call */
    if (!self)
        erl_error(AM_badarg);
    /* A safe point: a process that only receives never allocates itself,
    ** yet its heap fills with the messages others send it. Best collected
    ** when it is about to wait (recvpath): its queue is empty then, and a
    ** collection marks only what it holds itself; here only once its heap
    ** has grown well past the threshold (it never waits: a backlog). */
    if (!self->gc_off && self->heap.words >= 2 * self->heap.gc_threshold)
        gc_collect(self, NULL, 0);
    Msg **link = &self->mbox.head;
    uint64_t deadline = timeout_ms > 0 ? timer_deadline(timeout_ms) : 0;
    for (;;) {
        if (self->pending_exit != ERL_NONE) /* the common case needs no call */
            proc_check_signals();
        while (*link) {
            Msg *cur = *link;
            bool ok = true;
            if (match) {
                uint64_t seq = cur->seq, takes = self->mbox.takes;
                ok = match(cur->term, ctx);
                if (self->mbox.takes != takes) {
                    /* the match received from this very mailbox (a receive
                    ** nested in it): cur may be gone, and its node reused;
                    ** find the place again by number, and when cur itself
                    ** was taken, go on with what came after it */
                    link = mbox_link_from(&self->mbox, seq);
                    if (!*link || (*link)->seq != seq)
                        continue;
                    cur = *link;
                }
            }
            if (ok) {
                Term msg = mbox_take(&self->mbox, link);
                sched_reduce(); /* a receive that never waits still uses up turns */
                return msg;
            }
            link = &cur->next;
        }
        if (timeout_ms == 0) {
            /* a poll counts too: once the others have had their turn,
            ** look once more at what they sent */
            if (sched_reduce())
                continue;
            return ERL_NONE;
        }
        if (!self->gc_off && self->heap.words >= self->heap.gc_threshold)
            gc_collect(self, NULL, 0);
        if (timeout_ms < 0) {
            sched_wait();
            continue;
        }
        uint64_t now = sched_now_ms();
        if (now >= deadline)
            return ERL_NONE;
        sched_wait_timeout((long)(deadline - now));
        /* loop: look at what arrived; the deadline check ends it */
    }
}

struct CMatch {
    int (*fn)(Term, void *);
    void *ctx;
};

static bool c_match(Term msg, void *ctx)
{
    struct CMatch *m = ctx;
    return m->fn(msg, m->ctx) != 0;
}

Term erl_receive_match(int (*match)(Term msg, void *ctx), void *ctx, long timeout_ms)
{
    struct CMatch m = {match, ctx};
    return bif_receive(match ? c_match : NULL, &m, timeout_ms);
}

Term erl_receive_timeout(long timeout_ms)
{
    return bif_receive(NULL, NULL, timeout_ms);
}

/* ============================================================= timers */

Term erl_send_after(long ms, Term dest, Term msg)
{
    exc_check_term("erl_send_after", msg);
    if (ms < 0 || (!erl_is_pid(dest) && !erl_is_atom(dest)))
        exc_badarg("erlang:send_after", 3, (Term[]){erl_mk_int(ms), dest, msg},
                   ms < 0 ? "argument 1: out of range" : "argument 2: not a pid or an atom");
    SendTimer *t = xcalloc(1, sizeof *t);
    t->timer.index = SIZE_MAX;
    heap_init(&t->heap);
    t->dest = dest;
    t->msg = term_copy(&t->heap, msg);
    Term ref = term_make_ref(heap_current());
    term_ref_parts(ref, t->ref);
    timer_arm(&t->timer, ms);
    return ref;
}

Term erl_cancel_timer(Term ref)
{
    if (!erl_is_ref(ref))
        exc_badarg("erlang:cancel_timer", 1, &ref, "argument 1: not a reference");
    SendTimer *t = timer_find_ref(ref);
    if (!t)
        return AM_false;
    long left = timer_left(t->timer.deadline);
    timer_cancel(&t->timer);
    heap_destroy(&t->heap);
    free(t);
    return erl_mk_int(left);
}

Term erl_sleep(long ms)
{
    uint64_t deadline = timer_deadline(ms);
    proc_check_signals();
    for (uint64_t now; (now = sched_now_ms()) < deadline;) {
        sched_wait_timeout((long)(deadline - now)); /* a message may wake it early */
        proc_check_signals();
    }
    return AM_ok;
}

static Term bif_send_after(Term ms, Term dest, Term msg)
{
    if (!erl_is_int(ms) || erl_int_value(ms) < 0)
        exc_badarg("erlang:send_after", 3, (Term[]){ms, dest, msg},
                   erl_is_int(ms) || big_is(ms) ? "argument 1: out of range" : "argument 1: not an integer");
    return erl_send_after((long)erl_int_value(ms), dest, msg);
}

static Term bif_yield(void)
{
    erl_yield();
    return AM_true;
}

/* ====================================================== registration */

void bif_process_init(void)
{
    export_builtin("erlang", "send_after", 3, (void *)bif_send_after);
    export_builtin("erlang", "cancel_timer", 1, (void *)erl_cancel_timer);
    export_builtin("erlang", "yield", 0, (void *)bif_yield);
}
