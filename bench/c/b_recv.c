/*
** b_recv.c
** One process receiving N messages from another: messages per second, and
** the receiver's heap afterwards (process_info total_heap_size).
*/
#include "bench.h"

MODULE(b_recv);
EXPORT(run/1);

/* Receives N messages, tells Parent done, then waits for stop. */
static Term sink(Term N, Term Parent)
{
    int64_t n = erl_int_value(N);
    for (int64_t i = 0; i < n; i++)
        erl_receive();
    erl_send(Parent, ATOM(done));
    while (erl_receive() != ATOM(stop))
        ;
    return ATOM(ok);
}

/* run(N) -> ok. Prints recv_msgs_per_s and recv_heap_bytes. Each message
** is a 2-tuple {msg, I}, built on the sender's heap and copied. */
Term run(Term N)
{
    int64_t n = erl_int_value(N);
    Term Sink = erl_spawn(sink, N, erl_self());
    int64_t t0 = bench_ns();
    for (int64_t i = 0; i < n; i++)
        erl_send(Sink, erl_tuple(ATOM(msg), erl_mk_int(i)));
    erl_receive(); /* done */
    int64_t t1 = bench_ns();
    Term Info = erl_call(erlang, process_info, Sink, ATOM(total_heap_size));
    int64_t words = erl_int_value(erl_element(Info, 2));
    erl_send(Sink, ATOM(stop));
    bench_report("recv_msgs_per_s", (double)n / ((double)(t1 - t0) / 1e9));
    bench_report("recv_heap_bytes", (double)(words * 8));
    return ATOM(ok);
}
