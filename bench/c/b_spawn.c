/*
** b_spawn.c
** Spawn and kill: N processes that block in receive are spawned onto fresh
** memory (the first round of a fresh runtime), all killed, then N spawned
** again onto the memory the first round gave back (reused; at N > 16,384
** that is past the stacks the runtime keeps resident) and killed again.
** Microseconds per spawn (until every one waits in receive) and per kill
** (until every one is gone). Memory per process is b_mem's job.
*/
#include "bench.h"

#include <stdlib.h>

MODULE(b_spawn);
EXPORT(run/1);

static Term idle(void)
{
    for (;;)
        erl_receive();
}

/* Spawns n processes into pids; returns the ns until all wait in receive. */
static int64_t spawn_all(Term *pids, long n)
{
    int64_t t0 = bench_ns();
    for (long i = 0; i < n; i++)
        pids[i] = erl_spawn(idle);
    bench_wait_waiting(pids[n - 1]);
    return bench_ns() - t0;
}

/* Kills the n processes; returns the ns until the count is back to base. */
static int64_t kill_all(const Term *pids, long n, long base)
{
    int64_t t0 = bench_ns();
    for (long i = 0; i < n; i++)
        erl_exit2(pids[i], ATOM(kill));
    bench_wait_count(base);
    return bench_ns() - t0;
}

static Term driver(Term N)
{
    long n = erl_int_value(N);
    /* Pids are immediates: an array of them outside any heap is safe. */
    Term *pids = calloc((size_t)n, sizeof *pids);
    long base = bench_process_count();
    int64_t fresh = spawn_all(pids, n);
    long alive = bench_process_count() - base;
    int64_t kill1 = kill_all(pids, n, base);
    int64_t reused = spawn_all(pids, n);
    long alive2 = bench_process_count() - base;
    int64_t kill2 = kill_all(pids, n, base);
    free(pids);
    if (alive != n || alive2 != n) {
        bench_error("b_spawn: %ld and %ld processes alive after spawning %ld", alive, alive2, n);
        return ATOM(ok);
    }
    bench_reportf((double)fresh / 1e3 / (double)n, "spawn_fresh_us_%ld", n);
    bench_reportf((double)reused / 1e3 / (double)n, "spawn_reused_us_%ld", n);
    bench_reportf((double)(kill1 + kill2) / 1e3 / (double)(2 * n), "kill_us_%ld", n);
    return ATOM(ok);
}

/* run(N) -> ok. Prints spawn_fresh_us_<N>, spawn_reused_us_<N> and
** kill_us_<N> (over both rounds' kills). */
Term run(Term N)
{
    return bench_drive(driver, N);
}
