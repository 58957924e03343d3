/*
** test_shell_hostile.c
** The shell against hostile input: nesting far past the parser's limit is
** refused while it is scanned (not after building millions of tokens);
** input cut into pieces anywhere (a pipe's 4096-byte reads) gives the same
** commands as the whole text; inputs that once crashed the fuzzers
** (tests/fuzz/regress/) stay harmless.
*/
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/buf.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"
#include "../../runtime/stack.h"
#include "../../shell/inqueue.h"
#include "../../shell/lexer.h"
#include "../../shell/parser.h"
#include "support.h"

/* Scans 'text': NULL when it scans, else the error (caller frees). Also
** returns how many tokens were made before the end or the error. */
static char *scan(const char *text, size_t *ntoks)
{
    Arena a = {0};
    Token *toks;
    size_t n = 0;
    char *err = NULL;
    bool ok = lexer_scan(text, strlen(text), &a, &toks, &n, &err);
    arena_free(&a);
    if (ntoks)
        *ntoks = n;
    return ok ? NULL : err;
}

/* parse(): the parser recurses once per level, as it does in the shell's
** evaluator: on a process with the shell's stack. */
static const char *parse_text;
static char *parse_msg;

static Term parse_proc(void)
{
    Arena a = {0};
    Ast *ast;
    char *msg = NULL;
    ParseStatus st = parser_parse(parse_text, strlen(parse_text), &a, &ast, &msg);
    arena_free(&a);
    parse_msg = st == PARSE_OK ? NULL : msg ? msg : strdup("(no message)");
    return AM_ok;
}

/* NULL when 'text' parses, else the error (caller frees). */
static char *parse(const char *text)
{
    support_start_runtime();
    parse_text = text;
    static char died[] = "";
    parse_msg = died;
    proc_spawn((void *)parse_proc, 0, NULL, STACK_SHELL_SIZE);
    sched_run_until_idle();
    ck_assert_msg(parse_msg != died, "the parsing process died");
    return parse_msg;
}

/* ============================================================ nesting */

START_TEST(two_million_deep_fun_nest_is_refused_by_the_scanner)
{
    char *text = support_nest("fun() -> ", 2000000, "ok", " end", ".\n");
    char *err = scan(text, NULL);
    ck_assert_ptr_nonnull(err);
    /* at the 500001st fun's first token past the limit: its ')' */
    ck_assert_str_eq(err, "* 1:4500005: expression nested too deeply (more than 500000 levels)");
    free(err);
    free(text);
}
END_TEST

START_TEST(two_million_deep_begin_nest_is_refused_by_the_scanner)
{
    char *text = support_nest("begin ", 2000000, "ok", " end", ".\n");
    char *err = scan(text, NULL);
    ck_assert_ptr_nonnull(err);
    ck_assert_str_eq(err, "* 1:3000001: expression nested too deeply (more than 500000 levels)");
    free(err);
    free(text);
}
END_TEST

START_TEST(every_bracket_and_block_keyword_counts)
{
    static const char *const kinds[][2] = {
        {"(", ")"}, {"[", "]"}, {"{", "}"}, {"<<", ">>"}, {"case x of _ -> ", " end"},
        {"receive _ -> ", " end"}, {"try ", " after ok end"}, {"if true -> ", " end"},
        {"fun(X) -> ", " end"}, {"fun F() -> ", " end"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        char *text = support_nest(kinds[i][0], 510000, "ok", kinds[i][1], ".\n");
        char *err = scan(text, NULL);
        ck_assert_msg(err && strstr(err, "expression nested too deeply (more than 500000 levels)"),
                      "%s...%s: %s", kinds[i][0], kinds[i][1], err ? err : "scanned");
        free(err);
        free(text);
    }
}
END_TEST

START_TEST(nesting_the_parser_accepts_is_never_refused_by_the_scanner)
{
    /* 499999 funs: the parser's deepest node is the 'ok' at 500000 */
    char *text = support_nest("fun() -> ", 499999, "ok", " end", ".\n");
    char *err = parse(text);
    ck_assert_msg(err == NULL, "refused: %s", err);
    free(text);
    text = support_nest("(", 499999, "ok", ")", ".\n");
    err = parse(text);
    ck_assert_msg(err == NULL, "refused: %s", err);
    free(text);
    /* one more level: refused, by whichever of the two sees it first */
    text = support_nest("(", 500001, "ok", ")", ".\n");
    err = parse(text);
    ck_assert_msg(err && strstr(err, "nested too deeply"), "got: %s", err ? err : "accepted");
    free(err);
    free(text);
    /* closed brackets do not add up: a million (ok)s in a row scan */
    text = support_repeat("[", "(ok), ", 1000000, "ok].\n");
    err = scan(text, NULL);
    ck_assert_msg(err == NULL, "refused: %s", err);
    free(text);
}
END_TEST

/* ========================================================== the queue */

START_TEST(a_dot_at_the_end_of_a_piece_waits_for_what_follows)
{
    InputQueue q = {0};
    inq_add(&q, "A = 1.", strlen("A = 1."));
    ck_assert(!inq_ready(&q));
    ck_assert_ptr_null(inq_take(&q, NULL));
    inq_add(&q, "5.\nA.\n", strlen("5.\nA.\n"));
    ck_assert(inq_ready(&q));
    char *c = inq_take(&q, NULL);
    ck_assert_str_eq(c, "A = 1.5.\n");
    free(c);
    c = inq_take(&q, NULL);
    ck_assert_str_eq(c, "A.\n");
    free(c);
    ck_assert(inq_empty(&q));
    /* at the end of input the same dot ends its command */
    inq_add(&q, "B.", 2);
    ck_assert(!inq_ready(&q));
    inq_close(&q);
    ck_assert(inq_ready(&q));
    c = inq_take(&q, NULL);
    ck_assert_str_eq(c, "B.");
    free(c);
    inq_free(&q);
}
END_TEST

/* Found by fuzz_read (tests/fuzz/regress/read/nul-bytes): the shell took
** a command's length from strlen, so a NUL byte cut it short. */
START_TEST(a_nul_byte_is_a_character_of_the_command)
{
    static const char text[] = "\0\0``\0().\nY = \"a\0b\".\n";
    InputQueue q = {0};
    inq_add(&q, text, sizeof text - 1);
    size_t len = 0;
    char *c = inq_take(&q, &len);
    ck_assert_uint_eq(len, 9);
    ck_assert_int_eq(memcmp(c, "\0\0``\0().\n", 9), 0);
    free(c);
    c = inq_take(&q, &len);
    ck_assert_uint_eq(len, 11);
    ck_assert_int_eq(memcmp(c, "Y = \"a\0b\".\n", 11), 0);
    free(c);
    inq_free(&q);
}
END_TEST

START_TEST(a_long_piece_by_piece_command_is_scanned_once)
{
    /* 30 MB of a string in 4 KB pieces: each look covers the new piece
    ** only (it used to rescan from the first look: 11 s of CPU) */
    InputQueue q = {0};
    char piece[4096];
    memset(piece, 'a', sizeof piece);
    inq_add(&q, "length(\"", 8);
    for (int i = 0; i < 30 * 256; i++) {
        inq_add(&q, piece, sizeof piece);
        ck_assert(!inq_ready(&q));
    }
    ck_assert_uint_eq(q.looked_len, q.text.len);
    inq_add(&q, "\").\n", 4);
    ck_assert(inq_ready(&q));
    inq_free(&q);
}
END_TEST

Suite *shell_hostile_suite(void)
{
    Suite *s = suite_create("shell_hostile");
    TCase *tc = tcase_create("nesting");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, two_million_deep_fun_nest_is_refused_by_the_scanner);
    tcase_add_test(tc, two_million_deep_begin_nest_is_refused_by_the_scanner);
    tcase_add_test(tc, every_bracket_and_block_keyword_counts);
    tcase_add_test(tc, nesting_the_parser_accepts_is_never_refused_by_the_scanner);
    suite_add_tcase(s, tc);
    tc = tcase_create("queue");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, a_dot_at_the_end_of_a_piece_waits_for_what_follows);
    tcase_add_test(tc, a_nul_byte_is_a_character_of_the_command);
    tcase_add_test(tc, a_long_piece_by_piece_command_is_scanned_once);
    suite_add_tcase(s, tc);
    return s;
}
