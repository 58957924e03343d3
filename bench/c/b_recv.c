/*
** b_recv.c
** One process receiving N messages {msg, I} from another: nanoseconds per
** message (from the first send until the receiver has taken the last),
** and the receiver's heap afterwards (process_info total_heap_size).
*/
#include "bench.h"

MODULE(b_recv);
EXPORT(run/1);

/* Receives N messages, tells Parent how many were {msg, _}, waits for stop. */
static Term sink(Term N, Term Parent)
{
    long n = erl_int_value(N), good = 0;
    for (long i = 0; i < n; i++) {
        Term Msg = erl_receive();
        good += erl_is_tuple(Msg) && erl_element(Msg, 1) == ATOM(msg);
    }
    erl_send(Parent, erl_mk_int(good));
    while (erl_receive() != ATOM(stop))
        ;
    return ATOM(ok);
}

static Term driver(Term N)
{
    long n = erl_int_value(N);
    Term Sink = erl_spawn(sink, N, erl_self());
    int64_t t0 = bench_ns();
    for (long i = 0; i < n; i++)
        erl_send(Sink, erl_tuple(ATOM(msg), erl_mk_int(i)));
    long good = erl_int_value(erl_receive());
    int64_t t1 = bench_ns();
    Term Info = erl_call(erlang, process_info, Sink, ATOM(total_heap_size));
    long words = erl_int_value(erl_element(Info, 2));
    erl_send(Sink, ATOM(stop));
    if (good != n) {
        bench_error("b_recv: %ld of %ld messages received", good, n);
        return ATOM(ok);
    }
    bench_report("recv_ns", (double)(t1 - t0) / (double)n);
    bench_report("recv_heap_bytes", (double)(words * 8));
    return ATOM(ok);
}

/* run(N) -> ok. Prints recv_ns (per message) and recv_heap_bytes. */
Term run(Term N)
{
    return bench_drive(driver, N);
}
