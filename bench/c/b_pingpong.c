/*
** b_pingpong.c
** Two processes bouncing a small integer: nanoseconds per round trip.
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

static Term driver(Term N)
{
    long n = erl_int_value(N), wrong = 0;
    Term Pong = erl_spawn(pong, erl_self());
    int64_t t0 = bench_ns();
    for (long i = 0; i < n; i++) {
        erl_send(Pong, erl_mk_int(i));
        wrong += erl_receive() != erl_mk_int(i);
    }
    int64_t t1 = bench_ns();
    erl_send(Pong, ATOM(stop));
    erl_receive();
    if (wrong)
        bench_error("b_pingpong: %ld replies were not the message sent", wrong);
    else
        bench_report("pingpong_ns", (double)(t1 - t0) / (double)n);
    return ATOM(ok);
}

/* run(N) -> ok. Prints pingpong_ns: ns per round trip over N of them. */
Term run(Term N)
{
    return bench_drive(driver, N);
}
