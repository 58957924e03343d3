/*
** b_spawn.c
** Spawn N processes that block in receive, measure the time until every
** one of them waits and the resident memory each costs, then kill them all.
*/
#include "bench.h"

#include <stdlib.h>
#include <string.h>

MODULE(b_spawn);
EXPORT(run/1);

static Term idle(void)
{
    for (;;)
        erl_receive();
}

/* run(N) -> ok. Prints spawn_us (per process, until all wait in receive),
** bytes (RSS delta / N while all are alive) and kill_us (per process). */
Term run(Term N)
{
    int64_t n = erl_int_value(N);
    /* Pids are immediates, so an array of them outside any heap is safe.
    ** It is touched before the first RSS reading so that it is not counted. */
    Term *pids = malloc(sizeof(Term) * (size_t)n);
    memset(pids, 0, sizeof(Term) * (size_t)n);
    int64_t rss0 = bench_rss();
    int64_t t0 = bench_ns();
    for (int64_t i = 0; i < n; i++)
        pids[i] = erl_spawn(idle);
    /* the run queue is FIFO: one yield lets every new process reach receive */
    do
        erl_yield();
    while (!erl_eq(erl_call(erlang, process_info, pids[n - 1], ATOM(status)),
                   erl_tuple(ATOM(status), ATOM(waiting))));
    int64_t t1 = bench_ns();
    int64_t rss1 = bench_rss();
    for (int64_t i = 0; i < n; i++)
        erl_exit2(pids[i], ATOM(kill));
    int64_t t2 = bench_ns();
    free(pids);
    char key[64];
    snprintf(key, sizeof key, "spawn_us_%ld", (long)n);
    bench_report(key, (double)(t1 - t0) / 1e3 / (double)n);
    snprintf(key, sizeof key, "spawn_bytes_%ld", (long)n);
    bench_report(key, (double)(rss1 - rss0) / (double)n);
    snprintf(key, sizeof key, "kill_us_%ld", (long)n);
    bench_report(key, (double)(t2 - t1) / 1e3 / (double)n);
    return ATOM(ok);
}
