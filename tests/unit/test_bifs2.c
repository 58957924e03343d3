/*
** test_bifs2.c
** The BIFs people type whose values vary from run to run, checked by shape:
** the process limit, the clocks, unique_integer, statistics, memory,
** process_info of a live process, and the process dictionary across a
** collection.
*/
#include <check.h>

#include "support.h"

#include <errno.h>
#include <time.h>

#include "../../runtime/bif.h"
#include "../../runtime/bignum.h"
#include "../../runtime/error.h"
#include "../../runtime/export.h"
#include "../../runtime/gc.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

static void setup(void)
{
    support_start_runtime();
}

/* erlang:Fun(Args...) through the export table, as module code calls it. */
static Term call(const char *fun, int argc, const Term *argv)
{
    return export_apply(AM_erlang, erl_atom(fun), argc, argv);
}

static Term call0(const char *fun)
{
    return call(fun, 0, NULL);
}

static Term call1(const char *fun, Term a)
{
    return call(fun, 1, &a);
}

static int64_t int_of(Term t)
{
    int64_t v;
    ck_assert_msg(int_get_i64(t, &v), "not an integer that fits");
    return v;
}

static bool is_pair_of_ints(Term t)
{
    return erl_is_tuple(t) && erl_tuple_size(t) == 2 && int_is(erl_element(t, 1)) && int_is(erl_element(t, 2));
}

/* ====================================================== process limit */

static Term idle(void)
{
    return AM_ok;
}

static Term spawn_result;

/* Spawns until spawn raises; records the class and reason it raised. */
static Term spawn_until_refused(void)
{
    ErlCatch c;
    ErlException e;
    if (exc_try(&c) == 0) {
        for (int i = 0; i < 100; i++)
            erl_spawn(idle);
        exc_end(&c);
        spawn_result = erl_atom("never_refused");
    } else {
        exc_caught(&c, &e);
        spawn_result = e.cls == AM_error ? e.reason : erl_atom("wrong_class");
    }
    return AM_ok;
}

START_TEST(process_limit_is_erls_default)
{
    ck_assert_int_eq(int_of(call1("system_info", erl_atom("process_limit"))), 262144);
}
END_TEST

START_TEST(spawn_past_the_process_limit_raises_system_limit)
{
    size_t saved = proc_limit();
    proc_set_limit(proc_count() + 5);
    ck_assert_int_eq(int_of(call1("system_info", erl_atom("process_limit"))), (int64_t)proc_count() + 5);
    ck_assert_ptr_nonnull(proc_spawn((void *)spawn_until_refused, 0, NULL, 0));
    sched_run_until_idle();
    ck_assert(spawn_result == AM_system_limit);

    proc_set_limit(proc_count());
    errno = 0;
    ck_assert_ptr_null(proc_spawn((void *)idle, 0, NULL, 0));
    ck_assert_int_eq(errno, EAGAIN);
    proc_set_limit(saved);
    ck_assert_ptr_nonnull(proc_spawn((void *)idle, 0, NULL, 0));
    sched_run_until_idle();
}
END_TEST

START_TEST(process_count_counts_live_processes)
{
    int64_t before = int_of(call1("system_info", erl_atom("process_count")));
    ck_assert_ptr_nonnull(proc_spawn((void *)idle, 0, NULL, 0));
    ck_assert_int_eq(int_of(call1("system_info", erl_atom("process_count"))), before + 1);
    sched_run_until_idle();
    ck_assert_int_eq(int_of(call1("system_info", erl_atom("process_count"))), before);
}
END_TEST

/* ============================================================= clocks */

START_TEST(monotonic_time_starts_below_zero_and_never_goes_back)
{
    int64_t a = int_of(call0("monotonic_time"));
    int64_t b = int_of(call0("monotonic_time"));
    ck_assert(a < 0); /* erl's starts near -2^59 */
    ck_assert(b >= a);
    int64_t ms = int_of(call1("monotonic_time", erl_atom("millisecond")));
    ck_assert(ms / 1000 >= a / 1000000000 - 1 && ms / 1000 <= b / 1000000000 + 1);
}
END_TEST

START_TEST(system_time_is_the_time_of_day)
{
    int64_t s = int_of(call1("system_time", erl_atom("second")));
    int64_t now = (int64_t)time(NULL);
    ck_assert(s >= now - 1 && s <= now + 1);
    int64_t ns = int_of(call0("system_time"));
    ck_assert(ns / 1000000000 >= now - 1 && ns / 1000000000 <= now + 1);
    /* time_offset is system time minus monotonic time */
    int64_t off = int_of(call1("time_offset", erl_atom("second")));
    int64_t mono = int_of(call1("monotonic_time", erl_atom("second")));
    ck_assert(mono + off >= now - 2 && mono + off <= now + 2);
    Term ts = call0("timestamp");
    ck_assert(erl_is_tuple(ts) && erl_tuple_size(ts) == 3);
    ck_assert(int_of(erl_element(ts, 1)) * 1000000 + int_of(erl_element(ts, 2)) >= now - 1);
}
END_TEST

START_TEST(monotonic_unique_integers_increase_and_positive_ones_are_positive)
{
    Term mono = erl_list(erl_atom("monotonic"));
    int64_t a = int_of(call1("unique_integer", mono));
    int64_t b = int_of(call1("unique_integer", mono));
    ck_assert(b > a);
    Term pos = erl_list(erl_atom("positive"), erl_atom("monotonic"));
    int64_t c = int_of(call1("unique_integer", pos));
    int64_t d = int_of(call1("unique_integer", pos));
    ck_assert(c > 0 && d > c);
    ck_assert(int_of(call0("unique_integer")) != int_of(call0("unique_integer")));
}
END_TEST

/* ========================================================= statistics */

static Term count_to(Term n)
{
    for (int64_t i = 0; i < erl_int_value(n); i++)
        erl_receive_timeout(0); /* each a reduction */
    return AM_ok;
}

START_TEST(statistics_have_erls_shapes_and_count_what_ran)
{
    ck_assert(is_pair_of_ints(call1("statistics", erl_atom("runtime"))));
    ck_assert(is_pair_of_ints(call1("statistics", erl_atom("wall_clock"))));
    ck_assert(is_pair_of_ints(call1("statistics", erl_atom("context_switches"))));
    Term gc = call1("statistics", erl_atom("garbage_collection"));
    ck_assert(erl_is_tuple(gc) && erl_tuple_size(gc) == 3);
    ck_assert(int_is(call1("statistics", erl_atom("run_queue"))));

    int64_t before = int_of(erl_element(call1("statistics", erl_atom("reductions")), 1));
    int64_t switches = int_of(erl_element(call1("statistics", erl_atom("context_switches")), 1));
    Term n = erl_mk_int(5000);
    ck_assert_ptr_nonnull(proc_spawn((void *)count_to, 1, &n, 0));
    sched_run_until_idle();
    Term r = call1("statistics", erl_atom("reductions"));
    /* the process is gone: its reductions still count */
    ck_assert(int_of(erl_element(r, 1)) >= before + 5000);
    ck_assert(int_of(erl_element(r, 2)) >= 5000);
    ck_assert(int_of(erl_element(call1("statistics", erl_atom("context_switches")), 1)) > switches);
}
END_TEST

/* ============================================================= memory */

static int64_t memory_of(const char *type)
{
    return int_of(call1("memory", erl_atom(type)));
}

START_TEST(memory_total_is_processes_plus_system)
{
    ck_assert_ptr_nonnull(proc_spawn((void *)idle, 0, NULL, 0)); /* one process at least */
    Term all = call0("memory");
    ck_assert_int_eq(term_list_length(all), 9);
    int64_t v[9];
    int i = 0;
    static const char *const order[] = {"total", "processes", "processes_used", "system", "atom",
                                        "atom_used", "binary", "code", "ets"};
    for (Term l = all; erl_is_cons(l); l = erl_tl(l), i++) {
        ck_assert(erl_element(erl_hd(l), 1) == erl_atom(order[i]));
        v[i] = int_of(erl_element(erl_hd(l), 2));
    }
    ck_assert_int_eq(v[0], v[1] + v[3]);
    ck_assert(v[1] >= v[2] && v[2] > 0);
    ck_assert(v[4] > v[5] && v[5] > 0);
    ck_assert(v[3] >= v[4] + v[7]);
    ck_assert(memory_of("processes") > 0);
    sched_run_until_idle();
}
END_TEST

/* ================================================ process dictionary */

static Term dict_result;

/* put, lots of garbage, a collection, get: the dictionary is a root. */
static Term dict_across_gc(void)
{
    erl_put(erl_atom("k"), erl_tuple(erl_mk_string("kept"), erl_mk_int(42)));
    for (int i = 0; i < 20000; i++)
        erl_tuple(erl_mk_int(i), erl_mk_string("garbage"));
    gc_collect(proc_current(), NULL, 0);
    Term v = erl_get(erl_atom("k"));
    dict_result = erl_is_tuple(v) && erl_element(v, 2) == erl_mk_int(42) &&
                          erl_compare(erl_element(v, 1), erl_mk_string("kept")) == 0
                      ? AM_true
                      : AM_false;
    if (erl_put(erl_atom("k"), AM_ok) == AM_undefined || erl_erase(erl_atom("k")) != AM_ok ||
        erl_get(erl_atom("k")) != AM_undefined)
        dict_result = AM_false;
    return AM_ok;
}

START_TEST(process_dictionary_survives_a_collection)
{
    dict_result = AM_undefined;
    ck_assert_ptr_nonnull(proc_spawn((void *)dict_across_gc, 0, NULL, 0));
    sched_run_until_idle();
    ck_assert(dict_result == AM_true);
}
END_TEST

/* ======================================================= process_info */

static Term waiter(void)
{
    erl_receive();
    return AM_ok;
}

START_TEST(process_info_lists_erls_items_in_erls_order)
{
    Proc *p = proc_spawn((void *)waiter, 0, NULL, 0);
    ck_assert_ptr_nonnull(p);
    sched_run_until_idle();
    Term pid = p->pid;
    Term info = call1("process_info", pid);
    static const char *const keys[] = {"current_function", "initial_call", "status", "message_queue_len",
                                       "links", "dictionary", "trap_exit", "error_handler", "priority",
                                       "group_leader", "total_heap_size", "heap_size", "stack_size",
                                       "reductions", "garbage_collection", "suspending"};
    int i = 0;
    for (Term l = info; erl_is_cons(l); l = erl_tl(l), i++)
        ck_assert_str_eq(erl_atom_name(erl_element(erl_hd(l), 1)), keys[i]);
    ck_assert_int_eq(i, 16);
    Term two[] = {pid, erl_atom("status")};
    ck_assert(erl_element(call("process_info", 2, two), 2) == AM_waiting);
    Term mem[] = {pid, erl_atom("memory")};
    ck_assert(int_of(erl_element(call("process_info", 2, mem), 2)) > 0);
    Term many[] = {pid, erl_list(erl_atom("reductions"), erl_atom("parent"), erl_atom("registered_name"))};
    Term got = call("process_info", 2, many);
    ck_assert_int_eq(term_list_length(got), 3);
    ck_assert(int_of(erl_element(erl_hd(got), 2)) >= 1);
    ck_assert(erl_element(erl_hd(erl_tl(erl_tl(got))), 2) == ERL_NIL);
    erl_send(pid, AM_ok);
    sched_run_until_idle();
    ck_assert(call1("process_info", pid) == AM_undefined);
}
END_TEST

Suite *bifs2_suite(void)
{
    Suite *s = suite_create("bifs2");
    TCase *tc = tcase_create("bifs2");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, process_limit_is_erls_default);
    tcase_add_test(tc, spawn_past_the_process_limit_raises_system_limit);
    tcase_add_test(tc, process_count_counts_live_processes);
    tcase_add_test(tc, monotonic_time_starts_below_zero_and_never_goes_back);
    tcase_add_test(tc, system_time_is_the_time_of_day);
    tcase_add_test(tc, monotonic_unique_integers_increase_and_positive_ones_are_positive);
    tcase_add_test(tc, statistics_have_erls_shapes_and_count_what_ran);
    tcase_add_test(tc, memory_total_is_processes_plus_system);
    tcase_add_test(tc, process_dictionary_survives_a_collection);
    tcase_add_test(tc, process_info_lists_erls_items_in_erls_order);
    suite_add_tcase(s, tc);
    return s;
}
