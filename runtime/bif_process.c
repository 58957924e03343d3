/*
** bif_process.c
** Receiving with patterns and timeouts, timers (send_after, cancel_timer,
** sleep), and process_info.
*/
#include "bif.h"
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
    Proc *self = proc_current();
    if (!self)
        erl_error(AM_badarg);
    /* A safe point: a process that only receives never allocates itself,
    ** yet its heap fills with the messages others send it. */
    if (!self->gc_off && self->heap.words >= self->heap.gc_threshold)
        gc_collect(self, NULL, 0);
    Msg **link = &self->mbox.head;
    uint64_t deadline = timeout_ms > 0 ? sched_now_ms() + (uint64_t)timeout_ms : 0;
    for (;;) {
        if (self->pending_exit != ERL_NONE) /* the common case needs no call */
            proc_check_signals();
        while (*link) {
            Msg *cur = *link;
            bool ok = !match || match(cur->term, ctx);
            if (*link != cur) {
                /* the match received from this very mailbox (a receive
                ** nested in it): find the place again; when cur itself is
                ** gone, go on with what came after it */
                link = mbox_is_taken(cur) ? mbox_after(&self->mbox, cur) : mbox_link_to(&self->mbox, cur);
                if (*link != cur)
                    continue;
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
        exc_badarg("erlang:send_after", 3, (Term[]){erl_mk_int(ms), dest, msg}, NULL);
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
        exc_badarg("erlang:cancel_timer", 1, &ref, NULL);
    SendTimer *t = timer_find_ref(ref);
    if (!t)
        return AM_false;
    uint64_t now = sched_now_ms();
    long left = t->timer.deadline > now ? (long)(t->timer.deadline - now) : 0;
    timer_cancel(&t->timer);
    heap_destroy(&t->heap);
    free(t);
    return erl_mk_int(left);
}

Term erl_sleep(long ms)
{
    uint64_t deadline = sched_now_ms() + (uint64_t)(ms < 0 ? 0 : ms);
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
        exc_badarg("erlang:send_after", 3, (Term[]){ms, dest, msg}, NULL);
    return erl_send_after((long)erl_int_value(ms), dest, msg);
}

static Term bif_yield(void)
{
    erl_yield();
    return AM_true;
}

/* ======================================================= process_info */


/* {Mod, Fun, Arity} of a module function, Arity from its export (C keeps no
** arity for static functions: they report 0). */
static Term mfa_of(Heap *h, uintptr_t addr, int arity_hint)
{
    Term info = code_address_info(h, addr);
    if (info == ERL_NONE)
        return ERL_NONE;
    Term mod = erl_element(info, 1), fun = erl_element(info, 2);
    int arity = arity_hint;
    Module *m = code_module(mod);
    ModVersion *v = m ? (erl_element(info, 3) == AM_current ? m->cur : m->old) : NULL;
    for (int i = 0; v && i < v->nexports; i++)
        if (v->exports[i].fun == fun && (uintptr_t)v->exports[i].fn <= addr)
            arity = v->exports[i].arity;
    return term_tuple(h, 3, (Term[]){mod, fun, erl_mk_int(arity)});
}

static Term initial_call(Heap *h, Proc *p)
{
    if (p->entry_fn == (void *)spawn3_entry_) {
        long n = term_list_length(p->argv[2]);
        return term_tuple(h, 3, (Term[]){p->argv[0], p->argv[1], erl_mk_int(n < 0 ? 0 : n)});
    }
    Term mfa = mfa_of(h, (uintptr_t)p->entry_fn, p->argc);
    return mfa != ERL_NONE ? mfa : term_tuple(h, 3, (Term[]){AM_erlang, erl_atom("apply"), erl_mk_int(2)});
}

static bool in_module_code(uintptr_t pc, void *found)
{
    if (!code_runs_module(pc))
        return false;
    *(uintptr_t *)found = pc;
    return true;
}

/* The innermost module function on p's stack (frames.h walks through libc
** calling module code back too), as {Mod, Fun, Arity}. */
static Term current_function(Heap *h, Proc *p)
{
    uintptr_t pc = 0;
    if (frames_walk(p, in_module_code, &pc)) {
        Term mfa = mfa_of(h, pc, 0);
        if (mfa != ERL_NONE)
            return mfa;
    }
    if (!p->sp)
        return initial_call(h, p);
    return term_tuple(h, 3, (Term[]){AM_erlang, erl_atom("receive"), erl_mk_int(0)});
}

static Term status_of(Proc *p)
{
    switch (p->state) {
    case PS_RUNNING: return AM_running;
    case PS_RUNNABLE: return AM_runnable;
    case PS_WAITING: return AM_waiting;
    default: return AM_exiting;
    }
}

static size_t stack_words(Proc *p)
{
    if (!p->sp)
        return 0;
    uintptr_t top = (uintptr_t)p->stack.base + p->stack.size;
    uintptr_t sp = p == proc_current() ? (uintptr_t)__builtin_frame_address(0) : (uintptr_t)p->sp;
    return (top - sp) / sizeof(Term);
}

/* The value of one process_info key, or ERL_NONE for an unknown key. */
static Term info_item(Heap *h, Proc *p, Term key)
{
    const char *k = erl_atom_name(key);
    if (!strcmp(k, "registered_name"))
        return p->name != ERL_NONE ? p->name : ERL_NIL;
    if (!strcmp(k, "current_function"))
        return current_function(h, p);
    if (!strcmp(k, "initial_call"))
        return initial_call(h, p);
    if (!strcmp(k, "status"))
        return status_of(p);
    if (!strcmp(k, "message_queue_len"))
        return erl_mk_int((int64_t)p->mbox.len);
    if (!strcmp(k, "messages")) {
        Term list = ERL_NIL, *link = &list;
        for (Msg *m = p->mbox.head; m; m = m->next) {
            *link = term_cons(h, term_copy(h, m->term), ERL_NIL);
            link = &cons_ptr(*link)[1];
        }
        return list;
    }
    if (!strcmp(k, "links")) {
        Term list = ERL_NIL;
        for (uint32_t i = p->nlinks; i > 0; i--)
            list = term_cons(h, p->links[i - 1], list);
        return list;
    }
    if (!strcmp(k, "monitors")) {
        Term list = ERL_NIL;
        for (Monitor *m = p->monitors; m; m = m->w_next)
            list = term_cons(h, term_tuple(h, 2, (Term[]){AM_process, m->name != ERL_NONE ? m->name : m->target->pid}),
                             list);
        return list;
    }
    if (!strcmp(k, "trap_exit"))
        return p->trap_exit ? AM_true : AM_false;
    if (!strcmp(k, "total_heap_size"))
        return erl_mk_int((int64_t)p->heap.words);
    if (!strcmp(k, "heap_size"))
        return erl_mk_int((int64_t)p->heap.used);
    if (!strcmp(k, "stack_size"))
        return erl_mk_int((int64_t)stack_words(p));
    if (!strcmp(k, "reductions"))
        return erl_mk_int((int64_t)p->reductions);
    return ERL_NONE;
}

static Term bif_process_info2(Term pid, Term key)
{
    if (!erl_is_pid(pid) || !erl_is_atom(key))
        exc_badarg("process_info", 2, (Term[]){pid, key}, NULL);
    Proc *p = proc_find(pid);
    if (!p)
        return AM_undefined;
    Heap *h = heap_current();
    Term v = info_item(h, p, key);
    if (v == ERL_NONE)
        exc_badarg("process_info", 2, (Term[]){pid, key}, NULL);
    if (key == erl_atom("registered_name") && v == ERL_NIL)
        return ERL_NIL;
    return term_tuple(h, 2, (Term[]){key, v});
}

static Term bif_process_info1(Term pid)
{
    static const char *const keys[] = {"registered_name", "current_function", "initial_call", "status",
                                       "message_queue_len", "links", "trap_exit", "total_heap_size",
                                       "heap_size", "stack_size", "reductions"};
    if (!erl_is_pid(pid))
        exc_badarg("process_info", 1, &pid, NULL);
    Proc *p = proc_find(pid);
    if (!p)
        return AM_undefined;
    Heap *h = heap_current();
    Term items[16];
    int n = 0;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        Term key = erl_atom(keys[i]);
        Term v = info_item(h, p, key);
        if (i == 0 && v == ERL_NIL)
            continue; /* registered_name only when registered */
        items[n++] = term_tuple(h, 2, (Term[]){key, v});
    }
    return erl_list_n(n, items);
}

/* ====================================================== registration */

void bif_process_init(void)
{
    export_builtin("erlang", "send_after", 3, (void *)bif_send_after);
    export_builtin("erlang", "cancel_timer", 1, (void *)erl_cancel_timer);
    export_builtin("erlang", "yield", 0, (void *)bif_yield);
    export_builtin("erlang", "process_info", 1, (void *)bif_process_info1)->autoimport = true;
    export_builtin("erlang", "process_info", 2, (void *)bif_process_info2)->autoimport = true;
}
