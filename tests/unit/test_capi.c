/*
** test_capi.c
** The C API that reads like Erlang (issue 12, section 5), called from a
** process as module code calls it: erl_demonitor(_flush), erl_spawn_monitor,
** erl_make_ref, erl_is_process_alive, erl_list_length,
** erl_iolist_to_cstring (its snprintf-like truncation) and the clocks, with
** the badarg each raises where erl's BIF does.
*/
#include <check.h>

#include "support.h"

#include <string.h>
#include <time.h>

#include "../../runtime/bif.h"
#include "../../runtime/modapi.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

static void setup(void)
{
    support_start_runtime();
}

/* A check made inside a process, where Check's asserts cannot unwind: the
** first failing line is kept, and the test asserts it is 0 afterwards. */
static int failed_line;
#define CHECK(cond) \
    do { \
        if (!(cond) && !failed_line) \
            failed_line = __LINE__; \
    } while (0)

/* Runs body in a new process to its end; fails the test at the first
** CHECK that did not hold. */
static void run_in_process(Term (*body)(void))
{
    failed_line = -1;
    ck_assert_ptr_nonnull(proc_spawn((void *)body, 0, NULL, 0));
    sched_run_until_idle();
    ck_assert_msg(failed_line == 0, "check at line %d failed (-1: the process did not finish)", failed_line);
}

#define BEGIN() (failed_line = 0)

/* erl_catch of fn(ctx): the class and reason it raised, or {ok, Value}. */
static Term caught(Term (*fn)(void *), void *ctx)
{
    Term v, cls;
    return erl_catch(fn, ctx, &v, &cls) ? erl_tuple(AM_ok, v) : erl_tuple(cls, v);
}

static int is_error_badarg(Term r)
{
    return erl_is_tuple(r) && erl_element(r, 1) == AM_error && erl_element(r, 2) == AM_badarg;
}

/* =================================================== iolist to C string */

typedef struct {
    Term t;
    char *buf;
    unsigned long size, n;
} Iol;

static Term iol_of(void *ctx)
{
    Iol *i = ctx;
    i->n = erl_iolist_to_cstring(i->t, i->buf, i->size);
    return AM_ok;
}

static Term iolist_body(void)
{
    BEGIN();
    char buf[16];
    /* fits: all bytes and the NUL; the result is the byte count */
    memset(buf, 'x', sizeof buf);
    CHECK(erl_iolist_to_cstring(erl_mk_string("hello"), buf, sizeof buf) == 5 && !strcmp(buf, "hello"));
    /* exactly size - 1 bytes fit */
    memset(buf, 'x', sizeof buf);
    CHECK(erl_iolist_to_cstring(erl_mk_string("hello"), buf, 6) == 5 && !strcmp(buf, "hello"));
    /* cut short: size - 1 bytes and a NUL, nothing past buf[size - 1] */
    memset(buf, 'x', sizeof buf);
    CHECK(erl_iolist_to_cstring(erl_mk_string("hello"), buf, 3) == 5 && !strcmp(buf, "he") && buf[3] == 'x');
    memset(buf, 'x', sizeof buf);
    CHECK(erl_iolist_to_cstring(erl_mk_string("hello"), buf, 1) == 5 && buf[0] == '\0' && buf[1] == 'x');
    /* size 0: buf untouched (may be NULL), the count as ever */
    memset(buf, 'x', sizeof buf);
    CHECK(erl_iolist_to_cstring(erl_mk_string("hello"), buf, 0) == 5 && buf[0] == 'x');
    CHECK(erl_iolist_to_cstring(erl_mk_string("hello"), NULL, 0) == 5);
    /* nested lists, binaries as elements and as a tail, and a binary alone */
    Term deep = erl_list(erl_mk_string("ab"), erl_cons(erl_mk_int('c'), erl_mk_binary("de", 2)),
                         erl_list(erl_list(ERL_NIL)), erl_mk_binary("f", 1));
    CHECK(erl_iolist_to_cstring(deep, buf, sizeof buf) == 6 && !strcmp(buf, "abcdef"));
    CHECK(erl_iolist_to_cstring(erl_mk_binary("bin", 3), buf, sizeof buf) == 3 && !strcmp(buf, "bin"));
    CHECK(erl_iolist_to_cstring(ERL_NIL, buf, sizeof buf) == 0 && buf[0] == '\0');
    /* a 0 byte is copied as it is */
    memset(buf, 'x', sizeof buf);
    CHECK(erl_iolist_to_cstring(erl_list(erl_mk_int('a'), erl_mk_int(0), erl_mk_int('b')), buf, sizeof buf) == 3 &&
          !memcmp(buf, "a\0b\0", 4));
    /* not iodata: badarg, as iolist_to_binary; buf untouched */
    Term bad[] = {erl_atom("abc"), erl_list(erl_mk_int(256)), erl_list(erl_mk_int(-1)), erl_list(erl_atom("a")),
                  erl_cons(erl_mk_int(1), erl_mk_int(2)), erl_mk_int(7), erl_tuple(erl_mk_int(1))};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        memset(buf, 'x', sizeof buf);
        Iol i = {bad[k], buf, sizeof buf, 99};
        CHECK(is_error_badarg(caught(iol_of, &i)) && i.n == 99 && buf[0] == 'x');
    }
    return AM_ok;
}

START_TEST(iolist_to_cstring_truncates_as_snprintf_and_raises_badarg)
{
    run_in_process(iolist_body);
}
END_TEST

/* ========================================================== list length */

static Term length_body(void)
{
    BEGIN();
    CHECK(erl_list_length(ERL_NIL) == 0);
    CHECK(erl_list_length(erl_list(erl_mk_int(1), erl_mk_int(2), erl_mk_int(3))) == 3);
    CHECK(erl_list_length(erl_mk_string("abcd")) == 4);
    CHECK(erl_list_length(erl_cons(erl_mk_int(1), erl_mk_int(2))) == -1);
    CHECK(erl_list_length(erl_list(erl_mk_int(1), erl_cons(erl_mk_int(2), erl_atom("c")))) == 2); /* [1, [2 | c]] */
    CHECK(erl_list_length(erl_cons(erl_mk_int(1), erl_cons(erl_mk_int(2), erl_atom("c")))) == -1);
    CHECK(erl_list_length(erl_atom("a")) == -1);
    CHECK(erl_list_length(erl_tuple(erl_mk_int(1))) == -1);
    CHECK(erl_list_length(erl_mk_binary("ab", 2)) == -1);
    Term l = ERL_NIL;
    for (int i = 0; i < 100000; i++)
        l = erl_cons(erl_mk_int(i), l);
    CHECK(erl_list_length(l) == 100000);
    return AM_ok;
}

START_TEST(list_length_counts_proper_lists_and_is_minus_one_otherwise)
{
    run_in_process(length_body);
}
END_TEST

/* ============================================ refs and processes alive */

static Term wait_stop(void)
{
    while (erl_receive() != erl_atom("stop"))
        ;
    return AM_ok;
}

static void wait_dead(Term pid)
{
    while (erl_is_process_alive(pid) == AM_true)
        erl_sleep(1);
}

static Term alive_of(void *x)
{
    return erl_is_process_alive(*(Term *)x);
}

static Term refs_alive_body(void)
{
    BEGIN();
    Term r1 = erl_make_ref(), r2 = erl_make_ref();
    CHECK(erl_is_ref(r1) && erl_is_ref(r2) && !erl_eq(r1, r2));
    CHECK(erl_is_process_alive(erl_self()) == AM_true);
    Term pid = erl_spawn(wait_stop);
    CHECK(erl_is_process_alive(pid) == AM_true);
    erl_send(pid, erl_atom("stop"));
    wait_dead(pid);
    CHECK(erl_is_process_alive(pid) == AM_false);
    Term bad[] = {erl_atom("a"), r1, erl_mk_int(1), ERL_NIL};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        CHECK(is_error_badarg(caught(alive_of, &bad[k])));
    return AM_ok;
}

START_TEST(make_ref_is_unique_and_is_process_alive_answers_atoms)
{
    run_in_process(refs_alive_body);
}
END_TEST

/* ====================================== spawn_monitor and demonitor */

static Term exit_with(Term a, Term b)
{
    erl_exit(erl_tuple(a, b));
}

static int is_down_of(Term msg, void *ref)
{
    return erl_is_tuple(msg) && erl_tuple_size(msg) == 5 && erl_element(msg, 1) == erl_atom("DOWN") &&
           erl_eq(erl_element(msg, 2), *(Term *)ref);
}

static Term demonitor_of(void *x)
{
    return erl_demonitor(*(Term *)x);
}

static Term demonitor_flush_of(void *x)
{
    return erl_demonitor_flush(*(Term *)x);
}

/* {Pid, Ref} of erl_spawn_monitor(exit_with, A, B), once Pid is gone. */
static Term spawn_monitor_dead(Term *pid, Term *ref)
{
    Term pr = erl_spawn_monitor(exit_with, erl_atom("a"), erl_mk_int(2));
    CHECK(erl_is_tuple(pr) && erl_tuple_size(pr) == 2);
    *pid = erl_element(pr, 1);
    *ref = erl_element(pr, 2);
    CHECK(erl_is_pid(*pid) && erl_is_ref(*ref));
    wait_dead(*pid);
    return pr;
}

static Term monitor_body(void)
{
    BEGIN();
    Term pid, ref;
    /* the 'DOWN' names the ref, the pid and the reason made of the arguments */
    spawn_monitor_dead(&pid, &ref);
    Term down = erl_receive_match(is_down_of, &ref, 0);
    CHECK(down != ERL_NONE && erl_element(down, 3) == erl_atom("process") && erl_eq(erl_element(down, 4), pid) &&
          erl_eq(erl_element(down, 5), erl_tuple(erl_atom("a"), erl_mk_int(2))));
    /* demonitor after the 'DOWN' was sent: true, the message stays */
    spawn_monitor_dead(&pid, &ref);
    CHECK(erl_demonitor(ref) == AM_true);
    CHECK(erl_receive_match(is_down_of, &ref, 0) != ERL_NONE);
    /* demonitor(Ref, [flush]): true, the message is gone */
    spawn_monitor_dead(&pid, &ref);
    CHECK(erl_demonitor_flush(ref) == AM_true);
    CHECK(erl_receive_match(is_down_of, &ref, 0) == ERL_NONE);
    /* demonitor while it runs: no 'DOWN' when it ends */
    Term pr = erl_spawn_monitor(wait_stop);
    pid = erl_element(pr, 1);
    ref = erl_element(pr, 2);
    CHECK(erl_demonitor(ref) == AM_true);
    erl_send(pid, erl_atom("stop"));
    wait_dead(pid);
    CHECK(erl_receive_match(is_down_of, &ref, 0) == ERL_NONE);
    /* a ref that names no monitor, twice: true */
    Term r = erl_make_ref();
    CHECK(erl_demonitor(r) == AM_true && erl_demonitor_flush(r) == AM_true);
    /* not a ref: badarg */
    Term bad[] = {erl_atom("a"), erl_self(), erl_mk_int(1)};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        CHECK(is_error_badarg(caught(demonitor_of, &bad[k])));
        CHECK(is_error_badarg(caught(demonitor_flush_of, &bad[k])));
    }
    return AM_ok;
}

START_TEST(spawn_monitor_and_demonitor_as_erl)
{
    run_in_process(monitor_body);
}
END_TEST

/* ============================================================= clocks */

typedef struct {
    bool system;
    Term unit;
} Clock;

static Term clock_of(void *ctx)
{
    Clock *c = ctx;
    return c->system ? erl_system_time(c->unit) : erl_monotonic_time(c->unit);
}

static Term clocks_body(void)
{
    BEGIN();
    long s;
    time_t before = time(NULL);
    CHECK(erl_get_long(erl_system_time(erl_atom("second")), &s));
    time_t after = time(NULL);
    CHECK(s >= before && s <= after);
    long ms, ns;
    CHECK(erl_get_long(erl_system_time(erl_atom("millisecond")), &ms) && ms / 1000 >= before && ms / 1000 <= after + 1);
    CHECK(erl_get_long(erl_monotonic_time(erl_atom("nanosecond")), &ns));
    long native, us;
    CHECK(erl_get_long(erl_monotonic_time(erl_atom("native")), &native) && native >= ns);
    CHECK(erl_get_long(erl_monotonic_time(erl_atom("microsecond")), &us) && us * 1000 >= ns - 1000 &&
          us * 1000 - native < 1000000000);
    CHECK(erl_get_long(erl_monotonic_time(erl_mk_int(1000)), &ms) && ms * 1000000 > ns - 1000000);
    CHECK(erl_get_long(erl_monotonic_time(erl_atom("perf_counter")), &ns));
    Clock bad[] = {{true, erl_atom("foo")}, {false, erl_atom("foo")}, {true, erl_mk_int(0)},
                   {false, erl_mk_int(-5)}, {true, erl_mk_string("second")}};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        CHECK(is_error_badarg(caught(clock_of, &bad[k])));
    return AM_ok;
}

START_TEST(clocks_take_erls_units_and_raise_badarg)
{
    run_in_process(clocks_body);
}
END_TEST

START_TEST(module_api_table_lists_the_new_calls)
{
    static const char *const names[] = {"erl_demonitor",        "erl_demonitor_flush", "erl_spawn_monitor_fn",
                                        "erl_make_ref",         "erl_is_process_alive", "erl_list_length",
                                        "erl_iolist_to_cstring", "erl_monotonic_time",  "erl_system_time"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        ck_assert_msg(modapi_find(names[k]) != NULL, "%s missing from modapi_symbols", names[k]);
}
END_TEST

Suite *capi_suite(void)
{
    Suite *s = suite_create("capi");
    TCase *tc = tcase_create("capi");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, iolist_to_cstring_truncates_as_snprintf_and_raises_badarg);
    tcase_add_test(tc, list_length_counts_proper_lists_and_is_minus_one_otherwise);
    tcase_add_test(tc, make_ref_is_unique_and_is_process_alive_answers_atoms);
    tcase_add_test(tc, spawn_monitor_and_demonitor_as_erl);
    tcase_add_test(tc, clocks_take_erls_units_and_raise_badarg);
    tcase_add_test(tc, module_api_table_lists_the_new_calls);
    suite_add_tcase(s, tc);
    return s;
}
