/*
** test_procmem.c
** Procs in a pool of their own (procmem.c) and erlang:hibernate/3 giving
** back a process's whole stack: a hibernated process holds no stack, keeps
** its struct's address, resumes in M:F(A) with its messages and links; a
** process that never ran never took a stack; thousands of hibernate and
** wake cycles leave no stacks, structs or heap behind; with enough stacks
** holding pages in the pool, a hibernating process's stack keeps none.
*/
#include <check.h>

#include "support.h"
#include <stdio.h>
#include <string.h>

#include "../../runtime/bif.h"
#include "../../runtime/code.h"
#include "../../runtime/export.h"
#include "../../runtime/heap.h"
#include "../../runtime/print.h"
#include "../../runtime/proc.h"
#include "../../runtime/procmem.h"
#include "../../runtime/sched.h"
#include "../../runtime/stack.h"

/* ============================================================ fixture */

static Heap keep; /* outlives the processes whose messages it holds */
static Term got;  /* the last message the collector received, on 'keep' */
static long ngot;

static void setup(void)
{
    support_start_runtime();
    got = ERL_NONE;
    ngot = 0;
}

/* pm: sleeper(Partner, Collector) links to Partner and hibernates into
** woke(Collector); woke/1 sends {woke, Msg, Links} for the message that
** woke it and waits. cycle(N, Collector) hibernates into itself with N - 1
** after each message, and sends {done, Msg} after the N-th. */
static const char *const pm_src =
    "#include <cerl.h>\n"
    "MODULE(pm);\n"
    "EXPORT(sleeper/2, woke/1, cycle/2, idle/0);\n"
    "Term idle(void) { erl_receive(); return ATOM(ok); }\n"
    "Term sleeper(Term Partner, Term Collector) {\n"
    "    erl_link(Partner);\n"
    "    return erl_call(erlang, hibernate, ATOM(pm), ATOM(woke), erl_list(Collector));\n"
    "}\n"
    "Term woke(Term Collector) {\n"
    "    Term Msg = erl_receive();\n"
    "    Term Links = erl_element(erl_call(erlang, process_info, erl_self(), ATOM(links)), 2);\n"
    "    erl_send(Collector, erl_tuple(ATOM(woke), Msg, Links));\n"
    "    return idle();\n"
    "}\n"
    "Term cycle(Term N, Term Collector) {\n"
    "    Term Msg = erl_receive();\n"
    "    if (erl_int_value(N) <= 1) { erl_send(Collector, erl_tuple(ATOM(done), Msg)); return idle(); }\n"
    "    return erl_call(erlang, hibernate, ATOM(pm), ATOM(cycle), erl_list(erl_mk_int(erl_int_value(N) - 1), Collector));\n"
    "}\n";

static void *fn_of(const char *fun, int arity)
{
    if (!code_module(erl_atom("pm")) || !code_module(erl_atom("pm"))->cur) {
        support_compile_module("pm", pm_src);
        Term r = code_load_file(heap_current(), erl_atom("pm"), NULL);
        ck_assert(erl_is_tuple(r) && erl_element(r, 1) == AM_module);
    }
    void *fn = erl_export_entry("pm", fun, arity)->fn;
    ck_assert_ptr_nonnull(fn);
    return fn;
}

/* A process that keeps the last message it gets in 'got'. */
static Term collector(void)
{
    for (;;) {
        Term m = erl_receive();
        got = term_copy(&keep, m);
        ngot++;
    }
    return AM_ok;
}

static Proc *spawn(void *fn, int argc, const Term *argv)
{
    Proc *p = proc_spawn(fn, argc, argv, 0);
    ck_assert_ptr_nonnull(p);
    return p;
}

/* Makes sure the pool holds a stack, so that the counts below are not
** upset by its filling up. */
static void pool_not_empty(void)
{
    Proc *p = spawn(fn_of("idle", 0), 0, NULL);
    sched_run_until_idle();
    proc_signal_exit(p, ERL_NONE, AM_kill);
    ck_assert_uint_ge(stack_pooled(), 1);
}

/* ============================================================== tests */

START_TEST(a_process_that_never_ran_holds_no_stack)
{
    size_t pooled = stack_pooled();
    Proc *p = spawn(fn_of("idle", 0), 0, NULL);
    ck_assert_ptr_null(p->stack.base);
    ck_assert_uint_eq(stack_pooled(), pooled);
    proc_signal_exit(p, ERL_NONE, AM_kill);
    ck_assert_uint_eq(stack_pooled(), pooled);
}
END_TEST

START_TEST(a_hibernated_process_gives_its_whole_stack_back_and_wakes_in_mfa)
{
    Proc *c = spawn((void *)collector, 0, NULL);
    Proc *partner = spawn(fn_of("idle", 0), 0, NULL);
    sched_run_until_idle();
    pool_not_empty();
    size_t pooled = stack_pooled();
    Proc *p = spawn(fn_of("sleeper", 2), 2, (Term[]){partner->pid, c->pid});
    Term pid = p->pid;
    sched_run_until_idle();
    ck_assert(p->hibernated);
    ck_assert_int_eq(p->state, PS_WAITING);
    ck_assert_ptr_null(p->stack.base);        /* no stack while hibernated */
    ck_assert_uint_eq(stack_pooled(), pooled); /* the one it took is back */
    /* the struct is where it was: the pid table, links and the scheduler
    ** still find it there */
    ck_assert_ptr_eq(proc_find(pid), p);
    ck_assert_uint_eq(p->nlinks, 1);
    bif_send(pid, erl_tuple(ATOM(hello), erl_mk_int(42)));
    sched_run_until_idle();
    ck_assert_ptr_eq(proc_find(pid), p);
    ck_assert(!p->hibernated);
    ck_assert_ptr_nonnull(p->stack.base); /* a stack again, to run woke/1 on */
    ck_assert_int_eq(ngot, 1);
    ck_assert_msg(erl_is_tuple(got) && erl_tuple_size(got) == 3 && erl_element(got, 1) == ATOM(woke),
                  "got %s", support_show(got));
    ck_assert_msg(erl_eq(erl_element(got, 2), erl_tuple(ATOM(hello), erl_mk_int(42))), "got %s", support_show(got));
    ck_assert_msg(erl_eq(erl_element(got, 3), erl_list(partner->pid)), "links %s", support_show(got));
    /* the link works after waking: the partner's death takes it along */
    proc_signal_exit(partner, ERL_NONE, ATOM(boom));
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(pid));
    proc_signal_exit(c, ERL_NONE, AM_kill);
}
END_TEST

START_TEST(a_message_queued_before_hibernating_wakes_it_at_once)
{
    Proc *c = spawn((void *)collector, 0, NULL);
    Proc *partner = spawn(fn_of("idle", 0), 0, NULL);
    Proc *p = spawn(fn_of("sleeper", 2), 2, (Term[]){partner->pid, c->pid});
    bif_send(p->pid, ATOM(early)); /* queued before it ever runs */
    sched_run_until_idle();
    ck_assert_int_eq(ngot, 1);
    ck_assert_msg(erl_element(got, 2) == ATOM(early), "got %s", support_show(got));
    proc_signal_exit(partner, ERL_NONE, AM_kill);
    proc_signal_exit(c, ERL_NONE, AM_kill);
    sched_run_until_idle();
}
END_TEST

START_TEST(a_freed_struct_is_the_next_spawns)
{
    Proc *a = spawn(fn_of("idle", 0), 0, NULL);
    size_t live = procmem_live();
    proc_signal_exit(a, ERL_NONE, AM_kill);
    ck_assert_uint_eq(procmem_live(), live - 1);
    Proc *b = spawn(fn_of("idle", 0), 0, NULL);
    ck_assert_ptr_eq(b, a);
    ck_assert_uint_eq(procmem_live(), live);
    proc_signal_exit(b, ERL_NONE, AM_kill);
}
END_TEST

enum { CYCLES = 10000 };

START_TEST(ten_thousand_hibernate_and_wake_cycles_leak_nothing)
{
    Proc *c = spawn((void *)collector, 0, NULL);
    sched_run_until_idle();
    pool_not_empty();
    size_t pooled = stack_pooled(), live = procmem_live();
    Proc *p = spawn(fn_of("cycle", 2), 2, (Term[]){erl_mk_int(CYCLES), c->pid});
    bif_send(p->pid, erl_mk_int(0));
    sched_run_until_idle();
    ck_assert(p->hibernated);
    ck_assert_ptr_null(p->stack.base);
    size_t heap_before = heap_total_bytes();
    for (long i = 1; i < CYCLES; i++) {
        bif_send(p->pid, erl_mk_int(i));
        if (i % 100 == 99) /* some wake with messages queued, some without */
            sched_run_until_idle();
    }
    sched_run_until_idle();
    ck_assert_int_eq(ngot, 1);
    ck_assert_msg(erl_eq(got, erl_tuple(ATOM(done), erl_mk_int(CYCLES - 1))), "got %s", support_show(got));
    /* every stack it took is back in the pool, no struct was left behind,
    ** and its heap is what a fresh one would hold */
    ck_assert_uint_eq(stack_pooled(), pooled - 1); /* it runs idle/0 on one now */
    ck_assert_uint_eq(procmem_live(), live + 1);
    ck_assert_uint_le(heap_total_bytes(), heap_before + 4 * HEAP_PAGE_BYTES);
    proc_signal_exit(p, ERL_NONE, AM_kill);
    proc_signal_exit(c, ERL_NONE, AM_kill);
    sched_run_until_idle();
    ck_assert_uint_eq(stack_pooled(), pooled + 1);
    ck_assert_uint_eq(procmem_live(), live - 1);
}
END_TEST

enum { CROWD = STACK_KEEP_RESIDENT + 64 };

/* Once the pool holds STACK_KEEP_RESIDENT stacks with pages, a stack a
** hibernating process gives back keeps none (stack_put_cold). */
START_TEST(with_enough_resident_stacks_pooled_a_hibernating_process_keeps_no_page)
{
    static Proc *crowd[CROWD];
    for (int i = 0; i < CROWD; i++)
        crowd[i] = spawn(fn_of("idle", 0), 0, NULL);
    sched_run_until_idle();
    for (int i = 0; i < CROWD; i++)
        proc_signal_exit(crowd[i], ERL_NONE, AM_kill);
    size_t pooled = stack_pooled(), resident = stack_pooled_resident();
    ck_assert_uint_ge(resident, STACK_KEEP_RESIDENT);
    Proc *c = spawn((void *)collector, 0, NULL);
    Proc *partner = spawn(fn_of("idle", 0), 0, NULL);
    Proc *p = spawn(fn_of("sleeper", 2), 2, (Term[]){partner->pid, c->pid});
    sched_run_until_idle();
    ck_assert(p->hibernated);
    /* c and partner hold one each; p's came back without its pages */
    ck_assert_uint_eq(stack_pooled(), pooled - 2);
    ck_assert_uint_eq(stack_pooled_resident(), resident - 3);
    bif_send(p->pid, ATOM(wake_up));
    sched_run_until_idle();
    ck_assert_int_eq(ngot, 1);
    ck_assert_msg(erl_element(got, 2) == ATOM(wake_up), "got %s", support_show(got));
    proc_signal_exit(partner, ERL_NONE, AM_kill);
    proc_signal_exit(c, ERL_NONE, AM_kill);
    sched_run_until_idle();
}
END_TEST

Suite *procmem_suite(void)
{
    Suite *s = suite_create("procmem");
    TCase *tc = tcase_create("hibernate");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_process_that_never_ran_holds_no_stack);
    tcase_add_test(tc, a_hibernated_process_gives_its_whole_stack_back_and_wakes_in_mfa);
    tcase_add_test(tc, a_message_queued_before_hibernating_wakes_it_at_once);
    tcase_add_test(tc, a_freed_struct_is_the_next_spawns);
    tcase_add_test(tc, ten_thousand_hibernate_and_wake_cycles_leak_nothing);
    suite_add_tcase(s, tc);
    if (RUNNING_ON_VALGRIND) /* a thousand processes take minutes there */
        return s;
    tc = tcase_create("crowd");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, with_enough_resident_stacks_pooled_a_hibernating_process_keeps_no_page);
    suite_add_tcase(s, tc);
    return s;
}
