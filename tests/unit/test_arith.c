/*
** test_arith.c
** Integers of any size and the arithmetic operators, against a table that
** real erl computed (tests/data/arith_cases.txt, written by
** tests/data/arith_cases.escript).
*/
#include <check.h>

#include "support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/arith.h"
#include "../../runtime/bignum.h"

#ifndef CERL_TEST_DATA
#define CERL_TEST_DATA "data"
#endif

static void setup(void)
{
    support_start_runtime();
}

/* A value of the table: decimal integer, f<hex bits> float or atom. */
static Term parse_value(const char *s)
{
    if (s[0] == 'f') {
        uint64_t bits = strtoull(s + 1, NULL, 16);
        double d;
        memcpy(&d, &bits, sizeof d);
        return term_float(heap_current(), d);
    }
    if (s[0] >= 'a' && s[0] <= 'z')
        return erl_atom(s);
    Term t = int_from_chars(heap_current(), s, strlen(s), 10);
    ck_assert_msg(t != ERL_NONE, "cannot read %s", s);
    return t;
}

/* The value as the table writes it (caller frees). */
static char *show_value(Term t)
{
    char *s;
    if (erl_is_float(t)) {
        double d = erl_float_value(t);
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        s = malloc(20);
        snprintf(s, 20, "f%016llx", (unsigned long long)bits);
    } else if (erl_is_atom(t)) {
        s = strdup(erl_atom_name(t));
    } else {
        ck_assert(int_is(t));
        s = int_to_chars(t, 10);
    }
    return s;
}

static const struct {
    const char *name;
    ArithOp op;
} ops[] = {
    {"+", ARITH_ADD},     {"-", ARITH_SUB},   {"*", ARITH_MUL},   {"/", ARITH_FDIV},
    {"div", ARITH_DIV},   {"rem", ARITH_REM}, {"band", ARITH_BAND}, {"bor", ARITH_BOR},
    {"bxor", ARITH_BXOR}, {"bsl", ARITH_BSL}, {"bsr", ARITH_BSR},
};

START_TEST(arithmetic_agrees_with_erl_on_every_case_of_the_table)
{
    FILE *f = fopen(CERL_TEST_DATA "/arith_cases.txt", "r");
    ck_assert_msg(f != NULL, "no %s", CERL_TEST_DATA "/arith_cases.txt");
    static char line[1 << 16];
    int cases = 0, wrong = 0;
    char first_wrong[512] = "";
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *words[5];
        int n = 0;
        for (char *w = strtok(line, " "); w && n < 5; w = strtok(NULL, " "))
            words[n++] = w;
        ck_assert(n == 4 || n == 5);
        Term got, error = ERL_NONE;
        Heap *h = heap_current();
        if (n == 4) { /* unary: op A => R */
            Term a = parse_value(words[1]);
            got = !strcmp(words[0], "-") ? arith_negate(h, a, &error) : arith_bnot(h, a, &error);
        } else {
            size_t i = 0;
            while (strcmp(ops[i].name, words[0]))
                i++;
            got = arith_binary(h, ops[i].op, parse_value(words[1]), parse_value(words[2]), &error);
        }
        char *shown = show_value(got != ERL_NONE ? got : error);
        const char *want = words[n - 1];
        if (strcmp(shown, want)) {
            if (!wrong++)
                snprintf(first_wrong, sizeof first_wrong, "%.80s %.80s %.80s: erl %.80s, cerl %.80s", words[0],
                         words[1], n == 5 ? words[2] : "", want, shown);
        }
        free(shown);
        cases++;
    }
    fclose(f);
    ck_assert_int_gt(cases, 10000);
    ck_assert_msg(wrong == 0, "%d of %d cases differ; first: %s", wrong, cases, first_wrong);
}
END_TEST

START_TEST(an_integer_that_fits_is_always_small)
{
    Heap *h = heap_current();
    Term error;
    Term big = arith_binary(h, ARITH_BSL, erl_mk_int(1), erl_mk_int(70), &error);
    ck_assert(big_is(big));
    Term back = arith_binary(h, ARITH_BSR, big, erl_mk_int(69), &error);
    ck_assert(back == erl_mk_int(2));
    ck_assert(int_from_i64(h, ERL_SMALL_MAX) == erl_mk_int(ERL_SMALL_MAX));
    ck_assert(big_is(int_from_i64(h, (int64_t)ERL_SMALL_MAX + 1)));
    ck_assert(big_is(arith_negate(h, erl_mk_int(ERL_SMALL_MIN), &error)));
    Term sum = arith_binary(h, ARITH_SUB, arith_binary(h, ARITH_ADD, big, erl_mk_int(5), &error), big, &error);
    ck_assert(sum == erl_mk_int(5));
}
END_TEST

START_TEST(c_integers_convert_both_ways_and_say_when_they_do_not_fit)
{
    Heap *h = heap_current();
    int64_t v;
    uint64_t u;
    ck_assert(int_get_i64(int_from_i64(h, INT64_MIN), &v) && v == INT64_MIN);
    ck_assert(int_get_i64(int_from_i64(h, INT64_MAX), &v) && v == INT64_MAX);
    ck_assert(int_get_u64(int_from_u64(h, UINT64_MAX), &u) && u == UINT64_MAX);
    ck_assert(!int_get_i64(int_from_u64(h, UINT64_MAX), &v));
    ck_assert(!int_get_u64(int_from_i64(h, -1), &u));
    Term error;
    Term huge = arith_binary(h, ARITH_BSL, erl_mk_int(1), erl_mk_int(64), &error);
    ck_assert(!int_get_u64(huge, &u) && !int_get_i64(huge, &v));
}
END_TEST

START_TEST(digits_in_every_base_read_back)
{
    Heap *h = heap_current();
    const char *s = "-123456789abcdefghijklmnopqrstuvwxyz0123456789";
    for (int base = 2; base <= 36; base++) {
        char digits[64];
        size_t n = 0;
        digits[n++] = '-';
        for (const char *p = s + 1; *p && n < 60; p++) {
            int d = *p <= '9' ? *p - '0' : *p - 'a' + 10;
            if (d < base)
                digits[n++] = *p;
        }
        digits[n] = '\0';
        Term t = int_from_chars(h, digits, n, base);
        ck_assert(t != ERL_NONE);
        char *back = int_to_chars(t, base);
        for (char *c = digits; *c; c++)
            *c = (char)(*c >= 'a' ? *c - 'a' + 'A' : *c);
        /* leading zeros vanish */
        const char *want = digits + 1;
        while (*want == '0' && want[1])
            want++;
        ck_assert_str_eq(back + 1, want);
        free(back);
    }
    ck_assert(int_from_chars(h, "12a", 3, 10) == ERL_NONE);
    ck_assert(int_from_chars(h, "-", 1, 10) == ERL_NONE);
    ck_assert(int_from_chars(h, "", 0, 10) == ERL_NONE);
    ck_assert(int_from_chars(h, "+7", 2, 10) == erl_mk_int(7));
}
END_TEST

START_TEST(numbers_compare_by_exact_value)
{
    Heap *h = heap_current();
    Term error;
    Term two53 = arith_binary(h, ARITH_BSL, erl_mk_int(1), erl_mk_int(53), &error);
    Term two53p1 = arith_binary(h, ARITH_ADD, two53, erl_mk_int(1), &error);
    Term f53 = term_float(h, 9007199254740992.0);
    ck_assert_int_eq(num_compare(two53, f53), 0);
    ck_assert_int_eq(num_compare(two53p1, f53), 1);
    ck_assert_int_eq(num_compare(f53, two53p1), -1);
    Term two64p1 = int_from_chars(h, "18446744073709551617", 20, 10);
    ck_assert_int_eq(num_compare(two64p1, term_float(h, 18446744073709551616.0)), 1);
    ck_assert_int_eq(num_compare(arith_negate(h, two64p1, &error), erl_mk_int(-5)), -1);
    ck_assert_int_eq(num_compare(erl_mk_int(1), term_float(h, 1.0)), 0);
}
END_TEST

Suite *arith_suite(void)
{
    Suite *s = suite_create("arith");
    TCase *tc = tcase_create("arith");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, arithmetic_agrees_with_erl_on_every_case_of_the_table);
    tcase_add_test(tc, an_integer_that_fits_is_always_small);
    tcase_add_test(tc, c_integers_convert_both_ways_and_say_when_they_do_not_fit);
    tcase_add_test(tc, digits_in_every_base_read_back);
    tcase_add_test(tc, numbers_compare_by_exact_value);
    suite_add_tcase(s, tc);
    return s;
}
