/*
** b_lists_fun.c
** lists:map and lists:foldl over N integers, in a spawned process,
** milliseconds each. The funs are C functions of this module, made into
** funs at the prompt (fun b_lists_fun:inc/1), as a C programmer would pass
** them; b_lists_fun.erl gives BEAM the funs an Erlang programmer writes.
** Then lists:foldl with the built-in fun erlang:'+'/2 on both sides.
*/
#include "bench.h"

MODULE(b_lists_fun);
EXPORT(run/3, inc/1, add/2);

/* inc(X) -> X + 1. */
Term inc(Term X)
{
    return erl_add(X, erl_mk_int(1));
}

/* add(X, Acc) -> X + Acc. */
Term add(Term X, Term Acc)
{
    return erl_add(X, Acc);
}

static Term worker(Term N, Term Inc, Term Add, Term Parent)
{
    Term L = erl_call(lists, seq, erl_mk_int(1), N);
    int64_t t0 = bench_ns();
    Term M = erl_call(lists, map, Inc, L);
    int64_t t1 = bench_ns();
    Term S = erl_call(lists, foldl, Add, erl_mk_int(0), L);
    int64_t t2 = bench_ns();
    Term Plus = erl_mk_export_fun(ATOM(erlang), ATOM(+), 2);
    Term S2 = erl_call(lists, foldl, Plus, erl_mk_int(0), L);
    int64_t t3 = bench_ns();
    if (!erl_eq(S, S2))
        erl_error(ATOM(bad_sum));
    erl_send(Parent, erl_tuple(erl_mk_int(t1 - t0), erl_mk_int(t2 - t1), erl_hd(M), S, erl_mk_int(t3 - t2)));
    return ATOM(ok);
}

/* run(N, Inc, Add) -> ok. Prints lists_map_ms, lists_foldl_ms and
** lists_foldl_bif_ms. */
Term run(Term N, Term Inc, Term Add)
{
    erl_spawn(worker, N, Inc, Add, erl_self());
    Term R = erl_receive();
    bench_report("lists_map_ms", (double)erl_int_value(erl_element(R, 1)) / 1e6);
    bench_report("lists_foldl_ms", (double)erl_int_value(erl_element(R, 2)) / 1e6);
    bench_report("lists_foldl_bif_ms", (double)erl_int_value(erl_element(R, 5)) / 1e6);
    return ATOM(ok);
}
