/*
** test_runtime.c
** The process runtime and the code server, driven from C: mailbox order,
** monitors, exit signals, current/old transitions, purge return values,
** and old-code detection on live stacks.
*/
#include <check.h>

#include "support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../runtime/bif.h"
#include "../../runtime/cc.h"
#include "../../runtime/code.h"
#include "../../runtime/export.h"
#include "../../runtime/monitor.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

/* ============================================================ fixture */


static void setup(void)
{
    support_start_runtime();
}

static void compile_module(const char *name, const char *src)
{
    support_compile_module(name, src);
}

static Term load(const char *mod)
{
    return code_load_file(heap_current(), erl_atom(mod), NULL);
}

static bool is_module_tuple(Term r, const char *mod)
{
    return erl_is_tuple(r) && erl_element(r, 1) == AM_module && erl_element(r, 2) == erl_atom(mod);
}

static bool is_error(Term r, Term reason)
{
    return erl_is_tuple(r) && erl_element(r, 1) == AM_error && erl_element(r, 2) == reason;
}

/* Messages test processes collected, copied to a heap that outlives them. */
static Term got[16];
static int ngot;
static Heap keep;

static Term collect(Term n)
{
    for (int64_t i = 0; i < erl_int_value(n); i++)
        got[ngot++] = term_copy(&keep, erl_receive());
    return AM_ok;
}

static void reset_got(void)
{
    ngot = 0;
}

/* ========================================================== mailboxes */

START_TEST(mailbox_delivers_in_send_order)
{
    reset_got();
    Term pid = erl_spawn(collect, erl_mk_int(3));
    erl_send(pid, erl_atom("first"));
    erl_send(pid, erl_tuple(erl_atom("second"), erl_mk_int(2)));
    erl_send(pid, erl_mk_int(3));
    sched_run_until_idle();
    ck_assert_int_eq(ngot, 3);
    ck_assert(got[0] == erl_atom("first"));
    ck_assert(erl_is_tuple(got[1]) && erl_element(got[1], 2) == erl_mk_int(2));
    ck_assert(got[2] == erl_mk_int(3));
    ck_assert_ptr_null(proc_find(pid)); /* returned: exited normal */
}
END_TEST

START_TEST(send_to_dead_pid_is_silent_and_to_unknown_name_raises_badarg)
{
    Term pid = erl_spawn(collect, erl_mk_int(0));
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(pid));
    ck_assert(erl_send(pid, AM_ok) == AM_ok);
    ErlCatch c;
    ErlException e;
    if (exc_try(&c) == 0) {
        erl_send(erl_atom("nobody_here"), AM_ok);
        exc_end(&c);
        ck_abort_msg("send to an unregistered name returned");
    }
    exc_caught(&c, &e);
    ck_assert(e.cls == AM_error && e.reason == AM_badarg);
}
END_TEST

/* ============================================================ monitors */

static Term wait_forever(void)
{
    erl_receive();
    return AM_ok;
}

static Term exit_with_reason(Term reason)
{
    erl_exit(reason);
}

static Term monitor_then_collect(Term target)
{
    Term ref = erl_monitor(target);
    got[ngot++] = term_copy(&keep, ref);
    got[ngot++] = term_copy(&keep, erl_receive());
    return AM_ok;
}

START_TEST(monitor_by_pid_delivers_down_with_exit_reason)
{
    reset_got();
    Term target = erl_spawn(wait_forever);
    erl_spawn(monitor_then_collect, target);
    sched_run_until_idle();
    ck_assert_int_eq(ngot, 1);
    erl_exit2(target, erl_atom("boom"));
    sched_run_until_idle();
    ck_assert_int_eq(ngot, 2);
    Term down = got[1];
    ck_assert(erl_is_tuple(down) && erl_tuple_size(down) == 5);
    ck_assert(erl_element(down, 1) == AM_DOWN);
    ck_assert(erl_eq(erl_element(down, 2), got[0]));
    ck_assert(erl_element(down, 3) == AM_process);
    ck_assert(erl_element(down, 4) == target);
    ck_assert(erl_element(down, 5) == erl_atom("boom"));
}
END_TEST

START_TEST(monitor_by_name_reports_name_and_node_and_kill_is_seen_as_killed)
{
    reset_got();
    Term target = erl_spawn(wait_forever);
    erl_register(erl_atom("mon_target"), target);
    erl_spawn(monitor_then_collect, erl_atom("mon_target"));
    sched_run_until_idle();
    erl_exit2(target, AM_kill);
    sched_run_until_idle();
    ck_assert_int_eq(ngot, 2);
    Term obj = erl_element(got[1], 4);
    ck_assert(erl_is_tuple(obj) && erl_element(obj, 1) == erl_atom("mon_target") &&
              erl_element(obj, 2) == AM_nonode_nohost);
    ck_assert(erl_element(got[1], 5) == AM_killed);
    ck_assert(erl_whereis(erl_atom("mon_target")) == AM_undefined);
}
END_TEST

START_TEST(monitor_of_unknown_name_or_dead_pid_is_noproc_at_once)
{
    reset_got();
    erl_spawn(monitor_then_collect, erl_atom("no_such_name"));
    sched_run_until_idle();
    ck_assert_int_eq(ngot, 2);
    ck_assert(erl_element(got[1], 5) == AM_noproc);
    Term dead = erl_spawn(exit_with_reason, AM_normal);
    sched_run_until_idle();
    erl_spawn(monitor_then_collect, dead);
    sched_run_until_idle();
    ck_assert_int_eq(ngot, 4);
    ck_assert(erl_element(got[3], 4) == dead && erl_element(got[3], 5) == AM_noproc);
}
END_TEST

/* ============================================================== links */

static Term link_and_wait(Term other)
{
    Proc *self = proc_current();
    proc_link(self, proc_find(other));
    erl_receive();
    return AM_ok;
}

START_TEST(abnormal_exit_kills_linked_process_normal_does_not)
{
    Term a = erl_spawn(wait_forever);
    Term b = erl_spawn(link_and_wait, a);
    sched_run_until_idle();
    erl_exit2(a, AM_normal); /* ignored: a does not trap exits */
    sched_run_until_idle();
    ck_assert_ptr_nonnull(proc_find(a));
    erl_exit2(a, erl_atom("crash"));
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(a));
    ck_assert_ptr_null(proc_find(b));
}
END_TEST

/* ========================================================= code server */

static const char *const counter_v1 =
    "#include <cerl.h>\nMODULE(cs1);\nEXPORT(version/0);\n"
    "Term version(void) { return erl_mk_int(1); }\n";

START_TEST(load_file_moves_current_to_old_and_refuses_a_third_version)
{
    compile_module("cs1", counter_v1);
    Term mod = erl_atom("cs1");
    ck_assert(is_module_tuple(load("cs1"), "cs1"));
    ck_assert_ptr_nonnull(code_module(mod)->cur);
    ck_assert_ptr_null(code_module(mod)->old);
    ck_assert(!code_has_old(mod));
    ck_assert(is_module_tuple(load("cs1"), "cs1"));
    ck_assert(code_has_old(mod));
    ModVersion *cur = code_module(mod)->cur, *old = code_module(mod)->old;
    ck_assert(is_error(load("cs1"), AM_not_purged));
    ck_assert_ptr_eq(code_module(mod)->cur, cur); /* nothing changed */
    ck_assert_ptr_eq(code_module(mod)->old, old);
    ck_assert(!code_purge(mod));   /* no process ran the old code */
    ck_assert(!code_has_old(mod));
    ck_assert(!code_purge(mod));   /* no old code at all */
    ck_assert(is_module_tuple(load("cs1"), "cs1"));
}
END_TEST

START_TEST(load_file_errors_leave_versions_untouched)
{
    ck_assert(is_error(load("no_such_module"), AM_nofile));
    compile_module("cs2", counter_v1); /* declares MODULE(cs1): wrong name */
    ck_assert(is_error(load("cs2"), AM_badfile));
    ck_assert_ptr_null(code_module(erl_atom("cs2")));
    FILE *f = fopen("cs3.o", "w");
    fputs("this is not an object file", f);
    fclose(f);
    ck_assert(is_error(load("cs3"), AM_badfile));
    ck_assert_ptr_null(code_module(erl_atom("cs3")));
}
END_TEST

START_TEST(export_table_entry_follows_the_current_version)
{
    compile_module("cs4", counter_v1 /* MODULE(cs1) */);
    compile_module("cs4", "#include <cerl.h>\nMODULE(cs4);\nEXPORT(version/0);\n"
                          "Term version(void) { return erl_mk_int(1); }\n");
    ck_assert(is_module_tuple(load("cs4"), "cs4"));
    ErlExport *e = erl_export_entry("cs4", "version", 0);
    ck_assert(((ErlFn0)e->fn)() == erl_mk_int(1));
    compile_module("cs4", "#include <cerl.h>\nMODULE(cs4);\nEXPORT(version/0);\n"
                          "Term version(void) { return erl_mk_int(2); }\n");
    ck_assert(is_module_tuple(load("cs4"), "cs4"));
    ck_assert(((ErlFn0)e->fn)() == erl_mk_int(2)); /* same entry, new code */
    ck_assert(code_delete(erl_atom("cs4")) == false); /* old exists */
    code_purge(erl_atom("cs4"));
    ck_assert(code_delete(erl_atom("cs4")));
    ck_assert(!export_loaded((Export *)e)); /* back at its stub */
}
END_TEST

/* ================================================== old-code detection */

/* A loop that blocks in receive inside the module (like the article's t),
** and one that, on 'go', tail-calls the current version's idle/0, whose
** frames cover stack memory still holding the old version's addresses. */
static const char *const looper_src =
    "#include <cerl.h>\nMODULE(%s);\nEXPORT(start/0, idle/0);\n"
    "static int deep(int n) { volatile char pad[64]; pad[0] = (char)n;\n"
    "    return n ? deep(n - 1) + pad[0] : 0; }\n"
    "Term idle(void) { volatile char big[2048]; big[0] = 1; (void)big;\n"
    "    for (;;) erl_receive(); }\n"
    "static Term loop(void) { deep(200);\n"
    "    for (;;) { Term m = erl_receive(); if (m == ATOM(go)) erl_tail(%s, idle); } }\n"
    "Term start(void) { return erl_spawn(loop); }\n";

static void make_looper(const char *name)
{
    char src[1024];
    snprintf(src, sizeof src, looper_src, name, name);
    compile_module(name, src);
}

/* Whether any word of p's stack memory (live or stale) points into old.
** Reading stale stack memory is the point here: tell valgrind so. */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#endif
#endif
#ifndef VALGRIND_MAKE_MEM_DEFINED
#define VALGRIND_MAKE_MEM_DEFINED(a, n) ((void)(a), (void)(n))
#endif

static bool stack_mentions(Proc *p, const ModVersion *v)
{
    VALGRIND_MAKE_MEM_DEFINED(p->stack.base, p->stack.size);
    uintptr_t lo = (uintptr_t)v->img.mem, hi = lo + v->img.size;
    uintptr_t *w = p->stack.base, *end = (uintptr_t *)((char *)p->stack.base + p->stack.size);
    for (; w < end; w++)
        if (*w >= lo && *w < hi)
            return true;
    return false;
}

START_TEST(purge_kills_process_blocked_in_old_code)
{
    make_looper("ol1");
    Term mod = erl_atom("ol1");
    ck_assert(is_module_tuple(load("ol1"), "ol1"));
    Term pid = erl_call(ol1, start);
    sched_run_until_idle();
    ck_assert(!code_check_process(pid, mod)); /* no old code yet */
    ck_assert(is_module_tuple(load("ol1"), "ol1"));
    ck_assert(code_check_process(pid, mod));
    ck_assert(!code_soft_purge(mod));
    ck_assert(code_has_old(mod));
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(pid));
    ck_assert(!code_has_old(mod));
}
END_TEST

START_TEST(process_with_only_stale_old_addresses_is_not_running_old_code)
{
    make_looper("ol2");
    Term mod = erl_atom("ol2");
    ck_assert(is_module_tuple(load("ol2"), "ol2"));
    Term pid = erl_call(ol2, start);
    sched_run_until_idle();
    ck_assert(is_module_tuple(load("ol2"), "ol2"));
    ck_assert(code_check_process(pid, mod));
    erl_send(pid, erl_atom("go")); /* tail call into the current idle/0 */
    sched_run_until_idle();
    Proc *p = proc_find(pid);
    ck_assert_ptr_nonnull(p);
    /* the old version's return addresses are still in its stack memory... */
    ck_assert(stack_mentions(p, code_module(mod)->old));
    /* ...but none is on its live frame chain */
    ck_assert(!code_check_process(pid, mod));
    ck_assert(!code_purge(mod));
    ck_assert_ptr_nonnull(proc_find(pid));
    /* and it survives further loads: its code is current, then old again */
    ck_assert(is_module_tuple(load("ol2"), "ol2"));
    ck_assert(code_check_process(pid, mod));
    erl_exit2(pid, AM_kill);
}
END_TEST

START_TEST(not_yet_started_process_runs_its_entry_function)
{
    make_looper("ol3");
    Term mod = erl_atom("ol3");
    ck_assert(is_module_tuple(load("ol3"), "ol3"));
    Term pid = erl_call(ol3, start); /* spawned, not run yet */
    ck_assert(is_module_tuple(load("ol3"), "ol3"));
    ck_assert(code_check_process(pid, mod));
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(pid));
}
END_TEST

static const char *const switcher_src =
    "#include <cerl.h>\nMODULE(sw1);\nEXPORT(loop/0);\n"
    "Term loop(void) { for (;;) { if (erl_receive() == ATOM(go)) erl_tail(sw1, loop); } }\n";

START_TEST(process_that_tail_calls_after_each_load_survives_every_purge)
{
    compile_module("sw1", switcher_src);
    Term mod = erl_atom("sw1");
    ck_assert(is_module_tuple(load("sw1"), "sw1"));
    Term pid = erl_spawn(erl_export_fn(erl_export_entry("sw1", "loop", 0)));
    sched_run_until_idle();
    for (int i = 0; i < 4; i++) {
        /* l(sw1): purge, load. The process survives the purge because it
        ** moved to the newest version after the previous load. */
        code_purge(mod);
        ck_assert_ptr_nonnull(proc_find(pid));
        ck_assert(is_module_tuple(load("sw1"), "sw1"));
        ck_assert(code_check_process(pid, mod)); /* its code is old now */
        erl_send(pid, erl_atom("go"));
        sched_run_until_idle();
        ck_assert(!code_check_process(pid, mod)); /* moved to the current one */
    }
    ck_assert(!code_purge(mod)); /* nobody killed */
    ck_assert_ptr_nonnull(proc_find(pid));
    /* without the switch, the second load after the last one kills it */
    ck_assert(is_module_tuple(load("sw1"), "sw1"));
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(pid));
}
END_TEST

START_TEST(bad_objects_leave_both_versions_untouched)
{
    compile_module("bl1", "#include <cerl.h>\nMODULE(bl1);\nEXPORT(f/0);\nTerm f(void) { return erl_mk_int(1); }\n");
    Term mod = erl_atom("bl1");
    ck_assert(is_module_tuple(load("bl1"), "bl1"));
    ck_assert(is_module_tuple(load("bl1"), "bl1"));
    ModVersion *cur = code_module(mod)->cur, *old = code_module(mod)->old;
    ck_assert(!code_purge(mod));
    old = code_module(mod)->old;
    ck_assert_ptr_null(old);
    static const char *const bad[] = {
        /* no EXPORT declaration */
        "#include <cerl.h>\nMODULE(bl1);\nTerm f(void) { return erl_mk_int(2); }\n",
        /* an export whose function is absent */
        "#include <cerl.h>\nMODULE(bl1);\nEXPORT(f/0, g/1);\nTerm f(void) { return erl_mk_int(2); }\n",
        /* a malformed export list */
        "#include <cerl.h>\nMODULE(bl1);\nEXPORT(f);\nTerm f(void) { return erl_mk_int(2); }\n",
        /* (a reference to a symbol nobody defines is now a compile error:
        ** test_loader.c loads such an object made by libtcc alone) */
        /* no MODULE declaration */
        "#include <cerl.h>\nEXPORT(f/0);\nTerm f(void) { return erl_mk_int(2); }\n",
    };
    ErlExport *e = erl_export_entry("bl1", "f", 0);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        compile_module("bl1", bad[i]);
        char *why = NULL;
        Term r = code_load_file(heap_current(), mod, &why);
        ck_assert_msg(is_error(r, AM_badfile), "case %zu", i);
        ck_assert_msg(why && *why, "case %zu has no reason", i);
        free(why);
        ck_assert_ptr_eq(code_module(mod)->cur, cur);
        ck_assert_ptr_null(code_module(mod)->old);
        ck_assert(((ErlFn0)e->fn)() == erl_mk_int(1)); /* calls still reach version 1 */
    }
}
END_TEST

static Term call_unloaded(void)
{
    return erl_call(al1, f);
}

START_TEST(fully_qualified_call_loads_the_module_or_raises_undef)
{
    compile_module("al1", "#include <cerl.h>\nMODULE(al1);\nEXPORT(f/0);\nTerm f(void) { return ATOM(loaded); }\n");
    ck_assert_ptr_null(code_module(erl_atom("al1")));
    ck_assert(call_unloaded() == erl_atom("loaded")); /* autoload from the code path */
    ck_assert_ptr_nonnull(code_module(erl_atom("al1"))->cur);
    ErlCatch c;
    ErlException ex;
    if (exc_try(&c) == 0) {
        erl_call(al_missing, f);
        exc_end(&c);
        ck_abort_msg("call to a missing module returned");
    }
    exc_caught(&c, &ex);
    ck_assert(ex.cls == AM_error && ex.reason == AM_undef);
    ck_assert(erl_element(ex.where, 1) == erl_atom("al_missing") && erl_element(ex.where, 2) == erl_atom("f"));
}
END_TEST

/* The innermost module function p is in, as {Mod, Fun, current|old}. */
static Term where_is(Term pid)
{
    uintptr_t addrs[64];
    int n = proc_return_addresses(proc_find(pid), addrs, 64);
    for (int i = 0; i < n; i++) {
        Term info = code_address_info(heap_current(), addrs[i]);
        if (info != ERL_NONE)
            return info;
    }
    return ERL_NONE;
}

START_TEST(code_addresses_map_to_module_function_and_version_statics_included)
{
    make_looper("ol4");
    ck_assert(is_module_tuple(load("ol4"), "ol4"));
    Term pid = erl_call(ol4, start);
    sched_run_until_idle();
    Term w = where_is(pid);
    ck_assert(erl_is_tuple(w));
    ck_assert(erl_element(w, 1) == erl_atom("ol4"));
    ck_assert(erl_element(w, 2) == erl_atom("loop")); /* a static function */
    ck_assert(erl_element(w, 3) == AM_current);
    ck_assert(is_module_tuple(load("ol4"), "ol4"));
    ck_assert(erl_element(where_is(pid), 3) == AM_old);
    erl_send(pid, erl_atom("go"));
    sched_run_until_idle();
    w = where_is(pid);
    ck_assert(erl_element(w, 2) == erl_atom("idle") && erl_element(w, 3) == AM_current);
    ck_assert(code_address_info(heap_current(), (uintptr_t)&where_is) == ERL_NONE);
    erl_exit2(pid, AM_kill);
}
END_TEST

Suite *runtime_suite(void)
{
    Suite *s = suite_create("runtime");
    TCase *tc = tcase_create("processes");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, mailbox_delivers_in_send_order);
    tcase_add_test(tc, send_to_dead_pid_is_silent_and_to_unknown_name_raises_badarg);
    tcase_add_test(tc, monitor_by_pid_delivers_down_with_exit_reason);
    tcase_add_test(tc, monitor_by_name_reports_name_and_node_and_kill_is_seen_as_killed);
    tcase_add_test(tc, monitor_of_unknown_name_or_dead_pid_is_noproc_at_once);
    tcase_add_test(tc, abnormal_exit_kills_linked_process_normal_does_not);
    suite_add_tcase(s, tc);
    tc = tcase_create("code");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, load_file_moves_current_to_old_and_refuses_a_third_version);
    tcase_add_test(tc, load_file_errors_leave_versions_untouched);
    tcase_add_test(tc, export_table_entry_follows_the_current_version);
    tcase_add_test(tc, purge_kills_process_blocked_in_old_code);
    tcase_add_test(tc, process_with_only_stale_old_addresses_is_not_running_old_code);
    tcase_add_test(tc, not_yet_started_process_runs_its_entry_function);
    tcase_add_test(tc, code_addresses_map_to_module_function_and_version_statics_included);
    tcase_add_test(tc, process_that_tail_calls_after_each_load_survives_every_purge);
    tcase_add_test(tc, bad_objects_leave_both_versions_untouched);
    tcase_add_test(tc, fully_qualified_call_loads_the_module_or_raises_undef);
    suite_add_tcase(s, tc);
    return s;
}
