/*
** b_binary.c
** Sending a binary of N bytes to another process and getting a small reply,
** R times, between two spawned processes; microseconds per round trip.
*/
#include "bench.h"

MODULE(b_binary);
EXPORT(run/2);

static Term echo(void)
{
    for (;;) {
        Term Msg = erl_receive();
        if (Msg == ATOM(stop))
            return ATOM(ok);
        erl_send(erl_element(Msg, 1), erl_mk_int((long)erl_binary_size(erl_element(Msg, 2))));
    }
}

static Term worker(Term N, Term R, Term Parent)
{
    static unsigned char bytes[1 << 20];
    long n = erl_int_value(N), r = erl_int_value(R);
    Term Bin = erl_mk_binary(bytes, (unsigned long)(n < (long)sizeof bytes ? n : (long)sizeof bytes));
    Term Echo = erl_spawn(echo);
    int64_t t0 = bench_ns();
    for (long i = 0; i < r; i++) {
        erl_send(Echo, erl_tuple(erl_self(), Bin));
        erl_receive();
    }
    int64_t t1 = bench_ns();
    erl_send(Echo, ATOM(stop));
    erl_send(Parent, erl_mk_int((t1 - t0) / r));
    return ATOM(ok);
}

/* run(N, R) -> ok. Prints binary_send_us. */
Term run(Term N, Term R)
{
    erl_spawn(worker, N, R, erl_self());
    Term Ns = erl_receive();
    bench_report("binary_send_us", (double)erl_int_value(Ns) / 1000.0);
    return ATOM(ok);
}
