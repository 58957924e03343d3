/*
** b_biglist.c
** Sending a list of N small integers (1 MB of cells at N = 65536, as erl
** counts words) to another process and getting a small reply, R times,
** between two spawned processes; microseconds per round trip.
*/
#include "bench.h"

MODULE(b_biglist);
EXPORT(run/2);

static Term echo(void)
{
    for (;;) {
        Term Msg = erl_receive();
        if (Msg == ATOM(stop))
            return ATOM(ok);
        erl_send(erl_element(Msg, 1), ATOM(ok));
    }
}

static Term worker(Term N, Term R, Term Parent)
{
    long r = erl_int_value(R);
    Term List = erl_call(lists, seq, erl_mk_int(1), N);
    Term Echo = erl_spawn(echo);
    int64_t t0 = bench_ns();
    for (long i = 0; i < r; i++) {
        erl_send(Echo, erl_tuple(erl_self(), List));
        erl_receive();
    }
    int64_t t1 = bench_ns();
    erl_send(Echo, ATOM(stop));
    erl_send(Parent, erl_mk_int((t1 - t0) / r));
    return ATOM(ok);
}

/* run(N, R) -> ok. Prints biglist_send_us. */
Term run(Term N, Term R)
{
    erl_spawn(worker, N, R, erl_self());
    Term Ns = erl_receive();
    bench_report("biglist_send_us", (double)erl_int_value(Ns) / 1000.0);
    return ATOM(ok);
}
