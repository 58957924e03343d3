/*
** b_ring.c
** A ring of N processes (the caller is one of them) passing one message
** around M times: nanoseconds per hop.
*/
#include "bench.h"

MODULE(b_ring);
EXPORT(run/2);

/* Forwards every message to Next; the atom stop is forwarded, then ends it. */
static Term node(Term Next)
{
    for (;;) {
        Term Msg = erl_receive();
        erl_send(Next, Msg);
        if (Msg == ATOM(stop))
            return ATOM(ok);
    }
}

/* run(N, M) -> ok. Prints ring_ns_<N>x<M>: ns per hop over N * M hops,
** the ring already built. */
Term run(Term N, Term M)
{
    int64_t n = erl_int_value(N), laps = erl_int_value(M);
    Term Next = erl_self();
    for (int64_t i = 1; i < n; i++)
        Next = erl_spawn(node, Next);
    int64_t t0 = bench_ns();
    for (int64_t lap = 0; lap < laps; lap++) {
        erl_send(Next, erl_mk_int(lap));
        erl_receive();
    }
    int64_t t1 = bench_ns();
    erl_send(Next, ATOM(stop));
    erl_receive();
    char key[64];
    snprintf(key, sizeof key, "ring_ns_%ldx%ld", (long)n, (long)laps);
    bench_report(key, (double)(t1 - t0) / (double)(n * laps));
    return ATOM(ok);
}
