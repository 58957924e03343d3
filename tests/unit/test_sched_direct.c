/*
** test_sched_direct.c
** Direct switches (a blocking or yielding process hands the CPU straight to
** the next runnable one): processes run in run-queue order, messages arrive
** in send order, a spinning process starves no one, the idle hook keeps its
** turns and timeouts still fire while processes never stop being runnable,
** and processes that exit or are killed mid-way are never switched to.
*/
#include <check.h>

#include "support.h"

#include "../../runtime/bif.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

/* Terms the test processes leave behind, copied to a heap that outlives them. */
static Heap keep;

static void setup(void)
{
    support_start_runtime();
}

/* Every bounded loop gives up after this long: a scheduler that never lets
** the others run fails the test instead of hanging it. */
enum { GIVE_UP_MS = 3000 };

static bool expired(uint64_t start)
{
    return sched_now_ms() - start >= GIVE_UP_MS;
}

/* ============================================================== order */

enum { LOG_MAX = 64 };
static char run_log[LOG_MAX + 1];
static int run_log_len;

static void log_char(char c)
{
    if (run_log_len < LOG_MAX)
        run_log[run_log_len++] = c;
    run_log[run_log_len] = '\0';
}

/* Logs its letter three times, yielding after each. */
static Term log_and_yield(Term letter)
{
    for (int i = 0; i < 3; i++) {
        log_char((char)erl_int_value(letter));
        erl_yield();
    }
    return AM_ok;
}

START_TEST(yielding_processes_take_turns_in_run_queue_order)
{
    run_log_len = 0;
    run_log[0] = '\0';
    erl_spawn(log_and_yield, erl_mk_int('a'));
    erl_spawn(log_and_yield, erl_mk_int('b'));
    erl_spawn(log_and_yield, erl_mk_int('c'));
    sched_run_until_idle();
    ck_assert_str_eq(run_log, "abcabcabc");
}
END_TEST

/* Waits for a message (a pid), logs its letter, and with 'answer' sends ok
** to that pid. */
static Term log_and_answer(Term letter, Term answer)
{
    Term from = erl_receive();
    log_char((char)erl_int_value(letter));
    if (answer == AM_true)
        erl_send(from, AM_ok);
    return AM_ok;
}

/* Wakes b, then c, then blocks until c answers. */
static Term wake_two_then_wait(Term b, Term c)
{
    erl_send(b, erl_self());
    erl_send(c, erl_self());
    log_char('a');
    erl_receive();
    log_char('a');
    return AM_ok;
}

START_TEST(a_blocking_process_hands_over_to_the_first_woken)
{
    Term b = erl_spawn(log_and_answer, erl_mk_int('b'), AM_false);
    Term c = erl_spawn(log_and_answer, erl_mk_int('c'), AM_true);
    sched_run_until_idle(); /* both wait now */
    run_log_len = 0;
    run_log[0] = '\0';
    erl_spawn(wake_two_then_wait, b, c);
    sched_run_until_idle();
    /* a logs and blocks: b runs (woken first), then c, which wakes a */
    ck_assert_str_eq(run_log, "abca");
}
END_TEST

enum { SENDERS = 4, PER_SENDER = 500 };
static Term order_result;

/* Sends {Id, 0..PER_SENDER-1} to To, yielding now and then. */
static Term send_numbered(Term to, Term id)
{
    for (int i = 0; i < PER_SENDER; i++) {
        erl_send(to, erl_tuple(id, erl_mk_int(i)));
        if (i % 7 == 0)
            erl_yield();
    }
    return AM_ok;
}

/* Receives every message and checks each sender's are in order. */
static Term collect_in_order(void)
{
    int64_t next[SENDERS] = {0};
    for (int n = 0; n < SENDERS * PER_SENDER; n++) {
        Term m = erl_receive();
        int64_t id = erl_int_value(erl_element(m, 1)), i = erl_int_value(erl_element(m, 2));
        if (i != next[id]) {
            order_result = term_copy(&keep, m);
            return AM_ok;
        }
        next[id]++;
    }
    order_result = erl_atom("in_order");
    return AM_ok;
}

START_TEST(messages_from_each_sender_arrive_in_send_order)
{
    order_result = ERL_NONE;
    Term collector = erl_spawn(collect_in_order);
    for (int s = 0; s < SENDERS; s++)
        erl_spawn(send_numbered, collector, erl_mk_int(s));
    sched_run_until_idle();
    ck_assert(order_result == erl_atom("in_order"));
}
END_TEST

static uint64_t yield_reductions;

/* Yields 100 times while no other process is runnable. */
static Term yield_alone(void)
{
    Proc *self = proc_find(erl_self());
    uint64_t before = self->reductions;
    for (int i = 0; i < 100; i++)
        erl_yield();
    yield_reductions = self->reductions - before;
    return AM_ok;
}

/* The watchdog (interrupt.c) takes a process whose reductions stop moving
** for one that never yields. */
START_TEST(a_lone_process_yielding_without_a_switch_still_counts_reductions)
{
    yield_reductions = 0;
    erl_spawn(yield_alone);
    sched_run_until_idle();
    ck_assert_uint_ge(yield_reductions, 100);
}
END_TEST

/* ============================================================ fairness */

static volatile bool stop_all;
static long bounces;

/* Bounces every message back to peer until stop_all (or it gives up), then tells the peer
** to stop too. Started with peer undefined, it first receives its peer's
** pid; otherwise it sends the peer its own pid and the first ball. */
static Term bounce(Term peer)
{
    uint64_t start = sched_now_ms();
    if (peer == AM_undefined) {
        peer = erl_receive();
    } else {
        erl_send(peer, erl_self());
        erl_send(peer, AM_ok);
    }
    for (;;) {
        Term m = erl_receive();
        if (m == erl_atom("stop"))
            return AM_ok;
        bounces++;
        if (stop_all || expired(start)) {
            erl_send(peer, erl_atom("stop"));
            return AM_ok;
        }
        erl_send(peer, m);
    }
}

/* Two bouncing processes: one of the two is always runnable, and each
** switch between them is a direct one. */
static void start_bouncers(void)
{
    bounces = 0;
    Term a = erl_spawn(bounce, AM_undefined);
    erl_spawn(bounce, a);
}

static long spinner_rounds;

/* Yields until stop_all (or gives up). */
static Term spin(void)
{
    uint64_t start = sched_now_ms();
    spinner_rounds = 0;
    while (!stop_all && !expired(start)) {
        erl_yield();
        spinner_rounds++;
    }
    return AM_ok;
}

static Term fair_result;

/* Waits for 1000 bounces of the others while the spinner spins. */
static Term count_bounces(void)
{
    uint64_t start = sched_now_ms();
    while (bounces < 1000 && !expired(start))
        erl_yield();
    fair_result = bounces >= 1000 ? erl_atom("bounced") : erl_atom("starved");
    stop_all = true;
    return AM_ok;
}

START_TEST(a_spinning_process_does_not_starve_bouncing_ones)
{
    stop_all = false;
    fair_result = ERL_NONE;
    erl_spawn(spin);
    start_bouncers();
    erl_spawn(count_bounces);
    sched_run_until_idle();
    ck_assert(fair_result == erl_atom("bounced"));
    ck_assert_int_gt(spinner_rounds, 0);
}
END_TEST

enum { TURNS = 5 };
static int turns;
static uint64_t turn_at[TURNS];
static long bounces_at[TURNS];

/* Records when each turn comes and how far the bouncers got. */
static bool record_turn(void)
{
    if (turns < TURNS) {
        turn_at[turns] = sched_now_ms();
        bounces_at[turns] = bounces;
        turns++;
    }
    if (turns == TURNS)
        stop_all = true;
    /* after the bouncers stop, one last turn finds nothing runnable */
    return !(turns == TURNS && sched_next_timeout() != 0);
}

START_TEST(idle_hook_gets_its_turn_every_10_ms_while_processes_bounce)
{
    stop_all = false;
    turns = 0;
    start_bouncers();
    sched_run(record_turn);
    ck_assert_int_eq(turns, TURNS);
    for (int i = 1; i < TURNS; i++) {
        /* the processes ran between two turns, and the turn still came */
        ck_assert_int_gt(bounces_at[i], bounces_at[i - 1]);
        ck_assert_msg(turn_at[i] - turn_at[i - 1] < 200, "turn %d came after %d ms", i,
                      (int)(turn_at[i] - turn_at[i - 1]));
    }
}
END_TEST

/* ============================================================= timeouts */

static Term timeout_result;
static uint64_t waited_ms;

/* receive after 20 -> timeout end, while the bouncers keep the queue full. */
static Term wait_20_ms(void)
{
    uint64_t start = sched_now_ms();
    Term m = erl_receive_timeout(20);
    waited_ms = sched_now_ms() - start;
    timeout_result = m == ERL_NONE ? erl_atom("timeout") : term_copy(&keep, m);
    stop_all = true;
    return AM_ok;
}

START_TEST(receive_timeout_fires_while_other_processes_never_block)
{
    stop_all = false;
    timeout_result = ERL_NONE;
    erl_spawn(wait_20_ms);
    start_bouncers();
    sched_run_until_idle();
    ck_assert(timeout_result == erl_atom("timeout"));
    ck_assert_int_ge(waited_ms, 20);
    ck_assert_int_lt(waited_ms, 1000);
    ck_assert_int_gt(bounces, 0);
}
END_TEST

/* send_after 15 ms to itself, then waits for it. */
static Term wait_for_send_after(void)
{
    uint64_t start = sched_now_ms();
    erl_send_after(15, erl_self(), erl_atom("ding"));
    Term m = erl_receive();
    waited_ms = sched_now_ms() - start;
    timeout_result = term_copy(&keep, m);
    stop_all = true;
    return AM_ok;
}

START_TEST(send_after_arrives_while_other_processes_never_block)
{
    stop_all = false;
    timeout_result = ERL_NONE;
    erl_spawn(wait_for_send_after);
    start_bouncers();
    sched_run_until_idle();
    ck_assert(timeout_result == erl_atom("ding"));
    ck_assert_int_ge(waited_ms, 15);
    ck_assert_int_lt(waited_ms, 1000);
}
END_TEST

/* =============================================================== exits */

enum { RING = 50 };
static long ring_hops;

/* Receives a count, passes count+1 on, and ends (normal). */
static Term hop_and_exit(Term next)
{
    Term m = erl_receive();
    ring_hops++;
    erl_send(next, erl_mk_int(erl_int_value(m) + 1));
    return AM_ok;
}

static Term ring_result;

/* A ring whose every process exits right after forwarding: each exit goes
** through the scheduler while the next is already runnable. */
static Term run_exiting_ring(void)
{
    Term next = erl_self();
    for (int i = 0; i < RING; i++)
        next = erl_spawn(hop_and_exit, next);
    erl_send(next, erl_mk_int(0));
    ring_result = erl_receive();
    return AM_ok;
}

START_TEST(a_ring_of_processes_exiting_after_each_hop_completes)
{
    ring_hops = 0;
    ring_result = ERL_NONE;
    size_t before = proc_count();
    erl_spawn(run_exiting_ring);
    sched_run_until_idle();
    ck_assert(ring_result == erl_mk_int(RING));
    ck_assert_int_eq(ring_hops, RING);
    ck_assert_uint_eq(proc_count(), before);
}
END_TEST

static long victim_ran;

static Term victim(void)
{
    victim_ran++;
    return AM_ok;
}

static Term kill_result;

/* Wakes a process, kills it while it is the next to run, then blocks
** waiting for its 'DOWN': the switch must go past the dead one. */
static Term kill_the_next_one(void)
{
    Term pm = erl_spawn_monitor(victim); /* runnable, first in the queue */
    Term pid = erl_element(pm, 1);
    erl_exit2(pid, erl_atom("kill"));
    Term down = erl_receive();
    kill_result = term_copy(&keep, erl_tuple(erl_element(down, 1), erl_element(down, 5)));
    return AM_ok;
}

START_TEST(a_process_killed_while_next_in_the_run_queue_never_runs)
{
    victim_ran = 0;
    kill_result = ERL_NONE;
    size_t before = proc_count();
    erl_spawn(kill_the_next_one);
    sched_run_until_idle();
    ck_assert_int_eq(victim_ran, 0);
    ck_assert(erl_is_tuple(kill_result));
    ck_assert(erl_element(kill_result, 1) == erl_atom("DOWN"));
    ck_assert(erl_element(kill_result, 2) == erl_atom("killed"));
    ck_assert_uint_eq(proc_count(), before);
}
END_TEST

static Term crash(void *ctx)
{
    (void)ctx;
    return erl_div(erl_mk_int(1), erl_mk_int(0));
}

static Term catch_in_fresh;

/* Catches its own error: its catch frame must be its own, not the one of
** the process it was started from. */
static Term catch_own_error(void)
{
    Term value = ERL_NONE, cls = ERL_NONE;
    erl_catch(crash, NULL, &value, &cls);
    catch_in_fresh = term_copy(&keep, erl_tuple(cls, value));
    erl_error(erl_atom("after_catch"));
}

static Term parent_saw;

/* Spawns inside a catch and blocks there: the child starts by a direct
** switch from inside the parent's catch. */
static Term spawn_inside_catch(void *ctx)
{
    (void)ctx;
    Term pm = erl_spawn_monitor(catch_own_error);
    (void)pm;
    Term down = erl_receive();
    return erl_element(down, 5);
}

static Term parent_of_catcher(void)
{
    Term value = ERL_NONE, cls = ERL_NONE;
    int returned = erl_catch(spawn_inside_catch, NULL, &value, &cls);
    parent_saw = term_copy(&keep, erl_tuple(erl_mk_int(returned), value));
    return AM_ok;
}

START_TEST(a_process_started_by_a_direct_switch_has_its_own_catch_frames)
{
    catch_in_fresh = parent_saw = ERL_NONE;
    erl_spawn(parent_of_catcher);
    sched_run_until_idle();
    ck_assert(erl_is_tuple(catch_in_fresh));
    ck_assert(erl_element(catch_in_fresh, 1) == AM_error);
    ck_assert(erl_element(catch_in_fresh, 2) == erl_atom("badarith"));
    /* the parent's catch returned normally with the child's exit reason */
    ck_assert(erl_is_tuple(parent_saw));
    ck_assert(erl_element(parent_saw, 1) == erl_mk_int(1));
    Term reason = erl_element(parent_saw, 2);
    ck_assert(erl_is_tuple(reason) && erl_element(reason, 1) == erl_atom("after_catch"));
}
END_TEST

Suite *sched_direct_suite(void)
{
    Suite *s = suite_create("sched_direct");
    TCase *tc = tcase_create("order");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, yielding_processes_take_turns_in_run_queue_order);
    tcase_add_test(tc, a_blocking_process_hands_over_to_the_first_woken);
    tcase_add_test(tc, messages_from_each_sender_arrive_in_send_order);
    tcase_add_test(tc, a_lone_process_yielding_without_a_switch_still_counts_reductions);
    suite_add_tcase(s, tc);
    tc = tcase_create("fairness");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, a_spinning_process_does_not_starve_bouncing_ones);
    tcase_add_test(tc, idle_hook_gets_its_turn_every_10_ms_while_processes_bounce);
    tcase_add_test(tc, receive_timeout_fires_while_other_processes_never_block);
    tcase_add_test(tc, send_after_arrives_while_other_processes_never_block);
    suite_add_tcase(s, tc);
    tc = tcase_create("exits");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, a_ring_of_processes_exiting_after_each_hop_completes);
    tcase_add_test(tc, a_process_killed_while_next_in_the_run_queue_never_runs);
    tcase_add_test(tc, a_process_started_by_a_direct_switch_has_its_own_catch_frames);
    suite_add_tcase(s, tc);
    return s;
}
