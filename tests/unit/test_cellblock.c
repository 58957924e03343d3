/*
** test_cellblock.c
** Cell runs (heap_alloc_cells): cells handed out several at a time are each
** an object of their own, for the soundness check and for the collector;
** lists:reverse, which builds its result from them, on short, long and
** improper lists.
*/
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../runtime/bif.h"
#include "../../runtime/code.h"
#include "../../runtime/gc.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"
#include "../../runtime/term.h"

static void setup(void)
{
    atom_init();
    proc_init();
    code_init();
    bif_init();
}

/* The list [n-1, ..., 1, 0] built on h from cell runs; the longest run in
** *longest. Every run must lie side by side and hold at most what was asked. */
static Term list_from_runs(Heap *h, size_t n, size_t *longest)
{
    Term list = ERL_NIL;
    size_t i = 0;
    *longest = 0;
    while (i < n) {
        size_t k = 0;
        Term *c = heap_alloc_cells(h, n - i, &k);
        ck_assert_uint_ge(k, 1);
        ck_assert_uint_le(k, n - i);
        if (k > *longest)
            *longest = k;
        for (size_t j = 0; j < k; j++, i++) {
            c[2 * j] = erl_mk_int((int64_t)i);
            c[2 * j + 1] = list;
            list = cons_term(c + 2 * j);
        }
    }
    return list;
}

/* Is t's cell an object of h of its own: found at its start, one the
** collector scans word by word? (2 words, or a larger slot that a heap
** still in its inline page lends.) */
static bool cell_is_object(Heap *h, Term t)
{
    size_t words = 0;
    bool conservative = false;
    Term *c = cons_ptr(t);
    return heap_object_of(h, (uintptr_t)c, &words, &conservative) == c &&
           heap_object_of(h, (uintptr_t)(c + 1), &words, &conservative) == c && words >= 2 && conservative;
}

START_TEST(every_cell_of_a_run_is_an_object_that_passes_the_soundness_check)
{
    Heap h;
    heap_init(&h);
    size_t longest;
    Term list = list_from_runs(&h, 3000, &longest);
    /* a heap past its inline size gets whole runs, up to a page of cells */
    ck_assert_uint_ge(longest, 100);
    ck_assert_uint_eq(term_check(&h, list), ERL_NONE);
    int64_t expect = 2999;
    for (Term t = list; t != ERL_NIL; t = cons_ptr(t)[1], expect--) {
        ck_assert(cell_is_object(&h, t));
        ck_assert_uint_eq(term_check(&h, t), ERL_NONE); /* from any cell on */
        ck_assert_int_eq(erl_int_value(cons_ptr(t)[0]), expect);
    }
    ck_assert_int_eq(expect, -1);
    ck_assert_uint_ge(h.used, 2 * 3000);
    heap_destroy(&h);
}
END_TEST

START_TEST(a_cell_carved_inside_one_object_fails_the_soundness_check)
{
    /* what cell runs avoid: two cells in one heap_alloc_words object */
    Heap h;
    heap_init(&h);
    Term *block = heap_alloc_words(&h, 4);
    block[0] = erl_mk_int(1);
    block[1] = ERL_NIL;
    block[2] = erl_mk_int(2);
    block[3] = cons_term(block);
    ck_assert_uint_eq(term_check(&h, cons_term(block)), ERL_NONE);
    ck_assert_uint_ne(term_check(&h, cons_term(block + 2)), ERL_NONE);
    heap_destroy(&h);
}
END_TEST

static int by_address(const void *a, const void *b)
{
    uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;
    return x < y ? -1 : x > y;
}

/* Adds n objects to seen[*len..]: cell runs, single cells and 2-word boxed
** objects in turn. */
static void allocate_mixed(Heap *h, uintptr_t *seen, size_t *len, size_t n)
{
    for (size_t end = *len + n, turn = 0; *len < end; turn++) {
        size_t k = 1;
        Term *c = turn % 3 == 0 ? heap_alloc_cells(h, end - *len < 37 ? end - *len : 37, &k) : turn % 3 == 1 ? heap_alloc_cell(h) : heap_alloc(h, 2);
        if (turn % 3 == 2)
            c[0] = box_header(1, ERL_BOX_FLOAT);
        for (size_t j = 0; j < k && *len < end; j++)
            seen[(*len)++] = (uintptr_t)(c + 2 * j);
    }
}

START_TEST(a_run_never_hands_out_a_slot_twice)
{
    /* runs, single cells and 2-word boxed objects mixed on one heap, from
    ** fresh pages; then a sweep keeps every tenth and frees the rest, and
    ** as many again come from the free list it rebuilt (runs of 9 slots
    ** side by side): every object live at the end has an address of its
    ** own and is found at it */
    Heap h;
    heap_init(&h);
    enum { N = 20000 };
    uintptr_t *seen = calloc(2 * N, sizeof *seen);
    size_t len = 0;
    allocate_mixed(&h, seen, &len, N);
    size_t kept = 0;
    for (size_t i = 0; i < N; i += 10) {
        heap_mark(&h, (Term *)seen[i]);
        seen[kept++] = seen[i];
    }
    heap_sweep(&h);
    ck_assert_uint_eq(h.used, 2 * kept);
    len = kept;
    allocate_mixed(&h, seen, &len, N);
    ck_assert_uint_eq(h.used, 2 * len);
    for (size_t i = 0; i < len; i++) {
        size_t words;
        bool conservative;
        ck_assert_ptr_eq(heap_object_of(&h, seen[i], &words, &conservative), (Term *)seen[i]);
    }
    qsort(seen, len, sizeof *seen, by_address);
    for (size_t i = 1; i < len; i++)
        ck_assert_uint_ne(seen[i - 1], seen[i]);
    free(seen);
    heap_destroy(&h);
}
END_TEST

/* ------------------------------------------------- runs and collections */

static Term outcome;

/* A list of runs held in a C local survives two collections intact. */
static Term keep_runs(void)
{
    Heap *h = heap_current();
    size_t longest;
    Term list = list_from_runs(h, 5000, &longest);
    uint64_t before = h->collections;
    gc_collect(proc_current(), NULL, 0);
    for (int i = 0; i < 20000; i++)
        (void)erl_tuple(erl_mk_int(i), erl_mk_int(i)); /* garbage, reused slots */
    gc_collect(proc_current(), NULL, 0);
    if (h->collections < before + 2 || longest < 100)
        return erl_atom("no_collection");
    int64_t expect = 4999;
    for (Term t = list; erl_is_cons(t); t = cons_ptr(t)[1], expect--)
        if (!cell_is_object(h, t) || erl_int_value(cons_ptr(t)[0]) != expect)
            return erl_atom("corrupt");
    if (expect != -1)
        return erl_atom("short");
    return term_check(h, list) == ERL_NONE ? erl_atom("ok") : erl_atom("unsound");
}

static Term run_keep_runs(void)
{
    outcome = keep_runs();
    return erl_atom("ok");
}

START_TEST(a_referenced_run_survives_collections)
{
    outcome = ERL_NONE;
    erl_spawn(run_keep_runs);
    sched_run_until_idle();
    ck_assert_str_eq(erl_atom_name(outcome), "ok");
}
END_TEST

enum { DROPPED = 5000 };
static uintptr_t dropped[DROPPED]; /* not a root: the collector never reads it */
static size_t survivors, used_before, used_after;

/* Cells of runs holding only integers, none pointing at another, whose
** addresses are kept where the collector does not look. */
static __attribute__((noinline)) void make_garbage_runs(Heap *h)
{
    size_t n = 0;
    while (n < DROPPED) {
        size_t k;
        Term *c = heap_alloc_cells(h, DROPPED - n, &k);
        for (size_t j = 0; j < k; j++, n++) {
            c[2 * j] = erl_mk_int((int64_t)n);
            c[2 * j + 1] = erl_mk_int(0);
            dropped[n] = (uintptr_t)(c + 2 * j) ^ 1; /* not a pointer as stored */
        }
    }
}

static Term drop_runs(void)
{
    Heap *h = heap_current();
    erl_heap_reserve(4 * DROPPED); /* no collection while they are made */
    make_garbage_runs(h);
    used_before = h->used;
    gc_collect(proc_current(), NULL, 0);
    used_after = h->used;
    survivors = 0;
    for (size_t i = 0; i < DROPPED; i++) {
        size_t words;
        bool conservative;
        if (heap_object_of(h, dropped[i] ^ 1, &words, &conservative))
            survivors++;
    }
    return erl_atom("ok");
}

START_TEST(an_unreferenced_run_is_reclaimed)
{
    survivors = SIZE_MAX;
    erl_spawn(drop_runs);
    sched_run_until_idle();
    /* a stale word on the stack may keep a cell or two, never the run */
    ck_assert_uint_le(survivors, 4);
    ck_assert_uint_ge(used_before - used_after, 2 * (DROPPED - 4));
}
END_TEST

/* ----------------------------------------------------------- reverse */

/* [0, 1, ..., n-1] built a cell at a time. */
static Term seq(int64_t n)
{
    Term l = ERL_NIL;
    for (int64_t i = n; i-- > 0;)
        l = erl_cons(erl_mk_int(i), l);
    return l;
}

/* Is r [n-1, ..., 0 | tail], every cell an object of the running process? */
static bool reversed(Term r, int64_t n, Term tail)
{
    Heap *h = heap_current();
    for (int64_t i = n; i-- > 0; r = cons_ptr(r)[1])
        if (!erl_is_cons(r) || !cell_is_object(h, r) || erl_int_value(cons_ptr(r)[0]) != i)
            return false;
    return r == tail;
}

static Term lists_reverse(void *list)
{
    return erl_apply(erl_mk_export_fun(erl_atom("lists"), erl_atom("reverse"), 1),
                     erl_cons(*(Term *)list, ERL_NIL));
}

static Term reverse_cases(void)
{
    static const int64_t lengths[] = {0, 1, 2, 3, 247, 248, 249, 4096, 4097, 1000000};
    for (size_t i = 0; i < sizeof lengths / sizeof *lengths; i++) {
        int64_t n = lengths[i];
        Term l = seq(n), r, cls;
        if (!reversed(erl_list_reverse(l, ERL_NIL), n, ERL_NIL))
            return erl_tuple(erl_atom("erl_list_reverse"), erl_mk_int(n));
        if (!reversed(erl_list_reverse(l, erl_atom("tail")), n, erl_atom("tail")))
            return erl_tuple(erl_atom("with_tail"), erl_mk_int(n));
        if (!erl_catch(lists_reverse, &l, &r, &cls) || !reversed(r, n, ERL_NIL))
            return erl_tuple(erl_atom("lists_reverse"), erl_mk_int(n));
        if (term_check(&proc_current()->heap, r) != ERL_NONE)
            return erl_tuple(erl_atom("unsound"), erl_mk_int(n));
    }
    return erl_atom("ok");
}

static Term reverse_outcome;

static Term run_reverse_cases(void)
{
    reverse_outcome = reverse_cases();
    return erl_atom("ok");
}

START_TEST(reverse_of_lengths_0_1_2_and_1m_is_right)
{
    reverse_outcome = ERL_NONE;
    erl_spawn(run_reverse_cases);
    sched_run_until_idle();
    ck_assert_uint_ne(reverse_outcome, ERL_NONE);
    ck_assert_msg(reverse_outcome == erl_atom("ok"), "failed case (%s)",
                  erl_is_tuple(reverse_outcome) ? erl_atom_name(erl_element(reverse_outcome, 1)) : "?");
}
END_TEST

/* Collections while reverse builds its result (the threshold is at 0, so
** each new page collects): the half-built list survives them. */
static Term reverse_collecting(void)
{
    Heap *h = heap_current();
    Term l = seq(100000);
    uint64_t before = h->collections;
    h->gc_threshold = 0;
    Term r = erl_list_reverse(l, ERL_NIL);
    if (h->collections == before)
        return erl_atom("no_collection");
    return reversed(r, 100000, ERL_NIL) && term_check(h, r) == ERL_NONE ? erl_atom("ok") : erl_atom("corrupt");
}

static Term run_reverse_collecting(void)
{
    reverse_outcome = reverse_collecting();
    return erl_atom("ok");
}

START_TEST(reverse_survives_collections_while_it_builds)
{
    reverse_outcome = ERL_NONE;
    erl_spawn(run_reverse_collecting);
    sched_run_until_idle();
    ck_assert_uint_ne(reverse_outcome, ERL_NONE);
    ck_assert_str_eq(erl_atom_name(reverse_outcome), "ok");
}
END_TEST

/* lists:reverse(List) on List, caught: {Class, Reason} or {ok, Value}. */
static Term reverse_caught(Term list)
{
    Term v, cls;
    if (erl_catch(lists_reverse, &list, &v, &cls))
        return erl_tuple(erl_atom("ok"), v);
    return erl_tuple(cls, v);
}

static Term improper_outcome[4];
static Heap improper_heap; /* the outcomes outlive the process */

static Term run_improper(void)
{
    Term long_improper = erl_atom("end");
    for (int i = 0; i < 5000; i++)
        long_improper = erl_cons(erl_mk_int(i), long_improper);
    improper_outcome[0] = reverse_caught(erl_cons(erl_mk_int(1), erl_cons(erl_mk_int(2), erl_cons(erl_mk_int(3), erl_mk_int(4)))));
    improper_outcome[1] = reverse_caught(long_improper);
    improper_outcome[2] = reverse_caught(erl_cons(erl_mk_int(1), erl_mk_int(2)));
    improper_outcome[3] = reverse_caught(erl_atom("foo"));
    for (int i = 0; i < 4; i++)
        improper_outcome[i] = term_copy(&improper_heap, improper_outcome[i]);
    return erl_atom("ok");
}

START_TEST(reverse_of_an_improper_list_raises_as_erl_does)
{
    /* erl: lists:reverse([1,2,3|4]) raises badarg (from reverse/2), and
    ** [1|2] or foo match no clause of reverse/1 */
    heap_init(&improper_heap);
    erl_spawn(run_improper);
    sched_run_until_idle();
    const char *want[4][2] = {{"error", "badarg"}, {"error", "badarg"}, {"error", "function_clause"},
                              {"error", "function_clause"}};
    for (int i = 0; i < 4; i++) {
        Term o = improper_outcome[i];
        ck_assert(erl_is_tuple(o));
        ck_assert_str_eq(erl_atom_name(erl_element(o, 1)), want[i][0]);
        ck_assert(erl_is_atom(erl_element(o, 2)));
        ck_assert_str_eq(erl_atom_name(erl_element(o, 2)), want[i][1]);
    }
    heap_destroy(&improper_heap);
}
END_TEST

Suite *cellblock_suite(void)
{
    Suite *s = suite_create("cellblock");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, every_cell_of_a_run_is_an_object_that_passes_the_soundness_check);
    tcase_add_test(tc, a_cell_carved_inside_one_object_fails_the_soundness_check);
    tcase_add_test(tc, a_run_never_hands_out_a_slot_twice);
    tcase_add_test(tc, a_referenced_run_survives_collections);
    tcase_add_test(tc, an_unreferenced_run_is_reclaimed);
    tcase_add_test(tc, reverse_of_lengths_0_1_2_and_1m_is_right);
    tcase_add_test(tc, reverse_survives_collections_while_it_builds);
    tcase_add_test(tc, reverse_of_an_improper_list_raises_as_erl_does);
    suite_add_tcase(s, tc);
    return s;
}
