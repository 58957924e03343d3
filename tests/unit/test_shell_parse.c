/*
** test_shell_parse.c
** The shell's reader front end: command splitting, tokens, syntax errors
** as erl words them, the unbound-variable check and evaluation. Expected
** texts were taken from erl (OTP 25).
*/
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/buf.h"
#include "../../runtime/error.h"
#include "../../shell/eval.h"
#include "../../shell/eval_hooks.h"
#include "../../shell/lexer.h"
#include "../../shell/parser.h"


/* ============================================================ helpers */

/* The first command's text length, as the reader would cut it. */
static bool split(const char *text, size_t *end)
{
    return lexer_complete_command(text, strlen(text), end);
}

/* The error message for 'src', or NULL when it parses. */
static char *parse_error(const char *src)
{
    Arena a = {0};
    Ast *ast;
    char *msg = NULL;
    ParseStatus st = parser_parse(src, strlen(src), &a, &ast, &msg);
    arena_free(&a);
    if (st != PARSE_ERROR) {
        free(msg);
        return NULL;
    }
    return msg;
}

#define ck_parse_error(src, expected) do { \
        char *m_ = parse_error(src); \
        ck_assert_msg(m_ != NULL, "'%s' parsed", src); \
        ck_assert_str_eq(m_, expected); \
        free(m_); \
    } while (0)

/* Outcome of one command. */
typedef struct Outcome {
    bool raised;
    Term value;
    ErlException exc;
    char check[200]; /* the check failure's message, if that is what raised */
} Outcome;

static Outcome run(const char *src, Bindings *b)
{
    Outcome o = {0};
    Arena a = {0};
    Ast *ast = NULL;
    char *msg = NULL;
    ParseStatus st = parser_parse(src, strlen(src), &a, &ast, &msg);
    ck_assert_msg(st == PARSE_OK, "'%s' did not parse: %s", src, msg ? msg : "(empty)");
    ErlCatch c;
    if (exc_try(&c) == 0) {
        o.value = eval_command(ast, b);
        exc_end(&c);
    } else {
        exc_caught(&c, &o.exc);
        o.raised = true;
        Buf out = {0};
        if (eval_check_failure(&o.exc, &out))
            snprintf(o.check, sizeof o.check, "%s", buf_str(&out));
        buf_free(&out);
    }
    arena_free(&a);
    return o;
}

/* The value of a command that must not raise, in fresh bindings. */
static Term value_of(const char *src)
{
    Bindings b = {0};
    Outcome o = run(src, &b);
    ck_assert_msg(!o.raised, "'%s' raised", src);
    bindings_destroy(&b);
    return o.value;
}

/* Is src's value exactly (=:=) the value of the literal 'expected'? */
#define ck_value(src, expected) \
    ck_assert_msg(erl_eq(value_of(src), value_of(expected)), "%s is not %s", src, expected)

static Outcome raised(const char *src, Bindings *b)
{
    Outcome o = run(src, b);
    ck_assert_msg(o.raised, "'%s' did not raise", src);
    return o;
}

static Term lit(const char *src)
{
    return value_of(src);
}

/* ======================================================== lexer suite */

START_TEST(one_command_ends_at_dot_newline)
{
    size_t end;
    ck_assert(split("X = 1.\n", &end));
    ck_assert_uint_eq(end, 7);
}
END_TEST

START_TEST(dot_at_end_of_input_ends_a_command)
{
    size_t end;
    ck_assert(split("foo()", &end) == false);
    ck_assert(split("foo().", &end));
    ck_assert_uint_eq(end, 6);
}
END_TEST

START_TEST(two_commands_on_one_line_split_after_the_whitespace)
{
    size_t end;
    const char *text = "1. 2.\n";
    ck_assert(split(text, &end));
    ck_assert_uint_eq(end, 3); /* the space after the dot belongs to the first */
    ck_assert(split(text + end, &end));
    ck_assert_uint_eq(end, 3);
}
END_TEST

START_TEST(dot_before_comment_ends_command_and_comment_carries_over)
{
    size_t end;
    ck_assert(split("a.% note\n", &end));
    ck_assert_uint_eq(end, 2);
}
END_TEST

START_TEST(dots_inside_strings_atoms_comments_and_numbers_do_not_end)
{
    size_t end;
    ck_assert(!split("\"a. b\n", &end));
    ck_assert(!split("'a. b\n", &end));
    ck_assert(!split("% x. y\n", &end));
    ck_assert(!split("X = 1.5\n", &end));
    ck_assert(!split("foo.bar\n", &end));
    ck_assert(split("\"a. b\".\n", &end));
    ck_assert_uint_eq(end, 8);
    ck_assert(split("$. .\n", &end));
    ck_assert_uint_eq(end, 5);
    ck_assert(split("[$\", 1].\n", &end));
    ck_assert_uint_eq(end, 9);
    ck_assert(split("% c.\n1.\n", &end));
    ck_assert_uint_eq(end, 8);
}
END_TEST

START_TEST(unterminated_string_keeps_reading_across_lines)
{
    size_t end;
    ck_assert(!split("X = \"abc.\n", &end));
    ck_assert(split("X = \"abc.\n\".\n", &end));
    ck_assert_uint_eq(end, 13);
}
END_TEST

/* Scans 'src' and returns its tokens (the arena is leaked per test). */
static Token *tokens(const char *src, size_t *n)
{
    static Arena a;
    Token *t;
    char *err = NULL;
    ck_assert_msg(lexer_scan(src, strlen(src), &a, &t, n, &err), "scan error: %s", err);
    return t;
}

START_TEST(tokens_carry_line_and_column)
{
    size_t n;
    Token *t = tokens("{a,\n  X}.", &n);
    ck_assert_uint_eq(n, 6);
    ck_assert_int_eq(t[0].kind, TOK_SYM);
    ck_assert_int_eq(t[1].kind, TOK_ATOM);
    ck_assert_int_eq(t[3].kind, TOK_VAR);
    ck_assert_int_eq(t[3].line, 2);
    ck_assert_int_eq(t[3].col, 3);
    ck_assert_int_eq(t[5].kind, TOK_DOT);
}
END_TEST

START_TEST(numbers_in_every_form)
{
    size_t n;
    Token *t = tokens("16#ff 2#101 $a $\\n 1.5e3 1_000 -3 36#z.", &n);
    ck_assert_int_eq(t[0].ival, 255);
    ck_assert_int_eq(t[1].ival, 5);
    ck_assert_int_eq(t[2].kind, TOK_CHAR);
    ck_assert_int_eq(t[2].ival, 'a');
    ck_assert_int_eq(t[3].ival, '\n');
    ck_assert_int_eq(t[4].kind, TOK_FLOAT);
    ck_assert(t[4].fval == 1500.0);
    ck_assert_int_eq(t[5].ival, 1000);
    ck_assert_int_eq(t[6].kind, TOK_SYM); /* -3 is unary minus and 3 */
    ck_assert_str_eq(t[6].sym, "-");
    ck_assert_int_eq(t[7].ival, 3);
    ck_assert_int_eq(t[8].ival, 35);
}
END_TEST

START_TEST(operators_take_the_longest_match)
{
    size_t n;
    Token *t = tokens("=:= =/= /= =< >= == ++ -- <- || << >> -> ! : # =.", &n);
    const char *want[] = {"=:=", "=/=", "/=", "=<", ">=", "==", "++", "--", "<-", "||", "<<", ">>", "->", "!", ":", "#", "="};
    ck_assert_uint_eq(n, 18);
    for (int i = 0; i < 17; i++)
        ck_assert_str_eq(t[i].sym, want[i]);
}
END_TEST

START_TEST(keywords_atoms_variables_and_quoted_atoms)
{
    size_t n;
    Token *t = tokens("case foo Bar _ _x 'hello world' 'a\\'b' div andalso.", &n);
    ck_assert_str_eq(t[0].sym, "case");
    ck_assert_int_eq(t[1].kind, TOK_ATOM);
    ck_assert_str_eq(erl_atom_name(t[1].atom), "foo");
    ck_assert_int_eq(t[2].kind, TOK_VAR);
    ck_assert_int_eq(t[3].kind, TOK_VAR);
    ck_assert_str_eq(erl_atom_name(t[4].atom), "_x");
    ck_assert_str_eq(erl_atom_name(t[5].atom), "hello world");
    ck_assert_str_eq(erl_atom_name(t[6].atom), "a'b");
    ck_assert_str_eq(t[7].sym, "div");
    ck_assert_str_eq(t[8].sym, "andalso");
}
END_TEST

START_TEST(string_escapes)
{
    size_t n;
    Token *t = tokens("\"a\\n\\t\\x{41}\\101\\^a\\q\\s\".", &n);
    uint32_t want[] = {'a', '\n', '\t', 'A', 'A', 1, 'q', ' '};
    ck_assert_int_eq(t[0].kind, TOK_STRING);
    ck_assert_uint_eq(t[0].len, 8);
    for (int i = 0; i < 8; i++)
        ck_assert_uint_eq(t[0].str[i], want[i]);
}
END_TEST

START_TEST(comments_are_skipped)
{
    size_t n;
    Token *t = tokens("a % comment . here\n b.", &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(t[1].line, 2);
}
END_TEST

Suite *lexer_suite(void)
{
    Suite *s = suite_create("lexer");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, one_command_ends_at_dot_newline);
    tcase_add_test(tc, dot_at_end_of_input_ends_a_command);
    tcase_add_test(tc, two_commands_on_one_line_split_after_the_whitespace);
    tcase_add_test(tc, dot_before_comment_ends_command_and_comment_carries_over);
    tcase_add_test(tc, dots_inside_strings_atoms_comments_and_numbers_do_not_end);
    tcase_add_test(tc, unterminated_string_keeps_reading_across_lines);
    tcase_add_test(tc, tokens_carry_line_and_column);
    tcase_add_test(tc, numbers_in_every_form);
    tcase_add_test(tc, operators_take_the_longest_match);
    tcase_add_test(tc, keywords_atoms_variables_and_quoted_atoms);
    tcase_add_test(tc, string_escapes);
    tcase_add_test(tc, comments_are_skipped);
    suite_add_tcase(s, tc);
    return s;
}

/* ======================================================= parser suite */

START_TEST(syntax_errors_inside_constructs)
{
    ck_parse_error("case 1 of end.\n", "* 1:11: syntax error before: 'end'");
    ck_parse_error("case 1 of 1 -> end.\n", "* 1:16: syntax error before: 'end'");
    ck_parse_error("receive end.\n", "* 1:9: syntax error before: 'end'");
    ck_parse_error("receive 1 -> a after 10 end.\n", "* 1:25: syntax error before: 'end'");
    ck_parse_error("[a | b, c].\n", "* 1:7: syntax error before: ','");
    ck_parse_error("<<1, >>.\n", "* 1:6: syntax error before: '>>'");
    ck_parse_error("foo(1,).\n", "* 1:7: syntax error before: ')'");
    ck_parse_error("f()(1).\n", "* 1:4: syntax error before: '('");
    ck_parse_error("1 +\n2 +\n* 3.\n", "* 3:1: syntax error before: '*'");
}
END_TEST

START_TEST(syntax_error_at_the_dot)
{
    ck_parse_error("foo(.\n", "* 1:5: syntax error before: '.'");
    ck_parse_error("1 + .\n", "* 1:5: syntax error before: '.'");
    ck_parse_error(".\n", "* 1:1: syntax error before: '.'");
}
END_TEST

START_TEST(syntax_error_names_the_token_as_erl_writes_it)
{
    ck_parse_error("1 2.\n", "* 1:3: syntax error before: 2");
    ck_parse_error("1 foo.\n", "* 1:3: syntax error before: foo");
    ck_parse_error("1 X.\n", "* 1:3: syntax error before: X");
    ck_parse_error("1 \"ab\".\n", "* 1:3: syntax error before: \"ab\"");
    ck_parse_error("1 \"a\\nb\".\n", "* 1:3: syntax error before: \"a\\nb\"");
    ck_parse_error("1 end.\n", "* 1:3: syntax error before: 'end'");
    ck_parse_error("1 ->.\n", "* 1:3: syntax error before: '->'");
    ck_parse_error("1 16#ff.\n", "* 1:3: syntax error before: 255");
    ck_parse_error("1 $a.\n", "* 1:3: syntax error before: $a");
    ck_parse_error("1 $\\n.\n", "* 1:3: syntax error before: $\\n");
    ck_parse_error("1 $ .\n", "* 1:3: syntax error before: $\\s");
    ck_parse_error("1 [.\n", "* 1:3: syntax error before: '['");
    ck_parse_error("1 _.\n", "* 1:3: syntax error before: _");
    ck_parse_error(") .\n", "* 1:1: syntax error before: ')'");
    ck_parse_error("1 ~ 2.\n", "* 1:3: syntax error before: '~'");
    ck_parse_error("1e5.\n", "* 1:2: syntax error before: e5");
}
END_TEST

START_TEST(syntax_error_names_quoted_atoms_and_floats)
{
    ck_parse_error("1 'A b'.\n", "* 1:3: syntax error before: 'A b'");
    ck_parse_error("1 'ok'.\n", "* 1:3: syntax error before: ok");
    ck_parse_error("1 1.5e3.\n", "* 1:3: syntax error before: 1.5e3");
    ck_parse_error("1 100.0.\n", "* 1:3: syntax error before: 100.0");
}
END_TEST

START_TEST(syntax_error_after_an_operator_is_at_the_next_token)
{
    ck_parse_error("1 :.\n", "* 1:4: syntax error before: '.'");
    ck_parse_error("1 =:=.\n", "* 1:6: syntax error before: '.'");
    ck_parse_error("1 andalso.\n", "* 1:10: syntax error before: '.'");
    ck_parse_error("1 div.\n", "* 1:6: syntax error before: '.'");
    ck_parse_error("1 #.\n", "* 1:4: syntax error before: '.'");
    ck_parse_error("1 ||.\n", "* 1:3: syntax error before: '||'");
}
END_TEST

START_TEST(comparisons_do_not_chain)
{
    ck_parse_error("1 < 2 < 3.\n", "* 1:7: syntax error before: '<'");
    ck_parse_error("a:b:c.\n", "* 1:4: syntax error before: ':'");
}
END_TEST

START_TEST(positions_count_lines_of_a_multi_line_command)
{
    ck_parse_error("\na +\n  ) .\n", "* 3:3: syntax error before: ')'");
    ck_parse_error(" foo(.\n", "* 1:6: syntax error before: '.'");
}
END_TEST

START_TEST(input_ending_without_a_dot)
{
    ck_parse_error("foo(", "* 1:4: syntax error before: ");
    ck_parse_error("foo(1)\n", "* 1:6: syntax error before: ");
    ck_parse_error("1 + \n\n", "* 1:3: syntax error before: ");
}
END_TEST

START_TEST(scan_errors_as_erl_prints_them)
{
    ck_parse_error("\"abc", "* 1:1: unterminated string starting with \"abc\"");
    ck_parse_error("\"abc\n", "* 1:1: unterminated string starting with \"abc\\n\"");
    ck_parse_error("'abc", "* 1:1: unterminated atom starting with 'abc'");
    ck_parse_error("x, \"0123456789abcdefghij",
                   "* 1:4: unterminated string starting with \"0123456789abcdef\"");
    ck_parse_error("2#3.\n", "* 1:1: illegal integer");
    ck_parse_error("16#.\n", "* 1:1: illegal integer");
    ck_parse_error("1.5e.\n", "* 1:1: illegal float");
    ck_parse_error("1.0e400.\n", "* 1:1: illegal float");
    ck_parse_error("37#1.\n", "* 1:1: illegal base '37'");
    ck_parse_error("$", "* 1:1: unterminated character");
}
END_TEST

START_TEST(only_whitespace_and_comments_is_empty)
{
    Arena a = {0};
    Ast *ast;
    char *msg = NULL;
    ck_assert_int_eq(parser_parse("  % hi\n", 7, &a, &ast, &msg), PARSE_EMPTY);
    arena_free(&a);
}
END_TEST

START_TEST(valid_commands_parse)
{
    const char *ok[] = {
        "X = catch 1 + 1.", "1 + catch 1.", "A = B ! C = D.", "- - 1.", "not not a.",
        "a:b(1).", "X(1).", "<<-1, +2:8/integer-unit:1>>.", "[a, b | T].",
        "case X of 1 when X > 1, X < 3; X == 0 -> a; _ -> b end.",
        "receive {a, X} -> X after 100 -> timeout end.", "receive after 0 -> ok end.",
        "if X > 1 -> a; true -> b end.", "begin 1, 2 end.", "\"ab\" \"cd\".",
        "a andalso b orelse c.", "{}.", "[].", "<<>>.", "f().", "1. 2.",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        char *m = parse_error(ok[i]);
        ck_assert_msg(m == NULL, "'%s': %s", ok[i], m);
    }
}
END_TEST

/* Parses one expression and returns it (arena leaked per test). */
static Ast *expr(const char *src)
{
    static Arena a;
    Ast *ast;
    char *msg = NULL;
    ck_assert_int_eq(parser_parse(src, strlen(src), &a, &ast, &msg), PARSE_OK);
    ck_assert_int_eq(ast->kind, AST_BLOCK);
    return ast->elems[0];
}

START_TEST(precedence_follows_erl)
{
    Ast *e = expr("1 + 2 * 3.");
    ck_assert_int_eq(e->kind, AST_OP);
    ck_assert_str_eq(erl_atom_name(e->name), "+");
    ck_assert_str_eq(erl_atom_name(e->right->name), "*");
    e = expr("X = catch 1 + 1.");
    ck_assert_int_eq(e->kind, AST_MATCH);
    ck_assert_int_eq(e->right->kind, AST_CATCH);
    e = expr("A = B ! C = D.");
    ck_assert_int_eq(e->kind, AST_MATCH);
    ck_assert_str_eq(erl_atom_name(e->right->name), "!");
    ck_assert_int_eq(e->right->right->kind, AST_MATCH);
    e = expr("a andalso b orelse c andalso d.");
    ck_assert_int_eq(e->kind, AST_ORELSE);
    ck_assert_int_eq(e->left->kind, AST_ANDALSO);
    e = expr("2 - 1 - 1.");
    ck_assert_int_eq(e->left->kind, AST_OP); /* left associative */
    e = expr("[1] ++ [2] ++ [3].");
    ck_assert_int_eq(e->right->kind, AST_OP); /* right associative */
    e = expr("- 1 + 2.");
    ck_assert_str_eq(erl_atom_name(e->name), "+");
}
END_TEST

START_TEST(command_is_a_comma_sequence_and_strings_join)
{
    Arena a = {0};
    Ast *ast;
    char *msg = NULL;
    ck_assert_int_eq(parser_parse("X = 1, Y = 2, \"ab\" \"c\".", 23, &a, &ast, &msg), PARSE_OK);
    ck_assert_int_eq(ast->n, 3);
    ck_assert_int_eq(ast->elems[2]->kind, AST_STRING);
    ck_assert_uint_eq(ast->elems[2]->len, 3);
    arena_free(&a);
}
END_TEST

START_TEST(unsupported_constructs_say_so)
{
    ck_parse_error("try 1 of _ -> 2 end.", "* 1:17: syntax error before: 'end'"); /* as erl */
    ck_parse_error("fun F/1.", "* 1:1: fun expressions are not supported by cerl");
    /* where erl would already fail, its syntax error comes first */
    ck_parse_error("fun.\n", "* 1:4: syntax error before: '.'");
    ck_parse_error("try.\n", "* 1:4: syntax error before: '.'");
    ck_parse_error("X#r.\n", "* 1:4: syntax error before: '.'");
}
END_TEST

Suite *parser_suite(void)
{
    Suite *s = suite_create("parser");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, syntax_error_at_the_dot);
    tcase_add_test(tc, syntax_errors_inside_constructs);
    tcase_add_test(tc, syntax_error_names_the_token_as_erl_writes_it);
    tcase_add_test(tc, syntax_error_names_quoted_atoms_and_floats);
    tcase_add_test(tc, syntax_error_after_an_operator_is_at_the_next_token);
    tcase_add_test(tc, comparisons_do_not_chain);
    tcase_add_test(tc, positions_count_lines_of_a_multi_line_command);
    tcase_add_test(tc, input_ending_without_a_dot);
    tcase_add_test(tc, scan_errors_as_erl_prints_them);
    tcase_add_test(tc, only_whitespace_and_comments_is_empty);
    tcase_add_test(tc, valid_commands_parse);
    tcase_add_test(tc, precedence_follows_erl);
    tcase_add_test(tc, command_is_a_comma_sequence_and_strings_join);
    tcase_add_test(tc, unsupported_constructs_say_so);
    suite_add_tcase(s, tc);
    return s;
}

/* ========================================================= eval suite */

START_TEST(arithmetic_results)
{
    ck_assert(erl_eq(value_of("1 + 2 * 3 - 4."), erl_mk_int(3)));
    ck_assert(erl_eq(value_of("7 div 2."), erl_mk_int(3)));
    ck_assert(erl_eq(value_of("-7 div 2."), erl_mk_int(-3)));
    ck_assert(erl_eq(value_of("-7 rem 2."), erl_mk_int(-1)));
    ck_assert(erl_eq(value_of("1.0 / 2."), erl_mk_float(0.5)));
    ck_assert(erl_eq(value_of("4 / 2."), erl_mk_float(2.0))); /* '/' always gives a float */
    ck_assert(erl_eq(value_of("1 + 2 * 3 - 4 / 2."), erl_mk_float(5.0)));
    ck_assert(erl_eq(value_of("2 - 1 - 1."), erl_mk_int(0)));
    ck_assert(erl_eq(value_of("- - 1."), erl_mk_int(1)));
    ck_assert(erl_eq(value_of("bnot 1."), erl_mk_int(-2)));
    ck_assert(erl_eq(value_of("1 bsl 10 bor 3 band 2."), erl_mk_int(1026)));
    ck_assert(erl_eq(value_of("-16 bsr 2."), erl_mk_int(-4)));
    ck_assert(erl_eq(value_of("1 + 0.5."), erl_mk_float(1.5)));
    ck_assert(erl_eq(value_of("$a."), erl_mk_int(97)));
}
END_TEST

/* The operator 'where' of an exception: {operator, Op, Args}. */
static void ck_operator_where(Outcome o, const char *op, Term args)
{
    Term w = o.exc.where;
    ck_assert(erl_is_tuple(w) && erl_tuple_size(w) == 3);
    ck_assert(erl_element(w, 1) == erl_atom("operator"));
    ck_assert_str_eq(erl_atom_name(erl_element(w, 2)), op);
    ck_assert(erl_eq(erl_element(w, 3), args));
}

START_TEST(division_by_zero_is_badarith_in_operator_slash)
{
    Bindings b = {0};
    Outcome o = raised("1/0.", &b);
    ck_assert(o.exc.cls == AM_error);
    ck_assert(o.exc.reason == AM_badarith);
    ck_operator_where(o, "/", lit("[1, 0]."));
    o = raised("1 div 0.", &b);
    ck_operator_where(o, "div", lit("[1, 0]."));
    o = raised("atom + 1.", &b);
    ck_operator_where(o, "+", lit("[atom, 1]."));
    o = raised("-a.", &b);
    ck_operator_where(o, "-", lit("[a]."));
    o = raised("1.0e300 * 1.0e300.", &b);
    ck_assert(o.exc.reason == AM_badarith);
    o = raised("1.0 div 1.", &b);
    ck_assert(o.exc.reason == AM_badarith);
    bindings_destroy(&b);
}
END_TEST

START_TEST(boolean_operators_check_their_arguments)
{
    Bindings b = {0};
    ck_value("true andalso 1.", "1.");
    ck_value("false andalso nope.", "false.");
    ck_value("true orelse nope.", "true.");
    ck_value("true xor false.", "true.");
    ck_value("not true.", "false.");
    Outcome o = raised("not 1.", &b);
    ck_assert(o.exc.reason == AM_badarg);
    ck_operator_where(o, "not", lit("[1]."));
    o = raised("1 andalso true.", &b);
    ck_assert(erl_eq(o.exc.reason, lit("{badarg, 1}.")));
    o = raised("1 and true.", &b);
    ck_operator_where(o, "and", lit("[1, true]."));
    bindings_destroy(&b);
}
END_TEST

START_TEST(comparisons_use_erl_term_order)
{
    ck_value("1 < a.", "true.");
    ck_value("a < {}.", "true.");
    ck_value("{a} < [].", "true.");
    ck_value("[] < [1].", "true.");
    ck_value("[1] < <<>>.", "true.");
    ck_value("1 == 1.0.", "true.");
    ck_value("1 =:= 1.0.", "false.");
    ck_value("1 /= 1.0.", "false.");
    ck_value("1 =/= 1.0.", "true.");
    ck_value("2 >= 2.", "true.");
    ck_value("2 =< 1.", "false.");
    ck_value("{1, 2} > {1, 1}.", "true.");
    ck_value("{2} < {1, 1}.", "true.");
}
END_TEST

START_TEST(lists_append_and_subtract)
{
    ck_value("[1] ++ [2] ++ [3].", "[1, 2, 3].");
    ck_value("[1, 2, 3] -- [2] -- [2].", "[1, 2, 3].");
    ck_value("[1, 2, 1, 3] -- [1, 3].", "[2, 1].");
    ck_value("\"ab\" ++ \"c\".", "\"abc\".");
    ck_value("[a] ++ b.", "[a | b].");
    Bindings b = {0};
    Outcome o = raised("[1|2] ++ [3].", &b);
    ck_assert(o.exc.reason == AM_badarg);
    ck_operator_where(o, "++", lit("[[1|2], [3]]."));
    bindings_destroy(&b);
}
END_TEST

START_TEST(terms_build_as_written)
{
    Term t = value_of("{a, [1, 2 | 3], \"hi\", 2.5, []}.");
    ck_assert(erl_is_tuple(t) && erl_tuple_size(t) == 5);
    ck_assert(erl_element(t, 1) == erl_atom("a"));
    Term l = erl_element(t, 2);
    ck_assert(erl_int_value(erl_hd(l)) == 1);
    ck_assert(erl_tl(erl_tl(l)) == erl_mk_int(3));
    ck_assert(term_is_printable_string(erl_element(t, 3)));
    ck_assert(erl_float_value(erl_element(t, 4)) == 2.5);
    ck_assert(erl_element(t, 5) == ERL_NIL);
}
END_TEST

START_TEST(binaries_of_integers_and_strings)
{
    Term b = value_of("<<1, \"ab\", 300>>.");
    ck_assert(erl_is_binary(b));
    ck_assert_uint_eq(erl_box_size(b), 4);
    ck_assert_mem_eq(erl_binary_bytes(b), "\001ab,", 4); /* 300 truncates to 44 */
    b = value_of("<<1:16, 3:8/integer, <<1,2>>/binary>>.");
    ck_assert_uint_eq(erl_box_size(b), 5);
    ck_assert_mem_eq(erl_binary_bytes(b), "\000\001\003\001\002", 5);
    ck_value("<<>>.", "<<>>.");
    Bindings bs = {0};
    Outcome o = raised("<<a>>.", &bs);
    ck_assert(o.exc.reason == AM_badarg);
    bindings_destroy(&bs);
}
END_TEST

START_TEST(match_binds_and_badmatch_reports_the_value)
{
    Bindings b = {0};
    Outcome o = run("{X, [H|T]} = {1, [2, 3]}, {X, H, T}.", &b);
    ck_assert(!o.raised);
    ck_assert(erl_eq(o.value, lit("{1, 2, [3]}.")));
    ck_assert(bindings_get(&b, erl_atom("X")) == erl_mk_int(1));
    o = raised("X = 2.", &b);
    ck_assert(erl_eq(o.exc.reason, lit("{badmatch, 2}.")));
    o = raised("{A, A} = {1, 2}.", &b);
    ck_assert(erl_eq(o.exc.reason, lit("{badmatch, {1, 2}}.")));
    o = raised("1 = 1.0.", &b);
    ck_assert(erl_eq(o.exc.reason, lit("{badmatch, 1.0}.")));
    o = run("\"ab\" ++ R = \"abc\", R.", &b);
    ck_assert(erl_eq(o.value, lit("\"c\".")));
    o = run("{_, _, Z = {Y}} = {1, 2, {3}}, {Y, Z}.", &b);
    ck_assert(erl_eq(o.value, lit("{3, {3}}.")));
    o = run("<<P, Q:16, Rest/binary>> = <<1, 0, 2, 7, 8>>, {P, Q, Rest}.", &b);
    ck_assert(erl_eq(o.value, lit("{1, 2, <<7, 8>>}.")));
    bindings_destroy(&b);
}
END_TEST

START_TEST(bindings_of_a_failing_command_are_dropped)
{
    Bindings b = {0};
    run("Y = 2.", &b);
    Outcome o = raised("X = 1, 1/0.", &b);
    ck_assert(o.exc.reason == AM_badarith);
    ck_assert(bindings_get(&b, erl_atom("X")) == ERL_NONE);
    ck_assert(bindings_get(&b, erl_atom("Y")) == erl_mk_int(2));
    o = raised("{X, Y, Z} = {1, 2}.", &b);
    ck_assert(bindings_get(&b, erl_atom("X")) == ERL_NONE);
    o = raised("Y = 3.", &b);
    ck_assert(bindings_get(&b, erl_atom("Y")) == erl_mk_int(2));
    ck_assert_uint_eq(b.n, 1);
    bindings_destroy(&b);
}
END_TEST

START_TEST(unbound_variable_is_reported_where_it_is)
{
    Bindings b = {0};
    ck_assert_str_eq(raised("X.", &b).check, "* 1:1: variable 'X' is unbound");
    ck_assert_str_eq(raised("{a,\n  X}.", &b).check, "* 2:3: variable 'X' is unbound");
    ck_assert_str_eq(raised("foo(1, X, Y).", &b).check, "* 1:8: variable 'X' is unbound");
    ck_assert_str_eq(raised("{Y, X}.", &b).check, "* 1:2: variable 'Y' is unbound");
    ck_assert_str_eq(raised("X = X.", &b).check, "* 1:5: variable 'X' is unbound");
    ck_assert_str_eq(raised("[Q = 1 | Q].", &b).check, "* 1:10: variable 'Q' is unbound");
    ck_assert_str_eq(raised("{A, A = 1}.", &b).check, "* 1:2: variable 'A' is unbound");
    ck_assert_str_eq(raised("(Z = 2) + Z.", &b).check, "* 1:11: variable 'Z' is unbound");
    ck_assert_str_eq(raised("{X = 1, X}.", &b).check, "* 1:9: variable 'X' is unbound");
    bindings_destroy(&b);
}
END_TEST

START_TEST(check_runs_before_each_expression_of_the_command)
{
    Bindings b = {0};
    /* earlier expressions ran; their bindings are dropped with the command */
    Outcome o = raised("X = 1, Y.", &b);
    ck_assert_str_eq(o.check, "* 1:8: variable 'Y' is unbound");
    ck_assert(bindings_get(&b, erl_atom("X")) == ERL_NONE);
    /* a case that bound Z only at run time: fine at the next expression */
    o = run("case 1 of 1 -> Z = 1; _ -> ok end, Z.", &b);
    ck_assert(!o.raised);
    ck_assert(o.value == erl_mk_int(1));
    o = raised("case 2 of 1 -> W = 1; _ -> ok end, W.", &b);
    ck_assert_str_eq(o.check, "* 1:36: variable 'W' is unbound");
    o = run("catch (V = 1), V.", &b);
    ck_assert(o.value == erl_mk_int(1));
    bindings_destroy(&b);
}
END_TEST

START_TEST(unsafe_variables_name_the_construct)
{
    Bindings b = {0};
    ck_assert_str_eq(raised("begin case 1 of 1 -> Z = 1; _ -> ok end, Z end.", &b).check,
                     "* 1:42: variable 'Z' unsafe in 'case' (line 1, column 7)");
    ck_assert_str_eq(raised("begin (catch (W=1)), W end.", &b).check,
                     "* 1:22: variable 'W' unsafe in 'catch' (line 1, column 8)");
    ck_assert_str_eq(raised("begin (true andalso (B = true)), B end.", &b).check,
                     "* 1:34: variable 'B' unsafe in 'andalso' (line 1, column 13)");
    Outcome o = run("begin case 1 of 1 -> Z = 1; _ -> Z = 2 end, Z end.", &b);
    ck_assert(o.value == erl_mk_int(1));
    bindings_destroy(&b);
}
END_TEST

START_TEST(illegal_patterns_and_expressions)
{
    Bindings b = {0};
    ck_assert_str_eq(raised("foo() = 1.", &b).check, "* 1:1: illegal pattern");
    ck_assert_str_eq(raised("a:b.", &b).check, "* 1:1: illegal expression");
    bindings_destroy(&b);
}
END_TEST

START_TEST(check_of_a_whole_command)
{
    Bindings b = {0};
    Arena a = {0};
    Ast *ast;
    char *msg = NULL;
    ck_assert_int_eq(parser_parse("X = 1, {X, Y}.", 14, &a, &ast, &msg), PARSE_OK);
    char *m = eval_check(ast, &b);
    ck_assert_str_eq(m, "* 1:12: variable 'Y' is unbound");
    free(m);
    bindings_set(&b, erl_atom("Y"), erl_mk_int(1));
    ck_assert_ptr_null(eval_check(ast, &b));
    arena_free(&a);
    bindings_destroy(&b);
}
END_TEST

START_TEST(case_if_and_guards)
{
    ck_value("case {a, 1} of {b, _} -> no; {a, N} when N > 0, N < 2 -> N end.", "1.");
    ck_value("case 3 of N when N < 0; N > 2 -> big; _ -> small end.", "big.");
    ck_value("case [] of X when is_list(X) -> list; _ -> other end.", "list.");
    ck_value("case 1 of X when X / 0 > 1 -> bad; _ -> guard_exception_is_false end.", "guard_exception_is_false.");
    ck_value("if 1 > 2 -> a; true -> b end.", "b.");
    Bindings b = {0};
    Outcome o = raised("case 5 of 1 -> a end.", &b);
    ck_assert(erl_eq(o.exc.reason, lit("{case_clause, 5}.")));
    o = raised("if 1 > 2 -> a end.", &b);
    ck_assert(o.exc.reason == AM_if_clause);
    o = run("X = 2, case 1 of X -> same; _ -> other end.", &b);
    ck_assert(o.value == erl_atom("other"));
    bindings_destroy(&b);
}
END_TEST

START_TEST(catch_turns_exceptions_into_values)
{
    ck_value("catch 1 + 1.", "2.");
    Term t = value_of("catch 1/0.");
    ck_assert(erl_is_tuple(t) && erl_element(t, 1) == AM_EXIT);
    ck_assert(erl_element(erl_element(t, 2), 1) == AM_badarith);
}
END_TEST

START_TEST(list_comprehensions_generate_filter_and_shadow)
{
    ck_value("[X * 2 || X <- [1, 2, 3], X > 1].", "[4, 6].");
    ck_value("[{A, B} || A <- [1, 2], B <- [a, b], A =/= 2].", "[{1, a}, {1, b}].");
    ck_value("[Y || {Y, Y} <- [{1, 1}, {1, 2}, {3, 3}]].", "[1, 3].");
    ck_value("[W || W <- [1], W].", "[]."); /* a guard filter that is not true */
    ck_value("X = 10, [X || X <- [1, 2]] ++ [X].", "[1, 2, 10].");
    Bindings b = {0};
    Outcome o = raised("[W || W <- a].", &b);
    ck_assert(erl_eq(o.exc.reason, lit("{bad_generator, a}.")));
    ck_assert_str_eq(raised("{[P || P <- [1]], P}.", &b).check, "* 1:19: variable 'P' is unbound");
    bindings_destroy(&b);
}
END_TEST

START_TEST(begin_end_is_a_sequence)
{
    ck_value("begin A = 1, B = A + 1, {A, B} end.", "{1, 2}.");
}
END_TEST

START_TEST(bindings_list_sorted_forget_and_copy)
{
    Bindings b = {0};
    run("Zed = 1, Abc = {x}, Mid = [1].", &b);
    size_t n;
    Binding *v = bindings_sorted(&b, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(erl_atom_name(v[0].name), "Abc");
    ck_assert_str_eq(erl_atom_name(v[1].name), "Mid");
    ck_assert_str_eq(erl_atom_name(v[2].name), "Zed");
    free(v);
    ck_assert(bindings_forget(&b, erl_atom("Mid")));
    ck_assert(!bindings_forget(&b, erl_atom("Mid")));
    ck_assert(bindings_get(&b, erl_atom("Mid")) == ERL_NONE);
    Heap h;
    heap_init(&h);
    Term before = bindings_get(&b, erl_atom("Abc"));
    bindings_copy_to(&b, &h);
    Term after = bindings_get(&b, erl_atom("Abc"));
    ck_assert(after != before && erl_eq(after, before));
    ck_assert_uint_ge(h.used, 2); /* the tuple now lives on h */
    bindings_clear(&b);
    ck_assert_uint_eq(b.n, 0);
    heap_destroy(&h);
    bindings_destroy(&b);
}
END_TEST

Suite *eval_suite(void)
{
    Suite *s = suite_create("eval");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, arithmetic_results);
    tcase_add_test(tc, division_by_zero_is_badarith_in_operator_slash);
    tcase_add_test(tc, boolean_operators_check_their_arguments);
    tcase_add_test(tc, comparisons_use_erl_term_order);
    tcase_add_test(tc, lists_append_and_subtract);
    tcase_add_test(tc, terms_build_as_written);
    tcase_add_test(tc, binaries_of_integers_and_strings);
    tcase_add_test(tc, match_binds_and_badmatch_reports_the_value);
    tcase_add_test(tc, bindings_of_a_failing_command_are_dropped);
    tcase_add_test(tc, unbound_variable_is_reported_where_it_is);
    tcase_add_test(tc, check_runs_before_each_expression_of_the_command);
    tcase_add_test(tc, unsafe_variables_name_the_construct);
    tcase_add_test(tc, illegal_patterns_and_expressions);
    tcase_add_test(tc, check_of_a_whole_command);
    tcase_add_test(tc, case_if_and_guards);
    tcase_add_test(tc, catch_turns_exceptions_into_values);
    tcase_add_test(tc, list_comprehensions_generate_filter_and_shadow);
    tcase_add_test(tc, begin_end_is_a_sequence);
    tcase_add_test(tc, bindings_list_sorted_forget_and_copy);
    suite_add_tcase(s, tc);
    return s;
}
