/*
** b_bigmsg.c
** Sending a 1 MB list (65,536 small integers: 16 bytes a cell on both
** sides) to another process and getting a small reply, R times:
** microseconds per round trip. An untimed first round checks the list
** arrives whole.
*/
#include "bench.h"

MODULE(b_bigmsg);
EXPORT(run/1);

#define CELLS 65536

/* Replies to {From, check, L} with length(L), to {From, L} with ok. */
static Term echo(void)
{
    for (;;) {
        Term Msg = erl_receive();
        if (Msg == ATOM(stop))
            return ATOM(ok);
        Term From = erl_element(Msg, 1);
        if (erl_tuple_size(Msg) == 3)
            erl_send(From, erl_mk_int(erl_list_length(erl_element(Msg, 3))));
        else
            erl_send(From, ATOM(ok));
    }
}

static Term driver(Term R)
{
    long r = erl_int_value(R);
    Term L = ERL_NIL;
    for (long i = CELLS; i > 0; i--)
        L = erl_cons(erl_mk_int(i), L);
    Term Echo = erl_spawn(echo);
    erl_send(Echo, erl_tuple(erl_self(), ATOM(check), L));
    long got = erl_int_value(erl_receive());
    int64_t t0 = bench_ns();
    for (long i = 0; i < r; i++) {
        erl_send(Echo, erl_tuple(erl_self(), L));
        erl_receive();
    }
    int64_t t1 = bench_ns();
    erl_send(Echo, ATOM(stop));
    if (got != CELLS)
        bench_error("b_bigmsg: the list arrived with %ld cells of %d", got, CELLS);
    else
        bench_report("msg_1mb_us", (double)(t1 - t0) / 1e3 / (double)r);
    return ATOM(ok);
}

/* run(R) -> ok. Prints msg_1mb_us. */
Term run(Term R)
{
    return bench_drive(driver, R);
}
