/*
** test_stacktrace.c
** Stack traces: the line table read from tcc's -g stabs (address -> line,
** a static function's arity), and the stack of an exception raised three
** calls deep, as catch and an uncaught error's exit reason give it.
*/
#include <check.h>

#include "support.h"
#include <stdio.h>
#include <string.h>

#include "../../runtime/code.h"
#include "../../runtime/error.h"
#include "../../runtime/print.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"
#include "../../runtime/stacktrace.h"

/* Line numbers matter below: each is named in a comment. */
static const char *const st_src =
    "#include <cerl.h>\n"                                 /* 1 */
    "MODULE(st);\n"                                       /* 2 */
    "EXPORT(f/0, g/1);\n"                                 /* 3 */
    "static Term h(Term X, Term Y)\n"                     /* 4 */
    "{\n"                                                 /* 5: h's first byte */
    "    if (X == Y)\n"                                   /* 6 */
    "        erl_error(erl_tuple(ATOM(bad), X));\n"       /* 7: h raises */
    "    return X;\n"                                     /* 8 */
    "}\n"                                                 /* 9 */
    "Term g(Term X)\n"                                    /* 10 */
    "{\n"                                                 /* 11 */
    "    return erl_tuple(h(X, X));\n"                    /* 12: g calls h */
    "}\n"                                                 /* 13 */
    "Term f(void)\n"                                      /* 14 */
    "{\n"                                                 /* 15 */
    "    return erl_list(g(ATOM(a)));\n"                  /* 16: f calls g */
    "}\n";                                                /* 17 */

static const ModVersion *loaded;

static void setup(void)
{
    support_start_runtime();
    static bool compiled;
    if (!compiled) {
        support_compile_module("st", st_src);
        compiled = true;
    }
    if (!code_module(erl_atom("st")))
        support_load("st");
    loaded = code_module(erl_atom("st"))->cur;
    ck_assert_ptr_nonnull(loaded);
}

/* t as erl's ~p prints it on one line (static storage). */
static const char *show(Term t)
{
    static char text[1024];
    Buf b = {0};
    print_pretty(&b, t, 1, 10000, -1);
    snprintf(text, sizeof text, "%s", buf_str(&b));
    buf_free(&b);
    return text;
}

static uintptr_t fn_addr(const char *cname)
{
    for (size_t i = 0; i < loaded->nfuncs; i++)
        if (strcmp(erl_atom_name(loaded->funcs[i].name), cname) == 0)
            return loaded->funcs[i].addr;
    ck_abort_msg("no function %s", cname);
    return 0;
}

START_TEST(line_table_maps_addresses_to_the_lines_of_the_source)
{
    ck_assert_ptr_nonnull(loaded->lines);
    const char *file;
    int line;
    /* the first byte of each function is its opening brace's line */
    ck_assert(stacktrace_line(loaded->lines, fn_addr("h"), &file, &line));
    ck_assert_str_eq(file, "st.c");
    ck_assert_int_eq(line, 5);
    ck_assert(stacktrace_line(loaded->lines, fn_addr("g"), &file, &line));
    ck_assert_int_eq(line, 11);
    ck_assert(stacktrace_line(loaded->lines, fn_addr("f"), &file, &line));
    ck_assert_int_eq(line, 15);
    /* every address of h lies on one of h's lines, in increasing order */
    int last = 0;
    for (uintptr_t a = fn_addr("h"); a < fn_addr("h") + 16; a++) {
        ck_assert(stacktrace_line(loaded->lines, a, &file, &line));
        ck_assert_int_ge(line, last);
        ck_assert_int_le(line, 9);
        last = line;
    }
    /* the C arity of a static function, from its parameters */
    ck_assert_int_eq(stacktrace_params(loaded->lines, fn_addr("h")), 2);
    ck_assert_int_eq(stacktrace_params(loaded->lines, fn_addr("f")), 0);
    ck_assert_int_eq(stacktrace_params(loaded->lines, fn_addr("h") + 1), -1);
}
END_TEST

static char caught[1024];

static Term catch_three_deep(void)
{
    ErlCatch c;
    ErlException e;
    if (exc_try(&c) == 0) {
        erl_call(st, f);
        exc_end(&c);
        snprintf(caught, sizeof caught, "returned");
        return ATOM(ok);
    }
    exc_caught(&c, &e);
    Term t = erl_tuple(e.cls, e.reason, stacktrace_build(heap_current(), &e));
    snprintf(caught, sizeof caught, "%s", show(t));
    return ATOM(ok);
}

START_TEST(three_nested_calls_give_three_frames_innermost_first)
{
    caught[0] = '\0';
    erl_spawn(catch_three_deep);
    sched_run_until_idle();
    ck_assert_str_eq(caught, "{error,{bad,a},"
                             "[{st,h,2,[{file,\"st.c\"},{line,7}]},"
                             "{st,g,1,[{file,\"st.c\"},{line,12}]},"
                             "{st,f,0,[{file,\"st.c\"},{line,16}]}]}");
}
END_TEST

static char exit_reason[1024];

static Term watch_crash(void)
{
    erl_trap_exit(ATOM(true));
    erl_spawn_link_fn(ERL_FN_OF(st, f, 0), 0, NULL);
    Term msg = erl_receive();
    snprintf(exit_reason, sizeof exit_reason, "%s", show(erl_element(msg, 3)));
    return ATOM(ok);
}

START_TEST(an_uncaught_error_exits_with_reason_and_stack)
{
    exit_reason[0] = '\0';
    erl_spawn(watch_crash);
    sched_run_until_idle();
    ck_assert_str_eq(exit_reason, "{{bad,a},"
                                  "[{st,h,2,[{file,\"st.c\"},{line,7}]},"
                                  "{st,g,1,[{file,\"st.c\"},{line,12}]},"
                                  "{st,f,0,[{file,\"st.c\"},{line,16}]}]}");
}
END_TEST

START_TEST(an_object_without_stabs_has_no_line_table)
{
    static const unsigned char not_elf[64] = {0x7f, 'E', 'L', 'F'};
    ObjFile o;
    objfile_from_bytes(&o, not_elf, sizeof not_elf);
    ck_assert_ptr_null(stacktrace_lines_load(&o, loaded->funcs, loaded->nfuncs));
    objfile_free(&o);
}
END_TEST

Suite *stacktrace_suite(void)
{
    Suite *s = suite_create("stacktrace");
    TCase *tc = tcase_create("stacktrace");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, line_table_maps_addresses_to_the_lines_of_the_source);
    tcase_add_test(tc, three_nested_calls_give_three_frames_innermost_first);
    tcase_add_test(tc, an_uncaught_error_exits_with_reason_and_stack);
    tcase_add_test(tc, an_object_without_stabs_has_no_line_table);
    suite_add_tcase(s, tc);
    return s;
}
