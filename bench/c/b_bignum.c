/*
** b_bignum.c
** Integers of any size: factorial of N (a 5736-digit number for 2000),
** computed R times in a spawned process; microseconds per factorial.
*/
#include "bench.h"

MODULE(b_bignum);
EXPORT(run/2);

/* fact(N) -> fact(N, 1). fact(0, Acc) -> Acc; fact(N, Acc) -> fact(N - 1, N * Acc). */
static Term fact(Term N)
{
    Term Acc = erl_mk_int(1);
    for (long n = erl_int_value(N); n > 0; n--)
        Acc = erl_mul(erl_mk_int(n), Acc);
    return Acc;
}

static Term worker(Term N, Term R, Term Parent)
{
    int64_t t0 = bench_ns();
    Term F = ERL_NONE;
    for (long r = erl_int_value(R); r > 0; r--)
        F = fact(N);
    int64_t t1 = bench_ns();
    erl_send(Parent, erl_tuple(ATOM(done), erl_mk_int((t1 - t0) / erl_int_value(R)), F));
    return ATOM(ok);
}

/* run(N, R) -> ok. Prints fact_us (per factorial) and fact_bits. */
Term run(Term N, Term R)
{
    erl_spawn(worker, N, R, erl_self());
    Term Done = erl_receive();
    Term Bits = erl_call(erlang, integer_to_list, erl_element(Done, 3), erl_mk_int(2));
    long bits = 0;
    for (; erl_is_cons(Bits); Bits = erl_tl(Bits))
        bits++;
    bench_report("fact_us", (double)erl_int_value(erl_element(Done, 2)) / 1000.0);
    bench_report("fact_bits", (double)bits);
    return ATOM(ok);
}
