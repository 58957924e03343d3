/*
** test_records.c
** Records at the shell prompt: the table rd/2 fills, the expansion of
** record syntax before evaluation, and the printer's record hook.
*/
#include "../../runtime/print.h"
#include "../../shell/eval.h"
#include "../../shell/records.h"
#include "support.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value of command src, run as the shell runs it with table rt. */
static Term run(const char *src, Bindings *b, Records *rt)
{
    Arena a = {0};
    Ast *ast = NULL;
    char *msg = NULL;
    ParseStatus st = parser_parse(src, strlen(src), &a, &ast, &msg);
    ck_assert_msg(st == PARSE_OK, "'%s' did not parse: %s", src, msg ? msg : "");
    ErlCatch c;
    Term v = ERL_NONE;
    if (exc_try(&c) == 0) {
        v = eval_shell_command(ast, b, rt);
        exc_end(&c);
    } else {
        ErlException e;
        exc_caught(&c, &e);
        ck_abort_msg("'%s' raised", src);
    }
    arena_free(&a);
    return v;
}

static void text_of(Term t, bool shell, char *out, size_t size)
{
    Buf b = {0};
    if (shell)
        print_pretty_limited(&b, t, 1);
    else
        print_pretty(&b, t, 1, 80, -1);
    snprintf(out, size, "%s", buf_str(&b));
    buf_free(&b);
}

START_TEST(redefining_a_record_replaces_it_and_the_table_stays_sorted)
{
    support_start_runtime();
    Records rt = {0};
    Bindings b = {0};
    ck_assert(run("rd(b, {x}).", &b, &rt) == erl_atom("b"));
    run("rd(a, {y = 1}), rd(b, {z, w}).", &b, &rt);
    ck_assert_uint_eq(rt.n, 2);
    ck_assert(rt.v[0]->name == erl_atom("a") && rt.v[1]->name == erl_atom("b"));
    const RecordDef *d = records_find(&rt, erl_atom("b"));
    ck_assert_int_eq(d->nfields, 2);
    ck_assert(d->fields[0] == erl_atom("z"));
    ck_assert_int_eq(records_field_pos(d, erl_atom("w")), 3);
    ck_assert_int_eq(records_field_pos(d, erl_atom("x")), 0);
    ck_assert(run("rf(b).", &b, &rt) == AM_ok);
    ck_assert_ptr_null(records_find(&rt, erl_atom("b")));
    ck_assert(run("rf().", &b, &rt) == ERL_NIL);
    ck_assert_uint_eq(rt.n, 0);
    records_destroy(&rt);
    bindings_destroy(&b);
}
END_TEST

START_TEST(expansion_leaves_the_command_as_written)
{
    support_start_runtime();
    Records rt = {0};
    Bindings b = {0};
    run("rd(p, {a, b = 7}).", &b, &rt);
    Arena a = {0}, made = {0};
    Ast *ast = NULL;
    char *msg = NULL;
    ck_assert_int_eq(parser_parse("#p{a = 1}#p.b.", 14, &a, &ast, &msg), PARSE_OK);
    Ast *e = ast->elems[0];
    Ast *x = records_expand(&rt, e, &made);
    ck_assert_int_eq(e->kind, AST_RECORD_GET);
    ck_assert_int_eq(e->left->kind, AST_RECORD);   /* as written */
    ck_assert_int_eq(x->kind, AST_RECORD_GET);
    ck_assert_int_eq(x->ival, 3);                  /* b is element 3 */
    ck_assert_int_eq(x->left->kind, AST_TUPLE);    /* {p, 1, 7} */
    ck_assert_int_eq(x->left->n, 3);
    /* nothing to expand: the node itself comes back */
    ck_assert_int_eq(parser_parse("{1, [x]}.", 9, &a, &ast, &msg), PARSE_OK);
    ck_assert_ptr_eq(records_expand(&rt, ast->elems[0], &made), ast->elems[0]);
    arena_free(&made);
    arena_free(&a);
    records_destroy(&rt);
    bindings_destroy(&b);
}
END_TEST

START_TEST(a_fun_made_with_records_runs_after_they_are_forgotten)
{
    support_start_runtime();
    Records rt = {0};
    Bindings b = {0};
    run("rd(p, {a, b = 7}).", &b, &rt);
    run("F = fun(#p{b = B}) -> B end, R = #p{}.", &b, &rt);
    records_destroy(&rt);
    Term v = run("F(R).", &b, &rt);
    ck_assert(erl_is_int(v) && erl_int_value(v) == 7);
    bindings_destroy(&b);
}
END_TEST

static const Term *p_fields(Term tag, size_t n)
{
    static Term f[2];
    f[0] = erl_atom("a");
    f[1] = erl_atom("b");
    return tag == erl_atom("p") && n == 2 ? f : NULL;
}

START_TEST(the_shell_prints_records_and_format_prints_tuples)
{
    support_start_runtime();
    PrintRecordFun saved = print_record_fun;
    print_record_fun = p_fields;
    Heap *h = heap_current();
    Term r = term_tuple(h, 3, (Term[]){erl_atom("p"), erl_mk_int(1), erl_atom("x")});
    Term other = term_tuple(h, 2, (Term[]){erl_atom("p"), erl_mk_int(1)});
    char s[128];
    text_of(r, true, s, sizeof s);
    ck_assert_str_eq(s, "#p{a = 1,b = x}");
    text_of(erl_list(r, other), true, s, sizeof s);
    ck_assert_str_eq(s, "[#p{a = 1,b = x},{p,1}]");
    text_of(r, false, s, sizeof s);
    ck_assert_str_eq(s, "{p,1,x}");
    print_record_fun = saved;
    text_of(r, true, s, sizeof s);
    ck_assert_str_eq(s, "{p,1,x}");
}
END_TEST

Suite *records_suite(void)
{
    Suite *s = suite_create("records");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, redefining_a_record_replaces_it_and_the_table_stays_sorted);
    tcase_add_test(tc, expansion_leaves_the_command_as_written);
    tcase_add_test(tc, a_fun_made_with_records_runs_after_they_are_forgotten);
    tcase_add_test(tc, the_shell_prints_records_and_format_prints_tuples);
    suite_add_tcase(s, tc);
    return s;
}
