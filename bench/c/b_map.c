/*
** b_map.c
** Maps of N integer keys: N puts into a growing map, then N gets, in a
** spawned process; nanoseconds per put and per get.
*/
#include "bench.h"

MODULE(b_map);
EXPORT(run/1);

static Term worker(Term N, Term Parent)
{
    long n = erl_int_value(N);
    int64_t t0 = bench_ns();
    Term M = erl_map_new();
    for (long i = 0; i < n; i++)
        M = erl_map_put(M, erl_mk_int(i * 7919 % n), erl_mk_int(i));
    int64_t t1 = bench_ns();
    long found = 0;
    for (long i = 0; i < n; i++)
        found += erl_map_get(M, erl_mk_int(i)) != ERL_NONE;
    int64_t t2 = bench_ns();
    erl_send(Parent, erl_tuple(erl_mk_int(t1 - t0), erl_mk_int(t2 - t1), erl_mk_int(found),
                               erl_mk_int((long)erl_map_size(M))));
    return ATOM(ok);
}

/* run(N) -> ok. Prints map_put_ns and map_get_ns (per operation). */
Term run(Term N)
{
    erl_spawn(worker, N, erl_self());
    Term R = erl_receive();
    double n = (double)erl_int_value(N);
    if (erl_element(R, 3) != N || erl_element(R, 4) != N)
        io_format("b_map: wrong result ~p~n", erl_list(R));
    bench_report("map_put_ns", (double)erl_int_value(erl_element(R, 1)) / n);
    bench_report("map_get_ns", (double)erl_int_value(erl_element(R, 2)) / n);
    return ATOM(ok);
}
