/*
** test_terms.c
** Heaps and terms at their limits: objects of many pages, terms nested far
** deeper than a process's stack, and terms that break cerl.h's rules (bad
** words, terms of a dead process, cycles), which must end only the process
** that made them.
*/
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "../../runtime/bif.h"
#include "../../runtime/buf.h"
#include "../../runtime/code.h"
#include "../../runtime/gc.h"
#include "../../runtime/print.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

static void setup(void)
{
    atom_init();
    proc_init();
    code_init();
    bif_init();
}

/* nest(0) -> []; nest(N) -> [nest(N - 1)], on the current heap. */
static Term nest(long n)
{
    Term t = ERL_NIL;
    for (long i = 0; i < n; i++)
        t = erl_cons(t, ERL_NIL);
    return t;
}

static long depth(Term t)
{
    long d = 0;
    for (; erl_is_cons(t); t = erl_hd(t))
        d++;
    return t == ERL_NIL ? d : -1;
}

/* ============================================================ heaps */

START_TEST(objects_larger_than_the_page_map_get_pages_of_their_own)
{
    Heap h;
    heap_init(&h);
    /* a 260,000-byte object (binaries that large live off the heap: a
    ** tuple) and a 40,000-element tuple, each on a fresh heap whose map is
    ** far smaller than their number of pages */
    Term elems[40000];
    for (int i = 0; i < 40000; i++)
        elems[i] = erl_mk_int(i);
    Term bin = term_tuple(&h, 32500, elems);
    Heap h2;
    heap_init(&h2);
    Term tuple = term_tuple(&h2, 40000, elems);
    ck_assert_uint_eq(erl_tuple_size(bin), 32500);
    ck_assert_int_eq(erl_int_value(erl_element(bin, 32500)), 32499);
    ck_assert_int_eq(erl_int_value(erl_element(tuple, 40000)), 39999);
    /* every unit of the objects is found, and nothing past them */
    size_t words;
    bool conservative;
    ck_assert_ptr_eq(heap_object_of(&h, (uintptr_t)bin + 250000, &words, &conservative), erl_box_ptr(bin));
    ck_assert_ptr_eq(heap_object_of(&h2, (uintptr_t)tuple + 8 * 39000, &words, &conservative),
                     erl_box_ptr(tuple));
    ck_assert_uint_eq(words, 40001);
    ck_assert_ptr_null(heap_object_of(&h2, (uintptr_t)tuple + 8 * 40001, &words, &conservative));
    /* more of them, and small objects among them */
    for (int i = 0; i < 20; i++) {
        Term t = term_tuple(&h2, 2000 * (i + 1), elems);
        Term c = term_cons(&h2, t, ERL_NIL);
        ck_assert_ptr_eq(heap_object_of(&h2, (uintptr_t)t + 8 * 2000 * (i + 1), &words, &conservative),
                         erl_box_ptr(t));
        ck_assert_ptr_eq(heap_object_of(&h2, (uintptr_t)c - 2, &words, &conservative), (Term *)(c - 2));
    }
    ck_assert(erl_eq(term_copy(&h, tuple), tuple));
    heap_destroy(&h);
    heap_destroy(&h2);
}
END_TEST

/* ===================================================== term_check */

START_TEST(term_check_accepts_sound_terms_and_names_the_first_bad_word)
{
    Heap h, other;
    heap_init(&h);
    heap_init(&other);
    unsigned char b[3] = {1, 2, 3};
    Term sound = term_cons(&h, term_tuple(&h, 4, (Term[]){AM_ok, term_float(&h, 1.5), term_binary(&h, b, 3),
                                                          term_make_ref(&h)}),
                           term_cons(&h, pid_make(90), term_string(&h, "abc", 3)));
    ck_assert_uint_eq(term_check(&h, sound), ERL_NONE);
    ck_assert_uint_eq(term_check(&h, erl_mk_int(5)), ERL_NONE);
    ck_assert_uint_eq(term_check(&h, ERL_NIL), ERL_NONE);

    /* a word that is no term, inside a tuple */
    Term t = term_tuple(&h, 2, (Term[]){AM_ok, (Term)0x10});
    ck_assert_uint_eq(term_check(&h, t), erl_mk_int(16));
    ck_assert_uint_eq(term_check(&h, (Term)0x10), erl_mk_int(16));
    /* a term of another heap */
    Term foreign = term_tuple(&other, 1, (Term[]){AM_ok});
    Term holder = term_cons(&h, foreign, ERL_NIL);
    ck_assert_uint_eq(term_check(&h, holder), erl_mk_int((long)(foreign & ERL_SMALL_MAX)));
    /* a pointer into the middle of an object */
    Term big = term_tuple(&h, 3, (Term[]){AM_ok, AM_ok, AM_ok});
    ck_assert_uint_ne(term_check(&h, big + 8), ERL_NONE);
    /* an atom that does not exist */
    Term no_atom = ATOM_OF_INDEX(atom_count() + 1000);
    ck_assert_uint_eq(term_check(&h, term_cons(&h, no_atom, ERL_NIL)), erl_mk_int((long)no_atom));

    /* a list whose last tail is its first cell; a tuple inside itself */
    Term l = term_cons(&h, AM_ok, term_cons(&h, AM_ok, ERL_NIL));
    cons_ptr(erl_tl(l))[1] = l;
    ck_assert_uint_eq(term_check(&h, l), erl_atom("cycle"));
    Term self = term_tuple(&h, 2, (Term[]){AM_ok, AM_ok});
    erl_box_ptr(self)[2] = self;
    ck_assert_uint_eq(term_check(&h, term_cons(&h, self, ERL_NIL)), erl_atom("cycle"));
    /* printing one does not go on for ever */
    Buf out = {0};
    print_write(&out, l);
    ck_assert_str_eq(buf_str(&out), "'$cyclic_term'");
    buf_free(&out);

    heap_destroy(&h);
    heap_destroy(&other);
}
END_TEST

/* ======================================== processes and bad terms */

/* The text of the reason a watched process ended with. */
static char down_text[256];
static void *watched_fn;

/* Spawns watched_fn, monitors it, and keeps its exit reason as text. */
static Term watcher(void)
{
    Term pid = erl_spawn_fn(watched_fn, 0, NULL);
    erl_monitor(pid);
    Term down = erl_receive();
    Buf b = {0};
    print_write(&b, erl_element(down, 5));
    snprintf(down_text, sizeof down_text, "%s", buf_str(&b));
    buf_free(&b);
    return AM_ok;
}

static const char *exit_reason_of(void *fn)
{
    down_text[0] = '\0';
    watched_fn = fn;
    erl_spawn(watcher);
    sched_run_until_idle();
    return down_text;
}

static Term kept; /* breaks cerl.h's rule on purpose: a term in a C global */

static Term keep_a_term(void)
{
    kept = erl_tuple(AM_ok, erl_mk_string("mine"));
    return AM_ok;
}

static Term send_the_kept_term(void)
{
    erl_send(erl_self(), kept);
    return AM_ok;
}

START_TEST(a_term_kept_after_its_owner_died_ends_only_the_process_that_sends_it)
{
    ck_assert_str_eq(exit_reason_of(keep_a_term), "normal");
    char expect[64];
    snprintf(expect, sizeof expect, "{badterm,erl_send,%lld}", (long long)(kept & ERL_SMALL_MAX));
    ck_assert_str_eq(exit_reason_of(send_the_kept_term), expect);
}
END_TEST

static Term compare_cycles(void)
{
    Term a = erl_list(AM_ok, AM_ok), b = erl_list(AM_ok, AM_ok);
    cons_ptr(erl_tl(a))[1] = a;
    cons_ptr(erl_tl(b))[1] = b;
    return erl_mk_int(erl_compare(a, b));
}

START_TEST(comparing_cyclic_terms_ends_the_comparing_process)
{
    ck_assert_str_eq(exit_reason_of(compare_cycles), "{badterm,erl_compare,cycle}");
}
END_TEST

static Term exit_with_bad_reason(void)
{
    erl_exit((Term)0x10);
}

static Term throw_bad(void)
{
    erl_throw(erl_list((Term)0x18));
}

START_TEST(a_bad_exit_reason_becomes_badterm)
{
    ck_assert_str_eq(exit_reason_of(exit_with_bad_reason), "{badterm,erl_exit,16}");
    ck_assert_str_eq(exit_reason_of(throw_bad), "{badterm,erl_throw,24}");
}
END_TEST

/* ================================================= deep terms */

enum { DEEP = 100000 };

static Term deep_send(void)
{
    Term d = nest(DEEP);
    erl_send(erl_self(), d);
    Term m = erl_receive();
    if (m == d || depth(m) != DEEP || !erl_eq(m, d) || erl_compare(d, nest(DEEP + 1)) != -1)
        erl_exit(erl_atom("wrong"));
    if (term_size(m) != 2 * DEEP || term_depth(m) != DEEP)
        erl_exit(erl_atom("wrong_size"));
    return AM_ok;
}

START_TEST(a_deeply_nested_term_is_sent_compared_and_measured_in_a_process)
{
    ck_assert_str_eq(exit_reason_of(deep_send), "normal");
}
END_TEST

static Term deep_exit(void)
{
    erl_exit(nest(5000));
}

static long down_depth;

static Term deep_watcher(void)
{
    Term pid = erl_spawn(deep_exit);
    erl_monitor(pid);
    down_depth = depth(erl_element(erl_receive(), 5));
    return AM_ok;
}

START_TEST(a_deeply_nested_exit_reason_reaches_the_monitor)
{
    down_depth = 0;
    erl_spawn(deep_watcher);
    sched_run_until_idle();
    ck_assert_int_eq(down_depth, 5000);
}
END_TEST

static size_t printed_len, pretty_brackets;
static char printed_head[8], printed_tail[8];

static Term deep_print(void)
{
    Buf b = {0};
    Term d = erl_tuple(nest(DEEP), AM_ok);
    print_write(&b, d);
    printed_len = b.len;
    memcpy(printed_head, b.s, 4);
    memcpy(printed_tail, b.s + b.len - 4, 4);
    buf_free(&b);
    print_pretty(&b, nest(20000), 1, 80, -1); /* ~p: every bracket, however it breaks lines */
    size_t open = 0, close = 0;
    for (size_t i = 0; i < b.len; i++) {
        open += b.s[i] == '[';
        close += b.s[i] == ']';
    }
    pretty_brackets = open == close ? open : 0;
    buf_free(&b);
    return AM_ok;
}

START_TEST(a_deeply_nested_term_is_printed_in_a_process)
{
    ck_assert_str_eq(exit_reason_of(deep_print), "normal");
    ck_assert_uint_eq(printed_len, 2 * (DEEP + 1) + 5); /* {[[...[]...]],ok} */
    ck_assert_str_eq(printed_head, "{[[[");
    ck_assert_str_eq(printed_tail, ",ok}");
    ck_assert_uint_eq(pretty_brackets, 20001);
}
END_TEST

static Term deep_collect(void)
{
    Term d = nest(DEEP);
    for (int i = 0; i < 10000; i++)
        (void)erl_tuple(erl_mk_int(i), erl_mk_int(i));
    Proc *self = proc_current();
    uint64_t before = self->heap.collections;
    gc_collect(self, &d, 1);
    if (self->heap.collections == before || depth(d) != DEEP)
        erl_exit(erl_atom("lost"));
    return AM_ok;
}

START_TEST(a_deeply_nested_term_survives_a_collection)
{
    ck_assert_str_eq(exit_reason_of(deep_collect), "normal");
}
END_TEST

Suite *terms_suite(void)
{
    Suite *s = suite_create("terms");
    TCase *tc = tcase_create("terms");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, objects_larger_than_the_page_map_get_pages_of_their_own);
    tcase_add_test(tc, term_check_accepts_sound_terms_and_names_the_first_bad_word);
    tcase_add_test(tc, a_term_kept_after_its_owner_died_ends_only_the_process_that_sends_it);
    tcase_add_test(tc, comparing_cyclic_terms_ends_the_comparing_process);
    tcase_add_test(tc, a_bad_exit_reason_becomes_badterm);
    tcase_add_test(tc, a_deeply_nested_term_is_sent_compared_and_measured_in_a_process);
    tcase_add_test(tc, a_deeply_nested_exit_reason_reaches_the_monitor);
    tcase_add_test(tc, a_deeply_nested_term_is_printed_in_a_process);
    tcase_add_test(tc, a_deeply_nested_term_survives_a_collection);
    suite_add_tcase(s, tc);
    return s;
}
