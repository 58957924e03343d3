/*
** b_lists.c
** The lists module on N elements, in a spawned process: sort of N
** pseudo-random integers, then reverse of the result; milliseconds each.
** (map and foldl wait for funs made in C.)
*/
#include "bench.h"

MODULE(b_lists);
EXPORT(run/1);

/* The same integers as b_lists.erl: X(k+1) = X(k) * 48271 rem 2147483647. */
static Term randoms(long n)
{
    Term L = ERL_NIL;
    long x = 1;
    for (long i = 0; i < n; i++) {
        x = x * 48271 % 2147483647;
        L = erl_cons(erl_mk_int(x), L);
    }
    return L;
}

static Term worker(Term N, Term Parent)
{
    Term L = randoms(erl_int_value(N));
    int64_t t0 = bench_ns();
    Term S = erl_call(lists, sort, L);
    int64_t t1 = bench_ns();
    Term R = erl_call(lists, reverse, S);
    int64_t t2 = bench_ns();
    erl_send(Parent, erl_tuple(erl_mk_int(t1 - t0), erl_mk_int(t2 - t1), erl_hd(R)));
    return ATOM(ok);
}

/* run(N) -> ok. Prints lists_sort_ms and lists_reverse_ms. */
Term run(Term N)
{
    erl_spawn(worker, N, erl_self());
    Term R = erl_receive();
    bench_report("lists_sort_ms", (double)erl_int_value(erl_element(R, 1)) / 1e6);
    bench_report("lists_reverse_ms", (double)erl_int_value(erl_element(R, 2)) / 1e6);
    return ATOM(ok);
}
