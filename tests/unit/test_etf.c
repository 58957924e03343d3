/*
** test_etf.c
** The external term format against real erl: every encoding in
** tests/data/etf_cases.txt (written by tests/data/etf_cases.escript) decodes,
** and encodes back to erl's very bytes under each option; malformed input
** is refused without reading past its end.
*/
#include <check.h>

#include "support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/etf.h"

#ifndef CERL_TEST_DATA
#define CERL_TEST_DATA "data"
#endif

static void setup(void)
{
    support_start_runtime();
}

static bool same_bytes(Term bin, const unsigned char *want, size_t n)
{
    return erl_is_binary(bin) && erl_binary_size(bin) == n && !memcmp(erl_binary_bytes(bin), want, n);
}

START_TEST(every_encoding_of_erls_table_decodes_and_encodes_to_the_same_bytes)
{
    FILE *f = fopen(CERL_TEST_DATA "/etf_cases.txt", "r");
    ck_assert_msg(f != NULL, "no %s", CERL_TEST_DATA "/etf_cases.txt");
    size_t cap = 1 << 22;
    char *line = malloc(cap);
    Term term = ERL_NONE;
    int lines = 0, terms = 0;
    while (fgets(line, (int)cap, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *hex = strchr(line, ' ');
        ck_assert(hex);
        *hex++ = '\0';
        size_t n;
        unsigned char *want = support_unhex(hex, &n);
        EtfOptions opt = {1, 0};
        if (!strcmp(line, "default")) {
            size_t used = 0;
            term = etf_decode(heap_current(), want, n, false, &used);
            ck_assert_msg(term != ERL_NONE, "line %d: erl's encoding does not decode", lines + 1);
            ck_assert_uint_eq(used, n);
            terms++;
        } else if (!strcmp(line, "minor0")) {
            opt.minor_version = 0;
        } else if (!strcmp(line, "minor2")) {
            opt.minor_version = 2;
        } else {
            ck_assert_str_eq(line, "compressed");
            opt.compressed = 6;
            /* and erl's compressed bytes decode to the same term */
            Term back = etf_decode(heap_current(), want, n, false, NULL);
            ck_assert_msg(back != ERL_NONE && erl_eq(back, term), "line %d: compressed form decodes differently",
                          lines + 1);
        }
        Term got = etf_encode(heap_current(), term, &opt);
        ck_assert_msg(same_bytes(got, want, n), "line %d (%s): cerl's bytes differ from erl's", lines + 1, line);
        free(want);
        lines++;
    }
    free(line);
    fclose(f);
    ck_assert_int_gt(terms, 60);
}
END_TEST

START_TEST(malformed_input_is_refused)
{
    static const struct {
        const char *hex;
        const char *why;
    } bad[] = {
        {"", "empty"},
        {"83", "a version byte alone"},
        {"8261", "wrong version"},
        {"836a00", "[] and a trailing byte: accepted, the byte left over"},
        {"8364000361", "atom shorter than its length"},
        {"83680361", "tuple of 3 with one element"},
        {"836c00000002610161", "list missing its tail"},
        {"836dffffffff00", "binary longer than the input"},
        {"836effffff", "big without its bytes"},
        {"8369ffffffff", "a four-billion-element tuple in six bytes"},
        {"836c7fffffff6a", "a two-billion-element list in seven bytes"},
        {"83ff", "unknown tag"},
        {"83460000000000000000ff", "float and a trailing byte: accepted"},
        {"8346fff0000000000000", "infinity is no float"},
        {"83770261", "small utf-8 atom shorter than its length"},
        {"837702c328", "malformed utf-8 in an atom"},
        {"835800", "pid with no node"},
        {"8358640003666f6f0000000100000000000000", "pid of another node"},
        {"835a0003640003666f6f000000000000000100000002", "reference of another node"},
        {"835000000010789c", "compressed, truncated"},
        {"8350000000ff789ccb660000", "compressed, wrong size"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n;
        unsigned char *b = support_unhex(bad[i].hex, &n);
        /* exactly n bytes: ASan sees any read past them */
        unsigned char *exact = malloc(n ? n : 1);
        memcpy(exact, b, n);
        size_t used = 0;
        Term t = etf_decode(heap_current(), exact, n, false, &used);
        bool accepted = i == 3 || i == 12;
        ck_assert_msg((t != ERL_NONE) == accepted, "%s: %s", bad[i].hex, bad[i].why);
        if (accepted)
            ck_assert_uint_lt(used, n); /* the trailing byte is left over */
        free(exact);
        free(b);
    }
}
END_TEST

START_TEST(safe_decoding_refuses_atoms_that_do_not_exist)
{
    const unsigned char known[] = {131, 100, 0, 2, 'o', 'k'};
    const unsigned char unknown[] = {131, 100, 0, 9, 'z', 'q', 'x', 'n', 'e', 'v', 'e', 'r', '9'};
    ck_assert(etf_decode(heap_current(), known, sizeof known, true, NULL) == erl_atom("ok"));
    ck_assert(etf_decode(heap_current(), unknown, sizeof unknown, true, NULL) == ERL_NONE);
    ck_assert(etf_decode(heap_current(), unknown, sizeof unknown, false, NULL) == erl_atom("zqxnever9"));
}
END_TEST

Suite *etf_suite(void)
{
    Suite *s = suite_create("etf");
    TCase *tc = tcase_create("etf");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_encoding_of_erls_table_decodes_and_encodes_to_the_same_bytes);
    tcase_add_test(tc, malformed_input_is_refused);
    tcase_add_test(tc, safe_decoding_refuses_atoms_that_do_not_exist);
    suite_add_tcase(s, tc);
    return s;
}
