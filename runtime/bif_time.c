/*
** bif_time.c
** erl's clocks: erlang:monotonic_time, system_time, time_offset, timestamp,
** convert_time_unit, and unique_integer.
*/
#include "bif.h"
#include "bignum.h"
#include "error.h"
#include "export.h"

#include <string.h>
#include <time.h>

/* erl's monotonic clock starts far below zero (its native unit is the
** nanosecond, its first values about -2^59); cerl's reads the same way, so
** code that assumes nothing about the start runs alike. */
#define MONOTONIC_START (-((int64_t)1 << 59))

/* The node's clocks: when it started, and the unique_integer counters.
** System-wide, as erl's are. */
static struct {
    int64_t start_ns;        /* CLOCK_MONOTONIC at bif_time_init */
    uint64_t monotonic_next; /* unique_integer([monotonic]) */
    uint64_t unique_next;    /* unique_integer() without monotonic */
} clk;

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t bif_monotonic_ns(void)
{
    return clock_ns(CLOCK_MONOTONIC) - clk.start_ns + MONOTONIC_START;
}

int64_t bif_uptime_ns(void)
{
    return clock_ns(CLOCK_MONOTONIC) - clk.start_ns;
}

/* Parts per second of a time unit term, or 0 for one erl refuses. */
static int64_t unit_parts(Term unit)
{
    static const struct {
        const char *name;
        int64_t parts;
    } units[] = {
        {"second", 1},          {"millisecond", 1000},     {"microsecond", 1000000},
        {"nanosecond", 1000000000}, {"native", 1000000000}, {"perf_counter", 1000000000},
        {"seconds", 1},         {"milli_seconds", 1000},   {"micro_seconds", 1000000},
        {"nano_seconds", 1000000000},
    };
    if (erl_is_int(unit))
        return erl_int_value(unit) > 0 ? erl_int_value(unit) : 0;
    if (!erl_is_atom(unit))
        return 0;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (unit == erl_atom(units[i].name))
            return units[i].parts;
    return 0;
}

/* ns nanoseconds in 'parts' per second, rounded down as erl does. */
static Term in_unit(int64_t ns, int64_t parts)
{
    __int128 v = (__int128)ns * parts;
    __int128 q = v / 1000000000;
    if (v % 1000000000 != 0 && v < 0)
        q--;
    if (q >= INT64_MIN && q <= INT64_MAX)
        return int_from_i64(heap_current(), (int64_t)q);
    mpz_t z;
    mpz_init(z);
    mpz_set_si(z, (long)(q >> 62));
    mpz_mul_2exp(z, z, 62);
    mpz_add_ui(z, z, (unsigned long)(q & (((__int128)1 << 62) - 1)));
    Term t = big_from_mpz(heap_current(), z);
    mpz_clear(z);
    return t;
}

static int64_t unit_or_badarg(const char *name, Term unit)
{
    int64_t parts = unit_parts(unit);
    if (!parts)
        BADARG(name, "argument 1: invalid time unit", unit);
    return parts;
}

static int64_t system_ns(void)
{
    return clock_ns(CLOCK_REALTIME);
}

static Term bif_monotonic_time0(void)
{
    return in_unit(bif_monotonic_ns(), 1000000000);
}

static Term bif_monotonic_time1(Term unit)
{
    return in_unit(bif_monotonic_ns(), unit_or_badarg("erlang:monotonic_time", unit));
}

static Term bif_system_time0(void)
{
    return in_unit(system_ns(), 1000000000);
}

static Term bif_system_time1(Term unit)
{
    return in_unit(system_ns(), unit_or_badarg("erlang:system_time", unit));
}

Term erl_monotonic_time(Term unit)
{
    return bif_monotonic_time1(unit);
}

Term erl_system_time(Term unit)
{
    return bif_system_time1(unit);
}

static Term bif_time_offset0(void)
{
    return in_unit(system_ns() - bif_monotonic_ns(), 1000000000);
}

static Term bif_time_offset1(Term unit)
{
    return in_unit(system_ns() - bif_monotonic_ns(), unit_or_badarg("erlang:time_offset", unit));
}

/* {MegaSecs, Secs, MicroSecs} of the system time. */
static Term bif_timestamp(void)
{
    int64_t us = system_ns() / 1000;
    return erl_tuple(erl_mk_int(us / 1000000000000), erl_mk_int(us / 1000000 % 1000000), erl_mk_int(us % 1000000));
}

static Term bif_convert_time_unit(Term t, Term from, Term to)
{
    int64_t pf = unit_parts(from), pt = unit_parts(to), v;
    if (!int_is(t) || !pf || !pt || !int_get_i64(t, &v))
        BADARG("erlang:convert_time_unit", NULL, t, from, to);
    __int128 x = (__int128)v * pt;
    __int128 q = x / pf;
    if (x % pf != 0 && x < 0)
        q--;
    if (q < INT64_MIN || q > INT64_MAX)
        BADARG("erlang:convert_time_unit", NULL, t, from, to);
    return int_from_i64(heap_current(), (int64_t)q);
}

/* ==================================================== unique_integer */

/* unique_integer(Modifiers): [monotonic] values share one counter, which
** [positive] starts at 1 instead of -2^59; the others come from a second
** counter, likewise. */
static Term unique(Term mods, bool arity1)
{
    bool positive = false, monotonic = false;
    Term l = mods;
    for (; arity1 && erl_is_cons(l); l = erl_tl(l)) {
        if (erl_hd(l) == erl_atom("positive"))
            positive = true;
        else if (erl_hd(l) == erl_atom("monotonic"))
            monotonic = true;
        else
            BADARG("erlang:unique_integer", "argument 1: invalid modifier", mods);
    }
    if (arity1 && l != ERL_NIL)
        BADARG("erlang:unique_integer", "argument 1: not a list", mods);
    uint64_t n = monotonic ? clk.monotonic_next++ : clk.unique_next++;
    return int_from_i64(heap_current(), positive ? (int64_t)n + 1 : (int64_t)n + MONOTONIC_START);
}

static Term bif_unique_integer0(void)
{
    return unique(ERL_NIL, false);
}

static Term bif_unique_integer1(Term mods)
{
    return unique(mods, true);
}

/* date() -> {Year, Month, Day}; time() -> {Hour, Minute, Second}: the
** local calendar, as erl's. */
static Term local_triple(bool date)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    if (date)
        return erl_tuple(erl_mk_int(tm.tm_year + 1900), erl_mk_int(tm.tm_mon + 1), erl_mk_int(tm.tm_mday));
    return erl_tuple(erl_mk_int(tm.tm_hour), erl_mk_int(tm.tm_min), erl_mk_int(tm.tm_sec));
}
static Term bif_date(void) { return local_triple(true); }
static Term bif_time(void) { return local_triple(false); }

/* ====================================================== registration */

void bif_time_init(void)
{
    static const struct {
        const char *name;
        int arity;
        void *fn;
    } bifs[] = {
        {"monotonic_time", 0, (void *)bif_monotonic_time0},
        {"monotonic_time", 1, (void *)bif_monotonic_time1},
        {"system_time", 0, (void *)bif_system_time0},
        {"system_time", 1, (void *)bif_system_time1},
        {"time_offset", 0, (void *)bif_time_offset0},
        {"time_offset", 1, (void *)bif_time_offset1},
        {"timestamp", 0, (void *)bif_timestamp},
        {"convert_time_unit", 3, (void *)bif_convert_time_unit},
        {"unique_integer", 0, (void *)bif_unique_integer0},
        {"unique_integer", 1, (void *)bif_unique_integer1},
    };
    if (!clk.start_ns)
        clk.start_ns = clock_ns(CLOCK_MONOTONIC);
    for (size_t i = 0; i < sizeof bifs / sizeof *bifs; i++)
        export_builtin("erlang", bifs[i].name, bifs[i].arity, bifs[i].fn);
    export_builtin("erlang", "date", 0, (void *)bif_date)->autoimport = true;
    export_builtin("erlang", "time", 0, (void *)bif_time)->autoimport = true;
}
