/*
** test_purge_scan.c
** The purge's cached scan (runtime/purgescan.h) gives erl's answers: a
** process is found by purge, soft_purge and check_process_code exactly when
** a frame of it returns into the old code or it holds a closure of it, however
** long ago its stack was last walked; and a kill-on-purge reaches every monitor.
*/
#include <check.h>

#include "support.h"
#include <stdio.h>
#include <string.h>

#include "../../runtime/code.h"
#include "../../runtime/proc.h"
#include "../../runtime/purgescan.h"
#include "../../runtime/sched.h"

static void setup(void)
{
    support_start_runtime();
}

/* Holds whatever it is given, waiting in the runtime's code. */
static Term holder(Term held)
{
    while (erl_receive() != erl_atom("never"))
        ;
    return held;
}

/* ====================================================== stale summaries */

START_TEST(bystander_that_ran_new_code_since_the_last_scan_and_now_has_old_code_is_killed)
{
    Term mod = erl_atom("ps1");
    ck_assert(support_load_version("ps1", 1));
    ck_assert(support_load_version("ps1", 2)); /* version 1 is old, nobody runs it */
    Term pid = erl_spawn(support_bystander);
    sched_run_until_idle();
    /* the scan finds no frame of ps1 on its stack, and removes version 1 */
    ck_assert(!code_purge(mod));
    ck_assert(!code_has_old(mod));
    ck_assert(!code_check_process(pid, mod));
    /* it runs again: into ps1's current code, where it now waits */
    erl_send(pid, erl_tuple(erl_atom("call"), mod));
    sched_run_until_idle();
    ck_assert(support_load_version("ps1", 3)); /* what it runs is old now */
    ck_assert(code_check_process(pid, mod));
    ck_assert(!code_soft_purge(mod));
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(pid));
}
END_TEST

START_TEST(process_not_run_since_its_scan_is_found_when_its_old_frames_are_purged)
{
    Term mod = erl_atom("ps2");
    ck_assert(support_load_version("ps2", 1));
    Term pid = erl_spawn(support_loop_fn("ps2"));
    sched_run_until_idle();
    ck_assert(support_load_version("ps2", 2));
    erl_send(pid, erl_atom("go")); /* to version 2 */
    sched_run_until_idle();
    ck_assert(!code_purge(mod)); /* it survives: version 2 is current */
    ck_assert_ptr_nonnull(proc_find(pid));
    /* not run since that scan; version 2 becomes old */
    ck_assert(support_load_version("ps2", 3));
    ck_assert(code_check_process(pid, mod));
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(pid));
}
END_TEST

START_TEST(process_not_run_since_its_scan_holding_an_old_closure_is_found)
{
    Term mod = erl_atom("ps3");
    ck_assert(support_load_version("ps3", 1));
    Term f = erl_call(ps3, make, erl_mk_int(1));
    Term pid = erl_spawn(holder, f);
    Term other = erl_spawn(holder, ERL_NIL);
    sched_run_until_idle();
    ck_assert(support_load_version("ps3", 2)); /* the closure's code is old */
    support_scan_now("ps_unrelated");
    ck_assert(code_check_process(pid, mod));
    ck_assert(!code_check_process(other, mod));
    ck_assert(!code_soft_purge(mod)); /* scans again: nothing ran since */
    ck_assert(code_check_process(pid, mod));
    /* a closure that arrives by message while it waits counts as well */
    Term g = erl_call(ps3, make, erl_mk_int(2)); /* of version 2 */
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(pid));
    ck_assert_ptr_nonnull(proc_find(other));
    ck_assert(!code_purge(mod));
    erl_send(other, g); /* 'other' is not run: the message just waits */
    ck_assert(support_load_version("ps3", 3));
    ck_assert(code_check_process(other, mod));
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(other));
}
END_TEST

/* ========================================================== soft_purge */

START_TEST(soft_purge_is_false_exactly_while_some_process_runs_the_old_code)
{
    Term mod = erl_atom("ps4");
    ck_assert(code_soft_purge(mod)); /* no such module: true */
    ck_assert(support_load_version("ps4", 1));
    ck_assert(code_soft_purge(mod)); /* no old version: true */
    ck_assert(support_load_version("ps4", 2));
    ck_assert(code_soft_purge(mod)); /* old, nobody runs it: true, removed */
    ck_assert(!code_has_old(mod));
    Term pid = erl_spawn(support_loop_fn("ps4")); /* in version 2 */
    Term f = erl_call(ps4, make, erl_mk_int(1));
    Term hold = erl_spawn(holder, f);
    sched_run_until_idle();
    ck_assert(support_load_version("ps4", 3));
    for (int i = 0; i < 2; i++) { /* the second time from the summaries */
        ck_assert(!code_soft_purge(mod));
        ck_assert(code_has_old(mod));
        ck_assert_ptr_nonnull(proc_find(pid));
        ck_assert_ptr_nonnull(proc_find(hold));
    }
    erl_send(pid, erl_atom("go")); /* leaves the old code */
    sched_run_until_idle();
    ck_assert(!code_soft_purge(mod)); /* the closure still holds it */
    erl_exit2(hold, AM_kill);
    sched_run_until_idle();
    ck_assert(code_soft_purge(mod));
    ck_assert(!code_has_old(mod));
    ck_assert_ptr_nonnull(proc_find(pid)); /* soft_purge kills nobody */
    erl_exit2(pid, AM_kill);
    sched_run_until_idle();
}
END_TEST

/* ======================================================= DOWN messages */

static Term got[32];
static int ngot;
static Heap keep;

/* Monitors each pid of the list Targets (the first twice), then waits for
** N messages and keeps them in got[]. */
static Term watch(Term targets, Term n)
{
    Term refs = ERL_NIL;
    for (Term t = targets; erl_is_cons(t); t = erl_tl(t))
        refs = erl_cons(erl_monitor(erl_hd(t)), refs);
    erl_monitor(erl_hd(targets));
    for (int64_t i = 0; i < erl_int_value(n); i++)
        got[ngot++] = term_copy(&keep, erl_receive());
    return refs;
}

static bool is_down_killed(Term m, Term pid)
{
    return erl_is_tuple(m) && erl_tuple_size(m) == 5 && erl_element(m, 1) == erl_atom("DOWN") &&
           erl_element(m, 3) == erl_atom("process") && erl_element(m, 4) == pid &&
           erl_element(m, 5) == erl_atom("killed");
}

START_TEST(kill_on_purge_sends_down_killed_to_every_monitor_in_pid_order)
{
    Term mod = erl_atom("ps5");
    ngot = 0;
    ck_assert(support_load_version("ps5", 1));
    /* processes that come and go first, so that the victims' slots are
    ** handed out from the free list, not in pid order */
    Term gone[4];
    for (int i = 0; i < 4; i++)
        gone[i] = erl_spawn(holder, ERL_NIL);
    sched_run_until_idle();
    for (int i = 0; i < 4; i++)
        erl_exit2(gone[i], AM_kill);
    sched_run_until_idle();
    Term v[3];
    for (int i = 0; i < 3; i++)
        v[i] = erl_spawn(support_loop_fn("ps5"));
    Term targets = erl_list(v[0], v[1], v[2]);
    Term w1 = erl_spawn(watch, targets, erl_mk_int(4));
    Term w2 = erl_spawn(watch, erl_list(v[2]), erl_mk_int(2));
    sched_run_until_idle();
    ck_assert(support_load_version("ps5", 2));
    ck_assert(code_purge(mod));
    sched_run_until_idle();
    for (int i = 0; i < 3; i++)
        ck_assert_ptr_null(proc_find(v[i]));
    ck_assert_int_eq(ngot, 6);
    ck_assert_ptr_null(proc_find(w1));
    ck_assert_ptr_null(proc_find(w2));
    /* w1 ran first: its four, v0 (twice), v1, v2 in pid order; then w2's two */
    Term order[6] = {v[0], v[0], v[1], v[2], v[2], v[2]};
    for (int i = 0; i < 6; i++)
        ck_assert_msg(is_down_killed(got[i], order[i]), "message %d", i);
}
END_TEST

/* ================================================================ slots */

START_TEST(every_live_process_has_a_slot_and_a_dead_one_none)
{
    size_t before = purgescan_count();
    Term a = erl_spawn(holder, ERL_NIL), b = erl_spawn(holder, ERL_NIL);
    ck_assert_uint_eq(purgescan_count(), before + 2);
    Proc *pa = proc_find(a);
    ck_assert_ptr_eq(purgescan_proc(pa->scan_slot), pa);
    erl_exit2(a, AM_kill);
    erl_exit2(b, AM_kill);
    sched_run_until_idle();
    ck_assert_uint_eq(purgescan_count(), before);
}
END_TEST

Suite *purge_scan_suite(void)
{
    Suite *s = suite_create("purge_scan");
    TCase *tc = tcase_create("purge_scan");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, bystander_that_ran_new_code_since_the_last_scan_and_now_has_old_code_is_killed);
    tcase_add_test(tc, process_not_run_since_its_scan_is_found_when_its_old_frames_are_purged);
    tcase_add_test(tc, process_not_run_since_its_scan_holding_an_old_closure_is_found);
    tcase_add_test(tc, soft_purge_is_false_exactly_while_some_process_runs_the_old_code);
    tcase_add_test(tc, kill_on_purge_sends_down_killed_to_every_monitor_in_pid_order);
    tcase_add_test(tc, every_live_process_has_a_slot_and_a_dead_one_none);
    suite_add_tcase(s, tc);
    return s;
}
