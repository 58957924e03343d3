/*
** test_map.c
** Maps: flat and trie maps against a plain model, map key order, and the
** order of maps among terms.
*/
#include <check.h>

#include "support.h"
#include <stdio.h>
#include <stdlib.h>

#include "../../runtime/arith.h"
#include "../../runtime/map.h"

static void setup(void)
{
    support_start_runtime();
}

/* A key drawn from a small universe with every kind of key in it, and
** pairs like 3 and 3.0 that == but not =:=. */
static Term key_of(unsigned r)
{
    Heap *h = heap_current();
    switch (r % 6) {
    case 0: return erl_mk_int((long)(r / 6));
    case 1: return term_float(h, (double)(r / 6));
    case 2: {
        char name[32];
        snprintf(name, sizeof name, "k%u", r / 6);
        return erl_atom(name);
    }
    case 3: return erl_tuple(erl_mk_int((long)(r / 6)), AM_ok);
    case 4: return erl_list(erl_mk_int((long)(r / 6)));
    default: {
        Term error;
        return arith_binary(h, ARITH_BSL, erl_mk_int((long)(r / 6) + 1), erl_mk_int(80), &error);
    }
    }
}

START_TEST(puts_and_removes_agree_with_a_plain_model_across_sizes)
{
    enum { UNIVERSE = 6 * 400 };
    static Term model[UNIVERSE]; /* value per key index, or ERL_NONE */
    for (int i = 0; i < UNIVERSE; i++)
        model[i] = ERL_NONE;
    Heap *h = heap_current();
    Term m = map_new(h);
    size_t n = 0;
    srand(7);
    for (int step = 0; step < 20000; step++) {
        unsigned r = (unsigned)rand() % UNIVERSE;
        /* grow for a while, then shrink, then grow again */
        bool put = step < 8000 || (step > 14000) ? rand() % 10 < 8 : rand() % 10 < 2;
        if (put) {
            Term v = erl_mk_int(step);
            m = map_put(h, m, key_of(r), v);
            if (model[r] == ERL_NONE)
                n++;
            model[r] = v;
        } else {
            m = map_remove(h, m, key_of(r));
            if (model[r] != ERL_NONE)
                n--;
            model[r] = ERL_NONE;
        }
        ck_assert_uint_eq(map_size(m), n);
        ck_assert_int_eq(erl_box_kind(m), n <= MAP_FLAT_MAX ? ERL_BOX_MAP : ERL_BOX_MAPNODE);
        if (step % 1000 == 0 || step == 19999) {
            for (unsigned i = 0; i < UNIVERSE; i++) {
                Term got = map_get(m, key_of(i));
                ck_assert_msg(got == model[i], "key %u at step %d", i, step);
            }
            size_t seen = 0;
            MapIter it;
            Term k, v;
            map_iter_init(&it, m);
            while (map_next(&it, &k, &v)) {
                ck_assert(map_get(m, k) == v);
                seen++;
            }
            ck_assert_uint_eq(seen, n);
        }
    }
}
END_TEST

START_TEST(keys_are_kept_in_map_key_order)
{
    Heap *h = heap_current();
    /* erl prints #{1.0 => a, 1 => b, a => 1, "s" => 2, {t} => 3} as
    ** #{1 => b,1.0 => a,a => 1,{t} => 3,[115] => 2} */
    Term m = map_new(h);
    m = map_put(h, m, term_float(h, 1.0), erl_atom("a"));
    m = map_put(h, m, erl_mk_int(1), erl_atom("b"));
    m = map_put(h, m, erl_atom("a"), erl_mk_int(1));
    m = map_put(h, m, erl_mk_string("s"), erl_mk_int(2));
    m = map_put(h, m, erl_tuple(erl_atom("t")), erl_mk_int(3));
    Term keys[5];
    map_sorted(m, keys, NULL);
    ck_assert(keys[0] == erl_mk_int(1));
    ck_assert(erl_is_float(keys[1]));
    ck_assert(keys[2] == erl_atom("a"));
    ck_assert(erl_is_tuple(keys[3]));
    ck_assert(erl_is_cons(keys[4]));
    ck_assert(map_get(m, erl_mk_int(1)) == erl_atom("b"));
    ck_assert(map_get(m, term_float(h, 1.0)) == erl_atom("a"));
    ck_assert(map_get(m, term_float(h, -0.0)) == ERL_NONE);
}
END_TEST

START_TEST(maps_sit_between_tuples_and_lists_and_compare_by_size_keys_values)
{
    Heap *h = heap_current();
    Term small = map_put(h, map_new(h), erl_atom("z"), erl_mk_int(1));
    Term two = map_put(h, small, erl_atom("a"), erl_mk_int(1));
    ck_assert_int_eq(erl_compare(erl_tuple(erl_mk_int(1)), small), -1);
    ck_assert_int_eq(erl_compare(small, ERL_NIL), -1);
    ck_assert_int_eq(erl_compare(small, two), -1); /* size first */
    Term a1 = map_put(h, map_new(h), erl_atom("a"), erl_mk_int(9));
    Term b1 = map_put(h, map_new(h), erl_atom("b"), erl_mk_int(1));
    ck_assert_int_eq(erl_compare(a1, b1), -1); /* then keys */
    Term a2 = map_put(h, map_new(h), erl_atom("a"), erl_mk_int(10));
    ck_assert_int_eq(erl_compare(a1, a2), -1); /* then values */
    /* a trie and a flat map never compare equal: their sizes differ; two
    ** tries built in different orders do */
    Term x = map_new(h), y = map_new(h);
    for (int i = 0; i < 100; i++) {
        x = map_put(h, x, erl_mk_int(i), erl_mk_int(i));
        y = map_put(h, y, erl_mk_int(99 - i), erl_mk_int(99 - i));
    }
    ck_assert_int_eq(erl_compare(x, y), 0);
    ck_assert(map_put(h, x, erl_mk_int(5), erl_mk_int(5)) == x || erl_compare(map_put(h, x, erl_mk_int(5), erl_mk_int(5)), x) == 0);
}
END_TEST

START_TEST(a_trie_is_walked_in_the_same_order_whatever_order_its_keys_came_in)
{
    /* maps of one size hash alike: as keys they share collision nodes */
    Heap *h = heap_current();
    enum { N = 40 };
    Term keys[N];
    for (int i = 0; i < N; i++)
        keys[i] = map_put(h, map_new(h), erl_mk_int(i), erl_mk_int(i));
    Term up = map_new(h), down = map_new(h);
    for (int i = 0; i < N; i++) {
        up = map_put(h, up, keys[i], erl_mk_int(i));
        down = map_put(h, down, keys[N - 1 - i], erl_mk_int(N - 1 - i));
    }
    ck_assert_int_eq(erl_box_kind(up), ERL_BOX_MAPNODE);
    MapIter a, b;
    Term ka, va, kb, vb;
    map_iter_init(&a, up);
    map_iter_init(&b, down);
    int n = 0;
    while (map_next(&a, &ka, &va)) {
        ck_assert(map_next(&b, &kb, &vb));
        ck_assert_msg(ka == kb || erl_eq(ka, kb), "pair %d differs", n);
        n++;
    }
    ck_assert_int_eq(n, N);
}
END_TEST

Suite *map_suite(void)
{
    Suite *s = suite_create("map");
    TCase *tc = tcase_create("map");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, puts_and_removes_agree_with_a_plain_model_across_sizes);
    tcase_add_test(tc, keys_are_kept_in_map_key_order);
    tcase_add_test(tc, maps_sit_between_tuples_and_lists_and_compare_by_size_keys_values);
    tcase_add_test(tc, a_trie_is_walked_in_the_same_order_whatever_order_its_keys_came_in);
    suite_add_tcase(s, tc);
    return s;
}
