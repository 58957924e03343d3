/*
** test_frames.c
** The frame walker through frames without a frame pointer: old code found
** below a libc function that called module code back (check_process_code,
** purge, process_info current_function), and hostile jumps (a call to a wild
** address, a longjmp with a garbage jmp_buf) ending only their process.
*/
#include <check.h>

#include "support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../runtime/bif.h"
#include "../../runtime/code.h"
#include "../../runtime/fault.h"
#include "../../runtime/print.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

/* ============================================================ fixture */

/* cb:cmp/2 is a qsort/bsearch comparator that waits for a message before
** it compares. cs: (old after a reload) calls libc with it, or with the
** runtime's erl_receive itself as the comparator. */
static const char *const cb_src =
    "#include <cerl.h>\n"
    "MODULE(cb);\n"
    "EXPORT(cmp/2);\n"
    "Term cmp(Term A, Term B)\n"
    "{\n"
    "    erl_receive();\n"
    "    long a = *(const long *)A, b = *(const long *)B;\n"
    "    return (Term)(long)(a < b ? -1 : a > b);\n"
    "}\n";
static const char *const cs_src =
    "#include <cerl.h>\n"
    "#include <stdlib.h>\n"
    "MODULE(cs);\n"
    "EXPORT(sorter/0, finder/0, waiter/0);\n"
    "typedef int (*Cmp)(const void *, const void *);\n"
    "Term sorter(void)\n"
    "{\n"
    "    long v[4] = {4, 3, 2, 1};\n"
    "    qsort(v, 4, sizeof v[0], (Cmp)ERL_FN_OF(cb, cmp, 2));\n"
    "    return erl_mk_int(v[0]);\n"
    "}\n"
    "Term finder(void)\n"
    "{\n"
    "    static const long v[5] = {1, 2, 3, 4, 5};\n"
    "    long key = 4;\n"
    "    const long *r = bsearch(&key, v, 5, sizeof v[0], (Cmp)ERL_FN_OF(cb, cmp, 2));\n"
    "    return r ? erl_mk_int(*r) : ATOM(none);\n"
    "}\n"
    "Term waiter(void)\n"
    "{\n"
    "    long v[2] = {2, 1};\n"
    "    qsort(v, 2, sizeof v[0], (Cmp)erl_receive);\n"
    "    return ATOM(done);\n"
    "}\n";

static void load_callbacks(void)
{
    static bool compiled;
    if (!compiled) {
        support_compile_module("cb", cb_src);
        support_compile_module("cs", cs_src);
        compiled = true;
    }
    Term cs = erl_atom("cs");
    if (code_has_old(cs))
        code_purge(cs);
    if (!code_module(erl_atom("cb")))
        support_load("cb");
    if (!code_module(cs) || !code_module(cs)->cur)
        support_load("cs");
}

/* What the watched process died of, copied to a heap that outlives it. */
static Heap keep;
static Term down_reason;
static void *victim_fn;
static Term victim_pid;

static Term watch(void)
{
    victim_pid = erl_spawn_fn(victim_fn, 0, NULL);
    erl_monitor(victim_pid);
    Term down = erl_receive();
    down_reason = term_copy(&keep, erl_element(down, 5));
    return AM_ok;
}

/* Starts fn/0 of a fresh process under a monitor and runs it until
** everything waits; returns its pid. */
static Term start_watched(void *fn)
{
    victim_fn = fn;
    down_reason = ERL_NONE;
    erl_spawn(watch);
    sched_run_until_idle();
    ck_assert_ptr_nonnull(proc_find(victim_pid));
    return victim_pid;
}

/* Reloads cs (the running code becomes old), then checks that the process
** is found running it: check_process_code is true, and purge kills it with
** reason killed (a process not found would go on into purged code and die
** of purged_code instead). */
static void old_code_below_libc_is_found(const char *fun)
{
    load_callbacks();
    Term pid = start_watched(support_fn_of("cs", fun, 0));
    support_load("cs");
    Term cs = erl_atom("cs");
    ck_assert_msg(code_check_process(pid, cs), "check_process_code(P, cs) is false");
    ck_assert(code_purge(cs)); /* a process was killed */
    sched_run_until_idle();
    ck_assert_msg(down_reason == AM_killed, "reason: %s", support_show(down_reason));
    ck_assert_ptr_null(proc_find(pid));
}

/* ============================================= old code below libc */

START_TEST(old_code_below_a_qsort_comparator_is_found_and_purge_kills_it)
{
    old_code_below_libc_is_found("sorter");
}
END_TEST

START_TEST(old_code_below_a_bsearch_comparator_is_found_and_purge_kills_it)
{
    old_code_below_libc_is_found("finder");
}
END_TEST

START_TEST(soft_purge_refuses_while_old_code_is_below_a_libc_frame)
{
    load_callbacks();
    Term pid = start_watched(support_fn_of("cs", "sorter", 0));
    support_load("cs");
    Term cs = erl_atom("cs");
    ck_assert(!code_soft_purge(cs));
    ck_assert(code_has_old(cs));
    erl_exit2(pid, AM_kill);
    sched_run_until_idle();
    ck_assert(code_soft_purge(cs));
}
END_TEST

START_TEST(a_process_whose_comparator_ran_to_the_end_is_not_old_code)
{
    load_callbacks();
    Term pid = start_watched(support_fn_of("cs", "sorter", 0));
    /* each comparison waits for one message (AddressSanitizer's qsort
    ** compares some more than glibc's) */
    for (int i = 0; i < 64 && proc_find(pid); i++) {
        erl_send(pid, AM_ok);
        sched_run_until_idle();
    }
    ck_assert_ptr_null(proc_find(pid));
    ck_assert(down_reason == AM_normal);
}
END_TEST

/* ======================================================= process_info */

static Term current_function_of(Term pid)
{
    Term r = ((ErlFn2)support_fn_of("erlang", "process_info", 2))(pid, erl_atom("current_function"));
    ck_assert_msg(erl_is_tuple(r) && erl_tuple_size(r) == 2, "process_info: %s", support_show(r));
    return erl_element(r, 2);
}

START_TEST(current_function_of_a_process_blocked_in_a_libc_callback_is_the_module_caller)
{
    load_callbacks();
    /* qsort calls the runtime's erl_receive directly: the innermost module
    ** function is below libc's frame */
    Term pid = start_watched(support_fn_of("cs", "waiter", 0));
    Term cf = current_function_of(pid);
    ck_assert_msg(erl_eq(cf, erl_tuple(erl_atom("cs"), erl_atom("waiter"), erl_mk_int(0))),
                  "current_function: %s", support_show(cf));
    erl_exit2(pid, AM_kill);
    sched_run_until_idle();
}
END_TEST

START_TEST(current_function_of_a_process_blocked_in_a_module_comparator_is_the_comparator)
{
    load_callbacks();
    Term pid = start_watched(support_fn_of("cs", "sorter", 0));
    Term cf = current_function_of(pid);
    ck_assert_msg(erl_eq(cf, erl_tuple(erl_atom("cb"), erl_atom("cmp"), erl_mk_int(2))),
                  "current_function: %s", support_show(cf));
    erl_exit2(pid, AM_kill);
    sched_run_until_idle();
}
END_TEST

/* ====================================================== hostile jumps */

/* jmps: ways to leave a function that are not returns. */
static const char *const jmps_src =
    "#include <cerl.h>\n"
    "#include <setjmp.h>\n"
    "#include <stdint.h>\n"
    "#include <stdlib.h>\n"
    "#include <string.h>\n"
    "MODULE(jmps);\n"
    "EXPORT(wild/0, null/0, smash/0, garbage/1, good/0, out_of_qsort/0);\n"
    "Term wild(void)\n"
    "{\n"
    "    void (*volatile f)(void) = (void (*)(void))(uintptr_t)0x4000;\n"
    "    f();\n"
    "    return ATOM(survived);\n"
    "}\n"
    "Term null(void)\n"
    "{\n"
    "    void (*volatile f)(void) = 0;\n"
    "    f();\n"
    "    return ATOM(survived);\n"
    "}\n"
    "Term smash(void)\n"
    "{\n"
    "    uintptr_t *fp = __builtin_frame_address(0);\n"
    "    fp[1] = 0x4000; /* its return address */\n"
    "    return ATOM(survived);\n"
    "}\n"
    "Term garbage(Term Byte)\n"
    "{\n"
    "    jmp_buf jb;\n"
    "    memset(jb, (int)erl_int_value(Byte), sizeof jb);\n"
    "    longjmp(jb, 1);\n"
    "    return ATOM(survived);\n"
    "}\n"
    "static void jump(jmp_buf *jb) { longjmp(*jb, 7); }\n"
    "Term good(void)\n"
    "{\n"
    "    jmp_buf jb;\n"
    "    int r = setjmp(jb);\n"
    "    if (r == 0)\n"
    "        jump(&jb);\n"
    "    return erl_mk_int(r);\n"
    "}\n"
    "static jmp_buf out;\n"
    "static int leave(const void *a, const void *b) { longjmp(out, 1); return 0; }\n"
    "Term out_of_qsort(void)\n"
    "{\n"
    "    long v[3] = {3, 2, 1};\n"
    "    if (setjmp(out))\n"
    "        return ATOM(left);\n"
    "    qsort(v, 3, sizeof v[0], leave);\n"
    "    return ATOM(sorted);\n"
    "}\n";

static void load_jmps(void)
{
    static bool compiled;
    if (!compiled) {
        support_compile_module("jmps", jmps_src);
        compiled = true;
    }
    if (!code_module(erl_atom("jmps")))
        support_load("jmps");
}

static Term wait_forever(void)
{
    erl_receive();
    return AM_ok;
}

static Term arg_of_run;
static void *fn_of_run;
static Term result_of_run;

static Term run_and_keep(void)
{
    Term r = ((ErlFn1)fn_of_run)(arg_of_run);
    result_of_run = term_copy(&keep, r);
    return AM_ok;
}

/* In a child process (a runtime that dies must not take the test run with
** it): runs jmps:fun(arg) in a process beside a bystander and writes what
** became of it, as erl prints it, to the returned string (caller frees):
** "died <reason>; bystander alive" or "returned <value>; ...". */
static char *run_in_child(const char *fun, Term arg)
{
    load_jmps();
    void *fn = support_fn_of("jmps", fun, 1 - (arg == ERL_NONE));
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        close(fds[0]);
        Term bystander = erl_spawn(wait_forever);
        fn_of_run = fn;
        arg_of_run = arg;
        result_of_run = ERL_NONE;
        victim_fn = run_and_keep;
        down_reason = ERL_NONE;
        erl_spawn(watch);
        sched_run_until_idle();
        Buf b = {0};
        if (down_reason == ERL_NONE)
            buf_puts(&b, "still running");
        else if (result_of_run != ERL_NONE) {
            buf_puts(&b, "returned ");
            print_write(&b, result_of_run);
        } else {
            buf_puts(&b, "died ");
            print_write(&b, down_reason);
        }
        buf_puts(&b, proc_find(bystander) ? "; bystander alive" : "; bystander dead");
        ssize_t w = write(fds[1], buf_str(&b), strlen(buf_str(&b)));
        (void)w;
        _exit(0);
    }
    close(fds[1]);
    char buf[1024];
    support_read_pipe(fds[0], buf, sizeof buf);
    int status;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "the runtime died (status %#x); it said: %s", status, buf);
    return strdup(buf);
}

static void assert_outcome(const char *fun, Term arg, const char *want)
{
    char *got = run_in_child(fun, arg);
    ck_assert_msg(!strcmp(got, want), "%s: got \"%s\", want \"%s\"", fun, got, want);
    free(got);
}

START_TEST(call_to_a_wild_address_is_segv_in_the_calling_function)
{
    assert_outcome("wild", ERL_NONE, "died {segv,{jmps,wild,current},16384}; bystander alive");
}
END_TEST

START_TEST(call_through_a_null_function_pointer_is_segv_at_zero_in_the_calling_function)
{
    assert_outcome("null", ERL_NONE, "died {segv,{jmps,null,current},0}; bystander alive");
}
END_TEST

START_TEST(return_to_a_wild_address_is_segv_with_nobody_to_blame)
{
    /* the frame that returned is gone, and no module function is below */
    assert_outcome("smash", ERL_NONE, "died {segv,undefined,16384}; bystander alive");
}
END_TEST

START_TEST(longjmp_with_a_garbage_jmp_buf_is_bad_longjmp_in_the_calling_function)
{
    /* 0x41 bytes: a saved signal mask that would block signals; 0: none */
    assert_outcome("garbage", erl_mk_int(0x41), "died {bad_longjmp,{jmps,garbage,current}}; bystander alive");
    assert_outcome("garbage", erl_mk_int(0), "died {bad_longjmp,{jmps,garbage,current}}; bystander alive");
}
END_TEST

START_TEST(longjmp_to_a_live_setjmp_still_jumps)
{
    assert_outcome("good", ERL_NONE, "returned 7; bystander alive");
    assert_outcome("out_of_qsort", ERL_NONE, "returned left; bystander alive");
}
END_TEST

/* valgrind reports the jump to a wild address as an error before the
** handler runs (the process still dies as it should): that test is left
** out under it, as test_fault.c leaves out its faults. */

Suite *frames_suite(void)
{
    Suite *s = suite_create("frames");
    TCase *tc = tcase_create("frames");
    tcase_add_checked_fixture(tc, support_start_faulting_runtime, NULL);
    tcase_add_test(tc, old_code_below_a_qsort_comparator_is_found_and_purge_kills_it);
    tcase_add_test(tc, old_code_below_a_bsearch_comparator_is_found_and_purge_kills_it);
    tcase_add_test(tc, soft_purge_refuses_while_old_code_is_below_a_libc_frame);
    tcase_add_test(tc, a_process_whose_comparator_ran_to_the_end_is_not_old_code);
    tcase_add_test(tc, current_function_of_a_process_blocked_in_a_libc_callback_is_the_module_caller);
    tcase_add_test(tc, current_function_of_a_process_blocked_in_a_module_comparator_is_the_comparator);
    tcase_add_test(tc, longjmp_with_a_garbage_jmp_buf_is_bad_longjmp_in_the_calling_function);
    tcase_add_test(tc, longjmp_to_a_live_setjmp_still_jumps);
    suite_add_tcase(s, tc);
    if (RUNNING_ON_VALGRIND)
        return s;
    tc = tcase_create("faults");
    tcase_add_checked_fixture(tc, support_start_faulting_runtime, NULL);
    tcase_add_test(tc, call_to_a_wild_address_is_segv_in_the_calling_function);
    tcase_add_test(tc, call_through_a_null_function_pointer_is_segv_at_zero_in_the_calling_function);
    tcase_add_test(tc, return_to_a_wild_address_is_segv_with_nobody_to_blame);
    suite_add_tcase(s, tc);
    return s;
}
