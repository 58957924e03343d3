/*
** test_purgeidle.c
** Summaries made off the purge's path (runtime/purgescan.h, "purgeidle"): a
** process is summarised when it first blocks after starting, so that the
** first purge after a mass spawn walks none of the idle ones; the answers
** stay erl's: a process that runs old code after its summary is still found
** and killed, one that never ran it is left alone, and a slot handed to a
** new process carries nothing of the process that had it before.
*/
#include <check.h>

#include "support.h"
#include <stdio.h>

#include "../../runtime/code.h"
#include "../../runtime/heap.h"
#include "../../runtime/proc.h"
#include "../../runtime/purgescan.h"
#include "../../runtime/sched.h"

static void setup(void)
{
    support_start_runtime();
}

/* Whether the purge scan holds a summary of pid that it trusts without
** walking its stack (its mark is clear). */
static bool summarised(Term pid)
{
    Proc *p = proc_find(pid);
    ck_assert_ptr_nonnull(p);
    return purgescan_ran_[p->scan_slot] == 0;
}

/* ===================================================== first block */

START_TEST(a_process_is_summarised_when_it_first_blocks_and_not_walked_again)
{
    Term mod = erl_atom("pi1");
    ck_assert(support_load_version("pi1", 1));
    Term idle = erl_spawn(support_bystander);
    Term inmod = erl_spawn(support_loop_fn("pi1"));
    ck_assert(!summarised(idle));
    sched_run_until_idle();
    /* both blocked once: summarised then, before any purge looked */
    ck_assert(summarised(idle));
    ck_assert(summarised(inmod));
    ck_assert(support_load_version("pi1", 2)); /* inmod's code is old now */
    ck_assert(code_check_process(inmod, mod));
    ck_assert(!code_check_process(idle, mod));
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(inmod));
    ck_assert_ptr_nonnull(proc_find(idle)); /* never ran pi1: left alone */
    ck_assert(summarised(idle));
    erl_exit2(idle, AM_kill);
    sched_run_until_idle();
}
END_TEST

START_TEST(a_process_summarised_at_its_first_block_that_then_runs_old_code_is_killed)
{
    Term mod = erl_atom("pi2");
    ck_assert(support_load_version("pi2", 1));
    Term pid = erl_spawn(support_bystander);
    sched_run_until_idle();
    ck_assert(summarised(pid)); /* in the runtime's code only */
    /* it runs again, into pi2, and blocks there: a later block, no summary */
    erl_send(pid, erl_tuple(erl_atom("call"), mod));
    sched_run_until_idle();
    ck_assert(!summarised(pid));
    ck_assert(support_load_version("pi2", 2));
    ck_assert(code_check_process(pid, mod));
    ck_assert(!code_soft_purge(mod));
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(pid));
}
END_TEST

/* Found by the purge of code it started running after a scan that saw it
** before it ran (its entry function only): starting on a fresh stack marks
** it. */
START_TEST(a_process_scanned_before_it_started_is_looked_at_again_once_it_runs)
{
    Term mod = erl_atom("pi3");
    ck_assert(support_load_version("pi3", 1));
    Term pid = erl_spawn(support_bystander);
    erl_send(pid, erl_tuple(erl_atom("call"), mod)); /* waiting for its first run */
    support_scan_now("pi_unrelated"); /* sees its entry function (the runtime's), clears its mark */
    ck_assert(summarised(pid));
    sched_run_until_idle(); /* now it starts, enters pi3:loop() and blocks */
    ck_assert(support_load_version("pi3", 2));
    ck_assert(code_check_process(pid, mod));
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(pid));
}
END_TEST

/* ========================================================== idle steps */

/* Idle steps until one says there is nothing more (at most 'max'). */
static int idle_steps(int max)
{
    int n = 0;
    while (n < max && purgescan_idle_step())
        n++;
    return n;
}

START_TEST(idle_steps_summarise_processes_that_ran_since_and_purge_stays_exact)
{
    Term mod = erl_atom("pi5");
    ck_assert(support_load_version("pi5", 1));
    Term inmod = erl_spawn(support_bystander), idle = erl_spawn(support_bystander), later = erl_spawn(support_bystander);
    sched_run_until_idle();
    /* they run again, and block again: no summary at a later block */
    erl_send(inmod, erl_tuple(erl_atom("call"), mod));
    erl_send(idle, erl_atom("hello"));
    sched_run_until_idle();
    ck_assert(!summarised(inmod));
    ck_assert(!summarised(idle));
    ck_assert_int_lt(idle_steps(1000), 1000);
    ck_assert(!purgescan_idle_pending());
    ck_assert(summarised(inmod)); /* by the idle steps, as waiting */
    ck_assert(summarised(idle));
    ck_assert(summarised(later));
    /* 'later' runs old-to-be code after its summary */
    erl_send(later, erl_tuple(erl_atom("call"), mod));
    sched_run_until_idle();
    ck_assert(support_load_version("pi5", 2));
    ck_assert(code_check_process(inmod, mod));
    ck_assert(code_check_process(later, mod));
    ck_assert(!code_check_process(idle, mod));
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(inmod));
    ck_assert_ptr_null(proc_find(later));
    ck_assert_ptr_nonnull(proc_find(idle));
    /* nothing ran since: the next step finds nothing at once */
    ck_assert_int_eq(idle_steps(1000), 0);
    erl_exit2(idle, AM_kill);
    sched_run_until_idle();
}
END_TEST

/* ================================================================ slots */

START_TEST(a_slot_handed_on_carries_nothing_of_the_process_that_had_it)
{
    Term mod = erl_atom("pi4");
    ck_assert(support_load_version("pi4", 1));
    /* a summary naming pi4, then its process gone */
    Term a = erl_spawn(support_loop_fn("pi4"));
    sched_run_until_idle();
    ck_assert(summarised(a));
    uint32_t slot = proc_find(a)->scan_slot;
    size_t count = purgescan_count();
    erl_exit2(a, AM_kill);
    sched_run_until_idle();
    ck_assert_uint_eq(purgescan_count(), count - 1);
    ck_assert_ptr_null(purgescan_proc(slot));
    /* the next process takes the slot: its own summary, not a's */
    Term b = erl_spawn(support_bystander);
    ck_assert_uint_eq(proc_find(b)->scan_slot, slot);
    sched_run_until_idle();
    ck_assert(summarised(b));
    ck_assert(support_load_version("pi4", 2));
    ck_assert(!code_check_process(b, mod));
    ck_assert(code_soft_purge(mod)); /* nobody runs the old code */
    ck_assert_ptr_nonnull(proc_find(b));
    /* and the other way round: a summary naming nothing, then a process
    ** in old code in the same slot, found before and after it first runs */
    erl_exit2(b, AM_kill);
    sched_run_until_idle();
    Term c = erl_spawn(support_loop_fn("pi4")); /* version 2 */
    ck_assert_uint_eq(proc_find(c)->scan_slot, slot);
    ck_assert(support_load_version("pi4", 3));
    ck_assert(code_check_process(c, mod)); /* not started: its entry function */
    sched_run_until_idle();
    ck_assert(summarised(c));
    ck_assert(code_check_process(c, mod));
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(c));
    ck_assert_uint_eq(purgescan_count(), count - 1);
}
END_TEST

/* ====================================================== spawn's heap */

/* A heap whose first slots are inline (a process's, heap_init_inline):
** they serve its first terms, whatever came first, an allocation or a
** collection, and no page of its own is taken while they last. */
static void inline_slots_serve_first_terms(bool sweep_first)
{
    static _Alignas(4096) char unit[4096];
    Heap h;
    heap_init_inline(&h, unit + 2048, 1024);
    ck_assert_ptr_nonnull(h.inline_page);
    size_t words = h.words, slots = words / HEAP_INLINE_SLOT_WORDS;
    ck_assert_uint_gt(slots, 8);
    if (sweep_first)
        ck_assert_uint_eq(heap_sweep(&h), 0);
    for (size_t i = 0; i < slots; i++) {
        Term *cell = heap_alloc_words(&h, 2);
        ck_assert(cell >= (Term *)(unit + 2048) && cell + 2 <= (Term *)(unit + 3072));
        size_t n;
        bool conservative;
        ck_assert_ptr_eq(heap_object_of(&h, (uintptr_t)cell, &n, &conservative), cell);
        ck_assert(conservative);
    }
    ck_assert_uint_eq(h.words, words); /* no page yet */
    ck_assert_ptr_eq(h.pages, h.inline_page);
    Term *more = heap_alloc_words(&h, 2); /* the inline slots are used up */
    ck_assert(more < (Term *)unit || more >= (Term *)(unit + 4096));
    ck_assert_uint_gt(h.words, words);
    heap_destroy(&h);
}

START_TEST(inline_heap_slots_serve_the_first_terms)
{
    inline_slots_serve_first_terms(false);
}
END_TEST

START_TEST(inline_heap_slots_serve_the_first_terms_after_a_collection)
{
    inline_slots_serve_first_terms(true);
}
END_TEST

Suite *purgeidle_suite(void)
{
    Suite *s = suite_create("purgeidle");
    TCase *tc = tcase_create("purgeidle");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, a_process_is_summarised_when_it_first_blocks_and_not_walked_again);
    tcase_add_test(tc, a_process_summarised_at_its_first_block_that_then_runs_old_code_is_killed);
    tcase_add_test(tc, a_process_scanned_before_it_started_is_looked_at_again_once_it_runs);
    tcase_add_test(tc, a_slot_handed_on_carries_nothing_of_the_process_that_had_it);
    tcase_add_test(tc, idle_steps_summarise_processes_that_ran_since_and_purge_stays_exact);
    suite_add_tcase(s, tc);
    TCase *heap = tcase_create("spawn_heap");
    tcase_add_checked_fixture(heap, setup, NULL);
    tcase_add_test(heap, inline_heap_slots_serve_the_first_terms);
    tcase_add_test(heap, inline_heap_slots_serve_the_first_terms_after_a_collection);
    suite_add_tcase(s, heap);
    return s;
}
