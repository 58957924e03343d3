/*
** bench.h
** Helpers every benchmark module includes: a monotonic clock, the memory of
** the cerl process (VmRSS + VmPTE), driving a benchmark from a spawned
** process, and the lines bench/run.py reads:
**   "@@ key value"     a figure;
**   "@@- key reason"   a figure that cannot be measured on this runtime;
**   "BENCH-ERROR text" a benchmark that measured something wrong.
** bench/erl/bench.hrl is the BEAM side of the same helpers.
*/
#ifndef BENCH_H
#define BENCH_H

#include <cerl.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Monotonic nanoseconds. */
static int64_t bench_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Resident memory of this process counted the same way on both sides:
** VmRSS + VmPTE of /proc/self/status (page tables are memory a process
** costs too), in bytes; -1 when it cannot be read. */
static int64_t bench_mem(void)
{
    char line[256];
    long rss = -1, pte = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "VmRSS:", 6))
            rss = atol(line + 6);
        else if (!strncmp(line, "VmPTE:", 6))
            pte = atol(line + 6);
    }
    fclose(f);
    return rss < 0 || pte < 0 ? -1 : (int64_t)(rss + pte) * 1024;
}

/* One figure for the driver: "@@ key value", flushed at once so that the
** line is out even if a later step crashes the runtime. */
static void bench_report(const char *key, double value)
{
    printf("@@ %s %.6g\n", key, value);
    fflush(stdout);
}

/* bench_reportf(1e3, "spawn_us_%ld", n): bench_report with a formatted key. */
static void bench_reportf(double value, const char *fmt, ...)
{
    char key[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(key, sizeof key, fmt, ap);
    va_end(ap);
    bench_report(key, value);
}

/* A figure this runtime cannot produce, and why (one line). */
static void bench_missing(const char *key, const char *why)
{
    printf("@@- %s %s\n", key, why);
    fflush(stdout);
}

/* A benchmark that saw a wrong result (a hop count, a reply): the driver
** reports it instead of a figure that would not mean anything. */
static void bench_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("BENCH-ERROR ");
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
}

/* erlang:system_info(process_count). */
static long bench_process_count(void)
{
    return erl_int_value(erl_call(erlang, system_info, ATOM(process_count)));
}

/* Yields until Pid is neither runnable nor running (it waits in receive,
** or hibernates, or is gone): with one FIFO run queue, once the newest
** process waits, every older one has run up to its receive too. */
static void bench_wait_waiting(Term Pid)
{
    for (;;) {
        Term Info = erl_call(erlang, process_info, Pid, ATOM(status));
        if (!erl_is_tuple(Info) || (erl_element(Info, 2) != ATOM(runnable) && erl_element(Info, 2) != ATOM(running)))
            return;
        erl_yield();
    }
}

/* Yields until no more than 'count' processes are alive. */
static void bench_wait_count(long count)
{
    while (bench_process_count() > count)
        erl_yield();
}

/* l(Mod) as the shell's l/1 does it, code:purge(Mod) then
** code:load_file(Mod): returns the milliseconds it took; raises
** {load_failed, Mod, Result} when it did not load. */
static double bench_reload(Term Mod)
{
    int64_t t0 = bench_ns();
    erl_call(code, purge, Mod);
    Term R = erl_call(code, load_file, Mod);
    int64_t t1 = bench_ns();
    if (!erl_eq(R, erl_tuple(ATOM(module), Mod)))
        erl_error(erl_tuple(ATOM(load_failed), Mod, R));
    return (double)(t1 - t0) / 1e6;
}

static int bench_by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The median of v[0..n) (n >= 1); sorts v. */
static double bench_median(double *v, long n)
{
    qsort(v, (size_t)n, sizeof *v, bench_by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int bench_is_down_of(Term Msg, void *ref)
{
    return erl_is_tuple(Msg) && erl_tuple_size(Msg) == 5 && erl_element(Msg, 1) == ATOM(DOWN) &&
           erl_eq(erl_element(Msg, 2), *(Term *)ref);
}

/* Waits for the end of the driver spawn_monitor started ({Pid, Ref});
** returns ok when it ended normally, else reports the reason and returns
** error. The figures are printed by the driver itself. */
static Term bench_await(Term PidRef)
{
    Term Ref = erl_element(PidRef, 2);
    Term Down = erl_receive_match(bench_is_down_of, &Ref, -1);
    if (erl_element(Down, 5) == ATOM(normal))
        return ATOM(ok);
    printf("BENCH-ERROR driver ended: ");
    fflush(stdout);
    io_format("~p~n", erl_list(erl_element(Down, 5)));
    return ATOM(error);
}

/* run(...) -> bench_drive(driver, Args...): runs driver(Args...) in a
** process of its own (the shell's evaluator does not collect during a
** command, and BEAM's side does the same), and waits until it ends. */
#define bench_drive(f, ...) bench_await(erl_spawn_monitor(f, ##__VA_ARGS__))

#endif
