/*
** bench.h
** Helpers every benchmark module includes: a monotonic clock, the resident
** set size of the cerl process, and the "@@ key value" lines bench/run.py reads.
*/
#ifndef BENCH_H
#define BENCH_H

#include <cerl.h>

#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

/* Monotonic nanoseconds. */
static int64_t bench_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Resident bytes of this process (second field of /proc/self/statm), or -1. */
static int64_t bench_rss(void)
{
    long size = 0, resident = -1;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return -1;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2)
        resident = -1;
    fclose(f);
    return resident < 0 ? -1 : (int64_t)resident * sysconf(_SC_PAGESIZE);
}

/* One figure for the driver: "@@ key value", flushed at once so that the
** line is out even if a later step crashes the runtime. */
static void bench_report(const char *key, double value)
{
    printf("@@ %s %.6g\n", key, value);
    fflush(stdout);
}

#endif
