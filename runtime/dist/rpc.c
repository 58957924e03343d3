/*
** rpc.c
** rpc:call/4,5 and rpc:cast/4 from cerl into another node: a call (or a
** cast) to that node's rpc server (rex), which runs M:F(A...) there and
** answers with its value (a cast, not at all).
*/
#include "dist.h"
#include "conn.h"
#include "../bif.h"
#include "../error.h"
#include "../export.h"
#include "../node.h"
#include "../proc.h"

/* What the caller waits for: rex's {Ref, Reply}, or {nodedown, Node}. */
typedef struct RpcWait {
    Term ref, node;
} RpcWait;

static bool is_answer(Term msg, void *ctx)
{
    const RpcWait *w = ctx;
    if (!erl_is_tuple(msg) || erl_tuple_size(msg) != 2)
        return false;
    Term a = erl_element(msg, 1), b = erl_element(msg, 2);
    return (erl_is_ref(a) && erl_compare(a, w->ref) == 0) || (a == erl_atom("nodedown") && b == w->node);
}

static Term badrpc(Term why)
{
    return erl_tuple(erl_atom("badrpc"), why);
}

typedef struct LocalCall {
    Term m, f, a;
} LocalCall;

static Term apply_local(void *ctx)
{
    const LocalCall *c = ctx;
    return erl_apply(erl_mk_export_fun(c->m, c->f, (int)erl_list_length(c->a)), c->a);
}

/* rpc:call on this node, in the caller, as erl's: the value, or a thrown
** term; {badrpc, {'EXIT', Reason}} for an exit and {badrpc, {'EXIT',
** {Reason, Stack}}} for an error, Stack as erpc trims it. */
static Term local_call(Term m, Term f, Term a)
{
    LocalCall c = {m, f, a};
    Term value, cls, stack = ERL_NIL;
    if (erl_catch_stack(apply_local, &c, &value, &cls, &stack) || cls == AM_throw)
        return value;
    if (cls == AM_error)
        value = erl_tuple(value, dist_erpc_trim_stack(stack, m, f, a));
    return badrpc(erl_tuple(erl_atom("EXIT"), value));
}

/* rpc:call(Node, M, F, A, Timeout): {badrpc, nodedown} when Node cannot be
** reached or goes down meanwhile, {badrpc, timeout} after Timeout ms,
** {badrpc, {'EXIT', Why}} when the call raised, else its value. */
static Term rpc_call(Term node, Term m, Term f, Term a, long timeout_ms)
{
    if (!erl_is_atom(node) || !erl_is_atom(m) || !erl_is_atom(f) || !erl_is_list(a))
        exc_badarg("call", 4, (Term[]){node, m, f, a}, NULL);
    if (node == node_this())
        return local_call(m, f, a);
    Proc *self = proc_current();
    if (!self || !dist_ctrl_reach(node))
        return badrpc(erl_atom("nodedown"));
    RpcWait w = {term_make_ref(heap_current()), node};
    dist_ctrl_monitor_node(self->pid, node, true);
    Term call = erl_tuple(erl_atom("call"), m, f, a, dist_io_group_leader());
    dist_send_name(erl_atom("rex"), node, erl_tuple(erl_atom("$gen_call"), erl_tuple(self->pid, w.ref), call));
    Term got = bif_receive(is_answer, &w, timeout_ms);
    dist_ctrl_monitor_node(self->pid, node, false);
    if (got == ERL_NONE)
        return badrpc(erl_atom("timeout"));
    Term reply = erl_element(got, 2);
    if (erl_element(got, 1) == erl_atom("nodedown"))
        return badrpc(erl_atom("nodedown"));
    if (erl_is_tuple(reply) && erl_tuple_size(reply) == 2 && erl_element(reply, 1) == erl_atom("EXIT"))
        return badrpc(reply);
    return reply;
}

static Term bif_call4(Term node, Term m, Term f, Term a)
{
    return rpc_call(node, m, f, a, -1);
}

static Term bif_call5(Term node, Term m, Term f, Term a, Term timeout)
{
    long ms = -1;
    if (timeout != erl_atom("infinity") && (!erl_get_long(timeout, &ms) || ms < 0))
        exc_badarg("call", 5, (Term[]){node, m, f, a, timeout}, NULL);
    return rpc_call(node, m, f, a, ms);
}

/* rpc:cast(Node, M, F, A) -> true: M:F(A...) runs on Node, in a process of
** its own there, and nobody waits for it; on this node, a process spawned
** here. A node that cannot be reached gets nothing, as erl's rpc:cast. The
** process on Node has cerl's I/O server as its group leader: what it
** prints is shown here, as erl shows it. */
static Term bif_cast4(Term node, Term m, Term f, Term a)
{
    if (!erl_is_atom(node) || !erl_is_atom(m) || !erl_is_atom(f) || !erl_is_list(a))
        exc_badarg("cast", 4, (Term[]){node, m, f, a}, NULL);
    if (node == node_this()) {
        export_apply(erl_atom("erlang"), erl_atom("spawn"), 3, (Term[]){m, f, a});
        return erl_atom("true");
    }
    Proc *self = proc_current();
    if (self && dist_ctrl_reach(node)) {
        Term cast = erl_tuple(erl_atom("cast"), m, f, a, dist_io_group_leader());
        dist_send_name(erl_atom("rex"), node, erl_tuple(erl_atom("$gen_cast"), cast));
    }
    return erl_atom("true");
}

void dist_rpc_init(void)
{
    export_builtin("rpc", "cast", 4, (void *)bif_cast4);
    export_builtin("rpc", "call", 4, (void *)bif_call4);
    export_builtin("rpc", "call", 5, (void *)bif_call5);
}
