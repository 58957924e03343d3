/*
** test_rest12.c
** The c module's commands whose output varies from run to run, so that no
** transcript can hold it: uptime() (its text layout, as c:uptime), memory/0,1
** (erlang:memory's figures), bt/1 (the frames cerl can name).
*/
#include <check.h>

#include "support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../runtime/bif.h"
#include "../../runtime/code.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"
#include "../../shell/cmd_system.h"
#include "../../shell/eval_hooks.h"

static void setup(void)
{
    atom_init();
    proc_init();
    code_init();
    bif_init();
}

static Term idle_forever(void)
{
    for (;;)
        erl_receive();
    return AM_ok;
}

static void assert_uptime_text(long long s, const char *want)
{
    Buf b = {0};
    cmd_uptime_text(&b, s);
    ck_assert_str_eq(buf_str(&b), want);
    buf_free(&b);
}

START_TEST(uptime_text_is_c_uptimes_layout)
{
    /* c:uptime after 61 s printed "1 minutes and 1 seconds" (checked on erl 25) */
    assert_uptime_text(0, "0 seconds");
    assert_uptime_text(59, "59 seconds");
    assert_uptime_text(61, "1 minutes and 1 seconds");
    assert_uptime_text(3600, "1 hours, 0 minutes and 0 seconds");
    assert_uptime_text(86400 + 3600 + 60 + 1, "1 days, 1 hours, 1 minutes and 1 seconds");
    assert_uptime_text(2 * 86400 + 5, "2 days, 0 hours, 0 minutes and 5 seconds");
}
END_TEST

START_TEST(uptime_prints_one_line_and_returns_ok)
{
    support_capture_begin();
    Term r = eval_hook_local_call(erl_atom("uptime"), 0, NULL);
    char *out = support_capture_end();
    ck_assert(r == AM_ok);
    size_t n = strlen(out);
    ck_assert_msg(n > 9 && !strcmp(out + n - 9, " seconds\n"), "uptime printed: %s", out);
    ck_assert(strchr(out, '\n') == out + n - 1); /* one line */
    free(out);
}
END_TEST

START_TEST(memory_is_erlang_memory)
{
    Term all = eval_hook_local_call(erl_atom("memory"), 0, NULL);
    ck_assert(erl_is_cons(all));
    Term first = erl_hd(all);
    ck_assert(erl_is_tuple(first) && erl_element(first, 1) == erl_atom("total"));
    Term type = erl_atom("total");
    Term total = eval_hook_local_call(erl_atom("memory"), 1, &type);
    ck_assert(erl_is_int(total) && erl_int_value(total) > 0);
    type = erl_atom("processes");
    Term procs = eval_hook_local_call(erl_atom("memory"), 1, &type);
    ck_assert(erl_is_int(procs) && erl_int_value(procs) >= 0 && erl_int_value(procs) <= erl_int_value(total));
}
END_TEST

START_TEST(bt_prints_the_program_counter_or_answers_undefined)
{
    Term p = erl_spawn(idle_forever);
    sched_run_until_idle();
    support_capture_begin();
    Term r = eval_hook_local_call(erl_atom("bt"), 1, &p);
    char *out = support_capture_end();
    ck_assert(r == AM_ok);
    ck_assert_msg(!strncmp(out, "Program counter: (", 18), "bt printed: %s", out);
    ck_assert_msg(strstr(out, "/0)\n") != NULL, "bt printed: %s", out);
    free(out);
    erl_exit2(p, AM_kill);
    sched_run_until_idle();
    support_capture_begin();
    r = eval_hook_local_call(erl_atom("bt"), 1, &p);
    out = support_capture_end();
    ck_assert(r == AM_undefined);
    ck_assert_str_eq(out, "");
    free(out);
    Term a = erl_atom("a");
    ck_assert(eval_hook_local_call(erl_atom("bt"), 1, &a) == AM_undefined);
}
END_TEST

Suite *rest12_suite(void)
{
    Suite *s = suite_create("rest12");
    TCase *tc = tcase_create("c_commands");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, uptime_text_is_c_uptimes_layout);
    tcase_add_test(tc, uptime_prints_one_line_and_returns_ok);
    tcase_add_test(tc, memory_is_erlang_memory);
    tcase_add_test(tc, bt_prints_the_program_counter_or_answers_undefined);
    suite_add_tcase(s, tc);
    return s;
}
