/*
** links.c
** Links and monitors between a process of this node and one of another:
** LINK, UNLINK and EXIT signals both ways, MONITOR_P, DEMONITOR_P and
** MONITOR_P_EXIT both ways, and 'EXIT' / 'DOWN' noconnection for what
** crossed a connection when it goes.
**
** Local links and monitors live in the processes (monitor.c); these live
** here, in tables the scheduler alone touches. A pid or reference of
** another node is kept by its parts (no heap holds it), a local pid as its
** immediate term.
*/
#include "dist.h"
#include "conn.h"
#include "signals.h"
#include "../bif.h"
#include "../mailbox.h"
#include "../node.h"
#include "../proc.h"
#include "../sched.h"

#include <stdlib.h>
#include <string.h>

/* A pid of any node, by its parts. */
typedef struct PidId {
    Term node;
    uint32_t num, serial, creation;
} PidId;

/* A reference of any node, by its parts. */
typedef struct RefId {
    Term node;
    uint32_t creation;
    int n;
    uint32_t w[NODE_REF_WORDS_MAX];
} RefId;

/* A link between the local process 'local' and 'remote'. */
typedef struct DLink {
    Term local;
    PidId remote;
} DLink;

/* A monitor across nodes: 'watcher' watches 'target' (a pid, or the
** process registered as 'name' on target's node when name is not
** ERL_NONE; then only target.node is meaningful). One of the two is local. */
typedef struct DMon {
    RefId ref;
    PidId watcher, target;
    Term name;
} DMon;

/* Invariants: 'links' holds each (local, remote) pair once; 'outs' are the
** monitors local processes hold on remote ones, 'ins' those remote
** processes hold on local ones; each entry's local process is alive (its
** exit removes its entries) and its remote node connected (the
** connection's end removes them). */
static struct {
    DLink *links;
    int n_links, cap_links;
    DMon *outs;
    int n_outs, cap_outs;
    DMon *ins;
    int n_ins, cap_ins;
} L;

static void *grow(void *arr, int *cap, int n, size_t size)
{
    if (n < *cap)
        return arr;
    *cap = *cap ? 2 * *cap : 8;
    void *a = realloc(arr, (size_t)*cap * size);
    if (!a)
        abort();
    return a;
}

static PidId pid_id(Term pid)
{
    PidId id;
    node_pid_parts(pid, &id.node, &id.num, &id.serial, &id.creation);
    return id;
}

static Term pid_term(Heap *h, const PidId *id)
{
    return node_pid(h, id->node, id->num, id->serial, id->creation);
}

static bool pid_eq(const PidId *a, const PidId *b)
{
    return a->node == b->node && a->num == b->num && a->serial == b->serial && a->creation == b->creation;
}

static RefId ref_id(Term ref)
{
    RefId id;
    memset(&id, 0, sizeof id);
    id.n = node_ref_parts(ref, &id.node, &id.creation, id.w);
    return id;
}

static Term ref_term(Heap *h, const RefId *id)
{
    return node_ref(h, id->node, id->creation, id->n, id->w);
}

static bool ref_eq(const RefId *a, const RefId *b)
{
    return a->node == b->node && a->creation == b->creation && a->n == b->n &&
           memcmp(a->w, b->w, (size_t)a->n * sizeof a->w[0]) == 0;
}

/* The process monitored, as the control messages and 'DOWN' name it. */
static Term target_term(Heap *h, const DMon *m)
{
    return m->name != ERL_NONE ? m->name : pid_term(h, &m->target);
}

static Term down_object(Heap *h, const DMon *m)
{
    if (m->name == ERL_NONE)
        return pid_term(h, &m->target);
    return term_tuple(h, 2, (Term[]){m->name, m->target.node});
}

/* {'DOWN', Ref, process, Object, Reason} into the mailbox of pid, if alive. */
static void send_down(Term pid, Term ref, Term object, Term reason)
{
    Proc *p = proc_find(pid);
    if (!p)
        return;
    Heap tmp;
    heap_init(&tmp);
    Term msg = term_tuple(&tmp, 5, (Term[]){AM_DOWN, ref, AM_process, object, reason});
    mbox_put(&p->mbox, &p->heap, msg);
    sched_make_runnable(p);
    heap_destroy(&tmp);
}

/* ================================================================ links */

static int find_link(Term local, const PidId *remote)
{
    for (int i = 0; i < L.n_links; i++)
        if (L.links[i].local == local && pid_eq(&L.links[i].remote, remote))
            return i;
    return -1;
}

void dist_links_add_link(Term local, Term remote)
{
    PidId r = pid_id(remote);
    if (find_link(local, &r) >= 0)
        return;
    L.links = grow(L.links, &L.cap_links, L.n_links, sizeof *L.links);
    L.links[L.n_links++] = (DLink){local, r};
}

static bool drop_link(Term local, Term remote)
{
    PidId r = pid_id(remote);
    int i = find_link(local, &r);
    if (i < 0)
        return false;
    L.links[i] = L.links[--L.n_links];
    return true;
}

/* The exit signal 'reason' from 'from' to the local process self, now. */
static void exit_self(Proc *self, Term from, Term reason)
{
    proc_signal_exit(self, from, reason);
    proc_check_signals();
}

void dist_link(Term pid)
{
    Proc *self = proc_current();
    Term node = node_of(pid);
    if (!self)
        return;
    if (node == node_this()) { /* a pid of an earlier incarnation of this node */
        exit_self(self, pid, AM_noproc);
        return;
    }
    if (!dist_ctrl_reach(node)) { /* as erl: the link is made, and broken at once */
        exit_self(self, pid, erl_atom("noconnection"));
        return;
    }
    PidId r = pid_id(pid);
    if (find_link(self->pid, &r) >= 0)
        return;
    dist_links_add_link(self->pid, pid);
    dist_ctrl_signal(node, erl_tuple(erl_mk_int(DOP_LINK), self->pid, pid), ERL_NONE);
}

void dist_unlink(Term pid)
{
    Proc *self = proc_current();
    if (self && drop_link(self->pid, pid))
        dist_ctrl_signal(node_of(pid), erl_tuple(erl_mk_int(DOP_UNLINK), self->pid, pid), ERL_NONE);
}

/* ============================================================= monitors */

static int find_mon(DMon *arr, int n, const RefId *ref)
{
    for (int i = 0; i < n; i++)
        if (ref_eq(&arr[i].ref, ref))
            return i;
    return -1;
}

Term dist_monitor(Term target)
{
    Proc *self = proc_current();
    Term ref = term_make_ref(heap_current());
    Term name = erl_is_tuple(target) ? erl_element(target, 1) : ERL_NONE;
    Term node = erl_is_tuple(target) ? erl_element(target, 2) : node_of(target);
    if (!self)
        return ref;
    if (node == node_this()) { /* a pid of an earlier incarnation of this node */
        send_down(self->pid, ref, target, AM_noproc);
        return ref;
    }
    if (!dist_ctrl_reach(node)) {
        send_down(self->pid, ref, target, erl_atom("noconnection"));
        return ref;
    }
    L.outs = grow(L.outs, &L.cap_outs, L.n_outs, sizeof *L.outs);
    DMon *m = &L.outs[L.n_outs++];
    memset(m, 0, sizeof *m);
    m->ref = ref_id(ref);
    m->watcher = pid_id(self->pid);
    m->name = name;
    if (name == ERL_NONE)
        m->target = pid_id(target);
    else
        m->target.node = node;
    Term to = name != ERL_NONE ? name : target;
    dist_ctrl_signal(node, erl_tuple(erl_mk_int(DOP_MONITOR_P), self->pid, to, ref), ERL_NONE);
    return ref;
}

bool dist_demonitor(Term ref)
{
    Proc *self = proc_current();
    if (!self || !erl_is_ref(ref))
        return false;
    RefId r = ref_id(ref);
    PidId me = pid_id(self->pid);
    int i = find_mon(L.outs, L.n_outs, &r);
    if (i < 0 || !pid_eq(&L.outs[i].watcher, &me))
        return false;
    DMon m = L.outs[i];
    L.outs[i] = L.outs[--L.n_outs];
    dist_ctrl_signal(m.target.node, erl_tuple(erl_mk_int(DOP_DEMONITOR_P), self->pid, target_term(heap_current(), &m), ref),
                     ERL_NONE);
    return true;
}

void dist_links_add_watcher(Term remote_watcher, Term local_target, Term ref)
{
    L.ins = grow(L.ins, &L.cap_ins, L.n_ins, sizeof *L.ins);
    DMon *m = &L.ins[L.n_ins++];
    memset(m, 0, sizeof *m);
    m->ref = ref_id(ref);
    m->watcher = pid_id(remote_watcher);
    m->target = pid_id(local_target);
    m->name = ERL_NONE;
}

/* ======================================================= local exits */

void dist_proc_exited(Term pid, Term reason)
{
    if (!dist_alive())
        return;
    Heap tmp;
    heap_init(&tmp);
    Term link_reason = reason == AM_kill ? AM_killed : reason;
    for (int i = 0; i < L.n_links;) {
        DLink *k = &L.links[i];
        if (k->local != pid) {
            i++;
            continue;
        }
        Term remote = pid_term(&tmp, &k->remote);
        dist_ctrl_signal(k->remote.node, term_tuple(&tmp, 4, (Term[]){erl_mk_int(DOP_EXIT), pid, remote, link_reason}),
                         ERL_NONE);
        L.links[i] = L.links[--L.n_links];
    }
    PidId me = pid_id(pid);
    for (int i = 0; i < L.n_ins;) {
        DMon *m = &L.ins[i];
        if (!pid_eq(&m->target, &me)) {
            i++;
            continue;
        }
        Term ctl = term_tuple(&tmp, 5, (Term[]){erl_mk_int(DOP_MONITOR_P_EXIT), m->name != ERL_NONE ? m->name : pid,
                                                 pid_term(&tmp, &m->watcher), ref_term(&tmp, &m->ref), reason});
        dist_ctrl_signal(m->watcher.node, ctl, ERL_NONE);
        L.ins[i] = L.ins[--L.n_ins];
    }
    for (int i = 0; i < L.n_outs;) {
        DMon *m = &L.outs[i];
        if (!pid_eq(&m->watcher, &me)) {
            i++;
            continue;
        }
        Term ctl = term_tuple(&tmp, 4, (Term[]){erl_mk_int(DOP_DEMONITOR_P), pid, target_term(&tmp, m), ref_term(&tmp, &m->ref)});
        dist_ctrl_signal(m->target.node, ctl, ERL_NONE);
        L.outs[i] = L.outs[--L.n_outs];
    }
    heap_destroy(&tmp);
}

/* ===================================================== from the peer */

/* The local process a control message names (a pid or a registered
** name), or NULL. */
static Proc *local_proc(Term pid_or_name)
{
    if (erl_is_atom(pid_or_name))
        return proc_whereis(pid_or_name);
    if (erl_is_pid(pid_or_name) && pid_is_local(pid_or_name))
        return proc_find(pid_or_name);
    return NULL;
}

static void on_monitor(Term node, Term from, Term to, Term ref)
{
    Proc *p = local_proc(to);
    if (!p && to == erl_atom("net_kernel"))
        return; /* the runtime is this node's net_kernel (ctrl.c answers is_auth): it never ends */
    if (!p) {
        Heap tmp;
        heap_init(&tmp);
        dist_ctrl_signal(node, term_tuple(&tmp, 5, (Term[]){erl_mk_int(DOP_MONITOR_P_EXIT), to, from, ref, AM_noproc}),
                         ERL_NONE);
        heap_destroy(&tmp);
        return;
    }
    dist_links_add_watcher(from, p->pid, ref);
    L.ins[L.n_ins - 1].name = erl_is_atom(to) ? to : ERL_NONE;
}

static void on_monitor_exit(Term node, Term to, Term ref, Term reason)
{
    RefId r = ref_id(ref);
    PidId watcher = pid_id(to);
    int i = find_mon(L.outs, L.n_outs, &r);
    if (i < 0 || !pid_eq(&L.outs[i].watcher, &watcher) || L.outs[i].target.node != node)
        return;
    DMon m = L.outs[i];
    L.outs[i] = L.outs[--L.n_outs];
    Heap tmp;
    heap_init(&tmp);
    send_down(to, ref, down_object(&tmp, &m), reason);
    heap_destroy(&tmp);
}

void dist_links_on_signal(Term node, int type, const Term *e, int n)
{
    switch (type) {
    case DOP_LINK: /* {LINK, From, To} */
        if (n < 2)
            return;
        if (local_proc(e[1])) {
            dist_links_add_link(e[1], e[0]);
        } else {
            Heap tmp;
            heap_init(&tmp);
            dist_ctrl_signal(node, term_tuple(&tmp, 4, (Term[]){erl_mk_int(DOP_EXIT), e[1], e[0], AM_noproc}), ERL_NONE);
            heap_destroy(&tmp);
        }
        break;
    case DOP_UNLINK: /* {UNLINK, From, To} */
        if (n >= 2)
            drop_link(e[1], e[0]);
        break;
    case DOP_EXIT: { /* {EXIT, From, To, Reason}: over a link */
        if (n < 3 || !drop_link(e[1], e[0]))
            return;
        Proc *p = local_proc(e[1]);
        if (p)
            proc_signal_exit(p, e[0], e[2]);
        break;
    }
    case DOP_EXIT2: { /* {EXIT2, From, To, Reason}: exit/2 */
        Proc *p = n >= 3 ? local_proc(e[1]) : NULL;
        if (p)
            proc_signal_exit(p, e[0], e[2]);
        break;
    }
    case DOP_MONITOR_P: /* {MONITOR_P, From, ToProc, Ref} */
        if (n >= 3 && erl_is_pid(e[0]) && !pid_is_local(e[0]) && erl_is_ref(e[2]))
            on_monitor(node, e[0], e[1], e[2]);
        break;
    case DOP_DEMONITOR_P: { /* {DEMONITOR_P, From, ToProc, Ref} */
        if (n < 3 || !erl_is_ref(e[2]))
            return;
        RefId r = ref_id(e[2]);
        int i = find_mon(L.ins, L.n_ins, &r);
        if (i >= 0)
            L.ins[i] = L.ins[--L.n_ins];
        break;
    }
    case DOP_MONITOR_P_EXIT: /* {MONITOR_P_EXIT, FromProc, ToPid, Ref, Reason} */
        if (n >= 4 && erl_is_pid(e[1]) && erl_is_ref(e[2]))
            on_monitor_exit(node, e[1], e[2], e[3]);
        break;
    default:
        break;
    }
}

/* ===================================================== connection end */

void dist_links_node_down(Term node)
{
    Heap tmp;
    heap_init(&tmp);
    Term why = erl_atom("noconnection");
    /* take the entries first: a signalled process that dies comes back
    ** through dist_proc_exited, which must not find them */
    for (int i = 0; i < L.n_links;) {
        DLink k = L.links[i];
        if (k.remote.node != node) {
            i++;
            continue;
        }
        L.links[i] = L.links[--L.n_links];
        Proc *p = proc_find(k.local);
        if (p)
            proc_signal_exit(p, pid_term(&tmp, &k.remote), why);
        i = 0; /* a process that died has reordered the table */
    }
    for (int i = 0; i < L.n_outs;) {
        DMon m = L.outs[i];
        if (m.target.node != node) {
            i++;
            continue;
        }
        L.outs[i] = L.outs[--L.n_outs];
        send_down(pid_term(&tmp, &m.watcher), ref_term(&tmp, &m.ref), down_object(&tmp, &m), why);
    }
    for (int i = 0; i < L.n_ins;) {
        if (L.ins[i].watcher.node == node)
            L.ins[i] = L.ins[--L.n_ins];
        else
            i++;
    }
    heap_destroy(&tmp);
}
