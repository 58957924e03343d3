/*
** test_sched.c
** The scheduler, receive and timers: polling receives share the CPU and
** see their own timeouts, a busy process leaves the idle hook its turn,
** tail calls return to the caller of the function that makes them, a
** receive nested in a match callback skips nothing, timers fire in order.
*/
#include <check.h>

#include "support.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../runtime/bif.h"
#include "../../runtime/code.h"
#include "../../runtime/export.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"
#include "../../runtime/timer.h"

/* Terms the test processes leave behind, copied to a heap that outlives them. */
static Heap keep;

static void setup(void)
{
    support_start_runtime();
}

static void load_module(const char *name, const char *src)
{
    support_compile_module(name, src);
    support_load(name);
}

/* Every bounded loop below gives up after this long, so that a scheduler
** that never lets the others run fails the test instead of hanging it. */
enum { GIVE_UP_MS = 3000 };

static bool expired(uint64_t start)
{
    return sched_now_ms() - start >= GIVE_UP_MS;
}

/* ======================================================= polling receive */

static Term poll_result;

/* while (erl_receive_timeout(0) != go) ; with a time limit */
static Term poll_for_go(void)
{
    uint64_t start = sched_now_ms();
    poll_result = erl_atom("gave_up");
    while (!expired(start))
        if (erl_receive_timeout(0) == erl_atom("go")) {
            poll_result = erl_atom("got_go");
            break;
        }
    return AM_ok;
}

static Term send_go(Term to)
{
    erl_send(to, erl_atom("go"));
    return AM_ok;
}

START_TEST(polling_receive_lets_the_sender_it_waits_for_run)
{
    Term poller = erl_spawn(poll_for_go);
    erl_spawn(send_go, poller); /* queued behind the poller */
    sched_run_until_idle();
    ck_assert(poll_result == erl_atom("got_go"));
}
END_TEST

static Term poll_for_own_timer(void)
{
    erl_send_after(5, erl_self(), erl_atom("go"));
    return poll_for_go();
}

START_TEST(polling_receive_gets_its_own_send_after)
{
    erl_spawn(poll_for_own_timer);
    sched_run_until_idle();
    ck_assert(poll_result == erl_atom("got_go"));
}
END_TEST

/* A process that polls and never waits sees a receive-with-timeout of its
** own time out: the clock is read although nobody ever blocks. */
static Term timeout_result;
static volatile bool stop_spinning;

/* Waits 10 ms for a message that comes in 300 (far enough apart that a
** loaded machine holding the test off does not make both due at once),
** then polls for it. */
static Term wait_with_timeout_then_poll(void)
{
    uint64_t start = sched_now_ms();
    timeout_result = erl_atom("gave_up");
    erl_send_after(300, erl_self(), erl_atom("late"));
    if (erl_receive_timeout(10) != ERL_NONE)
        return AM_ok;
    while (!expired(start))
        if (erl_receive_timeout(0) == erl_atom("late")) {
            timeout_result = erl_atom("timed_out_then_got_late");
            break;
        }
    stop_spinning = true;
    return AM_ok;
}

static Term spin_until_stopped(void);

START_TEST(receive_timeout_and_send_after_fire_while_another_process_spins)
{
    stop_spinning = false;
    erl_spawn(spin_until_stopped);
    erl_spawn(wait_with_timeout_then_poll);
    sched_run_until_idle();
    ck_assert(timeout_result == erl_atom("timed_out_then_got_late"));
}
END_TEST

/* ================================================= the idle hook's turn */

static int spins;
static uint64_t spin_start;

/* Polls and yields until stop_spinning, or gives up. */
static Term spin_until_stopped(void)
{
    spins = 0;
    spin_start = sched_now_ms();
    while (!stop_spinning && !expired(spin_start)) {
        erl_receive_timeout(0);
        erl_yield();
        spins++;
    }
    stop_spinning = false;
    return AM_ok;
}

static Term spinner_pid;
static int turns_while_busy;

/* Counts the turns it gets while the spinner is still runnable. */
static bool idle_hook(void)
{
    Proc *p = proc_find(spinner_pid);
    if (p) {
        turns_while_busy++;
        if (turns_while_busy == 3)
            stop_spinning = true;
        return true;
    }
    return false;
}

START_TEST(idle_hook_gets_turns_while_a_process_stays_runnable)
{
    turns_while_busy = 0;
    stop_spinning = false;
    spinner_pid = erl_spawn(spin_until_stopped);
    sched_run(idle_hook);
    ck_assert_int_eq(turns_while_busy, 3);
    ck_assert_msg(!expired(spin_start), "the spinner ran until it gave up");
}
END_TEST

static Term wait_idle_saw;

/* What the shell does after a command: let the woken processes run first. */
static Term wait_idle_then_look(void)
{
    sched_wait_idle();
    wait_idle_saw = proc_find(spinner_pid) ? erl_atom("spinner_alive") : erl_atom("spinner_gone");
    stop_spinning = true;
    return AM_ok;
}

START_TEST(wait_idle_returns_while_another_process_stays_runnable)
{
    stop_spinning = false;
    wait_idle_saw = ERL_NONE;
    spinner_pid = erl_spawn(spin_until_stopped);
    erl_spawn(wait_idle_then_look);
    sched_run_until_idle();
    ck_assert(wait_idle_saw == erl_atom("spinner_alive"));
    ck_assert_msg(!expired(spin_start), "the spinner ran until it gave up");
}
END_TEST

/* ============================================================ tail calls */

/* f() -> R = tc1:g(), {f_got, R}.   g() -> tc1:h().   h() -> h_result.
** Also: a tail call made by a static helper called in non-tail position,
** loops of tail calls (stack stays bounded) with 2, 7 and 8 arguments,
** and 8-argument and 1-argument functions tail-calling each other. */
static const char *const tail_src =
    "#include <cerl.h>\n"
    "MODULE(tc1);\n"
    "EXPORT(f/0, g/0, h/0, f3/0, count2/2, count7/7, count8/8, ping8/8, pong1/1, loops/0);\n"
    "Term h(void) { return ATOM(h_result); }\n"
    "Term g(void) { erl_tail(tc1, h); }\n"
    "Term f(void) { Term R = erl_call(tc1, g); return erl_tuple(ATOM(f_got), R); }\n"
    "static Term helper(Term X) { erl_tail(tc1, count2, erl_mk_int(3), X); }\n"
    "Term f3(void) { Term R = helper(ATOM(x)); return erl_tuple(ATOM(f3_got), R); }\n"
    "Term count2(Term N, Term A) {\n"
    "    if (erl_int_value(N) == 0) return A;\n"
    "    char pad[512]; pad[0] = 1; (void)pad;\n"
    "    erl_tail(tc1, count2, erl_mk_int(erl_int_value(N) - 1), A); }\n"
    "Term count7(Term N, Term A, Term B, Term C, Term D, Term E, Term F) {\n"
    "    if (erl_int_value(N) == 0) return erl_tuple(A, B, C, D, E, F);\n"
    "    erl_tail(tc1, count7, erl_mk_int(erl_int_value(N) - 1), A, B, C, D, E, F); }\n"
    "Term count8(Term N, Term A, Term B, Term C, Term D, Term E, Term F, Term G) {\n"
    "    if (erl_int_value(N) == 0) return erl_tuple(A, B, C, D, E, F, G);\n"
    "    erl_tail(tc1, count8, erl_mk_int(erl_int_value(N) - 1), B, C, D, E, F, G, A); }\n"
    "Term pong1(Term N) { erl_tail(tc1, ping8, N, ATOM(a), ATOM(b), ATOM(c), ATOM(d), ATOM(e),\n"
    "    ATOM(f), ATOM(g)); }\n"
    "Term ping8(Term N, Term A, Term B, Term C, Term D, Term E, Term F, Term G) {\n"
    "    if (erl_int_value(N) == 0) return erl_tuple(A, G);\n"
    "    erl_tail(tc1, pong1, erl_mk_int(erl_int_value(N) - 1)); }\n"
    "Term loops(void) {\n"
    "    Term a = erl_call(tc1, count2, erl_mk_int(100000), ATOM(two));\n"
    "    Term b = erl_call(tc1, count7, erl_mk_int(100000), erl_mk_int(1), erl_mk_int(2),\n"
    "        erl_mk_int(3), erl_mk_int(4), erl_mk_int(5), erl_mk_int(6));\n"
    "    Term c = erl_call(tc1, count8, erl_mk_int(7), erl_mk_int(1), erl_mk_int(2),\n"
    "        erl_mk_int(3), erl_mk_int(4), erl_mk_int(5), erl_mk_int(6), erl_mk_int(7));\n"
    "    Term d = erl_call(tc1, count8, erl_mk_int(100000), erl_mk_int(1), erl_mk_int(2),\n"
    "        erl_mk_int(3), erl_mk_int(4), erl_mk_int(5), erl_mk_int(6), erl_mk_int(7));\n"
    "    Term e = erl_call(tc1, ping8, erl_mk_int(100000), ATOM(a), ATOM(b), ATOM(c), ATOM(d),\n"
    "        ATOM(e), ATOM(f), ATOM(g));\n"
    "    return erl_tuple(ATOM(loops_got), a, b, c, d, e); }\n";

static Term tail_result;
static long tail_sum;

/* Calls tc1:Fun() from a process, keeping values in callee-saved registers
** across the call: they must come back intact. */
static Term call_from_process(Term fun)
{
    long a = (long)erl_int_value(fun) * 3 + 1, b = a * 7, c = b ^ 5, d = c + a;
    Term r = export_apply(erl_atom("tc1"), fun, 0, NULL);
    tail_sum = a + b + c + d;
    tail_result = term_copy(&keep, r);
    return AM_ok;
}

static void load_tail_module(void)
{
    static bool loaded;
    if (!loaded)
        load_module("tc1", tail_src);
    loaded = true;
}

static Term run_in_process(const char *fun)
{
    tail_result = ERL_NONE;
    erl_spawn(call_from_process, erl_atom(fun));
    sched_run_until_idle();
    return tail_result;
}

START_TEST(tail_call_returns_to_the_caller_of_the_function_that_makes_it)
{
    load_tail_module();
    Term r = run_in_process("f");
    ck_assert_msg(r != ERL_NONE, "the caller of tc1:f() never got a value");
    ck_assert(erl_is_tuple(r) && erl_tuple_size(r) == 2);
    ck_assert(erl_element(r, 1) == erl_atom("f_got"));
    ck_assert(erl_element(r, 2) == erl_atom("h_result"));
    long a = (long)erl_int_value(erl_atom("f")) * 3 + 1, b = a * 7, c = b ^ 5, d = c + a;
    ck_assert_int_eq(tail_sum, a + b + c + d);
}
END_TEST

START_TEST(tail_call_from_a_local_helper_drops_only_the_helper)
{
    load_tail_module();
    Term r = run_in_process("f3");
    ck_assert(erl_is_tuple(r) && erl_tuple_size(r) == 2);
    ck_assert(erl_element(r, 1) == erl_atom("f3_got"));
    ck_assert(erl_element(r, 2) == erl_atom("x"));
}
END_TEST

START_TEST(tail_call_loops_of_any_arity_run_in_bounded_stack)
{
    load_tail_module();
    Term r = run_in_process("loops");
    ck_assert_msg(r != ERL_NONE, "tc1:loops() never returned");
    ck_assert(erl_is_tuple(r) && erl_tuple_size(r) == 6);
    ck_assert(erl_element(r, 1) == erl_atom("loops_got"));
    ck_assert(erl_element(r, 2) == erl_atom("two"));
    Term b = erl_element(r, 3), c = erl_element(r, 4), d = erl_element(r, 5), e = erl_element(r, 6);
    ck_assert(erl_is_tuple(b) && erl_tuple_size(b) == 6);
    for (int i = 1; i <= 6; i++)
        ck_assert(erl_element(b, (unsigned long)i) == erl_mk_int(i));
    /* count8 rotates its arguments once per call: 7 calls, back in place;
    ** 100000 = 7 * 14285 + 5 calls: rotated five times */
    ck_assert(erl_is_tuple(c) && erl_tuple_size(c) == 7);
    ck_assert(erl_is_tuple(d) && erl_tuple_size(d) == 7);
    for (int i = 1; i <= 7; i++) {
        ck_assert(erl_element(c, (unsigned long)i) == erl_mk_int(i));
        ck_assert(erl_element(d, (unsigned long)i) == erl_mk_int((i - 1 + 5) % 7 + 1));
    }
    ck_assert(erl_is_tuple(e) && erl_element(e, 1) == erl_atom("a") && erl_element(e, 2) == erl_atom("g"));
}
END_TEST

START_TEST(tail_call_outside_any_process_returns_to_its_caller_too)
{
    load_tail_module();
    ErlCatch c;
    ErlException e;
    Term r = ERL_NONE;
    if (exc_try(&c) == 0) {
        r = export_apply(erl_atom("tc1"), erl_atom("f"), 0, NULL);
        exc_end(&c);
    } else {
        exc_caught(&c, &e);
        ck_abort_msg("tc1:f() outside a process raised %s", erl_atom_name(e.reason));
    }
    ck_assert(erl_is_tuple(r) && erl_element(r, 1) == erl_atom("f_got"));
    ck_assert(erl_element(r, 2) == erl_atom("h_result"));
}
END_TEST

/* ================================================ receive inside a match */

static Term seen[8];
static int nseen;
static Term outer_got;
static Term inner_takes; /* what the callback takes when it sees 'a' */

/* Records each message; on 'a' first receives (nested) inner_takes, or
** the oldest message when that is ERL_NONE. Accepts anything but 'a'. */
static int nested_match_exact(Term msg, void *ctx);

static int nested_match(Term msg, void *ctx)
{
    seen[nseen++] = msg;
    if (msg == erl_atom("a")) {
        if (inner_takes == ERL_NONE)
            erl_receive_timeout(0);
        else
            erl_receive_match(nested_match_exact, &inner_takes, 0);
        return 0;
    }
    return 1;
}

static int nested_match_exact(Term msg, void *ctx)
{
    return msg == *(Term *)ctx;
}

static Term nested_receiver(void)
{
    erl_send(erl_self(), erl_atom("a"));
    erl_send(erl_self(), erl_atom("b"));
    erl_send(erl_self(), erl_atom("c"));
    nseen = 0;
    outer_got = erl_receive_match(nested_match, NULL, 0);
    Term rest = ERL_NIL;
    for (Term m; (m = erl_receive_timeout(0)) != ERL_NONE;)
        rest = erl_cons(m, rest);
    outer_got = term_copy(&keep, erl_tuple(outer_got, rest));
    return AM_ok;
}

START_TEST(receive_inside_a_match_callback_makes_the_outer_receive_skip_nothing)
{
    /* the callback takes the very message it is looking at */
    inner_takes = ERL_NONE;
    erl_spawn(nested_receiver);
    sched_run_until_idle();
    ck_assert_int_eq(nseen, 2);
    ck_assert(seen[0] == erl_atom("a"));
    ck_assert(seen[1] == erl_atom("b"));
    ck_assert(erl_element(outer_got, 1) == erl_atom("b"));
    ck_assert(erl_eq(erl_element(outer_got, 2), erl_list(erl_atom("c"))));
}
END_TEST

START_TEST(receive_inside_a_match_callback_taking_a_later_message)
{
    /* the callback takes 'b', after the one it looks at */
    inner_takes = erl_atom("b");
    erl_spawn(nested_receiver);
    sched_run_until_idle();
    ck_assert_int_eq(nseen, 2);
    ck_assert(seen[1] == erl_atom("c"));
    ck_assert(erl_element(outer_got, 1) == erl_atom("c"));
    ck_assert(erl_eq(erl_element(outer_got, 2), erl_list(erl_atom("a"))));
}
END_TEST

/* A model check: an outer selective receive whose match, at random, takes
** messages (the one it looks at, an earlier one, a later one, the oldest),
** sends new ones, or receives with a match that nests once more. Message i
** is the integer i, sent in order. The outer scan must see messages in
** arrival order, accept one still queued, and skip none still queued. */
static uint32_t rng = 12345;

static uint32_t next_random(void)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 16) & 0x7fff;
}

enum { MODEL_MAX = 400 };
static bool queued[MODEL_MAX]; /* the model's view of the mailbox */
static int sent, last_seen, model_errors, depth;
static bool seen_now[MODEL_MAX];

static int match_value(Term msg, void *ctx)
{
    return msg == erl_mk_int(*(int *)ctx);
}

static void take_value(int v)
{
    Term got = erl_receive_match(match_value, &v, 0);
    if (got != erl_mk_int(v))
        model_errors++;
    queued[v] = false;
}

static int random_queued(void)
{
    int n = 0, pick[MODEL_MAX];
    for (int i = 0; i < sent; i++)
        if (queued[i])
            pick[n++] = i;
    return n ? pick[next_random() % (unsigned)n] : -1;
}

static int model_match(Term msg, void *ctx)
{
    int v = (int)erl_int_value(msg);
    if (depth == 0) {
        if (v <= last_seen || !queued[v])
            model_errors++; /* out of order, or a message already taken */
        last_seen = v;
        seen_now[v] = true;
    }
    int r;
    switch (next_random() % 8) {
    case 0: take_value(v); break;                              /* the very message */
    case 1: if ((r = random_queued()) >= 0) take_value(r); break; /* any other */
    case 2: {                                                  /* the oldest */
        Term m = erl_receive_timeout(0);
        if (m != ERL_NONE)
            queued[erl_int_value(m)] = false;
        break;
    }
    case 3:
        if (sent < MODEL_MAX) {
            queued[sent] = true;
            erl_send(erl_self(), erl_mk_int(sent++));
        }
        break;
    case 4:
        if (depth < 2) { /* a nested selective receive, nesting again */
            depth++;
            Term m = erl_receive_match(model_match, NULL, 0);
            depth--;
            if (m != ERL_NONE)
                queued[erl_int_value(m)] = false;
        }
        break;
    default: break;
    }
    return depth > 0 ? next_random() % 3 == 0 : next_random() % 6 == 0;
}

static size_t self_queue_len(void)
{
    return proc_current()->mbox.len;
}

static int count_queued(void)
{
    int n = 0;
    for (int i = 0; i < sent; i++)
        n += queued[i];
    return n;
}

static Term model_receiver(void)
{
    for (int i = 0; i < 120; i++) {
        queued[i] = true;
        erl_send(erl_self(), erl_mk_int(i));
    }
    sent = 120;
    for (int round = 0; round < 2000; round++) {
        last_seen = -1;
        memset(seen_now, 0, sizeof seen_now);
        Term m = erl_receive_match(model_match, NULL, 0);
        int a = m == ERL_NONE ? MODEL_MAX : (int)erl_int_value(m);
        if (m != ERL_NONE) {
            if (!queued[a] || !seen_now[a] || a != last_seen)
                model_errors++; /* not the one accepted last, or taken already */
            queued[a] = false;
        }
        for (int i = 0; i < sent && i < a; i++)
            if (queued[i] && !seen_now[i])
                model_errors++; /* skipped while queued */
        if ((int)self_queue_len() != count_queued())
            model_errors++;
    }
    return AM_ok;
}

START_TEST(nested_receives_at_random_keep_the_outer_scan_exact)
{
    model_errors = 0;
    depth = 0;
    erl_spawn(model_receiver);
    sched_run_until_idle();
    ck_assert_int_eq(model_errors, 0);
}
END_TEST

/* ================================================================ timers */

START_TEST(timers_with_the_same_deadline_fire_in_the_order_armed)
{
    enum { N = 40 };
    Timer t[N];
    for (int i = 0; i < N; i++) {
        memset(&t[i], 0, sizeof t[i]);
        t[i].index = SIZE_MAX;
        timer_arm(&t[i], 0);
    }
    /* cancelling from the middle must not disturb the order either */
    timer_cancel(&t[7]);
    timer_cancel(&t[20]);
    Timer *order[N];
    int n = 0;
    for (Timer *due; n < N && (due = timer_pop_due());)
        order[n++] = due;
    ck_assert_int_eq(n, N - 2);
    for (int i = 0, k = 0; i < N; i++)
        if (i != 7 && i != 20)
            ck_assert_msg(order[k++] == &t[i], "timer %d fired out of order", i);
}
END_TEST

static Term fired[32];

static Term send_after_in_a_row(void)
{
    for (int i = 0; i < 32; i++)
        erl_send_after(i % 2 ? 50 : 0, erl_self(), erl_mk_int(i));
    for (int i = 0; i < 32; i++)
        fired[i] = erl_receive();
    return AM_ok;
}

static bool idle_sleep_until_timers_done(void)
{
    long t = sched_next_timeout();
    if (t < 0)
        return false;
    struct timespec ts = {0, t * 1000000L};
    nanosleep(&ts, NULL);
    return true;
}

START_TEST(send_after_messages_arrive_in_deadline_then_call_order)
{
    erl_spawn(send_after_in_a_row);
    sched_run(idle_sleep_until_timers_done);
    /* zero-delay ones first, in call order, then the others */
    for (int i = 0; i < 16; i++) {
        ck_assert(fired[i] == erl_mk_int(2 * i));
        ck_assert(fired[16 + i] == erl_mk_int(2 * i + 1));
    }
}
END_TEST

Suite *sched_suite(void)
{
    Suite *s = suite_create("sched");
    TCase *tc = tcase_create("polling");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, polling_receive_lets_the_sender_it_waits_for_run);
    tcase_add_test(tc, polling_receive_gets_its_own_send_after);
    tcase_add_test(tc, receive_timeout_and_send_after_fire_while_another_process_spins);
    tcase_add_test(tc, idle_hook_gets_turns_while_a_process_stays_runnable);
    tcase_add_test(tc, wait_idle_returns_while_another_process_stays_runnable);
    suite_add_tcase(s, tc);
    tc = tcase_create("tail_calls");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, tail_call_returns_to_the_caller_of_the_function_that_makes_it);
    tcase_add_test(tc, tail_call_from_a_local_helper_drops_only_the_helper);
    tcase_add_test(tc, tail_call_loops_of_any_arity_run_in_bounded_stack);
    tcase_add_test(tc, tail_call_outside_any_process_returns_to_its_caller_too);
    suite_add_tcase(s, tc);
    tc = tcase_create("receive_and_timers");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, receive_inside_a_match_callback_makes_the_outer_receive_skip_nothing);
    tcase_add_test(tc, receive_inside_a_match_callback_taking_a_later_message);
    tcase_add_test(tc, nested_receives_at_random_keep_the_outer_scan_exact);
    tcase_add_test(tc, timers_with_the_same_deadline_fire_in_the_order_armed);
    tcase_add_test(tc, send_after_messages_arrive_in_deadline_then_call_order);
    suite_add_tcase(s, tc);
    return s;
}
