/*
** b_clock.c
** Timing shell commands from the prompt: T0 = b_clock:ns(), c(t),
** b_clock:lap(c_t, T0) prints "@@ c_t <ms>" for the driver.
*/
#include "bench.h"

MODULE(b_clock);
EXPORT(ns/0, lap/2);

/* erlang:monotonic_time(nanosecond), as a small integer. */
Term ns(void)
{
    return erl_mk_int(bench_ns());
}

/* Prints the milliseconds since T0 under the name Key; returns ok. */
Term lap(Term Key, Term T0)
{
    double ms = (double)(bench_ns() - erl_int_value(T0)) / 1e6;
    bench_report(erl_atom_name(Key), ms);
    return ATOM(ok);
}
