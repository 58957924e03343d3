/*
** test_stack_pool.c
** The stack pool: an exited process's stack is the next spawn's, with its
** guard whole again; stacks made ready by the helper and by the scheduler
** stop runaway recursion alike; pages of exited processes stay until the
** pool is left alone, then go back to the system, and later bursts reuse
** those stacks rather than map new ones; the process limit still refuses.
*/
#include <check.h>

#include "support.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../runtime/code.h"
#include "../../runtime/export.h"
#include "../../runtime/fault.h"
#include "../../runtime/print.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"
#include "../../runtime/stack.h"

/* ============================================================ fixture */

static Heap keep; /* outlives the processes whose results it holds */

static const char *const pool_src =
    "#include <cerl.h>\n"
    "MODULE(pool);\n"
    "EXPORT(deep/0, poke/1, hold/1, idle/0);\n"
    "static int recurse(int n) { volatile char pad[64]; pad[0] = (char)n; return recurse(n + 1) + pad[0]; }\n"
    "Term deep(void) { return erl_mk_int(recurse(0)); }\n"
    "Term poke(Term addr) { *(volatile char *)erl_int_value(addr) = 1; return ATOM(poked); }\n"
    "static int use(int n) { volatile char pad[1024]; pad[0] = (char)n; pad[1023] = 7;\n"
    "    if (n) return use(n - 1) + pad[0] + pad[1023]; erl_receive(); return pad[1023]; }\n"
    "Term hold(Term kb) { return erl_mk_int(use((int)erl_int_value(kb))); }\n"
    "Term idle(void) { erl_receive(); return ATOM(ok); }\n";

static void *fn_of(const char *fun, int arity)
{
    support_load_current("pool", pool_src);
    return support_fn_of("pool", fun, arity);
}

/* The victim: started by watch() so that the monitor is in place before
** it runs; 'victim' is its Proc as spawned. */
static void *victim_fn;
static int victim_argc;
static Term victim_arg, down_reason;
static Proc *victim;
static void *victim_base; /* the victim's stack, as it exited */

static void note_victim(Proc *p, Term reason)
{
    (void)reason;
    if (p == victim)
        victim_base = p->stack.base;
}

static Term watch(void)
{
    Term pid = erl_spawn_fn(victim_fn, victim_argc, &victim_arg);
    victim = proc_find(pid);
    erl_monitor(pid);
    Term down = erl_receive();
    down_reason = term_copy(&keep, erl_element(down, 5));
    return AM_ok;
}

/* Spawns the watcher of fn(arg...), which spawns fn's process; runs the
** scheduler until both are done, and returns the reason fn's process died
** with ('victim' is left pointing at its Proc, which is freed: compare its
** address only; 'victim_base' is the stack it had). */
static Term run_to_death(void *fn, int argc, Term arg)
{
    victim_fn = fn;
    victim_argc = argc;
    victim_arg = arg;
    down_reason = ERL_NONE;
    victim = NULL;
    victim_base = NULL;
    void (*saved)(Proc *, Term) = proc_exit_hook;
    proc_exit_hook = note_victim;
    erl_spawn(watch);
    sched_run_until_idle();
    proc_exit_hook = saved;
    return down_reason;
}

/* Whether t is {stack_overflow, _} or {segv, ...}: the process ran into
** its guard. */
static bool hit_guard(Term t)
{
    if (!erl_is_tuple(t) || erl_tuple_size(t) < 2)
        return false;
    Term tag = erl_element(t, 1);
    return tag == erl_atom("stack_overflow") || tag == erl_atom("segv");
}

/* ================================================== reuse and guards */

/* A process takes its stack when it first runs (proc_stack_ready_). */
START_TEST(an_exited_processs_stack_is_the_next_spawns)
{
    Proc *a = proc_spawn(fn_of("idle", 0), 0, NULL, 0);
    ck_assert_ptr_nonnull(a);
    sched_run_until_idle();
    void *base = a->stack.base;
    ck_assert_ptr_nonnull(base);
    proc_signal_exit(a, ERL_NONE, AM_kill); /* its stack goes to the pool */
    Proc *b = proc_spawn(fn_of("idle", 0), 0, NULL, 0);
    ck_assert_ptr_nonnull(b);
    sched_run_until_idle();
    ck_assert_ptr_eq(b->stack.base, base);
    proc_signal_exit(b, ERL_NONE, AM_kill);
}
END_TEST

START_TEST(a_killed_processs_stack_is_the_next_spawns_with_its_pages_kept)
{
    Proc *a = proc_spawn(fn_of("idle", 0), 0, NULL, 0);
    ck_assert_ptr_nonnull(a);
    sched_run_until_idle();
    void *base = a->stack.base;
    size_t resident = stack_pooled_resident();
    proc_signal_exit(a, ERL_NONE, AM_kill);
    ck_assert_uint_eq(stack_pooled_resident(), resident + 1);
    Proc *b = proc_spawn(fn_of("idle", 0), 0, NULL, 0);
    sched_run_until_idle();
    ck_assert_ptr_eq(b->stack.base, base);
    proc_signal_exit(b, ERL_NONE, AM_kill);
}
END_TEST

START_TEST(recursion_on_a_reused_stack_is_stack_overflow)
{
    Term r = run_to_death(fn_of("deep", 0), 0, ERL_NONE);
    ck_assert_msg(hit_guard(r), "reason: %s", support_show(r));
    void *base = victim_base;
    r = run_to_death(fn_of("deep", 0), 0, ERL_NONE);
    ck_assert_ptr_eq(victim_base, base); /* the same stack, again */
    ck_assert_msg(hit_guard(r), "reason: %s", support_show(r));
}
END_TEST

/* Processes of 'idle' whose guards are opened (as the BREAK menu's stop
** does), then killed: the next processes on those stacks find their guards
** whole. The watcher takes the last stack freed, its victim the one before. */
START_TEST(a_guard_opened_for_the_last_owner_is_whole_for_the_next)
{
    Proc *a[2];
    for (int i = 0; i < 2; i++)
        ck_assert_ptr_nonnull(a[i] = proc_spawn(fn_of("idle", 0), 0, NULL, 0));
    sched_run_until_idle();
    char *base = a[0]->stack.base;
    for (int i = 0; i < 2; i++) {
        ck_assert(stack_open_guard(&a[i]->stack, 16 * 1024));
        proc_signal_exit(a[i], ERL_NONE, AM_kill);
    }
    Term r = run_to_death(fn_of("poke", 1), 1, erl_mk_int((long)(uintptr_t)(base - 1)));
    ck_assert_ptr_eq(victim_base, base);
    ck_assert_msg(hit_guard(r), "reason: %s", support_show(r));
}
END_TEST

/* Stacks come from the pool, then from the helper's ready ones, then from
** slabs the scheduler maps itself: spawn well past all of it at once. */
enum { MANY = 5 * STACK_REFILL_READY + 3 };

START_TEST(spawning_past_the_ready_stacks_gives_each_process_its_own_guarded_stack)
{
    static Proc *ps[MANY];
    size_t before = proc_count();
    for (int i = 0; i < MANY; i++) {
        ps[i] = proc_spawn(fn_of("idle", 0), 0, NULL, 0);
        ck_assert_ptr_nonnull(ps[i]);
    }
    sched_run_until_idle();
    for (int i = 0; i < MANY; i++) {
        ck_assert_int_eq(ps[i]->state, PS_WAITING);
        ck_assert(stack_in_guard(&ps[i]->stack, (char *)ps[i]->stack.base - 1));
        for (int j = i + 1; j < MANY; j++) /* no two share their memory */
            ck_assert(ps[i]->stack.base != ps[j]->stack.base);
    }
    /* the last spawned, on the newest stack, and one from the middle */
    Term r = run_to_death(fn_of("deep", 0), 0, ERL_NONE);
    ck_assert_msg(hit_guard(r), "reason: %s", support_show(r));
    proc_signal_exit(ps[MANY / 2], ERL_NONE, AM_kill);
    r = run_to_death(fn_of("deep", 0), 0, ERL_NONE);
    ck_assert_msg(hit_guard(r), "reason: %s", support_show(r));
    for (int i = 0; i < MANY; i++)
        if (i != MANY / 2)
            proc_signal_exit(ps[i], ERL_NONE, AM_kill);
    ck_assert_uint_eq(proc_count(), before);
}
END_TEST

START_TEST(the_process_limit_still_refuses_with_eagain)
{
    size_t saved = proc_limit();
    proc_set_limit(proc_count() + 3);
    Proc *ps[3];
    for (int i = 0; i < 3; i++)
        ck_assert_ptr_nonnull(ps[i] = proc_spawn(fn_of("idle", 0), 0, NULL, 0));
    errno = 0;
    ck_assert_ptr_null(proc_spawn(fn_of("idle", 0), 0, NULL, 0));
    ck_assert_int_eq(errno, EAGAIN);
    proc_set_limit(saved);
    for (int i = 0; i < 3; i++)
        proc_signal_exit(ps[i], ERL_NONE, AM_kill);
    sched_run_until_idle();
}
END_TEST

/* ====================================================== lazy release */

/* Resident bytes of this OS process (VmRSS), or -1. */
static long rss(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb < 0 ? -1 : kb * 1024;
}

static uint64_t idle_since;
enum { GIVE_UP_MS = 10000 };

/* The idle side as the shell's: blocks as long as sched_next_timeout
** allows, and stops when nothing is due any more (or after GIVE_UP_MS). */
static bool idle_until_nothing_due(void)
{
    long t = sched_next_timeout();
    if (t < 0 || sched_now_ms() - idle_since > GIVE_UP_MS)
        return false;
    struct timespec ts = {.tv_sec = t / 1000, .tv_nsec = (t % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    return true;
}

enum { BURST = 3000, HOLD_KB = 16 };

/* BURST processes, each with HOLD_KB of its stack in use, killed. */
static void burst(void)
{
    static Proc *ps[BURST];
    for (int i = 0; i < BURST; i++) {
        ps[i] = proc_spawn(fn_of("hold", 1), 1, (Term[]){erl_mk_int(HOLD_KB)}, 0);
        ck_assert_ptr_nonnull(ps[i]);
    }
    sched_run_until_idle();
    for (int i = 0; i < BURST; i++)
        proc_signal_exit(ps[i], ERL_NONE, AM_kill);
}

START_TEST(pages_of_exited_processes_go_back_once_the_pool_is_left_alone)
{
    burst();
    long held = rss();
    size_t resident = stack_pooled_resident();
    ck_assert_uint_ge(resident, BURST); /* kept through the kills */
    idle_since = sched_now_ms();
    sched_run(idle_until_nothing_due);
    ck_assert_uint_le(stack_pooled_resident(), STACK_KEEP_RESIDENT);
    long given = held - rss();
    long expected = (long)(resident - STACK_KEEP_RESIDENT) * HOLD_KB * 1024;
    ck_assert_msg(given >= expected * 3 / 4, "RSS fell by %ld bytes, expected about %ld", given,
                  expected);
}
END_TEST

static Term held_result;

/* Spawns hold(HOLD_KB) and records the DOWN reason (the value it returned
** is lost: a normal exit is what shows its frames were intact). */
static Term watch_holder(void)
{
    Term pid = erl_spawn_fn(fn_of("hold", 1), 1, (Term[]){erl_mk_int(HOLD_KB)});
    erl_monitor(pid);
    Term down = erl_receive();
    if (erl_element(down, 5) != AM_normal)
        held_result = term_copy(&keep, erl_element(down, 5));
    return AM_ok;
}

START_TEST(processes_alive_while_pages_are_released_keep_their_stacks)
{
    enum { ALIVE = 600 };
    static Term watchers[ALIVE];
    held_result = AM_normal;
    for (int i = 0; i < ALIVE; i++)
        watchers[i] = erl_spawn(watch_holder);
    sched_run_until_idle();
    burst();
    idle_since = sched_now_ms();
    sched_run(idle_until_nothing_due);
    ck_assert_uint_le(stack_pooled_resident(), STACK_KEEP_RESIDENT);
    size_t before = proc_count();
    for (Proc *p = proc_first(); p; p = proc_next(p))
        if (p->entry_fn == fn_of("hold", 1))
            erl_send(p->pid, AM_ok);
    sched_run_until_idle();
    ck_assert_uint_eq(proc_count(), before - 2 * ALIVE);
    ck_assert_msg(held_result == AM_normal, "a holder died with %s", support_show(held_result));
    (void)watchers;
}
END_TEST

START_TEST(a_later_burst_reuses_released_stacks_rather_than_mapping_more)
{
    burst();
    idle_since = sched_now_ms();
    sched_run(idle_until_nothing_due);
    size_t pooled = stack_pooled();
    ck_assert_uint_ge(pooled, BURST);
    burst();
    ck_assert_uint_eq(stack_pooled(), pooled);
}
END_TEST

/* valgrind reports every faulting access as an error before the handler
** runs: under it, only the tests that do not fault run. */

Suite *stack_pool_suite(void)
{
    Suite *s = suite_create("stack_pool");
    TCase *tc = tcase_create("reuse");
    tcase_add_checked_fixture(tc, support_start_faulting_runtime, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, an_exited_processs_stack_is_the_next_spawns);
    tcase_add_test(tc, a_killed_processs_stack_is_the_next_spawns_with_its_pages_kept);
    tcase_add_test(tc, the_process_limit_still_refuses_with_eagain);
    suite_add_tcase(s, tc);
    /* thousands of processes take minutes under valgrind; AddressSanitizer
    ** runs these */
    if (RUNNING_ON_VALGRIND)
        return s;
    tc = tcase_create("release");
    tcase_add_checked_fixture(tc, support_start_faulting_runtime, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, pages_of_exited_processes_go_back_once_the_pool_is_left_alone);
    tcase_add_test(tc, a_later_burst_reuses_released_stacks_rather_than_mapping_more);
    tcase_add_test(tc, processes_alive_while_pages_are_released_keep_their_stacks);
    suite_add_tcase(s, tc);
    tc = tcase_create("guards");
    tcase_add_checked_fixture(tc, support_start_faulting_runtime, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, recursion_on_a_reused_stack_is_stack_overflow);
    tcase_add_test(tc, a_guard_opened_for_the_last_owner_is_whole_for_the_next);
    tcase_add_test(tc, spawning_past_the_ready_stacks_gives_each_process_its_own_guarded_stack);
    suite_add_tcase(s, tc);
    return s;
}
