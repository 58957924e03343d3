/*
** test_fault.c
** Hostile modules: each fault ends exactly the process that caused it, with
** the exit reason fault.h documents, and everything else runs on. A fault in
** the runtime's own code still ends the runtime (checked in a child process).
*/
#include <check.h>

#include "support.h"
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../runtime/bif.h"
#include "../../runtime/cc.h"
#include "../../runtime/code.h"
#include "../../runtime/fault.h"
#include "../../runtime/print.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"
#include "../../shell/eval.h"
#include "../../shell/parser.h"

/* ============================================================ fixture */


/* One module with one way to crash per function. */
static const char *const hostile_src =
    "#include <cerl.h>\n"
    "#include <assert.h>\n"
    "#include <fcntl.h>\n"
    "#include <stdlib.h>\n"
    "#include <string.h>\n"
    "#include <sys/mman.h>\n"
    "#include <unistd.h>\n"
    "MODULE(hostile);\n"
    "EXPORT(null/0, div0/1, abrt/0, asrt/0, deep/0, lib/0, ill/0, bus/0, ex/1, _ex/1, waiter/0);\n"
    "static volatile int *nowhere;\n"
    "Term null(void) { return erl_mk_int(*nowhere); }\n"
    "Term div0(Term d) { return erl_mk_int(100 / (int)erl_int_value(d)); }\n"
    "Term abrt(void) { abort(); return ATOM(ok); }\n"
    "Term asrt(void) { assert(nowhere != 0); return ATOM(ok); }\n"
    "static int recurse(int n) { volatile char pad[64]; pad[0] = (char)n; return recurse(n + 1) + pad[0]; }\n"
    "Term deep(void) { return erl_mk_int(recurse(0)); }\n"
    "Term lib(void) { return erl_mk_int((long)strlen((const char *)nowhere)); }\n"
    "Term ill(void) { __asm__(\"ud2\"); return ATOM(ok); }\n"
    "Term bus(void) {\n"
    "    char name[] = \"/tmp/cerl-bus-XXXXXX\"; int fd = mkstemp(name); unlink(name);\n"
    "    volatile char *m = mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0); close(fd);\n"
    "    return erl_mk_int(m[0]); }\n"
    "Term ex(Term s) { exit((int)erl_int_value(s)); return ATOM(ok); }\n"
    "Term _ex(Term s) { _exit((int)erl_int_value(s)); return ATOM(ok); }\n"
    "Term waiter(void) { if (erl_receive() == ATOM(crash)) return erl_mk_int(*nowhere); return ATOM(ok); }\n";

/* What the test processes saw, copied to a heap that outlives them. */
static Heap keep;
static Term down_reason, reported;
static int nreports;

static void remember_report(Proc *p, Term reason)
{
    reported = term_copy(&keep, reason);
    nreports++;
}

/* The process under test: started by watch() so that the monitor is in
** place before it runs. */
static void *victim_fn;
static int victim_argc;
static Term victim_arg;
static Term victim_pid;

static Term watch(void)
{
    victim_pid = erl_spawn_fn(victim_fn, victim_argc, &victim_arg);
    erl_monitor(victim_pid);
    Term down = erl_receive();
    down_reason = term_copy(&keep, erl_element(down, 5));
    return AM_ok;
}

static Term wait_forever(void)
{
    erl_receive();
    return AM_ok;
}

/* Runs fn(arg...) in a fresh process and returns the reason it died with,
** checking that a bystander process outlives it. */
static Term run_to_death(void *fn, int argc, Term arg)
{
    Term bystander = erl_spawn(wait_forever);
    victim_fn = fn;
    victim_argc = argc;
    victim_arg = arg;
    down_reason = ERL_NONE;
    reported = ERL_NONE;
    nreports = 0;
    proc_error_hook = remember_report;
    erl_spawn(watch);
    sched_run_until_idle();
    proc_error_hook = NULL;
    ck_assert_msg(down_reason != ERL_NONE, "no 'DOWN' arrived");
    ck_assert_ptr_null(proc_find(victim_pid));
    ck_assert_ptr_nonnull(proc_find(bystander));
    erl_exit2(bystander, AM_kill);
    sched_run_until_idle();
    return down_reason;
}

/* Whether t is {Tag, {hostile, Fun, Version}} (with a third element when
** size is 3). */
static bool is_fault(Term t, const char *tag, uint64_t size, const char *fun, const char *version)
{
    if (!erl_is_tuple(t) || erl_tuple_size(t) != size || erl_element(t, 1) != erl_atom(tag))
        return false;
    Term w = erl_element(t, 2);
    return erl_is_tuple(w) && erl_tuple_size(w) == 3 && erl_element(w, 1) == erl_atom("hostile") &&
           erl_element(w, 2) == erl_atom(fun) && erl_element(w, 3) == erl_atom(version);
}

static void load_hostile(void)
{
    support_load_current("hostile", hostile_src);
}

/* ===================================================== faults as exits */

START_TEST(null_dereference_ends_the_process_with_segv_at_address_zero)
{
    load_hostile();
    Term r = run_to_death(support_fn_of("hostile", "null", 0), 0, ERL_NONE);
    ck_assert_msg(is_fault(r, "segv", 3, "null", "current"), "reason: %s", support_show(r));
    ck_assert(erl_element(r, 3) == erl_mk_int(0));
    ck_assert_int_eq(nreports, 1); /* reported like an uncaught error */
    ck_assert(erl_eq(reported, r));
}
END_TEST

START_TEST(integer_division_by_zero_is_badarith)
{
    load_hostile();
    Term r = run_to_death(support_fn_of("hostile", "div0", 1), 1, erl_mk_int(0));
    ck_assert_msg(is_fault(r, "badarith", 2, "div0", "current"), "reason: %s", support_show(r));
}
END_TEST

START_TEST(abort_and_failed_assert_are_abort_in_the_calling_function)
{
    load_hostile();
    Term r = run_to_death(support_fn_of("hostile", "abrt", 0), 0, ERL_NONE);
    ck_assert_msg(is_fault(r, "abort", 2, "abrt", "current"), "reason: %s", support_show(r));
    /* libc's assert writes its message to stderr before aborting: catch it
    ** there, so that it is checked rather than shown as if a test failed */
    fflush(stderr);
    int saved = dup(2);
    FILE *err = tmpfile();
    ck_assert(saved >= 0 && err);
    dup2(fileno(err), 2);
    r = run_to_death(support_fn_of("hostile", "asrt", 0), 0, ERL_NONE);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char said[256] = "";
    rewind(err);
    size_t n = fread(said, 1, sizeof said - 1, err);
    said[n] = '\0';
    fclose(err);
    ck_assert_msg(is_fault(r, "abort", 2, "asrt", "current"), "reason: %s", support_show(r));
    ck_assert_msg(strstr(said, "hostile.c:14: asrt: Assertion `nowhere != 0' failed."), "stderr: %s", said);
}
END_TEST

START_TEST(unbounded_recursion_is_stack_overflow_in_the_recursing_function)
{
    load_hostile();
    Term r = run_to_death(support_fn_of("hostile", "deep", 0), 0, ERL_NONE);
    ck_assert_msg(is_fault(r, "stack_overflow", 2, "recurse", "current"), "reason: %s", support_show(r));
    /* the overflowed stack goes back to the pool and serves again */
    r = run_to_death(support_fn_of("hostile", "div0", 1), 1, erl_mk_int(0));
    ck_assert_msg(is_fault(r, "badarith", 2, "div0", "current"), "reason: %s", support_show(r));
}
END_TEST

START_TEST(fault_inside_libc_is_blamed_on_the_module_function_that_called_it)
{
    load_hostile();
    Term r = run_to_death(support_fn_of("hostile", "lib", 0), 0, ERL_NONE);
    ck_assert_msg(is_fault(r, "segv", 3, "lib", "current"), "reason: %s", support_show(r));
}
END_TEST

START_TEST(illegal_instruction_is_sigill)
{
    load_hostile();
    Term r = run_to_death(support_fn_of("hostile", "ill", 0), 0, ERL_NONE);
    ck_assert_msg(is_fault(r, "sigill", 2, "ill", "current"), "reason: %s", support_show(r));
}
END_TEST

START_TEST(reading_a_mapping_past_the_end_of_its_file_is_sigbus)
{
    load_hostile();
    Term r = run_to_death(support_fn_of("hostile", "bus", 0), 0, ERL_NONE);
    ck_assert_msg(is_fault(r, "sigbus", 3, "bus", "current"), "reason: %s", support_show(r));
    ck_assert(erl_is_int(erl_element(r, 3)) && erl_int_value(erl_element(r, 3)) != 0);
}
END_TEST

START_TEST(exit_in_a_module_ends_its_process_with_exit_status_and_no_report)
{
    load_hostile();
    Term r = run_to_death(support_fn_of("hostile", "ex", 1), 1, erl_mk_int(3));
    ck_assert(erl_eq(r, erl_tuple(erl_atom("exit"), erl_mk_int(3))));
    ck_assert_int_eq(nreports, 0);
    r = run_to_death(support_fn_of("hostile", "_ex", 1), 1, erl_mk_int(4));
    ck_assert(erl_eq(r, erl_tuple(erl_atom("exit"), erl_mk_int(4))));
}
END_TEST

START_TEST(fault_in_old_code_names_the_old_version)
{
    load_hostile();
    Term mod = erl_atom("hostile");
    if (code_has_old(mod))
        code_purge(mod);
    victim_fn = support_fn_of("hostile", "waiter", 0);
    victim_argc = 0;
    down_reason = ERL_NONE;
    erl_spawn(watch);
    sched_run_until_idle();
    support_load("hostile"); /* the waiter's code is old now */
    erl_send(victim_pid, erl_atom("crash"));
    sched_run_until_idle();
    ck_assert_msg(is_fault(down_reason, "segv", 3, "waiter", "old"), "reason: %s", support_show(down_reason));
    code_purge(mod);
}
END_TEST

/* ========================================================= stale code */

static const char *const victim_src =
    "#include <cerl.h>\nMODULE(stale_v);\nEXPORT(f/0);\n"
    "Term f(void) { return ATOM(v_ok); }\n";
static const char *const holder_src =
    "#include <cerl.h>\nMODULE(stale_h);\nEXPORT(hold/0);\n"
    "Term hold(void) { ErlFn0 fn = (ErlFn0)ERL_FN_OF(stale_v, f, 0);\n"
    "    for (;;) { if (fn() != ATOM(v_ok)) return ATOM(wrong); erl_receive(); } }\n";

/* Loads both modules and starts stale_h:hold/0 (watched: victim_pid),
** which has called stale_v:f/0 once and waits; returns f's address. */
static void *start_holder(void)
{
    support_compile_module("stale_v", victim_src);
    support_compile_module("stale_h", holder_src);
    support_load("stale_v");
    support_load("stale_h");
    victim_fn = support_fn_of("stale_h", "hold", 0);
    victim_argc = 0;
    down_reason = ERL_NONE;
    erl_spawn(watch);
    sched_run_until_idle();
    return support_fn_of("stale_v", "f", 0);
}

START_TEST(calling_through_a_stale_pointer_into_purged_code_is_purged_code)
{
    void *old_f = start_holder();
    support_load("stale_v");
    ck_assert(!code_purge(erl_atom("stale_v"))); /* the holder is not running it */
    ck_assert(code_in_purged((uintptr_t)old_f));
    erl_send(victim_pid, AM_ok);
    sched_run_until_idle();
    Term r = down_reason;
    ck_assert(erl_is_tuple(r) && erl_tuple_size(r) == 3 && erl_element(r, 1) == erl_atom("purged_code"));
    ck_assert(erl_eq(erl_element(r, 2), erl_tuple(erl_atom("stale_v"), erl_atom("f"), erl_atom("purged"))));
    ck_assert(erl_element(r, 3) == erl_mk_int((int64_t)(uintptr_t)old_f));
}
END_TEST

START_TEST(a_stale_pointer_stays_purged_code_after_hundreds_of_later_purges)
{
    void *old_f = start_holder();
    /* 300 more versions come and go: none may be placed where an earlier
    ** one was, and every earlier one stays named as purged */
    static void *olds[301];
    olds[0] = old_f;
    for (int i = 1; i <= 300; i++) {
        code_purge(erl_atom("stale_v"));
        support_load("stale_v");
        olds[i] = support_fn_of("stale_v", "f", 0);
    }
    code_purge(erl_atom("stale_v"));
    support_load("stale_v");
    code_purge(erl_atom("stale_v"));
    void *now = support_fn_of("stale_v", "f", 0);
    for (int i = 0; i <= 300; i++) {
        ck_assert_msg(olds[i] != now, "version %d's address reused", i);
        ck_assert_msg(code_in_purged((uintptr_t)olds[i]), "version %d no longer named", i);
    }
    erl_send(victim_pid, AM_ok);
    sched_run_until_idle();
    Term r = down_reason;
    ck_assert_msg(erl_is_tuple(r) && erl_tuple_size(r) == 3 && erl_element(r, 1) == erl_atom("purged_code"),
                  "reason: %s", support_show(r));
    ck_assert(erl_eq(erl_element(r, 2), erl_tuple(erl_atom("stale_v"), erl_atom("f"), erl_atom("purged"))));
}
END_TEST

/* ============================================================== links */

static Term trap_and_collect(void)
{
    erl_trap_exit(AM_true);
    victim_pid = erl_spawn_link_fn(victim_fn, victim_argc, &victim_arg);
    Term msg = erl_receive();
    down_reason = term_copy(&keep, msg);
    return AM_ok;
}

START_TEST(linked_process_gets_the_fault_as_exit_reason)
{
    load_hostile();
    victim_fn = support_fn_of("hostile", "div0", 1);
    victim_argc = 1;
    victim_arg = erl_mk_int(0);
    down_reason = ERL_NONE;
    Term watcher = erl_spawn(trap_and_collect);
    sched_run_until_idle();
    Term m = down_reason;
    ck_assert(erl_is_tuple(m) && erl_element(m, 1) == AM_EXIT && erl_element(m, 2) == victim_pid);
    ck_assert_msg(is_fault(erl_element(m, 3), "badarith", 2, "div0", "current"), "reason: %s",
                  support_show(erl_element(m, 3)));
    ck_assert_ptr_null(proc_find(watcher)); /* it returned normally */
}
END_TEST

/* ========================================================== the runtime */

/* In a child: a fault in the runtime's own code (here: the test's), with
** no process running, kills it with the signal and a message. */
START_TEST(fault_in_runtime_code_still_ends_the_runtime_with_a_message)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        dup2(fds[1], STDERR_FILENO);
        fault_init();
        volatile int *volatile bad = (volatile int *)(uintptr_t)16;
        *bad = 1;
        _exit(0);
    }
    close(fds[1]);
    char buf[512];
    support_read_pipe(fds[0], buf, sizeof buf);
    int status;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    ck_assert_msg(strstr(buf, "SIGSEGV") && strstr(buf, "0x10") && strstr(buf, "fault in cerl's runtime"),
                  "stderr was: %s", buf);
}
END_TEST

/* ========================================================= huge input */

/* What the shell does with one command, in a process with the shell's
** stack: parse, evaluate, print. */
static const char *typed;
static char *outcome;    /* the printed value, the parse error or "raised: ..." */

static Term shell_like(void)
{
    Arena a = {0};
    Ast *ast = NULL;
    char *msg = NULL;
    Buf out = {0};
    ParseStatus st = parser_parse(typed, strlen(typed), &a, &ast, &msg);
    if (st != PARSE_OK) {
        buf_puts(&out, msg ? msg : "(empty)");
    } else {
        Bindings b = {0};
        ErlCatch c;
        ErlException e;
        if (exc_try(&c) == 0) {
            print_shell_result(&out, eval_command(ast, &b));
            exc_end(&c);
        } else {
            exc_caught(&c, &e);
            buf_puts(&out, "raised: ");
            print_write(&out, e.reason);
        }
        bindings_destroy(&b);
    }
    free(msg);
    arena_free(&a);
    outcome = buf_take(&out);
    buf_free(&out);
    return AM_ok;
}

/* The outcome of typing 'text' (caller frees), or NULL when the process died. */
static char *type_in(const char *text)
{
    typed = text;
    outcome = NULL;
    proc_spawn((void *)shell_like, 0, NULL, STACK_SHELL_SIZE);
    sched_run_until_idle();
    return outcome;
}

START_TEST(ten_megabyte_string_literal_is_read_whole)
{
    char *text = support_repeat("length(\"", "a", 10L * 1000 * 1000, "\").");
    char *r = type_in(text);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r, "10000000");
    free(r);
    free(text);
}
END_TEST

START_TEST(list_literal_of_100k_elements_evaluates)
{
    char *text = support_repeat("length([", "1,", 100000 - 1, "1]).");
    char *r = type_in(text);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r, "100000");
    free(r);
    free(text);
}
END_TEST

START_TEST(tuples_nested_100k_deep_evaluate_and_print_within_the_depth_limit)
{
    char *text = support_nest("{", 100000, "", "}", ".");
    char *r = type_in(text);
    ck_assert_ptr_nonnull(r);
    ck_assert_msg(strncmp(r, "{{{{", 4) == 0 && strstr(r, "...") != NULL, "printed: %.80s", r);
    free(r);
    free(text);
}
END_TEST

START_TEST(nesting_past_the_parser_limit_is_a_clear_error_not_a_crash)
{
    char *text = support_nest("[", 600000, "", "]", ".");
    char *r = type_in(text);
    ck_assert_ptr_nonnull(r);
    ck_assert_msg(strstr(r, "expression nested too deeply") != NULL, "got: %.80s", r);
    free(r);
    free(text);
    text = support_repeat("X = ", "1+", 700000, "1.");
    r = type_in(text);
    ck_assert_ptr_nonnull(r);
    ck_assert_msg(strstr(r, "expression nested too deeply") != NULL, "got: %.80s", r);
    free(r);
    free(text);
}
END_TEST

/* Found by make fuzz (tests/fuzz/regress/print/oom-huge-field-width). */
START_TEST(format_with_a_huge_field_width_fails_instead_of_filling_memory)
{
    Buf b = {0};
    Term args = erl_list(erl_atom("x"));
    ck_assert_int_eq(print_format(&b, "~5555555555555555p", args), -1);
    ck_assert_int_eq(print_format(&b, "~*c", erl_list(erl_mk_int(1L << 40), erl_mk_int(97))), -1);
    ck_assert_int_eq(print_format(&b, "~.9999999999f", erl_list(erl_mk_float(1.5))), -1);
    ck_assert_uint_lt(b.len, 16);
    ck_assert_int_eq(print_format(&b, "~10w|", args), 0);
    ck_assert_str_eq(buf_str(&b), "         x|"); /* ~w pads on the left */
    buf_free(&b);
}
END_TEST

Suite *hostile_input_suite(void)
{
    Suite *s = suite_create("hostile_input");
    TCase *tc = tcase_create("huge");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, support_start_faulting_runtime, NULL);
    tcase_add_test(tc, ten_megabyte_string_literal_is_read_whole);
    tcase_add_test(tc, list_literal_of_100k_elements_evaluates);
    tcase_add_test(tc, tuples_nested_100k_deep_evaluate_and_print_within_the_depth_limit);
    tcase_add_test(tc, nesting_past_the_parser_limit_is_a_clear_error_not_a_crash);
    tcase_add_test(tc, format_with_a_huge_field_width_fails_instead_of_filling_memory);
    suite_add_tcase(s, tc);
    return s;
}

/* valgrind reports every faulting access as an error before the handler
** runs (the process still dies as it should): under it, only the tests that
** do not fault run. */

Suite *fault_suite(void)
{
    Suite *s = suite_create("fault");
    TCase *tc = tcase_create("exit");
    tcase_add_checked_fixture(tc, support_start_faulting_runtime, NULL);
    tcase_add_test(tc, exit_in_a_module_ends_its_process_with_exit_status_and_no_report);
    suite_add_tcase(s, tc);
    if (RUNNING_ON_VALGRIND)
        return s;
    tc = tcase_create("faults");
    tcase_add_checked_fixture(tc, support_start_faulting_runtime, NULL);
    tcase_add_test(tc, null_dereference_ends_the_process_with_segv_at_address_zero);
    tcase_add_test(tc, integer_division_by_zero_is_badarith);
    tcase_add_test(tc, abort_and_failed_assert_are_abort_in_the_calling_function);
    tcase_add_test(tc, unbounded_recursion_is_stack_overflow_in_the_recursing_function);
    tcase_add_test(tc, fault_inside_libc_is_blamed_on_the_module_function_that_called_it);
    tcase_add_test(tc, illegal_instruction_is_sigill);
    tcase_add_test(tc, reading_a_mapping_past_the_end_of_its_file_is_sigbus);
    tcase_add_test(tc, fault_in_old_code_names_the_old_version);
    tcase_add_test(tc, calling_through_a_stale_pointer_into_purged_code_is_purged_code);
    tcase_add_test(tc, a_stale_pointer_stays_purged_code_after_hundreds_of_later_purges);
    tcase_add_test(tc, linked_process_gets_the_fault_as_exit_reason);
    tcase_add_test(tc, fault_in_runtime_code_still_ends_the_runtime_with_a_message);
    suite_add_tcase(s, tc);
    return s;
}
