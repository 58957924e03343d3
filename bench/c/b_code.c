/*
** b_code.c
** The purge: N processes of b_purge, monitored by a driver process of its
** own, are made to run old code by one l(b_purge) (code:purge then
** code:load_file, what the shell's l/1 does); the timed part is the next
** l(b_purge), which kills them all, until every 'DOWN' is in.
** (l(t) with many bystanders is in b_mem; c(t) and l(t) at the prompt are
** timed by the harness with b_clock.)
*/
#include "bench.h"

MODULE(b_code);
EXPORT(purge/1);

static Term purge_driver(Term N)
{
    long n = erl_int_value(N), killed = 0;
    erl_call(b_purge, start, N);
    bench_reload(ATOM(b_purge));
    int64_t t0 = bench_ns();
    bench_reload(ATOM(b_purge));
    for (long i = 0; i < n; i++) {
        Term Msg = erl_receive();
        killed += erl_is_tuple(Msg) && erl_element(Msg, 1) == ATOM(DOWN) && erl_element(Msg, 5) == ATOM(killed);
    }
    int64_t t1 = bench_ns();
    if (killed != n) {
        bench_error("b_code: %ld of %ld 'DOWN' messages said killed", killed, n);
        return ATOM(ok);
    }
    bench_reportf((double)(t1 - t0) / 1e6, "purge_ms_%ld", n);
    bench_reportf((double)(t1 - t0) / 1e3 / (double)n, "purge_us_per_victim_%ld", n);
    return ATOM(ok);
}

/* purge(N) -> ok. Prints purge_ms_<N> and purge_us_per_victim_<N>. */
Term purge(Term N)
{
    return bench_drive(purge_driver, N);
}
