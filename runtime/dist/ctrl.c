/*
** ctrl.c
** The scheduler's side of the distribution: what peers send becomes
** deliveries (and net_kernel's is_auth an answer), their other control
** messages go to links.c and spawn.c, what processes send becomes queued
** bytes, and the node's own BIFs: nodes/0, is_alive/0, net_adm:ping/1,
** erlang:disconnect_node/1 and monitor_node/2.
*/
#include "dist.h"
#include "conn.h"
#include "signals.h"
#include "../bif.h"
#include "../buf.h"
#include "../error.h"
#include "../etf.h"
#include "../export.h"
#include "../mailbox.h"
#include "../node.h"
#include "../proc.h"
#include "../sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A process inside net_adm:ping/1, waiting for the thread's connect. */
typedef struct Ping {
    struct Ping *next;
    Term node;
    Term pid;  /* the waiter (immediate) */
    bool done, ok;
} Ping;

/* A monitor_node(Node, true) not yet taken back or fired. */
typedef struct NodeMon {
    Term pid;  /* the monitoring process (immediate) */
    Term node;
} NodeMon;

/* The scheduler side's state (scheduler thread only). Invariants: 'nodes'
** holds each connected node's atom once; 'pings' lists every waiter that
** has not taken its answer (or whose process died). Atoms and local pids
** are immediates: the collector need not see these arrays. */
static struct {
    bool alive;
    Term io_server; /* io_server.c's process (a local pid), or ERL_NONE */
    Term *nodes;
    int n_nodes, cap_nodes;
    NodeMon *mons;
    int n_mons, cap_mons;
    Ping *pings;
} D;

bool dist_alive(void)
{
    return D.alive;
}

Term dist_ctrl_io_server(void)
{
    return D.io_server; /* ERL_NONE (0) until set */
}

void dist_ctrl_set_io_server(Term pid)
{
    D.io_server = pid;
}

static bool connected(Term node)
{
    for (int i = 0; i < D.n_nodes; i++)
        if (D.nodes[i] == node)
            return true;
    return false;
}

static void node_up(Term node)
{
    if (connected(node))
        return;
    if (D.n_nodes == D.cap_nodes) {
        D.cap_nodes = D.cap_nodes ? 2 * D.cap_nodes : 8;
        Term *n = xmalloc((size_t)D.cap_nodes * sizeof *n);
        if (D.n_nodes)
            memcpy(n, D.nodes, (size_t)D.n_nodes * sizeof *n);
        free(D.nodes);
        D.nodes = n;
    }
    D.nodes[D.n_nodes++] = node;
}

/* Puts msg (on any heap) into the mailbox of the local process p. */
static void put(Proc *p, Term msg)
{
    mbox_put(&p->mbox, &p->heap, msg);
    sched_make_runnable(p);
}

/* Sends {nodedown, Node} to every monitor of node, and forgets them. */
static void fire_monitors(Term node)
{
    Heap tmp;
    heap_init(&tmp);
    Term down = term_tuple(&tmp, 2, (Term[]){erl_atom("nodedown"), node});
    int keep = 0;
    for (int i = 0; i < D.n_mons; i++) {
        if (D.mons[i].node != node) {
            D.mons[keep++] = D.mons[i];
            continue;
        }
        Proc *p = proc_find(D.mons[i].pid);
        if (p)
            put(p, down);
    }
    D.n_mons = keep;
    heap_destroy(&tmp);
}

static void node_down(Term node)
{
    for (int i = 0; i < D.n_nodes; i++)
        if (D.nodes[i] == node) {
            D.nodes[i] = D.nodes[--D.n_nodes];
            fire_monitors(node);
            dist_links_node_down(node);
            return;
        }
}

/* ============================================================ sending */

static void ei_pid_of(Term pid, erlang_pid *out)
{
    Term node;
    uint32_t number, serial, creation;
    node_pid_parts(pid, &node, &number, &serial, &creation);
    snprintf(out->node, sizeof out->node, "%s", erl_atom_name(node));
    out->num = number;
    out->serial = serial;
    out->creation = creation;
}

/* Work for the thread carrying msg encoded (or nothing when msg is
** ERL_NONE); NULL when msg cannot travel. */
static DistOut *out_new(DistOutKind kind, Term node, Term msg)
{
    Heap tmp;
    heap_init(&tmp);
    const unsigned char *bytes = NULL;
    size_t len = 0;
    if (msg != ERL_NONE) {
        EtfOptions opt = {.minor_version = 1};
        Term bin = etf_encode(&tmp, msg, &opt);
        if (bin == ERL_NONE) {
            heap_destroy(&tmp);
            return NULL;
        }
        bytes = erl_binary_bytes(bin);
        len = erl_binary_size(bin); /* distnet: erl_box_size is not the bytes of an off-heap binary */
    }
    DistOut *o = xcalloc(1, sizeof *o + len);
    o->kind = kind;
    snprintf(o->node, sizeof o->node, "%s", erl_atom_name(node));
    o->len = len;
    if (len)
        memcpy(o->bytes, bytes, len);
    heap_destroy(&tmp);
    return o;
}

static __attribute__((noreturn)) void cannot_travel(Term to, Term msg)
{
    exc_raise(AM_error, AM_badarg, erl_tuple(erl_atom("operator"), erl_atom("!"), erl_list(to, msg)));
}

/* Queues msg for pid; false when msg cannot travel. */
static bool queue_to_pid(Term pid, Term msg)
{
    DistOut *o = out_new(DOUT_SEND_PID, node_of(pid), msg);
    if (!o)
        return false;
    ei_pid_of(pid, &o->to);
    dist_conn_put(o);
    return true;
}

void dist_send_pid(Term pid, Term msg)
{
    if (!D.alive)
        return; /* not distributed: no node is reachable */
    if (!queue_to_pid(pid, msg))
        cannot_travel(pid, msg);
}

void dist_send_name(Term name, Term node, Term msg)
{
    if (!D.alive)
        return;
    DistOut *o = out_new(DOUT_SEND_NAME, node, msg);
    if (!o)
        cannot_travel(erl_tuple(name, node), msg);
    snprintf(o->toname, sizeof o->toname, "%s", erl_atom_name(name));
    Proc *self = proc_current();
    ei_pid_of(self ? self->pid : pid_make(0), &o->from);
    dist_conn_put(o);
}

bool dist_ctrl_signal(Term node, Term ctl, Term msg)
{
    if (!D.alive)
        return true;
    Buf b = {0};
    EtfOptions opt = {.minor_version = 1};
    Term parts[2] = {ctl, msg};
    size_t ctrl_len = 0;
    for (int i = 0; i < 2 && parts[i] != ERL_NONE; i++) {
        Heap tmp;
        heap_init(&tmp);
        Term bin = etf_encode(&tmp, parts[i], &opt);
        if (bin != ERL_NONE)
            buf_put(&b, (const char *)erl_binary_bytes(bin), erl_binary_size(bin));
        heap_destroy(&tmp);
        if (bin == ERL_NONE) {
            buf_free(&b);
            return false;
        }
        if (i == 0)
            ctrl_len = b.len;
    }
    DistOut *o = xcalloc(1, sizeof *o + b.len);
    o->kind = DOUT_RAW;
    snprintf(o->node, sizeof o->node, "%s", erl_atom_name(node));
    o->len = b.len;
    o->ctrl_len = ctrl_len;
    memcpy(o->bytes, b.s, b.len);
    buf_free(&b);
    dist_conn_put(o);
    return true;
}

/* ========================================================== receiving */

/* A control message other than a send (conn.h's DistIn: the payload, then
** the control tuple): the tuple's elements after the type, then the
** payload if there is one, handed to links.c or spawn.c. */
static void on_signal(DistIn *e, Heap *h)
{
    size_t used;
    Term ctl = etf_decode(h, (const unsigned char *)e->bytes + e->len, e->ctrl_len, false, &used);
    Term pay = ERL_NONE;
    if (ctl != ERL_NONE && e->len)
        pay = etf_decode(h, (const unsigned char *)e->bytes, e->len, false, &used);
    if (ctl == ERL_NONE || !erl_is_tuple(ctl) || (e->len && pay == ERL_NONE)) {
        fprintf(stderr, "cerl: a control message from %s could not be decoded: dropped\n", e->node);
        return;
    }
    Term elems[8];
    int n = 0;
    for (int i = 2; i <= (int)erl_tuple_size(ctl) && n < 7; i++)
        elems[n++] = erl_element(ctl, i);
    if (pay != ERL_NONE)
        elems[n++] = pay;
    Term node = erl_atom(e->node);
    int type = (int)e->msg.msgtype;
    if (type == DOP_SPAWN_REQUEST || type == DOP_SPAWN_REPLY)
        dist_spawn_on_signal(node, type, elems, n);
    else
        dist_links_on_signal(node, type, elems, n);
}

/* net_kernel's {'$gen_call', {From, Tag}, {is_auth, Node}}: answered yes,
** as a node that shares the cookie (ei has checked it) answers. */
static bool answer_is_auth(Heap *h, Term msg)
{
    if (!erl_is_tuple(msg) || erl_tuple_size(msg) != 3 || erl_element(msg, 1) != erl_atom("$gen_call"))
        return false;
    Term from = erl_element(msg, 2), req = erl_element(msg, 3);
    if (!erl_is_tuple(from) || erl_tuple_size(from) != 2 || !erl_is_pid(erl_element(from, 1)) ||
        !erl_is_tuple(req) || erl_tuple_size(req) != 2 || erl_element(req, 1) != erl_atom("is_auth"))
        return false;
    Term reply = term_tuple(h, 2, (Term[]){erl_element(from, 2), erl_atom("yes")});
    return queue_to_pid(erl_element(from, 1), reply);
}

static void on_message(DistIn *e)
{
    Heap tmp;
    heap_init(&tmp);
    long t = e->msg.msgtype;
    if (t != ERL_SEND && t != ERL_SEND_TT && t != ERL_REG_SEND && t != ERL_REG_SEND_TT) {
        on_signal(e, &tmp);
        heap_destroy(&tmp);
        return;
    }
    size_t used;
    Term msg = etf_decode(&tmp, (const unsigned char *)e->bytes, e->len, false, &used);
    if (msg == ERL_NONE) {
        fprintf(stderr, "cerl: a message from %s could not be decoded: dropped\n", e->node);
        goto out_free_heap;
    }
    const erlang_msg *m = &e->msg;
    Proc *p = NULL;
    if (t == ERL_SEND || t == ERL_SEND_TT) {
        Term to = node_pid(&tmp, erl_atom(m->to.node), m->to.num, m->to.serial, m->to.creation);
        if (to != ERL_NONE && pid_is_local(to))
            p = proc_find(to);
    } else { /* ERL_REG_SEND or ERL_REG_SEND_TT: the other kinds went to on_signal */
        Term name = erl_atom(m->toname);
        p = proc_whereis(name);
        if (!p && name == erl_atom("net_kernel"))
            answer_is_auth(&tmp, msg);
    }
    if (p)
        put(p, msg);
out_free_heap:
    heap_destroy(&tmp);
}

/* The thread's answer to a connect: wakes the pings waiting for it, and
** fires node monitors when it failed. */
static void on_connected(Term node, bool ok)
{
    for (Ping **pp = &D.pings, *pg; (pg = *pp);) {
        if (pg->node != node || pg->done) {
            pp = &pg->next;
            continue;
        }
        Proc *p = proc_find(pg->pid);
        if (!p) { /* the waiter is gone: nobody will take the answer */
            *pp = pg->next;
            free(pg);
            continue;
        }
        pg->done = true;
        pg->ok = ok;
        sched_make_runnable(p);
        pp = &pg->next;
    }
    if (!ok && !connected(node))
        fire_monitors(node);
}

/* The wake hook: everything the thread handed over, in order. */
static void drain(void)
{
    for (DistIn *e = dist_conn_take(), *next; e; e = next) {
        next = e->next;
        Term node = erl_atom(e->node);
        switch (e->kind) {
        case DIN_MSG:
            on_message(e);
            break;
        case DIN_UP:
            node_up(node);
            break;
        case DIN_DOWN:
            node_down(node);
            break;
        case DIN_CONNECTED:
            on_connected(node, e->ok);
            break;
        }
        free(e);
    }
}

void dist_ctrl_start(void)
{
    D.alive = true;
    sched_set_wake_hook(drain);
}

/* ================================================================ BIFs */

static __attribute__((noreturn)) void badarg(const char *name, int argc, const Term *argv, const char *note)
{
    exc_badarg(name, argc, argv, note);
}

static Term bif_nodes(void)
{
    Term list = ERL_NIL;
    for (int i = D.n_nodes; i > 0; i--)
        list = erl_cons(D.nodes[i - 1], list);
    return list;
}

/* nodes(Arg): visible, connected and known list the peers (cerl counts
** them visible, as nodes/0 does), hidden none, this the node itself when
** alive; a list of these, their union in that order. */
static Term bif_nodes1(Term arg)
{
    Term kinds[8];
    int n = 0;
    if (erl_is_atom(arg)) {
        kinds[n++] = arg;
    } else {
        for (Term l = arg; erl_is_cons(l) && n < 8; l = erl_tl(l))
            kinds[n++] = erl_hd(l);
        if (!erl_is_list(arg))
            badarg("nodes", 1, (Term[]){arg}, "argument 1: not a valid node type");
    }
    bool peers = false, self = false;
    for (int i = 0; i < n; i++) {
        if (kinds[i] == erl_atom("visible") || kinds[i] == erl_atom("connected"))
            peers = true;
        else if (kinds[i] == erl_atom("known"))
            peers = self = true;
        else if (kinds[i] == erl_atom("this"))
            self = true;
        else if (kinds[i] != erl_atom("hidden"))
            badarg("nodes", 1, (Term[]){arg}, "argument 1: not a valid node type");
    }
    Term list = peers ? bif_nodes() : ERL_NIL;
    return self ? erl_cons(node_this(), list) : list;
}

static Term bif_is_alive(void)
{
    return D.alive ? AM_true : AM_false;
}

static void connect_soon(Term node)
{
    dist_conn_put(out_new(DOUT_CONNECT, node, ERL_NONE));
}

bool dist_ctrl_reach(Term node)
{
    Proc *self = proc_current();
    if (!D.alive || !self)
        return false;
    if (node == node_this() || connected(node))
        return true;
    Ping *pg = xcalloc(1, sizeof *pg);
    pg->node = node;
    pg->pid = self->pid;
    pg->next = D.pings;
    D.pings = pg;
    connect_soon(node);
    while (!pg->done)
        sched_wait(); /* a message may wake it first: wait again */
    bool ok = pg->ok;
    for (Ping **pp = &D.pings; *pp; pp = &(*pp)->next)
        if (*pp == pg) {
            *pp = pg->next;
            break;
        }
    free(pg);
    return ok;
}

/* net_adm:ping(Node): pong once a connection stands (ei's handshake has
** proved the cookie), pang when none can be made. */
static Term bif_ping(Term node)
{
    if (!erl_is_atom(node))
        return erl_atom("pang");
    return erl_atom(dist_ctrl_reach(node) ? "pong" : "pang");
}

static Term bif_disconnect_node(Term node)
{
    if (!erl_is_atom(node))
        badarg("disconnect_node", 1, (Term[]){node}, "argument 1: not an atom");
    if (!D.alive)
        return erl_atom("ignored");
    if (!connected(node))
        return AM_false;
    node_down(node);
    dist_conn_put(out_new(DOUT_DISCONNECT, node, ERL_NONE));
    return AM_true;
}

void dist_ctrl_monitor_node(Term pid, Term node, bool on)
{
    if (!on) {
        for (int i = 0; i < D.n_mons; i++)
            if (D.mons[i].pid == pid && D.mons[i].node == node) {
                D.mons[i] = D.mons[--D.n_mons];
                break;
            }
        return;
    }
    if (D.n_mons == D.cap_mons) {
        D.cap_mons = D.cap_mons ? 2 * D.cap_mons : 8;
        NodeMon *n = xmalloc((size_t)D.cap_mons * sizeof *n);
        if (D.n_mons)
            memcpy(n, D.mons, (size_t)D.n_mons * sizeof *n);
        free(D.mons);
        D.mons = n;
    }
    D.mons[D.n_mons++] = (NodeMon){pid, node};
    if (!D.alive || (node != node_this() && !connected(node))) {
        if (D.alive)
            connect_soon(node); /* as erl: try to connect; nodedown if that fails */
        else
            fire_monitors(node);
    }
}

static Term bif_monitor_node(Term node, Term flag)
{
    if (!erl_is_atom(node) || (flag != AM_true && flag != AM_false))
        badarg("monitor_node", 2, (Term[]){node, flag}, NULL);
    if (!D.alive) /* erl: a node without a name cannot watch others */
        exc_raise(AM_error, erl_atom("notalive"), erl_tuple(erl_atom("function"), erl_atom("monitor_node"), erl_list(node, flag)));
    Proc *self = proc_current();
    if (self)
        dist_ctrl_monitor_node(self->pid, node, flag == AM_true);
    return AM_true;
}

void dist_bif_init(void)
{
    export_builtin("erlang", "nodes", 0, (void *)bif_nodes)->autoimport = true;
    export_builtin("erlang", "nodes", 1, (void *)bif_nodes1)->autoimport = true;
    export_builtin("erlang", "is_alive", 0, (void *)bif_is_alive)->autoimport = true;
    export_builtin("erlang", "monitor_node", 2, (void *)bif_monitor_node)->autoimport = true;
    export_builtin("erlang", "disconnect_node", 1, (void *)bif_disconnect_node);
    export_builtin("net_adm", "ping", 1, (void *)bif_ping);
    dist_rpc_init();
    dist_spawn_init();
    dist_global_init();
}
