/*
** test_faultcatch.c
** erl_catch_fault: a fault of the code it calls lands in it as an exit with
** the fault's reason, and the process goes on; a fault under a plain
** erl_catch still ends the process; a stack overflow under the new frame is
** caught only when the frame leaves enough stack, else the process ends.
*/
#include <check.h>

#include "support.h"
#include <stdio.h>
#include <string.h>

#include "../../runtime/code.h"
#include "../../runtime/fault.h"
#include "../../runtime/print.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

static const char *const fcatch_src =
    "#include <cerl.h>\n"
    "MODULE(fcatch);\n"
    "EXPORT(null/0, deep/0);\n"
    "static volatile int *nowhere;\n"
    "Term null(void) { return erl_mk_int(*nowhere); }\n"
    "static int recurse(int n) { volatile char pad[64]; pad[0] = (char)n; return recurse(n + 1) + pad[0]; }\n"
    "Term deep(void) { return erl_mk_int(recurse(0)); }\n";

static void load_fcatch(void)
{
    support_load_current("fcatch", fcatch_src);
}

/* The module's functions, called from the test processes. */
static Term call_module(void *ctx)
{
    const char *fun = ctx;
    Term (*fn)(void) = (Term(*)(void))erl_export_entry("fcatch", fun, 0)->fn;
    return fn();
}

/* What the test processes saw, copied to a heap that outlives them. */
static Heap keep;
static Term seen[8];
static int nseen, nreports;
static Term down_reason;

static void see(Term t)
{
    seen[nseen++] = term_copy(&keep, t);
}

static void count_report(Proc *p, Term reason)
{
    nreports++;
}

/* Runs body in a fresh monitored process; returns the reason it ended with. */
static Term (*body)(void);

static Term watch(void)
{
    Term pid = erl_spawn(body);
    erl_monitor(pid);
    Term down = erl_receive();
    down_reason = term_copy(&keep, erl_element(down, 5));
    return AM_ok;
}

static Term run(Term (*fn)(void))
{
    load_fcatch();
    body = fn;
    nseen = nreports = 0;
    down_reason = ERL_NONE;
    proc_error_hook = count_report;
    erl_spawn(watch);
    sched_run_until_idle();
    proc_error_hook = NULL;
    ck_assert_msg(down_reason != ERL_NONE, "no 'DOWN' arrived");
    return down_reason;
}

/* Whether t is {Tag, {fcatch, Fun, current}} (and a third element when size is 3). */
static bool is_fault(Term t, const char *tag, uint64_t size, const char *fun)
{
    if (!erl_is_tuple(t) || erl_tuple_size(t) != size || erl_element(t, 1) != erl_atom(tag))
        return false;
    Term w = erl_element(t, 2);
    return erl_is_tuple(w) && erl_tuple_size(w) == 3 && erl_element(w, 1) == erl_atom("fcatch") &&
           erl_element(w, 2) == erl_atom(fun) && erl_element(w, 3) == erl_atom("current");
}

/* try Fun() catch C:R:S -> see({R, C, R, S}) end, then returns to the caller. */
static void catch_fault_of(const char *fun)
{
    Term v, cls, stack = ERL_NONE;
    int r = erl_catch_fault(call_module, (void *)fun, &v, &cls, &stack);
    see(erl_tuple(erl_mk_int(r), r ? ERL_NIL : cls, v, r ? ERL_NIL : stack));
}

/* ============================================== a fault lands in the frame */

static Term segv_caught(void)
{
    catch_fault_of("null");
    catch_fault_of("null"); /* the process and its catching go on */
    erl_exit(erl_atom("went_on"));
}

START_TEST(segv_under_erl_catch_fault_is_an_exit_with_the_fault_reason)
{
    Term r = run(segv_caught);
    ck_assert_msg(r == erl_atom("went_on"), "reason: %s", support_show(r));
    ck_assert_int_eq(nseen, 2);
    ck_assert_int_eq(nreports, 0); /* caught: not reported */
    for (int i = 0; i < 2; i++) {
        Term s = seen[i];
        ck_assert(erl_element(s, 1) == erl_mk_int(0));
        ck_assert(erl_element(s, 2) == erl_atom("exit"));
        Term why = erl_element(s, 3);
        ck_assert_msg(is_fault(why, "segv", 3, "null"), "caught: %s", support_show(why));
        ck_assert(erl_element(why, 3) == erl_mk_int(0));
        /* the stack trace starts at the faulting function */
        Term st = erl_element(s, 4);
        ck_assert_msg(erl_is_cons(st) && erl_is_tuple(erl_hd(st)) &&
                          erl_element(erl_hd(st), 1) == erl_atom("fcatch") &&
                          erl_element(erl_hd(st), 2) == erl_atom("null"),
                      "stack: %s", support_show(st));
    }
}
END_TEST

/* ============================================ plain catches let it pass */

static Term plain_catch_body(void *ctx)
{
    Term v, cls;
    erl_catch(call_module, (void *)"null", &v, &cls);
    see(erl_atom("plain_caught"));
    return v;
}

static Term segv_under_plain(void)
{
    Term v, cls;
    erl_catch(call_module, (void *)"null", &v, &cls);
    see(erl_atom("plain_caught"));
    erl_exit(erl_atom("went_on"));
}

START_TEST(segv_under_plain_erl_catch_still_ends_the_process)
{
    Term r = run(segv_under_plain);
    ck_assert_msg(is_fault(r, "segv", 3, "null"), "reason: %s", support_show(r));
    ck_assert_int_eq(nseen, 0);
    ck_assert_int_eq(nreports, 1); /* reported as before */
}
END_TEST

static Term plain_inside_fault_frame(void)
{
    Term v, cls;
    int r = erl_catch_fault(plain_catch_body, NULL, &v, &cls, NULL);
    see(erl_tuple(erl_mk_int(r), cls, v));
    erl_exit(erl_atom("went_on"));
}

START_TEST(a_plain_catch_between_is_passed_by_and_abandoned)
{
    Term r = run(plain_inside_fault_frame);
    ck_assert_msg(r == erl_atom("went_on"), "reason: %s", support_show(r));
    ck_assert_int_eq(nseen, 1); /* not "plain_caught" */
    ck_assert(erl_element(seen[0], 1) == erl_mk_int(0));
    ck_assert(erl_element(seen[0], 2) == erl_atom("exit"));
    ck_assert_msg(is_fault(erl_element(seen[0], 3), "segv", 3, "null"), "caught: %s", support_show(seen[0]));
}
END_TEST

/* ======================================================= stack overflow */

static Term overflow_caught(void)
{
    catch_fault_of("deep");
    catch_fault_of("null"); /* the stack serves again after the overflow */
    erl_exit(erl_atom("went_on"));
}

START_TEST(stack_overflow_under_erl_catch_fault_is_caught_with_stack_to_spare)
{
    Term r = run(overflow_caught);
    ck_assert_msg(r == erl_atom("went_on"), "reason: %s", support_show(r));
    ck_assert_int_eq(nseen, 2);
    ck_assert(erl_element(seen[0], 2) == erl_atom("exit"));
    Term why = erl_element(seen[0], 3);
    ck_assert_msg(is_fault(why, "stack_overflow", 2, "recurse"), "caught: %s", support_show(why));
    ck_assert_msg(is_fault(erl_element(seen[1], 3), "segv", 3, "null"), "then: %s", support_show(seen[1]));
    ck_assert_int_eq(nreports, 0);
}
END_TEST

/* The catch frame made with less than 64 KB of the process's stack left
** below it: a fault there cannot be caught safely, so it ends the process. */
__attribute__((noinline, no_sanitize_address)) static void low_on_stack(size_t depth)
{
    volatile char pad[4096];
    pad[0] = 1;
    if (depth > 4096) {
        low_on_stack(depth - 4096);
    } else {
        catch_fault_of("deep");
        see(erl_atom("after"));
    }
    pad[1] = pad[0];
}

static Term overflow_near_the_bottom(void)
{
    Proc *p = proc_current();
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    uintptr_t left = here - (uintptr_t)p->stack.base;
    low_on_stack(left - 40 * 1024); /* leaves ~40 KB below the frame */
    erl_exit(erl_atom("went_on"));
}

START_TEST(stack_overflow_with_too_little_stack_below_the_frame_ends_the_process)
{
    Term r = run(overflow_near_the_bottom);
    ck_assert_msg(is_fault(r, "stack_overflow", 2, "recurse"), "reason: %s", support_show(r));
    ck_assert_int_eq(nseen, 0);
    ck_assert_int_eq(nreports, 1);
}
END_TEST

/* ============================================== without a fault */

static Term returns_7(void *ctx)
{
    return erl_mk_int(7);
}

static Term raises_exit(void *ctx)
{
    erl_exit(erl_atom("why"));
}

static Term no_fault(void)
{
    Term v, cls, stack = ERL_NONE;
    int r = erl_catch_fault(returns_7, NULL, &v, &cls, &stack);
    see(erl_tuple(erl_mk_int(r), v));
    r = erl_catch_fault(raises_exit, NULL, &v, &cls, NULL);
    see(erl_tuple(erl_mk_int(r), cls, v));
    /* no frame left behind: a raise now ends the process */
    erl_exit(erl_atom("went_on"));
}

START_TEST(without_a_fault_erl_catch_fault_is_erl_catch_stack)
{
    Term r = run(no_fault);
    ck_assert_msg(r == erl_atom("went_on"), "reason: %s", support_show(r));
    ck_assert_int_eq(nseen, 2);
    ck_assert(erl_eq(seen[0], erl_tuple(erl_mk_int(1), erl_mk_int(7))));
    ck_assert(erl_eq(seen[1], erl_tuple(erl_mk_int(0), erl_atom("exit"), erl_atom("why"))));
}
END_TEST

/* valgrind reports every faulting access as an error before the handler
** runs: under it, only the test that does not fault runs (as test_fault.c). */

Suite *faultcatch_suite(void)
{
    Suite *s = suite_create("faultcatch");
    TCase *tc = tcase_create("no_fault");
    tcase_add_checked_fixture(tc, support_start_faulting_runtime, NULL);
    tcase_add_test(tc, without_a_fault_erl_catch_fault_is_erl_catch_stack);
    suite_add_tcase(s, tc);
    if (RUNNING_ON_VALGRIND)
        return s;
    tc = tcase_create("faultcatch");
    tcase_add_checked_fixture(tc, support_start_faulting_runtime, NULL);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, segv_under_erl_catch_fault_is_an_exit_with_the_fault_reason);
    tcase_add_test(tc, segv_under_plain_erl_catch_still_ends_the_process);
    tcase_add_test(tc, a_plain_catch_between_is_passed_by_and_abandoned);
    tcase_add_test(tc, stack_overflow_under_erl_catch_fault_is_caught_with_stack_to_spare);
    tcase_add_test(tc, stack_overflow_with_too_little_stack_below_the_frame_ends_the_process);
    suite_add_tcase(s, tc);
    return s;
}
