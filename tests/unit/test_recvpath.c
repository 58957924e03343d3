/*
** test_recvpath.c
** The receive path kept exact while it got fast (issue 15): messages keep
** their order over long queues and across the small-message fast path and
** the general copy; a selective receive skips over many queued messages
** and leaves them queued, in order; message_queue_len follows the queue; a
** receiver that collects while messages wait keeps them intact; the fast
** path checks module terms exactly as the general copy does.
*/
#include <check.h>
#include <string.h>

#include "support.h"
#include "../../runtime/bif.h"
#include "../../runtime/gc.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

static void setup(void)
{
    support_start_runtime();
}

enum { MANY = 100000 };

/* The i-th message of a stream that mixes every copy path: a small
** immediate, a flat tuple ({msg, I}: the fast path), a tuple with a list
** inside (the general block copy), a flat tuple too big for the fast path. */
static Term nth_message(long i)
{
    switch (i % 4) {
    case 0:
        return erl_mk_int(i);
    case 1:
        return erl_tuple(ATOM(msg), erl_mk_int(i));
    case 2:
        return erl_tuple(ATOM(msg), erl_mk_int(i), erl_list(erl_mk_int(i), ATOM(x)));
    default:
        return erl_tuple_n(9, (Term[]){ATOM(msg), erl_mk_int(i), ATOM(a), ATOM(b), ATOM(c), ATOM(d), ATOM(e),
                                       ATOM(f), ATOM(g)});
    }
}

/* Whether msg is nth_message(i). */
static bool is_nth(Term msg, long i)
{
    return erl_eq(msg, nth_message(i)) != 0;
}

/* =============================================================== order */

static long in_order;

static Term ordered_sink(Term n)
{
    long count = erl_int_value(n);
    in_order = 0;
    for (long i = 0; i < count; i++)
        if (is_nth(erl_receive(), i))
            in_order++;
    return ATOM(ok);
}

static Term stream_sender(Term to, Term n)
{
    for (long i = 0; i < erl_int_value(n); i++)
        erl_send(to, nth_message(i)); /* yields every SEND_BUDGET sends */
    return ATOM(ok);
}

START_TEST(order_is_kept_over_100k_messages_of_every_copy_path)
{
    Term sink = erl_spawn(ordered_sink, erl_mk_int(MANY));
    erl_spawn(stream_sender, sink, erl_mk_int(MANY));
    sched_run_until_idle();
    ck_assert_int_eq(in_order, MANY);
    ck_assert_ptr_null(proc_find(sink));
}
END_TEST

/* ================================================== selective receive */

static long len_before, len_after, rest_in_order;
static bool got_wanted;

static int is_wanted(Term msg, void *ctx)
{
    return erl_is_tuple(msg) && erl_tuple_size(msg) == 2 && erl_element(msg, 1) == ATOM(wanted);
}

static long queue_len(Term pid)
{
    Term info = erl_call(erlang, process_info, pid, ATOM(message_queue_len));
    return erl_int_value(erl_element(info, 2));
}

/* Waits until its queue holds n messages and {wanted, n}, takes that one
** from behind all the others, then the others in order. */
static Term picky(Term n)
{
    long count = erl_int_value(n);
    while (proc_current()->mbox.len < (size_t)count + 1)
        erl_yield();
    len_before = queue_len(erl_self());
    Term w = erl_receive_match(is_wanted, NULL, -1);
    got_wanted = erl_element(w, 2) == n;
    len_after = queue_len(erl_self());
    rest_in_order = 0;
    for (long i = 0; i < count; i++)
        if (is_nth(erl_receive(), i))
            rest_in_order++;
    return ATOM(ok);
}

static Term stream_then_wanted(Term to, Term n)
{
    stream_sender(to, n);
    erl_send(to, erl_tuple(ATOM(wanted), n));
    return ATOM(ok);
}

START_TEST(selective_receive_skips_many_queued_messages_and_keeps_them_in_order)
{
    enum { QUEUED = 20000 };
    Term pid = erl_spawn(picky, erl_mk_int(QUEUED));
    erl_spawn(stream_then_wanted, pid, erl_mk_int(QUEUED));
    sched_run_until_idle();
    ck_assert_int_eq(len_before, QUEUED + 1);
    ck_assert(got_wanted);
    ck_assert_int_eq(len_after, QUEUED);
    ck_assert_int_eq(rest_in_order, QUEUED);
}
END_TEST

/* ================================================== message_queue_len */

static int is_go(Term msg, void *ctx)
{
    return msg == ATOM(go);
}

/* Takes go (from behind everything else), then 400 messages, then waits
** for go again. */
static Term takes_on_go(void)
{
    erl_receive_match(is_go, NULL, -1);
    for (int i = 0; i < 400; i++)
        erl_receive();
    erl_receive_match(is_go, NULL, -1);
    return ATOM(ok);
}

static long lens[4];

/* Yields until pid waits in receive. */
static void until_waiting(Term pid)
{
    Proc *p;
    while ((p = proc_find(pid)) && p->state != PS_WAITING)
        erl_yield();
}

static Term counter(Term pid)
{
    until_waiting(pid);
    lens[0] = queue_len(pid);
    for (long i = 0; i < 1000; i++)
        erl_send(pid, nth_message(i));
    lens[1] = queue_len(pid);
    erl_send(pid, ATOM(go));
    lens[2] = queue_len(pid);
    until_waiting(pid); /* it took go and 400 */
    lens[3] = queue_len(pid);
    erl_send(pid, ATOM(go));
    return ATOM(ok);
}

START_TEST(message_queue_len_follows_sends_and_receives)
{
    Term pid = erl_spawn(takes_on_go);
    erl_spawn(counter, pid);
    sched_run_until_idle();
    ck_assert_int_eq(lens[0], 0);
    ck_assert_int_eq(lens[1], 1000);
    ck_assert_int_eq(lens[2], 1001);
    ck_assert_int_eq(lens[3], 600);
    ck_assert_ptr_null(proc_find(pid));
}
END_TEST

/* =========================================== collecting while queued */

static long intact;
static size_t heap_words_queued;
static long collections_queued;

/* Waits until n messages are queued, collects its heap over and over
** (the queued terms are roots only through the queue), then receives
** them all and compares. */
static Term collector(Term n)
{
    long count = erl_int_value(n);
    Proc *self = proc_current();
    while (self->mbox.len < (size_t)count)
        erl_yield();
    uint64_t before = self->heap.collections;
    for (int i = 0; i < 3; i++)
        gc_collect(self, NULL, 0);
    /* and a heap that must grow while they are queued: garbage of its own */
    for (int i = 0; i < 20000; i++)
        erl_tuple(erl_mk_int(i), erl_mk_int(i));
    gc_collect(self, NULL, 0);
    collections_queued = (long)(self->heap.collections - before);
    heap_words_queued = (size_t)erl_int_value(
        erl_element(erl_call(erlang, process_info, erl_self(), ATOM(total_heap_size)), 2));
    intact = 0;
    for (long i = 0; i < count; i++)
        if (is_nth(erl_receive(), i))
            intact++;
    return ATOM(ok);
}

START_TEST(a_receiver_collecting_while_messages_wait_keeps_them_intact)
{
    enum { QUEUED = 30000 };
    Term pid = erl_spawn(collector, erl_mk_int(QUEUED));
    erl_spawn(stream_sender, pid, erl_mk_int(QUEUED));
    sched_run_until_idle();
    ck_assert_int_ge(collections_queued, 4);
    ck_assert_int_eq(intact, QUEUED);
    /* the queued copies are on its heap, and counted: a quarter of them
    ** are {msg, I} blocks of 4 words, a quarter 7 words or more */
    ck_assert_uint_ge(heap_words_queued, (size_t)QUEUED / 4 * (4 + 7));
}
END_TEST

/* A message kept after it was received keeps nothing of the queue that
** followed it: its node went back to the pool. */
static size_t kept_words, dropped_words;
static bool kept_equal;

static __attribute__((noinline)) void drop_all(long n)
{
    for (long i = 0; i < n; i++)
        erl_receive();
}

static Term keeper(Term n)
{
    long count = erl_int_value(n);
    Proc *self = proc_current();
    while (self->mbox.len < (size_t)count)
        erl_yield();
    gc_collect(self, NULL, 0);
    dropped_words = self->heap.used; /* all of them queued */
    Term first = erl_receive();
    drop_all(count - 1);
    gc_collect(self, NULL, 0);
    kept_words = self->heap.used;
    kept_equal = is_nth(first, 0);
    return ATOM(ok);
}

static Term tuple_sender(Term to, Term n)
{
    for (long i = 0; i < erl_int_value(n); i++)
        erl_send(to, erl_tuple(ATOM(msg), erl_mk_int(i), erl_list(erl_mk_int(i), ATOM(x))));
    return ATOM(ok);
}

START_TEST(a_message_kept_after_receive_keeps_nothing_of_the_queue)
{
    enum { QUEUED = 20000 };
    Term pid = erl_spawn(keeper, erl_mk_int(QUEUED));
    erl_spawn(tuple_sender, pid, erl_mk_int(QUEUED));
    sched_run_until_idle();
    ck_assert_uint_ge(dropped_words, (size_t)QUEUED * 8);
    ck_assert_uint_lt(kept_words, dropped_words / 100);
}
END_TEST

/* Small messages share blocks of the receiver's heap. A collection that
** frees a shared block (none of its messages kept) must not let the next
** message be written into it: the receiver's own objects of that size
** reuse the memory at once. */
static long own_intact, acked_intact;
enum { ROUNDS = 300 };

/* Receives message i and drops it; noinline, so that no reference to it
** stays in the caller's frame. */
static __attribute__((noinline)) bool take_small(long i)
{
    return erl_eq(erl_receive(), erl_tuple(ATOM(msg), erl_mk_int(i))) != 0;
}

/* A list of 'copies' tuples of a shared block's size, each {I, [], ...}. */
static __attribute__((noinline)) Term add_blocks_of_own(Term own, long i, int copies)
{
    Term fill[MBOX_BATCH_WORDS - 1];
    fill[0] = erl_mk_int(i);
    for (int k = 1; k < MBOX_BATCH_WORDS - 1; k++)
        fill[k] = ERL_NIL;
    for (int c = 0; c < copies; c++)
        own = erl_cons(erl_tuple_n(MBOX_BATCH_WORDS - 1, fill), own);
    return own;
}

enum { COPIES = 4 };

static Term batch_receiver(Term sender)
{
    Proc *self = proc_current();
    Term own = ERL_NIL;
    acked_intact = 0;
    for (long i = 0; i < ROUNDS; i++) {
        acked_intact += take_small(i);
        gc_collect(self, NULL, 0);
        /* objects of a shared block's size, on memory just freed */
        own = add_blocks_of_own(own, i, COPIES);
        erl_send(sender, ATOM(ack));
    }
    own_intact = 0;
    for (long n = ROUNDS * COPIES - 1; erl_is_cons(own); n--, own = erl_tl(own)) {
        long i = n / COPIES;
        Term big = erl_hd(own);
        bool ok = erl_tuple_size(big) == MBOX_BATCH_WORDS - 1 && erl_element(big, 1) == erl_mk_int(i);
        for (int k = 2; ok && k <= MBOX_BATCH_WORDS - 1; k++)
            ok = erl_element(big, k) == ERL_NIL;
        own_intact += ok;
    }
    return ATOM(ok);
}

static Term acked_sender(void)
{
    Term to = erl_spawn(batch_receiver, erl_self());
    for (long i = 0; i < ROUNDS; i++) {
        erl_send(to, erl_tuple(ATOM(msg), erl_mk_int(i)));
        erl_receive(); /* ack */
    }
    return ATOM(ok);
}

START_TEST(a_collection_between_small_messages_never_writes_into_a_freed_block)
{
    erl_spawn(acked_sender);
    sched_run_until_idle();
    ck_assert_int_eq(acked_intact, ROUNDS);
    ck_assert_int_eq(own_intact, ROUNDS * COPIES);
}
END_TEST

/* A small message kept keeps its shared block and no more. */
static size_t one_kept_words;
static bool one_kept_equal;

static Term keep_one_of_many(Term n)
{
    long count = erl_int_value(n);
    Proc *self = proc_current();
    while (self->mbox.len < (size_t)count)
        erl_yield();
    drop_all(count / 2);
    Term kept = erl_receive();
    drop_all(count - count / 2 - 1);
    gc_collect(self, NULL, 0);
    one_kept_words = self->heap.used;
    one_kept_equal = erl_eq(kept, erl_tuple(ATOM(msg), erl_mk_int(count / 2))) != 0;
    return ATOM(ok);
}

static Term flat_sender(Term to, Term n)
{
    for (long i = 0; i < erl_int_value(n); i++)
        erl_send(to, erl_tuple(ATOM(msg), erl_mk_int(i)));
    return ATOM(ok);
}

START_TEST(a_small_message_kept_keeps_its_shared_block_and_no_more)
{
    Term pid = erl_spawn(keep_one_of_many, erl_mk_int(10000));
    erl_spawn(flat_sender, pid, erl_mk_int(10000));
    sched_run_until_idle();
    ck_assert(one_kept_equal);
    /* its block, and the little the process holds besides */
    ck_assert_uint_le(one_kept_words, MBOX_BATCH_WORDS + 64);
}
END_TEST

/* ===================================== the fast path checks exactly */

/* Flat tuples of module code that the fast path must not take on trust:
** each is refused with what term_check says, and nothing is queued. */
START_TEST(flat_tuples_that_are_not_sound_are_refused_as_the_general_copy_does)
{
    Heap from, other, to;
    heap_init(&from);
    heap_init(&other);
    heap_init(&to);
    Term no_atom = ((Term)0xfffffff << 3) | ERL_TAG_ATOM;
    Term good = term_tuple(&from, 2, (Term[]){ATOM(msg), erl_mk_int(1)});
    Term *raw = heap_alloc(&from, 4);
    raw[0] = box_header(9, ERL_BOX_TUPLE); /* claims more than its slot */
    raw[1] = raw[2] = raw[3] = ERL_NIL;
    Term cases[] = {
        term_tuple(&from, 2, (Term[]){ATOM(msg), no_atom}),  /* an atom that does not exist */
        term_tuple(&other, 2, (Term[]){ATOM(msg), ATOM(x)}), /* another heap's tuple */
        good + 8,                                           /* inside an object */
        (Term)(uintptr_t)raw,                               /* a header bigger than its slot */
        term_tuple(&from, 2, (Term[]){ATOM(msg), 0x1e}),     /* a word that is no term */
    };
    Mailbox mb;
    mbox_init(&mb);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Term why = term_check(&from, cases[i]);
        ck_assert_uint_ne(why, ERL_NONE);
        ck_assert_uint_eq(mbox_put_checked(&mb, &to, &from, cases[i]), why);
        ck_assert_uint_eq(mb.len, 0);
    }
    ck_assert_uint_eq(to.used, 0);
    /* a sound one is queued, a copy in a block of its own */
    ck_assert_uint_eq(mbox_put_checked(&mb, &to, &from, good), ERL_NONE);
    ck_assert_uint_eq(mb.len, 1);
    ck_assert(erl_eq(mb.head->term, good));
    ck_assert(mb.head->term != good);
    size_t words;
    bool cons;
    Term *block = heap_object_of(&to, (uintptr_t)mb.head->term, &words, &cons);
    ck_assert_ptr_nonnull(block);
    ck_assert_uint_eq(block[0] & 0xff, TERM_BOX_BLOCK);
    ck_assert_ptr_eq(block + 1, erl_box_ptr(mb.head->term)); /* the first in its shared block */
    ck_assert(erl_eq(mbox_take(&mb, &mb.head), good));
    ck_assert_uint_eq(mb.len, 0);
    ck_assert_ptr_eq(mb.tail, &mb.head);
    heap_destroy(&to);
    heap_destroy(&other);
    heap_destroy(&from);
}
END_TEST

/* The queue's numbers: a scan that lost its place finds it again. */
START_TEST(a_scan_finds_its_place_again_by_arrival_number)
{
    Heap to;
    heap_init(&to);
    Mailbox mb;
    mbox_init(&mb);
    for (long i = 0; i < 5; i++)
        mbox_put(&mb, &to, erl_mk_int(i));
    /* take 1 and 2 (a nested receive would): from 1 on, 3 comes next */
    Msg **l1 = &mb.head->next;
    ck_assert(mbox_take(&mb, l1) == erl_mk_int(1));
    ck_assert(mbox_take(&mb, l1) == erl_mk_int(2));
    ck_assert((*mbox_link_from(&mb, 1))->term == erl_mk_int(3));
    ck_assert((*mbox_link_from(&mb, 0))->term == erl_mk_int(0));
    ck_assert_ptr_null(*mbox_link_from(&mb, 5));
    /* the last one taken: what arrives later is appended where it was */
    Msg **last = mbox_link_from(&mb, 4);
    ck_assert(mbox_take(&mb, last) == erl_mk_int(4));
    mbox_put(&mb, &to, erl_mk_int(5));
    ck_assert((*mbox_link_from(&mb, 4))->term == erl_mk_int(5));
    ck_assert_uint_eq(mb.len, 3);
    mbox_clear(&mb);
    ck_assert_uint_eq(mb.len, 0);
    ck_assert_ptr_null(mb.head);
    heap_destroy(&to);
}
END_TEST

Suite *recvpath_suite(void)
{
    Suite *s = suite_create("recvpath");
    TCase *tc = tcase_create("recvpath");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, order_is_kept_over_100k_messages_of_every_copy_path);
    tcase_add_test(tc, selective_receive_skips_many_queued_messages_and_keeps_them_in_order);
    tcase_add_test(tc, message_queue_len_follows_sends_and_receives);
    tcase_add_test(tc, a_receiver_collecting_while_messages_wait_keeps_them_intact);
    tcase_add_test(tc, a_message_kept_after_receive_keeps_nothing_of_the_queue);
    tcase_add_test(tc, a_collection_between_small_messages_never_writes_into_a_freed_block);
    tcase_add_test(tc, a_small_message_kept_keeps_its_shared_block_and_no_more);
    tcase_add_test(tc, flat_tuples_that_are_not_sound_are_refused_as_the_general_copy_does);
    tcase_add_test(tc, a_scan_finds_its_place_again_by_arrival_number);
    suite_add_tcase(s, tc);
    return s;
}
