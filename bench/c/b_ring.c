/*
** b_ring.c
** A ring of N processes (the driver is one of them) passing a hop counter
** around M times: nanoseconds per hop, the first lap apart from the warm
** ones. Both sides time the same span: the ring is built and every member
** waits in receive before the clock starts, so the first lap pays each
** process's first message (its first heap) and nothing else.
*/
#include "bench.h"

MODULE(b_ring);
EXPORT(run/2);

/* Forwards each hop count plus one to Next; the atom stop is forwarded,
** then ends it. */
static Term node(Term Next)
{
    for (;;) {
        Term Msg = erl_receive();
        if (Msg == ATOM(stop)) {
            erl_send(Next, Msg);
            return ATOM(ok);
        }
        erl_send(Next, erl_mk_int(erl_int_value(Msg) + 1));
    }
}

/* One lap: returns the hop count that came back (N - 1 when every member
** forwarded once). */
static long lap(Term Head)
{
    erl_send(Head, erl_mk_int(0));
    return erl_int_value(erl_receive());
}

static Term driver(Term N, Term M)
{
    long n = erl_int_value(N), laps = erl_int_value(M), wrong = 0;
    Term Head = erl_self();
    for (long i = 1; i < n; i++)
        Head = erl_spawn(node, Head);
    bench_wait_waiting(Head);
    int64_t t0 = bench_ns();
    wrong += lap(Head) != n - 1;
    int64_t t1 = bench_ns();
    for (long l = 1; l < laps; l++)
        wrong += lap(Head) != n - 1;
    int64_t t2 = bench_ns();
    erl_send(Head, ATOM(stop));
    erl_receive();
    if (wrong) {
        bench_error("b_ring: %ld laps of %ld came back with a hop count other than %ld", wrong, laps, n - 1);
        return ATOM(ok);
    }
    bench_reportf((double)(t1 - t0) / (double)n, "ring_first_ns_%ld", n);
    bench_reportf((double)(t2 - t1) / (double)(n * (laps - 1)), "ring_warm_ns_%ld", n);
    return ATOM(ok);
}

/* run(N, M) -> ok (M >= 2). Prints ring_first_ns_<N> (ns per hop of the
** first lap) and ring_warm_ns_<N> (ns per hop of laps 2..M). */
Term run(Term N, Term M)
{
    return bench_drive(driver, N, M);
}
