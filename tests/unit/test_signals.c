/*
** test_signals.c
** Exit signals (normal / kill / other reasons, trapping or not, through
** exit/2, links and monitors), selective receive, timeouts, timers,
** demonitor, and process_info.
*/
#include <check.h>
#include <poll.h>
#include <stdio.h>

#include "../../runtime/bif.h"
#include "../../runtime/code.h"
#include "../../runtime/export.h"
#include "../../runtime/monitor.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

static Heap keep; /* outlives the processes whose results it holds */

static void setup(void)
{
    atom_init();
    proc_init();
    code_init();
    bif_init();
}

/* Runs the scheduler until nothing is runnable and no timeout is pending. */
static bool idle_until_timers_done(void)
{
    long t = sched_next_timeout();
    if (t < 0)
        return false;
    poll(NULL, 0, (int)t);
    return true;
}

static void run_all(void)
{
    sched_run(idle_until_timers_done);
}

/* ------------------------------------------------------------ helpers */

static Term wait_forever(void)
{
    for (;;)
        erl_receive();
    return AM_ok; /* not reached */
}

/* Traps exits, then stores each message it gets in inbox. */
static Term inbox[8];
static int ninbox;

static Term trapper(void)
{
    erl_trap_exit(AM_true);
    for (;;)
        inbox[ninbox++] = term_copy(&keep, erl_receive());
    return AM_ok; /* not reached */
}

static Term linked_to(Term other)
{
    erl_link(other);
    for (;;)
        erl_receive();
    return AM_ok; /* not reached */
}

static Term trapper_linked_to(Term other)
{
    erl_trap_exit(AM_true);
    erl_link(other);
    for (;;)
        inbox[ninbox++] = term_copy(&keep, erl_receive());
    return AM_ok; /* not reached */
}

static bool alive(Term pid)
{
    return proc_find(pid) != NULL;
}

static Term downs[8];
static int ndowns;

static Term watcher(Term target)
{
    erl_monitor(target);
    downs[ndowns++] = term_copy(&keep, erl_receive());
    return AM_ok;
}

static void reset(void)
{
    ninbox = ndowns = 0;
}

static bool is_exit_msg(Term m, Term from, Term reason)
{
    return erl_is_tuple(m) && erl_tuple_size(m) == 3 && erl_element(m, 1) == AM_EXIT &&
           erl_element(m, 2) == from && erl_eq(erl_element(m, 3), reason);
}

/* ========================================================== exit/2 */

START_TEST(exit_normal_is_ignored_unless_trapped)
{
    reset();
    Term p = erl_spawn(wait_forever), t = erl_spawn(trapper);
    run_all();
    erl_exit2(p, AM_normal);
    erl_exit2(t, AM_normal);
    run_all();
    ck_assert(alive(p) && alive(t));
    ck_assert_int_eq(ninbox, 1);
    ck_assert(is_exit_msg(inbox[0], pid_make(0), AM_normal));
    erl_exit2(p, AM_kill);
    erl_exit2(t, AM_kill);
}
END_TEST

START_TEST(exit_kill_cannot_be_trapped_and_is_seen_as_killed)
{
    reset();
    Term p = erl_spawn(wait_forever), t = erl_spawn(trapper);
    erl_spawn(watcher, p);
    erl_spawn(watcher, t);
    run_all();
    erl_exit2(p, AM_kill);
    erl_exit2(t, AM_kill);
    run_all();
    ck_assert(!alive(p) && !alive(t));
    ck_assert_int_eq(ninbox, 0);
    ck_assert_int_eq(ndowns, 2);
    ck_assert(erl_element(downs[0], 5) == AM_killed && erl_element(downs[1], 5) == AM_killed);
}
END_TEST

START_TEST(exit_other_reason_kills_non_trapping_and_is_a_message_when_trapping)
{
    reset();
    Term p = erl_spawn(wait_forever), t = erl_spawn(trapper);
    erl_spawn(watcher, p);
    run_all();
    erl_exit2(p, erl_atom("shutdown"));
    erl_exit2(t, erl_atom("shutdown"));
    run_all();
    ck_assert(!alive(p) && alive(t));
    ck_assert_int_eq(ndowns, 1);
    ck_assert(erl_element(downs[0], 5) == erl_atom("shutdown"));
    ck_assert_int_eq(ninbox, 1);
    ck_assert(is_exit_msg(inbox[0], pid_make(0), erl_atom("shutdown")));
    erl_exit2(t, AM_kill);
}
END_TEST

static Term exits_itself_normal(void)
{
    erl_exit2(erl_self(), AM_normal);
    return erl_atom("still_running"); /* not reached */
}

static Term self_exit_result;

static Term run_self_exit(void)
{
    Term r = exits_itself_normal();
    self_exit_result = r;
    return r;
}

START_TEST(exit_self_normal_ends_the_caller)
{
    reset();
    self_exit_result = ERL_NONE;
    Term p = erl_spawn(run_self_exit);
    erl_spawn(watcher, p);
    run_all();
    ck_assert(!alive(p));
    ck_assert(self_exit_result == ERL_NONE);
}
END_TEST

/* ============================================================= links */

START_TEST(linked_process_dies_with_the_same_abnormal_reason)
{
    reset();
    Term a = erl_spawn(wait_forever);
    Term b = erl_spawn(linked_to, a);
    erl_spawn(watcher, b);
    run_all();
    erl_exit2(a, erl_atom("boom"));
    run_all();
    ck_assert(!alive(a) && !alive(b));
    ck_assert_int_eq(ndowns, 1);
    ck_assert(erl_element(downs[0], 5) == erl_atom("boom"));
}
END_TEST

START_TEST(killed_process_propagates_killed_to_links)
{
    reset();
    Term a = erl_spawn(wait_forever);
    Term b = erl_spawn(linked_to, a);
    Term c = erl_spawn(trapper_linked_to, a);
    erl_spawn(watcher, b);
    run_all();
    erl_exit2(a, AM_kill);
    run_all();
    ck_assert(!alive(b) && alive(c));
    ck_assert(erl_element(downs[0], 5) == AM_killed);
    ck_assert_int_eq(ninbox, 1);
    ck_assert(is_exit_msg(inbox[0], a, AM_killed));
    erl_exit2(c, AM_kill);
}
END_TEST

static Term returns_after_message(void)
{
    erl_receive();
    return AM_ok;
}

START_TEST(process_that_returns_exits_normal_to_links_and_monitors)
{
    reset();
    Term a = erl_spawn(returns_after_message);
    Term b = erl_spawn(linked_to, a);
    Term c = erl_spawn(trapper_linked_to, a);
    erl_spawn(watcher, a);
    run_all();
    erl_send(a, erl_atom("go"));
    run_all();
    ck_assert(!alive(a) && alive(b) && alive(c));
    ck_assert_int_eq(ndowns, 1);
    ck_assert(erl_element(downs[0], 5) == AM_normal);
    ck_assert_int_eq(ninbox, 1);
    ck_assert(is_exit_msg(inbox[0], a, AM_normal));
    erl_exit2(b, AM_kill);
    erl_exit2(c, AM_kill);
}
END_TEST

/* ================================================ receive and timers */

static int match_tag(Term msg, void *ctx)
{
    return erl_is_tuple(msg) && erl_element(msg, 1) == *(Term *)ctx;
}

static Term order[8];
static int norder;

static Term selective(void)
{
    Term b = erl_atom("b");
    order[norder++] = term_copy(&keep, erl_receive_match(match_tag, &b, -1));
    order[norder++] = term_copy(&keep, erl_receive());
    order[norder++] = term_copy(&keep, erl_receive());
    Term none = erl_receive_timeout(0);
    order[norder++] = none == ERL_NONE ? erl_atom("none") : none;
    return AM_ok;
}

START_TEST(selective_receive_leaves_other_messages_in_order)
{
    norder = 0;
    Term p = erl_spawn(selective);
    erl_send(p, erl_tuple(erl_atom("a"), erl_mk_int(1)));
    erl_send(p, erl_tuple(erl_atom("c"), erl_mk_int(3)));
    erl_send(p, erl_tuple(erl_atom("b"), erl_mk_int(2)));
    run_all();
    ck_assert_int_eq(norder, 4);
    ck_assert(erl_element(order[0], 1) == erl_atom("b"));
    ck_assert(erl_element(order[1], 1) == erl_atom("a"));
    ck_assert(erl_element(order[2], 1) == erl_atom("c"));
    ck_assert(order[3] == erl_atom("none"));
}
END_TEST

static uint64_t waited_ms;

static Term times_out(void)
{
    uint64_t t0 = sched_now_ms();
    Term r = erl_receive_timeout(60);
    waited_ms = sched_now_ms() - t0;
    return r == ERL_NONE ? AM_ok : AM_error;
}

START_TEST(receive_with_timeout_returns_nothing_after_the_timeout)
{
    waited_ms = 0;
    erl_spawn(times_out);
    run_all();
    ck_assert_uint_ge(waited_ms, 60);
    ck_assert_uint_lt(waited_ms, 1000);
}
END_TEST

static Term timer_msgs[4];
static int ntimer;
static uint64_t got_at;

static Term timer_user(void)
{
    uint64_t t0 = sched_now_ms();
    erl_send_after(40, erl_self(), erl_atom("late"));
    Term r = erl_send_after(20, erl_self(), erl_atom("cancelled"));
    Term left = erl_cancel_timer(r);
    timer_msgs[ntimer++] = left;
    timer_msgs[ntimer++] = erl_cancel_timer(r); /* already cancelled: false */
    timer_msgs[ntimer++] = erl_receive();
    got_at = sched_now_ms() - t0;
    timer_msgs[ntimer++] = erl_receive_timeout(60) == ERL_NONE ? erl_atom("nothing_more") : AM_error;
    return AM_ok;
}

START_TEST(send_after_delivers_later_and_cancel_timer_stops_it)
{
    ntimer = 0;
    erl_spawn(timer_user);
    run_all();
    ck_assert_int_eq(ntimer, 4);
    ck_assert(erl_is_int(timer_msgs[0]) && erl_int_value(timer_msgs[0]) <= 20);
    ck_assert(timer_msgs[1] == AM_false);
    ck_assert(timer_msgs[2] == erl_atom("late"));
    ck_assert_uint_ge(got_at, 40);
    ck_assert(timer_msgs[3] == erl_atom("nothing_more"));
}
END_TEST

static Term sleeper(void)
{
    uint64_t t0 = sched_now_ms();
    erl_sleep(30);
    waited_ms = sched_now_ms() - t0;
    return AM_ok;
}

START_TEST(sleep_waits_and_others_run_meanwhile)
{
    waited_ms = 0;
    reset();
    erl_spawn(sleeper);
    Term p = erl_spawn(trapper);
    run_all();
    ck_assert_uint_ge(waited_ms, 30);
    ck_assert(alive(p));
    erl_exit2(p, AM_kill);
}
END_TEST

/* ========================================================= demonitor */

static Term demon_results[4];

static Term demonitor_user(Term target)
{
    Term r1 = erl_monitor(target);
    erl_exit2(target, AM_kill); /* DOWN for r1 is queued now */
    Term r2 = erl_monitor(erl_atom("nobody_at_all")); /* noproc DOWN queued */
    demon_results[0] = proc_demonitor(r1, true) ? AM_true : AM_false;
    demon_results[1] = erl_mk_int((int64_t)proc_current()->mbox.len); /* only r2's DOWN left */
    Term m = erl_receive();
    demon_results[2] = erl_eq(erl_element(m, 2), r2) ? AM_true : AM_false;
    demon_results[3] = proc_demonitor(r2, false) ? AM_true : AM_false; /* fired already */
    return AM_ok;
}

START_TEST(demonitor_flush_drops_a_queued_down)
{
    Term t = erl_spawn(wait_forever);
    erl_spawn(demonitor_user, t);
    run_all();
    /* the monitor was already gone (its DOWN delivered) when r1 was demonitored */
    ck_assert(demon_results[0] == AM_false);
    ck_assert(demon_results[1] == erl_mk_int(1));
    ck_assert(demon_results[2] == AM_true);
    ck_assert(demon_results[3] == AM_false);
}
END_TEST

/* ====================================================== process_info */

static Term info_of(Term pid, const char *key)
{
    Term argv[2] = {pid, erl_atom(key)};
    Term r = export_apply(AM_erlang, erl_atom("process_info"), 2, argv);
    return erl_is_tuple(r) ? erl_element(r, 2) : r;
}

START_TEST(process_info_reports_name_status_queue_links_and_sizes)
{
    Term a = erl_spawn(wait_forever);
    Term b = erl_spawn(linked_to, a);
    run_all();
    erl_register(erl_atom("info_target"), a);
    erl_send(a, erl_atom("m1"));
    ck_assert(info_of(a, "registered_name") == erl_atom("info_target"));
    ck_assert(info_of(a, "status") == AM_runnable);
    ck_assert(info_of(a, "message_queue_len") == erl_mk_int(1));
    Term links = info_of(a, "links");
    ck_assert(erl_is_cons(links) && erl_hd(links) == b && erl_tl(links) == ERL_NIL);
    ck_assert(info_of(a, "trap_exit") == AM_false);
    run_all();
    ck_assert(info_of(a, "status") == AM_waiting);
    ck_assert(info_of(a, "message_queue_len") == erl_mk_int(0));
    ck_assert(erl_is_int(info_of(a, "stack_size")) && erl_int_value(info_of(a, "stack_size")) > 0);
    ck_assert(erl_is_int(info_of(a, "reductions")) && erl_int_value(info_of(a, "reductions")) >= 2);
    ck_assert(erl_is_int(info_of(a, "heap_size")));
    erl_exit2(a, AM_kill);
    ck_assert(info_of(a, "status") == AM_undefined);
    ck_assert(!alive(b));
}
END_TEST

/* ========================================================== fairness */

static int64_t sent_when_other_ran = -1;
static int64_t sent_so_far;

static Term busy_sender(Term sink)
{
    for (sent_so_far = 0; sent_so_far < 200000; sent_so_far++)
        erl_send(sink, erl_mk_int(sent_so_far));
    return AM_ok;
}

static Term sink(void)
{
    for (;;)
        erl_receive();
    return AM_ok; /* not reached */
}

static Term bystander(void)
{
    sent_when_other_ran = sent_so_far;
    return AM_ok;
}

START_TEST(a_process_sending_in_a_loop_does_not_starve_the_others)
{
    Term s = erl_spawn(sink);
    run_all(); /* the sink waits in receive */
    erl_spawn(busy_sender, s);
    erl_spawn(bystander);
    run_all();
    /* the bystander ran long before the sender was done */
    ck_assert_int_ge(sent_when_other_ran, 0);
    ck_assert_int_lt(sent_when_other_ran, 200000);
    erl_exit2(s, AM_kill);
}
END_TEST

Suite *signals_suite(void)
{
    Suite *s = suite_create("signals");
    TCase *tc = tcase_create("signals");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, exit_normal_is_ignored_unless_trapped);
    tcase_add_test(tc, exit_kill_cannot_be_trapped_and_is_seen_as_killed);
    tcase_add_test(tc, exit_other_reason_kills_non_trapping_and_is_a_message_when_trapping);
    tcase_add_test(tc, exit_self_normal_ends_the_caller);
    tcase_add_test(tc, linked_process_dies_with_the_same_abnormal_reason);
    tcase_add_test(tc, killed_process_propagates_killed_to_links);
    tcase_add_test(tc, process_that_returns_exits_normal_to_links_and_monitors);
    tcase_add_test(tc, selective_receive_leaves_other_messages_in_order);
    tcase_add_test(tc, receive_with_timeout_returns_nothing_after_the_timeout);
    tcase_add_test(tc, send_after_delivers_later_and_cancel_timer_stops_it);
    tcase_add_test(tc, sleep_waits_and_others_run_meanwhile);
    tcase_add_test(tc, demonitor_flush_drops_a_queued_down);
    tcase_add_test(tc, process_info_reports_name_status_queue_links_and_sizes);
    tcase_add_test(tc, a_process_sending_in_a_loop_does_not_starve_the_others);
    suite_add_tcase(s, tc);
    return s;
}
