/*
** test_shell_cmds.c
** The shell commands whose output erl cannot be compared with line by line
** (i(), regs(), help(): erl has its own system processes and commands),
** h()'s rendering of commands as erl_pp prints them, tab completion, and
** Ctrl-C / the watchdog stopping a process that never yields.
*/
#include <check.h>

#include "support.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../runtime/bif.h"
#include "../../runtime/cc.h"
#include "../../runtime/code.h"
#include "../../runtime/interrupt.h"
#include "../../runtime/monitor.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"
#include "../../shell/cmdhist.h"
#include "../../shell/complete.h"
#include "../../shell/eval_hooks.h"
#include "../../shell/shell.h"

static char workdir[] = "/tmp/cerl-cmds-XXXXXX";

static void setup(void)
{
    static bool done;
    atom_init();
    proc_init();
    code_init();
    bif_init();
    if (!done) {
        ck_assert_ptr_nonnull(mkdtemp(workdir));
        done = true;
    }
}

/* ----------------------------------------------------- capturing stdout */

static char *run_command0(const char *name)
{
    support_capture_begin();
    Term r = eval_hook_local_call(erl_atom(name), 0, NULL);
    char *out = support_capture_end();
    ck_assert_msg(r == AM_ok, "%s() returned something else than ok", name);
    return out;
}

static Term idle_forever(void)
{
    for (;;)
        erl_receive();
    return AM_ok;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* ================================================================ i/0 */

START_TEST(i_prints_erls_header_two_lines_per_process_and_totals)
{
    Term a = erl_spawn(idle_forever), b = erl_spawn(idle_forever);
    erl_register(erl_atom("cmds_named"), b);
    sched_run_until_idle();
    char *out = run_command0("i");
    const char *want_head = "Pid                   Initial Call                          Heap     Reds Msgs\n"
                            "Registered            Current Function                     Stack              \n";
    ck_assert_msg(strncmp(out, want_head, strlen(want_head)) == 0, "header: %s", out);
    ck_assert_int_eq(count_lines(out), 2 + 2 * (int)proc_count() + 2);
    ck_assert_ptr_nonnull(strstr(out, "\ncmds_named "));
    ck_assert_ptr_nonnull(strstr(out, "\nTotal                                                   "));
    /* every line is the 79 columns of "~-21ts ~-33ts ~8s ~8s ~4s" */
    for (char *line = out; *line; line = strchr(line, '\n') + 1)
        ck_assert_int_eq(strchr(line, '\n') - line, 21 + 1 + 33 + 1 + 8 + 1 + 8 + 1 + 4);
    free(out);
    erl_exit2(a, AM_kill);
    erl_exit2(b, AM_kill);
}
END_TEST

START_TEST(i3_is_process_info_of_the_pid_or_undefined)
{
    Term p = erl_spawn(idle_forever);
    sched_run_until_idle();
    Term args[3] = {erl_mk_int(0), erl_mk_int((int64_t)pid_number(p)), erl_mk_int(0)};
    Term r = eval_hook_local_call(erl_atom("i"), 3, args);
    ck_assert(erl_is_cons(r));
    ck_assert(erl_element(erl_hd(r), 1) == erl_atom("current_function"));
    erl_exit2(p, AM_kill);
    ck_assert(eval_hook_local_call(erl_atom("i"), 3, args) == AM_undefined);
}
END_TEST

/* ============================================================= regs/0 */

START_TEST(regs_lists_names_sorted_in_erls_layout)
{
    Term a = erl_spawn(idle_forever), b = erl_spawn(idle_forever);
    erl_register(erl_atom("zeta"), a);
    erl_register(erl_atom("alpha"), b);
    sched_run_until_idle();
    char *out = run_command0("regs");
    const char *head = "\n** Registered procs on node nonode@nohost **\n"
                       "Name                  Pid          Initial Call                      Reds Msgs\n"
                       "alpha                 ";
    ck_assert_msg(strncmp(out, head, strlen(head)) == 0, "got: %s", out);
    char *z = strstr(out, "\nzeta ");
    ck_assert_ptr_nonnull(z);
    ck_assert_int_eq(strchr(z + 1, '\n') - (z + 1), 21 + 1 + 12 + 1 + 25 + 1 + 12 + 1 + 4);
    const char *tail = "\n** Registered ports on node nonode@nohost **\n"
                       "Name                  Id              Command                                 \n";
    ck_assert_str_eq(out + strlen(out) - strlen(tail), tail);
    free(out);
    erl_exit2(a, AM_kill);
    erl_exit2(b, AM_kill);
}
END_TEST

/* ============================================================= help/0 */

START_TEST(help_lists_every_shell_command)
{
    support_capture_begin();
    Term r = eval_hook_local_call(erl_atom("help"), 0, NULL);
    char *out = support_capture_end();
    ck_assert(r == AM_true);
    ck_assert(strncmp(out, "** shell internal commands **\n", 30) == 0);
    ck_assert_ptr_nonnull(strstr(out, "\n** commands in module c **\n"));
    int arity;
    const char *name;
    for (size_t i = 0; (name = shell_command(i, &arity)); i++) {
        char line[64];
        snprintf(line, sizeof line, "\n%s(", name);
        ck_assert_msg(strstr(out, line), "help() does not list %s/%d", name, arity);
    }
    free(out);
}
END_TEST

/* ======================================================== h() texts */

/* The text h() shows for the command 'src' typed as command n. */
static char *hist_text(const char *src, int n)
{
    Arena a = {0};
    Ast *ast;
    char *msg = NULL;
    ck_assert_int_eq(parser_parse(src, strlen(src), &a, &ast, &msg), PARSE_OK);
    Buf b = {0};
    bool ok = cmdhist_text(&b, ast, n, &msg);
    arena_free(&a);
    if (!ok) {
        buf_free(&b);
        return msg;
    }
    return buf_take(&b);
}

START_TEST(history_shows_commands_as_erl_pp_prints_them)
{
    /* each expected text is what erl's h() printed for the same input */
    static const char *const cases[][2] = {
        {"X = 5.", "X = 5"},
        {"X = 5,\n Y = 7.", "X = 5, Y = 7"},
        {"foo(1,{a,b},[1,2|T]).", "foo(1, {a, b}, [1, 2 | T])"},
        {"1/0.", "1 / 0"},
        {"-(1+2) * 3.", "-(1 + 2) * 3"},
        {"(1 - 2) - 3.", "1 - 2 - 3"},
        {"1 - (2 - 3).", "1 - (2 - 3)"},
        {"not true.", "not true"},
        {"bnot 3.", "bnot 3"},
        {"A = B = 2.", "A = B = 2"},
        {"catch 1.", "catch 1"},
        {"self() ! {a}.", "self() ! {a}"},
        {"\"a\\nb\".", "\"a\\nb\""},
        {"16#ff.", "255"},
        {"<<1,2:8/integer>>.", "<<1,2:8/integer>>"},
        {"t:start().", "t:start()"},
        {"'DOWN'.", "'DOWN'"},
    };
    cmdhist_reset();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = hist_text(cases[i][0], 1);
        ck_assert_str_eq(got, cases[i][1]);
        free(got);
    }
}
END_TEST

START_TEST(v_and_e_resolve_to_kept_commands_or_fail_as_erl_does)
{
    cmdhist_reset();
    cmdhist_add(1, "X = 5");
    cmdhist_set_value(1, erl_mk_int(5));
    cmdhist_add(2, "Y = X + 1");
    cmdhist_set_value(2, erl_mk_int(6));
    char *t = hist_text("v(-1).", 3);
    ck_assert_str_eq(t, "v(2)");
    free(t);
    t = hist_text("{v(1), e(2)}.", 3);
    ck_assert_str_eq(t, "{v(1), Y = X + 1}");
    free(t);
    t = hist_text("v(10).", 3);
    ck_assert_str_eq(t, "* 10: command not found");
    free(t);
    t = hist_text("v(-10).", 3);
    ck_assert_str_eq(t, "* -10: command not found");
    free(t);
    t = hist_text("e(3).", 3); /* not itself */
    ck_assert_str_eq(t, "* 3: command not found");
    free(t);
    t = hist_text("v(a).", 3);
    ck_assert_str_eq(t, "* a: command not found");
    free(t);
    ck_assert(cmdhist_value(-1, 3, heap_current()) == erl_mk_int(6));
    cmdhist_reset();
}
END_TEST

START_TEST(history_keeps_the_last_twenty_commands_and_their_values)
{
    cmdhist_reset();
    for (int n = 1; n <= 50; n++) {
        char text[16];
        snprintf(text, sizeof text, "%d", n);
        cmdhist_add(n, text);
        cmdhist_set_value(n, erl_tuple(erl_mk_int(n), erl_atom("kept")));
    }
    ck_assert(!cmdhist_has(30, 51, true));
    ck_assert(cmdhist_has(31, 51, true));
    Term v = cmdhist_value(31, 51, heap_current());
    ck_assert(erl_is_tuple(v) && erl_element(v, 1) == erl_mk_int(31));
    Buf b = {0};
    cmdhist_list(&b, 51);
    ck_assert(strncmp(buf_str(&b), "31: 31\n-> {31,kept}\n", 20) == 0);
    ck_assert_int_eq(count_lines(buf_str(&b)), 2 * CMDHIST_KEEP);
    buf_free(&b);
    cmdhist_reset();
}
END_TEST

/* ========================================================= completion */

static bool has(char **v, const char *s)
{
    for (; v && *v; v++)
        if (strcmp(*v, s) == 0)
            return true;
    return false;
}

static void free_all(char **v)
{
    for (char **p = v; p && *p; p++)
        free(*p);
    free(v);
}

START_TEST(completion_offers_modules_functions_commands_and_names)
{
    char **c = complete_word("erlang:sel");
    ck_assert(has(c, "erlang:self("));
    free_all(c);
    c = complete_word("fl");
    ck_assert(has(c, "flush("));
    free_all(c);
    c = complete_word("ti");
    ck_assert(has(c, "timer:"));
    free_all(c);
    Term p = erl_spawn(idle_forever);
    erl_register(erl_atom("completion_target"), p);
    c = complete_word("completion_t");
    ck_assert(has(c, "completion_target"));
    free_all(c);
    erl_exit2(p, AM_kill);
    ck_assert_ptr_null(complete_word("zzz_nothing"));
}
END_TEST

/* ====================================================== Ctrl-C, watchdog */

static Term break_in_pid;

static bool kill_the_stopped_process(Proc *in)
{
    break_in_pid = in ? in->pid : ERL_NONE;
    return true;
}

static Term down_reason;

static Term watch(void)
{
    erl_monitor(erl_receive());
    Term m = erl_receive();
    down_reason = erl_element(m, 5);
    return AM_ok;
}

/* A child process that sends Ctrl-C's signal to this one a little later. */
static pid_t send_sigint_later(void)
{
    pid_t parent = getpid(), child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        usleep(300 * 1000);
        kill(parent, SIGINT);
        _exit(0);
    }
    return child;
}

/* Compiles a module whose loop/0 never calls the runtime, and spawns it. */
static Term spawn_spinner(void)
{
    char src[256], obj[256];
    snprintf(src, sizeof src, "%s/spinner.c", workdir);
    snprintf(obj, sizeof obj, "%s/spinner.o", workdir);
    FILE *f = fopen(src, "w");
    ck_assert_ptr_nonnull(f);
    fputs("#include <cerl.h>\nMODULE(spinner);\nEXPORT(loop/0);\n"
          "Term loop(void) { volatile long i = 0; for (;;) i++; return ATOM(ok); }\n",
          f);
    fclose(f);
    char *diag = NULL;
    ck_assert_msg(cc_compile(src, obj, &diag) == 0, "%s", diag ? diag : "");
    free(diag);
    code_add_path(workdir, true);
    Term r = code_load_file(heap_current(), erl_atom("spinner"), NULL);
    ck_assert(erl_is_tuple(r) && erl_element(r, 1) == AM_module);
    Module *m = code_module(erl_atom("spinner"));
    return erl_spawn((Term(*)(void))m->cur->exports[0].fn);
}

START_TEST(ctrl_c_stops_a_process_that_never_yields_and_the_menu_kills_it)
{
    ck_assert_int_eq(interrupt_init(0), 0);
    interrupt_break_hook = kill_the_stopped_process;
    break_in_pid = ERL_NONE;
    down_reason = ERL_NONE;
    Term watcher = erl_spawn(watch);
    Term spinner = spawn_spinner();
    erl_send(watcher, spinner);
    pid_t child = send_sigint_later();
    sched_run_until_idle(); /* the watcher monitors, the spinner spins until Ctrl-C */
    ck_assert_ptr_null(proc_find(watcher));
    waitpid(child, NULL, 0);
    interrupt_shutdown();
    interrupt_break_hook = NULL;
    ck_assert(break_in_pid == spinner);
    ck_assert_ptr_null(proc_find(spinner));
    ck_assert(down_reason == AM_killed);
}
END_TEST

static long reported_ms;
static Term reported_where;

static void stop_the_runaway(Proc *p, long ms, uintptr_t pc)
{
    reported_ms = ms;
    reported_where = code_address_info(heap_current(), pc);
    reported_where = erl_is_tuple(reported_where) ? erl_element(reported_where, 1) : ERL_NONE;
    proc_exit_self(erl_atom("stopped"));
}

START_TEST(watchdog_reports_a_process_running_too_long_without_yielding)
{
    ck_assert_int_eq(interrupt_init(300), 0);
    interrupt_runaway_hook = stop_the_runaway;
    reported_ms = 0;
    Term spinner = spawn_spinner();
    sched_run_until_idle();
    interrupt_shutdown();
    interrupt_runaway_hook = NULL;
    ck_assert_ptr_null(proc_find(spinner));
    ck_assert_int_ge(reported_ms, 300);
    ck_assert(reported_where == erl_atom("spinner"));
}
END_TEST

Suite *shell_cmds_suite(void)
{
    Suite *s = suite_create("shell_cmds");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, i_prints_erls_header_two_lines_per_process_and_totals);
    tcase_add_test(tc, i3_is_process_info_of_the_pid_or_undefined);
    tcase_add_test(tc, regs_lists_names_sorted_in_erls_layout);
    tcase_add_test(tc, help_lists_every_shell_command);
    tcase_add_test(tc, history_shows_commands_as_erl_pp_prints_them);
    tcase_add_test(tc, v_and_e_resolve_to_kept_commands_or_fail_as_erl_does);
    tcase_add_test(tc, history_keeps_the_last_twenty_commands_and_their_values);
    tcase_add_test(tc, completion_offers_modules_functions_commands_and_names);
    tcase_add_test(tc, ctrl_c_stops_a_process_that_never_yields_and_the_menu_kills_it);
    tcase_add_test(tc, watchdog_reports_a_process_running_too_long_without_yielding);
    suite_add_tcase(s, tc);
    return s;
}
