/*
** spawn.c
** Spawning across nodes with spawn requests (SPAWN_REQUEST / SPAWN_REPLY,
** the handshake's DFLAG_SPAWN): erlang:spawn/4 from here onto another
** node, and the requests of other nodes served here. OTP 25's rpc:call and
** rpc:cast are such requests (of erpc:execute_call/4 and execute_cast/3),
** so erpc's two entry points are here too.
*/
#include "dist.h"
#include "conn.h"
#include "signals.h"
#include "../bif.h"
#include "../buf.h"
#include "../error.h"
#include "../export.h"
#include "../node.h"
#include "../print.h"
#include "../mailbox.h"
#include "../proc.h"
#include "../sched.h"

#include <stdio.h>
#include <sys/time.h>
#include <time.h>

enum {
    SPAWN_FLAG_LINK = 1,   /* SPAWN_REPLY's flags: the link asked for is made */
    SPAWN_FLAG_MONITOR = 2 /* the monitor asked for is made */
};

/* ============================================= requests of other nodes */

/* {SPAWN_REQUEST, ReqId, From, GroupLeader, {M, F, Arity}, Opts} with the
** argument list as message part: a process running M:F(Args...), linked
** and monitored as Opts ask, and SPAWN_REPLY to From before it runs. */
static void serve_request(Term node, const Term *e, int n)
{
    if (n < 6 || !erl_is_ref(e[0]) || !erl_is_pid(e[1]) || pid_is_local(e[1]))
        return;
    Term req = e[0], from = e[1], mfa = e[3], opts = e[4], args = e[5];
    Heap tmp;
    heap_init(&tmp);
    Term result;
    int flags = 0;
    if (!erl_is_tuple(mfa) || erl_tuple_size(mfa) != 3 || !erl_is_atom(erl_element(mfa, 1)) ||
        !erl_is_atom(erl_element(mfa, 2)) || !erl_is_list(args) || !erl_is_list(opts)) {
        result = erl_atom("badarg");
    } else {
        Proc *p = proc_spawn((void *)spawn3_entry_, 3, (Term[]){erl_element(mfa, 1), erl_element(mfa, 2), args}, 0);
        if (!p) {
            result = erl_atom("system_limit");
        } else {
            result = p->pid;
            for (Term o = opts; erl_is_cons(o); o = erl_tl(o)) {
                if (erl_hd(o) == erl_atom("link")) {
                    dist_links_add_link(p->pid, from);
                    flags |= SPAWN_FLAG_LINK;
                } else if (erl_hd(o) == erl_atom("monitor")) {
                    dist_links_add_watcher(from, p->pid, req); /* the request's id is the monitor's */
                    flags |= SPAWN_FLAG_MONITOR;
                }
            }
        }
    }
    /* queued now, on the scheduler: before the new process can run (and
    ** end, which the peer must hear of after the reply) */
    Term ctl = term_tuple(&tmp, 5, (Term[]){erl_mk_int(DOP_SPAWN_REPLY), req, from, erl_mk_int(flags), result});
    dist_ctrl_signal(node, ctl, ERL_NONE);
    heap_destroy(&tmp);
}

/* {SPAWN_REPLY, ReqId, To, Flags, Result}: to the process waiting in
** spawn/4, as {'$spawn_reply', ReqId, Result}. */
static void take_reply(const Term *e, int n)
{
    if (n < 4 || !erl_is_pid(e[1]) || !pid_is_local(e[1]))
        return;
    Proc *p = proc_find(e[1]);
    if (!p)
        return;
    Heap tmp;
    heap_init(&tmp);
    mbox_put(&p->mbox, &p->heap, term_tuple(&tmp, 3, (Term[]){erl_atom("$spawn_reply"), e[0], e[3]}));
    sched_make_runnable(p);
    heap_destroy(&tmp);
}

void dist_spawn_on_signal(Term node, int type, const Term *e, int n)
{
    if (type == DOP_SPAWN_REQUEST)
        serve_request(node, e, n);
    else if (type == DOP_SPAWN_REPLY)
        take_reply(e, n);
}

/* ===================================================== spawn/4 from here */

/* The process spawn/4 gives when the node cannot be reached, as erl's:
** it reports "** Can not start M:F,Args on Node **" and exits with
** noconnection. */
static Term crasher(Term node, Term m, Term f, Term a)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    Buf b = {0};
    buf_printf(&b, "=WARNING REPORT==== %d-%s-%d::%02d:%02d:%02d.%06ld ===\n** Can not start ", tm.tm_mday,
               months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
    print_write(&b, m);
    buf_putc(&b, ':');
    print_write(&b, f);
    buf_putc(&b, ',');
    print_write(&b, a);
    buf_puts(&b, " on ");
    print_write(&b, node);
    buf_puts(&b, " **\n\n");
    bif_output(buf_str(&b), b.len);
    buf_free(&b);
    erl_exit(erl_atom("noconnection"));
}

typedef struct SpawnWait {
    Term req, node;
} SpawnWait;

static bool is_reply(Term msg, void *ctx)
{
    const SpawnWait *w = ctx;
    if (!erl_is_tuple(msg))
        return false;
    if (erl_tuple_size(msg) == 3 && erl_element(msg, 1) == erl_atom("$spawn_reply"))
        return erl_compare(erl_element(msg, 2), w->req) == 0;
    return erl_tuple_size(msg) == 2 && erl_element(msg, 1) == erl_atom("nodedown") && erl_element(msg, 2) == w->node;
}

static Term local_crasher(Term node, Term m, Term f, Term a)
{
    return erl_spawn_fn((void *)crasher, 4, (Term[]){node, m, f, a});
}

/* spawn(Node, M, F, A): a process of Node running M:F(A...), made by a
** spawn request; on this node, spawn/3. */
static Term bif_spawn4(Term node, Term m, Term f, Term a)
{
    if (!erl_is_atom(node) || !erl_is_atom(m) || !erl_is_atom(f) || !erl_is_list(a))
        exc_badarg("spawn", 4, (Term[]){node, m, f, a}, NULL);
    if (node == node_this())
        return erl_spawn3(m, f, a);
    Proc *self = proc_current();
    if (!self || !dist_ctrl_reach(node))
        return local_crasher(node, m, f, a);
    int arity = 0;
    for (Term l = a; erl_is_cons(l); l = erl_tl(l))
        arity++;
    SpawnWait w = {term_make_ref(heap_current()), node};
    dist_ctrl_monitor_node(self->pid, node, true);
    /* the group leader: cerl's I/O server, as erl sends the caller's */
    Term ctl = erl_tuple(erl_mk_int(DOP_SPAWN_REQUEST), w.req, self->pid, dist_io_group_leader(),
                         erl_tuple(m, f, erl_mk_int(arity)), ERL_NIL);
    if (!dist_ctrl_signal(node, ctl, a)) {
        dist_ctrl_monitor_node(self->pid, node, false);
        exc_badarg("spawn", 4, (Term[]){node, m, f, a}, NULL);
    }
    Term got = bif_receive(is_reply, &w, -1);
    dist_ctrl_monitor_node(self->pid, node, false);
    if (erl_element(got, 1) == erl_atom("nodedown"))
        return local_crasher(node, m, f, a);
    Term result = erl_element(got, 3);
    if (erl_is_pid(result))
        return result;
    if (result == erl_atom("badopt") || result == erl_atom("badarg"))
        exc_badarg("spawn", 4, (Term[]){node, m, f, a}, NULL);
    return local_crasher(node, m, f, a);
}

/* ======================================================= erpc, served */

typedef struct Call {
    Term m, f, a;
} Call;

static Term apply_call(void *ctx)
{
    const Call *c = ctx;
    int n = 0;
    for (Term l = c->a; erl_is_cons(l); l = erl_tl(l))
        n++;
    return erl_apply(erl_mk_export_fun(c->m, c->f, n), c->a);
}

/* Whether the stack entry e is {M, F, Arity, _} with Arity that of the
** argument list a, or (args true) {M, F, A, _}. */
static bool is_call_frame(Term e, Term m, Term f, Term a, bool args)
{
    if (!erl_is_tuple(e) || erl_tuple_size(e) != 4 || erl_element(e, 1) != m || erl_element(e, 2) != f)
        return false;
    Term third = erl_element(e, 3);
    if (args && erl_compare(third, a) == 0)
        return true;
    long n = erl_list_length(a);
    return erl_is_int(third) && n >= 0 && erl_int_value(third) == n;
}

Term dist_erpc_trim_stack(Term stack, Term m, Term f, Term a)
{
    long depth = erl_list_length(stack);
    if (depth >= EXC_STACK_DEPTH)
        return stack; /* erpc's frame would be past the depth: all kept */
    if (depth <= 0)
        return erl_list(erl_tuple(m, f, a, ERL_NIL));
    Term frames[EXC_STACK_DEPTH];
    int k = 0;
    for (Term l = stack; erl_is_cons(l); l = erl_tl(l))
        frames[k++] = erl_hd(l);
    if (is_call_frame(frames[k - 1], m, f, a, k == 1))
        return stack;
    long n = erl_list_length(a);
    Term out = erl_list(erl_tuple(m, f, erl_mk_int(n < 0 ? 0 : n), ERL_NIL));
    while (k > 0)
        out = erl_cons(frames[--k], out);
    return out;
}

/* erpc:execute_call(Ref, M, F, A): the process a peer's erpc:call (and so
** rpc:call) spawns here; it ends with {Ref, return, Value}, {Ref, throw,
** Reason}, {Ref, exit, Reason} or {Ref, error, Reason, Stack}, which the
** caller reads from its monitor's 'DOWN'; Stack as erpc trims it. */
static Term bif_execute_call(Term ref, Term m, Term f, Term a)
{
    Call c = {m, f, a};
    Term value, cls, stack = ERL_NIL;
    if (erl_catch_stack(apply_call, &c, &value, &cls, &stack))
        erl_exit(erl_tuple(ref, erl_atom("return"), value));
    if (cls == AM_error)
        erl_exit(erl_tuple(ref, AM_error, value, dist_erpc_trim_stack(stack, m, f, a)));
    erl_exit(erl_tuple(ref, cls, value));
}

/* erpc:execute_cast(M, F, A): a peer's erpc:cast (and rpc:cast). */
static Term bif_execute_cast(Term m, Term f, Term a)
{
    Call c = {m, f, a};
    return apply_call(&c);
}

void dist_spawn_init(void)
{
    export_builtin("erlang", "spawn", 4, (void *)bif_spawn4)->autoimport = true;
    export_builtin("erpc", "execute_call", 4, (void *)bif_execute_call);
    export_builtin("erpc", "execute_cast", 3, (void *)bif_execute_cast);
}
