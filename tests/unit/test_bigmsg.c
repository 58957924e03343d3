/*
** test_bigmsg.c
** Big messages (issue 15, 1 MB message): a long list, deep nests and shared
** subterms copied whole into one block, equal at the receiver; a list with
** a bad word in the middle refused as term_check refuses it, nothing
** queued, and the sender ending with {badterm, erl_send, What}.
*/
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "support.h"
#include "../../runtime/bif.h"
#include "../../runtime/mailbox.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

static void setup(void)
{
    support_start_runtime();
}

enum { CELLS = 65536 };

/* [1, 2, ..., n], built on h from its end (as a module builds it). */
static Term int_list(Heap *h, long n)
{
    Term l = ERL_NIL;
    for (long i = n; i > 0; i--)
        l = term_cons(h, erl_mk_int(i), l);
    return l;
}

/* The cell of list l at position i (0-based). */
static Term *nth_cell(Term l, long i)
{
    while (i-- > 0)
        l = erl_tl(l);
    return cons_ptr(l);
}

/* The block a copied term lies in (term.h), checked to be one. */
static Term *block_of(Heap *h, Term copy)
{
    size_t words;
    bool conservative;
    uintptr_t a = erl_is_cons(copy) ? (uintptr_t)cons_ptr(copy) : (uintptr_t)copy;
    Term *b = heap_object_of(h, a, &words, &conservative);
    ck_assert_ptr_nonnull(b);
    ck_assert(!conservative);
    ck_assert_uint_eq(b[0] & 0xff, TERM_BOX_BLOCK);
    return b;
}

/* Sends t (a term of 'from') through the checked path into a fresh heap;
** asserts it was queued, equal, in one block of term_size(t) words. */
static void send_and_compare(Heap *from, Term t)
{
    Heap to;
    heap_init(&to);
    Mailbox mb;
    mbox_init(&mb);
    ck_assert_uint_eq(term_check(from, t), ERL_NONE);
    ck_assert_uint_eq(mbox_put_checked(&mb, &to, from, t), ERL_NONE);
    ck_assert_uint_eq(mb.len, 1);
    Term copy = mb.head->term;
    ck_assert(copy != t);
    ck_assert(erl_eq(copy, t));
    ck_assert_uint_eq(block_of(&to, copy)[0] >> 8, term_size(t));
    /* and unchecked (the runtime's own sends): the same */
    mbox_put(&mb, &to, t);
    ck_assert(erl_eq(mb.head->next->term, t));
    heap_destroy(&to);
}

/* ---------------------------------------------------------- sound terms */

/* The benchmark's message: {Tag, [1..65536]}. It arrives equal, in one
** block, its list cells written one after another. */
START_TEST(big_list_arrives_equal_in_one_block)
{
    Heap a, to;
    heap_init(&a);
    heap_init(&to);
    Term l = int_list(&a, CELLS);
    Term msg = term_tuple(&a, 2, (Term[]){erl_atom("tag"), l});
    Mailbox mb;
    mbox_init(&mb);
    ck_assert_uint_eq(mbox_put_checked(&mb, &to, &a, msg), ERL_NONE);
    Term copy = mb.head->term;
    ck_assert(erl_eq(copy, msg));
    Term *b = block_of(&to, copy);
    ck_assert_uint_eq(b[0] >> 8, 3 + 2 * CELLS);
    Term cl = erl_element(copy, 2);
    ck_assert_int_eq(erl_list_length(cl), CELLS);
    long i = 1;
    for (Term c = cl; erl_is_cons(c); c = erl_tl(c), i++) {
        ck_assert_uint_eq(erl_hd(c), erl_mk_int(i));
        if (erl_is_cons(erl_tl(c)))
            ck_assert_ptr_eq(cons_ptr(erl_tl(c)), cons_ptr(c) + 2);
    }
    ck_assert_uint_eq(to.used, 1 + 3 + 2 * CELLS); /* the block: nothing else (mailbox nodes live off the heap) */
    heap_destroy(&to);
    heap_destroy(&a);
}
END_TEST

/* Lists whose cells do not follow each other at one stride: built
** ascending, interleaved with other objects, and an improper one. */
START_TEST(scattered_and_improper_lists_arrive_equal)
{
    Heap a;
    heap_init(&a);
    /* built front to back: each new cell is the tail of the one before */
    Term head = term_cons(&a, erl_mk_int(0), ERL_NIL), last = head;
    for (int i = 1; i < 5000; i++) {
        Term c = term_cons(&a, erl_mk_int(i), ERL_NIL);
        cons_ptr(last)[1] = c;
        last = c;
    }
    send_and_compare(&a, head);
    /* cells with floats and tuples allocated between them, heads mixed */
    Term l = ERL_NIL;
    for (int i = 0; i < 5000; i++) {
        Term f = term_float(&a, i + 0.5);
        Term hd = i % 7 == 0 ? f : i % 5 == 0 ? term_tuple(&a, 1, (Term[]){f}) : i % 3 ? erl_atom("x") : ERL_NIL;
        l = term_cons(&a, hd, l);
        if (i % 11 == 0)
            (void)term_tuple(&a, 3, (Term[]){ERL_NIL, ERL_NIL, ERL_NIL});
    }
    send_and_compare(&a, l);
    /* an improper list ending in a tuple, and one in an integer */
    Term t = term_tuple(&a, 2, (Term[]){erl_mk_int(1), erl_mk_int(2)});
    Term imp = t;
    for (int i = 0; i < 1000; i++)
        imp = term_cons(&a, erl_mk_int(i), imp);
    send_and_compare(&a, imp);
    Term imp2 = erl_mk_int(-1);
    for (int i = 0; i < 1000; i++)
        imp2 = term_cons(&a, erl_mk_int(i), imp2);
    send_and_compare(&a, imp2);
    heap_destroy(&a);
}
END_TEST

/* Nests far deeper than any C stack: a list of lists, a tuple of tuples,
** and the two alternating with list tails. */
START_TEST(deep_nests_arrive_equal)
{
    Heap a;
    heap_init(&a);
    Term l = erl_atom("x");
    for (int i = 0; i < 200000; i++)
        l = term_cons(&a, l, ERL_NIL);
    send_and_compare(&a, l);
    Term t = ERL_NIL;
    for (int i = 0; i < 100000; i++)
        t = term_tuple(&a, 2, (Term[]){erl_mk_int(i), t});
    send_and_compare(&a, t);
    Term m = ERL_NIL;
    for (int i = 0; i < 50000; i++)
        m = i % 2 ? term_cons(&a, m, term_cons(&a, erl_mk_int(i), ERL_NIL))
                  : term_tuple(&a, 1, (Term[]){m});
    send_and_compare(&a, m);
    heap_destroy(&a);
}
END_TEST

/* A subterm reached by several paths is copied once per path (as erl
** does): the copies are equal and apart, the block is term_size big. */
START_TEST(shared_subterms_are_copied_per_path)
{
    Heap a, to;
    heap_init(&a);
    heap_init(&to);
    Term x = int_list(&a, 1000);
    Term t = term_tuple(&a, 3, (Term[]){x, x, term_cons(&a, x, x)});
    ck_assert_uint_eq(term_size(t), 4 + 4 * 2000 + 2);
    send_and_compare(&a, t);
    Mailbox mb;
    mbox_init(&mb);
    ck_assert_uint_eq(mbox_put_checked(&mb, &to, &a, t), ERL_NONE);
    Term c = mb.head->term;
    ck_assert(erl_element(c, 1) != erl_element(c, 2));
    ck_assert(erl_eq(erl_element(c, 1), erl_element(c, 2)));
    /* a doubling chain: 2^12 paths to the innermost list */
    Term d = int_list(&a, 3);
    for (int i = 0; i < 12; i++)
        d = term_tuple(&a, 2, (Term[]){d, d});
    send_and_compare(&a, d);
    heap_destroy(&to);
    heap_destroy(&a);
}
END_TEST

/* A received big message, in its block, sent on (its cells are checked
** as a block's), arrives equal again. */
static Term forwarder(Term to)
{
    Term m = erl_receive();
    erl_send(to, m);
    return AM_ok;
}

static bool forwarded_ok;
static Term final_receiver(Term len)
{
    Term m = erl_receive();
    Term l = erl_element(m, 2);
    forwarded_ok = erl_list_length(l) == erl_int_value(len) && erl_hd(l) == erl_mk_int(1) &&
                   erl_element(m, 1) == erl_atom("tag");
    long i = 1;
    for (; erl_is_cons(l); l = erl_tl(l), i++)
        forwarded_ok = forwarded_ok && erl_hd(l) == erl_mk_int(i);
    return AM_ok;
}

START_TEST(received_big_message_sent_on_arrives_equal)
{
    Heap a;
    heap_init(&a);
    Term msg = term_tuple(&a, 2, (Term[]){erl_atom("tag"), int_list(&a, CELLS)});
    forwarded_ok = false;
    Term last = erl_spawn(final_receiver, erl_mk_int(CELLS));
    Term mid = erl_spawn(forwarder, last);
    bif_send(mid, msg);
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(mid));
    ck_assert_ptr_null(proc_find(last));
    ck_assert(forwarded_ok);
    heap_destroy(&a);
}
END_TEST

/* ------------------------------------------------------------ bad terms */

/* A fresh 65,536-cell list on h with one word replaced: the tail (or the
** head, when 'head') of cell 'at' becomes w. */
static Term spoiled_list(Heap *h, long at, bool head, Term w)
{
    Term l = int_list(h, CELLS);
    nth_cell(l, at)[head ? 0 : 1] = w;
    return l;
}

/* Each bad word, in the middle of a long list, is refused by the checked
** send with what term_check says (the same word), before anything is
** allocated on the receiver's heap. */
START_TEST(bad_word_mid_list_is_refused_as_term_check_refuses_it)
{
    Heap a, other, to;
    heap_init(&a);
    heap_init(&other);
    heap_init(&to);
    Term foreign = term_cons(&other, erl_mk_int(1), ERL_NIL);
    Term loose = int_list(&a, 3);
    Term tuple = term_tuple(&a, 2, (Term[]){AM_ok, AM_ok});
    struct {
        bool head;
        Term w;
        Term why; /* ERL_NONE: the word itself, as an integer */
    } cases[] = {
        {false, (Term)0x10, erl_mk_int(16)},                             /* a boxed pointer to nothing */
        {false, foreign, ERL_NONE},                                      /* a cell of another heap */
        {false, loose + 8, ERL_NONE},                                    /* inside a cell, not at its start */
        {false, (Term)(uintptr_t)cons_ptr(loose), ERL_NONE},             /* a cell tagged as a box */
        {true, tuple + 8, ERL_NONE},                                     /* inside a tuple */
        {true, ATOM_OF_INDEX(atom_count() + 77), ERL_NONE},              /* an atom that does not exist */
        {true, (Term)0x7ffffffff000 | ERL_TAG_CONS, ERL_NONE},           /* far outside any heap */
        {false, (Term)(uintptr_t)erl_box_ptr(tuple) | ERL_TAG_CONS, ERL_NONE}, /* a tuple tagged as a cell */
    };
    Mailbox mb;
    mbox_init(&mb);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Term l = spoiled_list(&a, 40000, cases[i].head, cases[i].w);
        Term msg = term_tuple(&a, 2, (Term[]){erl_atom("tag"), l});
        Term why = term_check(&a, msg);
        Term expect = cases[i].why != ERL_NONE ? cases[i].why : erl_mk_int((long)(cases[i].w & ERL_SMALL_MAX));
        ck_assert_msg(why == expect, "case %zu: term_check says %#lx", i, (unsigned long)why);
        ck_assert_uint_eq(mbox_put_checked(&mb, &to, &a, msg), why);
        ck_assert_uint_eq(mb.len, 0);
        ck_assert_uint_eq(to.used, 0);
    }
    /* a list whose last cell points back to its first: a cycle */
    Term cyc = int_list(&a, CELLS);
    nth_cell(cyc, CELLS - 1)[1] = cyc;
    ck_assert_uint_eq(term_check(&a, cyc), erl_atom("cycle"));
    ck_assert_uint_eq(mbox_put_checked(&mb, &to, &a, cyc), erl_atom("cycle"));
    /* a free slot of a page of cells, just past the newest cell */
    Term l = int_list(&a, CELLS);
    Term *newest = cons_ptr(term_cons(&a, ERL_NIL, ERL_NIL));
    size_t words;
    bool conservative;
    ck_assert_ptr_null(heap_object_of(&a, (uintptr_t)(newest + 2), &words, &conservative));
    nth_cell(l, 40000)[1] = cons_term(newest + 2);
    ck_assert_uint_eq(term_check(&a, l), erl_mk_int((long)(cons_term(newest + 2) & ERL_SMALL_MAX)));
    ck_assert_uint_eq(mbox_put_checked(&mb, &to, &a, l), term_check(&a, l));
    ck_assert_uint_eq(mb.len, 0);
    ck_assert_uint_eq(to.used, 0);
    heap_destroy(&to);
    heap_destroy(&other);
    heap_destroy(&a);
}
END_TEST

/* A process sending a long list with a bad tail in its middle ends with
** {badterm, erl_send, 16}; the receiver gets nothing. */
static Term bad_sender(Term to)
{
    Term l = ERL_NIL;
    for (long i = CELLS; i > 0; i--)
        l = erl_cons(erl_mk_int(i), l);
    nth_cell(l, CELLS / 2)[1] = (Term)0x10;
    erl_send(to, erl_tuple(erl_self(), l));
    return AM_ok;
}

static Term down_reason;
static bool receiver_got_something;
static Term watcher(Term to)
{
    Term pr = erl_spawn_monitor(bad_sender, to);
    Term down = erl_receive(); /* {'DOWN', Ref, process, Pid, Reason} */
    Term why = erl_element(down, 5);
    if (erl_element(down, 1) == erl_atom("DOWN") && erl_eq(erl_element(down, 2), erl_element(pr, 2)) &&
        erl_is_tuple(why) && erl_tuple_size(why) == 3 && erl_element(why, 1) == erl_atom("badterm") &&
        erl_element(why, 2) == erl_atom("erl_send"))
        down_reason = erl_element(why, 3);
    bif_send(to, erl_atom("stop"));
    return AM_ok;
}

static Term idle_receiver(void)
{
    Term m = erl_receive();
    receiver_got_something = m != erl_atom("stop");
    return AM_ok;
}

START_TEST(sender_of_bad_big_list_ends_with_badterm)
{
    down_reason = ERL_NONE;
    receiver_got_something = true;
    Term to = erl_spawn(idle_receiver);
    Term w = erl_spawn(watcher, to);
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(w));
    ck_assert_ptr_null(proc_find(to));
    ck_assert_uint_eq(down_reason, erl_mk_int(16));
    ck_assert(!receiver_got_something);
}
END_TEST

Suite *bigmsg_suite(void)
{
    Suite *s = suite_create("bigmsg");
    TCase *tc = tcase_create("bigmsg");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, big_list_arrives_equal_in_one_block);
    tcase_add_test(tc, scattered_and_improper_lists_arrive_equal);
    tcase_add_test(tc, deep_nests_arrive_equal);
    tcase_add_test(tc, shared_subterms_are_copied_per_path);
    tcase_add_test(tc, received_big_message_sent_on_arrives_equal);
    tcase_add_test(tc, bad_word_mid_list_is_refused_as_term_check_refuses_it);
    tcase_add_test(tc, sender_of_bad_big_list_ends_with_badterm);
    suite_add_tcase(s, tc);
    return s;
}
