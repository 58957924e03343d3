/*
** b_pingpong.c
** Two processes bouncing a message: nanoseconds per round trip.
*/
#include "bench.h"

MODULE(b_pingpong);
EXPORT(run/1);

/* Sends every message back to Peer; stops after the atom stop. */
static Term pong(Term Peer)
{
    for (;;) {
        Term Msg = erl_receive();
        erl_send(Peer, Msg);
        if (Msg == ATOM(stop))
            return ATOM(ok);
    }
}

/* run(N) -> ok. Prints pingpong_ns: ns per round trip over N of them. */
Term run(Term N)
{
    int64_t n = erl_int_value(N);
    Term Pong = erl_spawn(pong, erl_self());
    int64_t t0 = bench_ns();
    for (int64_t i = 0; i < n; i++) {
        erl_send(Pong, erl_mk_int(i));
        erl_receive();
    }
    int64_t t1 = bench_ns();
    erl_send(Pong, ATOM(stop));
    erl_receive();
    bench_report("pingpong_ns", (double)(t1 - t0) / (double)n);
    return ATOM(ok);
}
