/*
** monitor.c
** Monitors ('DOWN' messages) and links (exit signals both ways).
*/
#include "monitor.h"
#include "dist/dist.h"
#include "node.h"
#include "sched.h"

#include <stdlib.h>
#include <string.h>

/* =========================================================== monitors */

static void unlink_monitor(Monitor *m)
{
    if (m->w_prev)
        m->w_prev->w_next = m->w_next;
    else
        m->watcher->monitors = m->w_next;
    if (m->w_next)
        m->w_next->w_prev = m->w_prev;
    if (m->t_prev)
        m->t_prev->t_next = m->t_next;
    else
        m->target->watchers = m->t_next;
    if (m->t_next)
        m->t_next->t_prev = m->t_prev;
}

static Term ref_term(Heap *h, const uint32_t parts[3])
{
    Term *p = heap_alloc(h, 4);
    p[0] = box_header(3, ERL_BOX_REF);
    for (int i = 0; i < 3; i++)
        p[i + 1] = parts[i];
    return (Term)(uintptr_t)p;
}

static Term monitored_object(Heap *h, Term pid, Term name)
{
    if (name == ERL_NONE)
        return pid;
    return term_tuple(h, 2, (Term[]){name, node_this()});
}

/* Delivers {'DOWN', Ref, process, Object, Reason} to 'to' (built directly
** on its heap: the message is its only copy; Object is on it already, the
** reason, often the dying process's, is copied). */
static void send_down(Proc *to, const uint32_t ref[3], Term object, Term reason)
{
    Heap *h = &to->heap;
    Term why = term_copy(h, reason);
    Term msg = term_tuple(h, 5, (Term[]){AM_DOWN, ref_term(h, ref), AM_process, object, why});
    mbox_put_built(&to->mbox, h, msg);
    sched_make_runnable(to);
}

Term proc_monitor(Term target)
{
    Proc *self = sched_current;
    Heap *h = heap_current();
    Term ref = term_make_ref(h);
    Term name = erl_is_atom(target) ? target : ERL_NONE;
    Proc *t = name != ERL_NONE ? proc_whereis(name) : proc_find(target);
    if (!self)
        return ref;
    if (!t) {
        uint32_t parts[3];
        term_ref_parts(ref, parts);
        /* a pid of another node: cerl is connected to none */
        Term why = erl_is_pid(target) && !pid_is_local(target) ? erl_atom("noconnection") : AM_noproc;
        send_down(self, parts, monitored_object(&self->heap, target, name), why);
        return ref;
    }
    Monitor *m = calloc(1, sizeof *m);
    if (!m)
        abort();
    term_ref_parts(ref, m->ref);
    m->watcher = self;
    m->target = t;
    m->name = name;
    m->w_next = self->monitors;
    if (m->w_next)
        m->w_next->w_prev = m;
    self->monitors = m;
    m->t_next = t->watchers;
    if (m->t_next)
        m->t_next->t_prev = m;
    t->watchers = m;
    return ref;
}

static bool ref_is(Term ref, const uint32_t parts[3])
{
    uint32_t x[3];
    term_ref_parts(ref, x);
    return memcmp(x, parts, sizeof x) == 0;
}

bool proc_demonitor(Term ref, bool flush)
{
    Proc *self = sched_current;
    if (!self || !erl_is_ref(ref))
        return false;
    bool found = false;
    for (Monitor *m = self->monitors; m; m = m->w_next)
        if (ref_is(ref, m->ref)) {
            unlink_monitor(m);
            free(m);
            found = true;
            break;
        }
    if (!found) /* distribution: a monitor of another node's process */
        found = dist_demonitor(ref);
    if (flush) {
        for (Msg **link = &self->mbox.head; *link; link = &(*link)->next) {
            Term t = (*link)->term;
            if (erl_is_tuple(t) && erl_tuple_size(t) == 5 && erl_element(t, 1) == AM_DOWN &&
                erl_is_ref(erl_element(t, 2)) && erl_eq(erl_element(t, 2), ref)) {
                mbox_take(&self->mbox, link);
                break;
            }
        }
    }
    return found;
}

void monitor_proc_exited(Proc *p, Term reason)
{
    while (p->monitors) {
        Monitor *m = p->monitors;
        unlink_monitor(m);
        free(m);
    }
    while (p->watchers) {
        Monitor *m = p->watchers;
        unlink_monitor(m);
        send_down(m->watcher, m->ref, monitored_object(&m->watcher->heap, p->pid, m->name), reason);
        free(m);
    }
}

size_t monitor_count(Proc *p)
{
    size_t n = 0;
    for (Monitor *m = p->monitors; m; m = m->w_next)
        n++;
    return n;
}

/* ============================================================== links */

static bool has_link(Proc *a, Term pid)
{
    for (uint32_t i = 0; i < a->nlinks; i++)
        if (a->links[i] == pid)
            return true;
    return false;
}

static void add_link(Proc *a, Term pid)
{
    if (has_link(a, pid))
        return;
    if (a->nlinks == a->caplinks) {
        a->caplinks = a->caplinks ? a->caplinks * 2 : 4;
        a->links = realloc(a->links, a->caplinks * sizeof *a->links);
        if (!a->links)
            abort();
    }
    a->links[a->nlinks++] = pid;
}

static void drop_link(Proc *a, Term pid)
{
    for (uint32_t i = 0; i < a->nlinks; i++)
        if (a->links[i] == pid) {
            a->links[i] = a->links[--a->nlinks];
            return;
        }
}

void proc_link(Proc *a, Proc *b)
{
    if (a == b)
        return;
    add_link(a, b->pid);
    add_link(b, a->pid);
}

void proc_unlink(Proc *a, Term pid_b)
{
    drop_link(a, pid_b);
    Proc *b = proc_find(pid_b);
    if (b)
        drop_link(b, a->pid);
}

void link_proc_exited(Proc *p, Term reason)
{
    /* Take the list first: signalling may end other processes, whose own
    ** exits come back here to unlink themselves from p. */
    Term *links = p->links;
    uint32_t n = p->nlinks;
    p->links = NULL;
    p->nlinks = p->caplinks = 0;
    for (uint32_t i = 0; i < n; i++) {
        Proc *q = proc_find(links[i]);
        if (!q)
            continue;
        drop_link(q, p->pid);
        /* a linked process's 'kill' exit arrives as an ordinary reason */
        proc_signal_exit(q, p->pid, reason == AM_kill ? AM_killed : reason);
    }
    free(links);
}
