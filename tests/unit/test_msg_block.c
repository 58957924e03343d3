/*
** test_msg_block.c
** Messages copied into one block on the receiver's heap: the copy equals
** the original for every kind of term, survives the receiver's collections
** while queued and after it is received, can be sent on, and its memory
** comes back when it is dropped.
*/
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "support.h"
#include "../../runtime/bif.h"
#include "../../runtime/bignum.h"
#include "../../runtime/bits.h"
#include "../../runtime/code.h"
#include "../../runtime/gc.h"
#include "../../runtime/map.h"
#include "../../runtime/node.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

static void setup(void)
{
    support_start_runtime();
}

/* ------------------------------------------------------------ fixtures */

static const char closure_src[] =
    "#include <cerl.h>\n"
    "MODULE(mblk1);\n"
    "EXPORT(make/2);\n"
    "static Term add(Term X, Term N, Term L) { return erl_add(X, erl_add(N, erl_mk_int(erl_list_length(L)))); }\n"
    "Term make(Term N, Term L) { return erl_mk_closure(add, 1, N, L); }\n";

/* A closure of module mblk1 capturing N and the list L: F(X) is X + N + length(L). */
static Term closure(Term n, Term l)
{
    static bool loaded;
    if (!loaded) {
        support_compile_module("mblk1", closure_src);
        support_load("mblk1");
        loaded = true;
    }
    return erl_call(mblk1, make, n, l);
}

/* A list of n integers from 1, on h. */
static Term int_list(Heap *h, long n)
{
    Term l = ERL_NIL;
    for (long i = n; i > 0; i--)
        l = term_cons(h, erl_mk_int(i), l);
    return l;
}

/* [[[...[x]...]]] nested 'depth' deep, on h. */
static Term nested(Heap *h, int depth)
{
    Term t = erl_atom("x");
    for (int i = 0; i < depth; i++)
        t = term_cons(h, t, ERL_NIL);
    return t;
}

/* A map of n keys k => {k, "k"}, on h. */
static Term big_map(Heap *h, int n)
{
    Term m = map_new(h);
    for (int i = 0; i < n; i++) {
        char s[16];
        snprintf(s, sizeof s, "v%d", i);
        Term v = term_tuple(h, 2, (Term[]){erl_mk_int(i), term_string(h, s, strlen(s))});
        m = map_put(h, m, erl_mk_int(i * 7919), v);
    }
    return m;
}

static unsigned char bytes[4000];

/* The term with one of every kind (but funs) that a message may hold, on h;
** *offheap is its off-heap binary. */
static Term every_kind(Heap *h, Term *offheap)
{
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 31);
    Term bin = bits_make(h, bytes, 8 * sizeof bytes);
    *offheap = bin;
    Term big = int_from_chars(h, "123456789012345678901234567890123456789", 39, 10);
    Term elems[] = {
        int_list(h, 1000),
        nested(h, 5000),
        big_map(h, 40),
        big_map(h, 5),
        big,
        erl_neg(big),
        term_float(h, 2.5),
        bits_make(h, "short", 40),
        bits_make(h, "bits", 29),
        bin,
        bits_sub(h, bin, 8 * 100, 8 * 300),
        bits_sub(h, bin, 8 * 3, 8 * 5),
        node_pid(h, erl_atom("other@host"), 42, 7, 3),
        node_ref(h, erl_atom("other@host"), 3, 3, (uint32_t[]){1, 2, 3}),
        term_make_ref(h),
        pid_make(12),
        term_cons(h, erl_mk_int(1), erl_mk_int(2)), /* improper */
        term_tuple(h, 0, NULL),
        erl_atom("an_atom"),
        ERL_NIL,
    };
    Term shared = term_tuple(h, 2, (Term[]){erl_atom("shared"), int_list(h, 10)});
    Term l = ERL_NIL;
    for (int i = (int)(sizeof elems / sizeof *elems); i-- > 0;)
        l = term_cons(h, elems[i], l);
    /* the same subterm twice: erl copies it twice, and so does cerl */
    return term_tuple(h, 3, (Term[]){l, shared, shared});
}

/* ----------------------------------------------- the receiving process */

/* What the receiver saw, for the test to assert on. */
static struct {
    Term expect;         /* the original, on the test's heap */
    bool equal_queued;   /* the queued copy equalled it after collections */
    bool equal_received; /* ... and after being received, more collections */
    bool on_own_heap;    /* the copy is an object of the receiver's heap */
    size_t words_queued, words_dropped, words_before;
    Term forward_to;     /* when not ERL_NONE, the copy is sent on there */
} seen;

/* Makes garbage and collects, n times. */
static void churn(int n)
{
    for (int i = 0; i < n; i++) {
        Term junk = ERL_NIL;
        for (int k = 0; k < 2000; k++)
            junk = erl_cons(erl_tuple(erl_mk_int(k), erl_mk_float(k)), junk);
        (void)junk;
        gc_collect(proc_current(), NULL, 0);
    }
}

static int is_go(Term msg, void *ctx)
{
    return msg == erl_atom("go");
}

/* Receives the message and checks it; noinline so that no reference to it
** stays in the caller's frame. */
static __attribute__((noinline)) void take_and_check(Proc *self)
{
    Term msg = erl_receive();
    size_t w;
    bool cons;
    uintptr_t at = erl_is_cons(msg) ? (uintptr_t)cons_ptr(msg) : (uintptr_t)msg;
    seen.on_own_heap = heap_object_of(&self->heap, at, &w, &cons) != NULL;
    churn(3);
    seen.equal_received = erl_eq(msg, seen.expect) != 0;
    if (seen.forward_to != ERL_NONE)
        erl_send(seen.forward_to, msg);
}

/* Waits for 'go' (the message of interest already queued before it), checks
** the queued copy through collections, receives it, checks it again, drops
** it, collects. */
static Term receiver(void)
{
    Proc *self = proc_current();
    seen.words_before = self->heap.words;
    erl_receive_match(is_go, NULL, -1);
    seen.words_queued = self->heap.words;
    churn(3);
    seen.equal_queued = erl_eq(self->mbox.head->term, seen.expect) != 0;
    take_and_check(self);
    churn(2);
    seen.words_dropped = self->heap.words;
    erl_receive(); /* stop */
    return AM_ok;
}

/* Receives one message and says whether it equals seen.expect. */
static bool forwarded_equal;
static Term sink(void)
{
    Term msg = erl_receive();
    churn(2);
    forwarded_equal = erl_eq(msg, seen.expect) != 0;
    return AM_ok;
}

/* Sends msg from the test (bif_send: no check) to a fresh receiver. */
static Term deliver_from_outside(Term msg)
{
    Term pid = erl_spawn(receiver);
    sched_run_until_idle(); /* waiting for go */
    bif_send(pid, msg);
    bif_send(pid, erl_atom("go"));
    sched_run_until_idle();
    return pid;
}

static void stop(Term pid)
{
    bif_send(pid, erl_atom("stop"));
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(pid));
}

/* ---------------------------------------------------------------- tests */

START_TEST(copied_message_of_every_kind_equals_original_through_collections)
{
    Heap h;
    heap_init(&h);
    Term offheap;
    memset(&seen, 0, sizeof seen);
    seen.expect = every_kind(&h, &offheap);
    long refc = bits_refc(offheap);
    Term pid = deliver_from_outside(seen.expect);
    ck_assert(seen.equal_queued);
    ck_assert(seen.equal_received);
    ck_assert(seen.on_own_heap);
    /* the off-heap bytes are shared, counted, not copied: the binary and its
    ** two sub-binaries each hold them once more in the receiver (its
    ** handles were dropped with the message and collected) */
    ck_assert_int_eq(bits_refc(offheap), refc);
    stop(pid);
    ck_assert_int_eq(bits_refc(offheap), refc);
    heap_destroy(&h);
}
END_TEST

/* A process holding a message: shows the off-heap count while it holds it. */
static long refc_held;
static Term offheap_seen;
static Term holder(void)
{
    Term msg = erl_receive();
    churn(2);
    refc_held = bits_refc(offheap_seen);
    Term again = erl_receive(); /* stop */
    return erl_eq(msg, again) ? AM_ok : AM_error;
}

START_TEST(offheap_binaries_in_a_message_are_counted_not_copied)
{
    Heap h;
    heap_init(&h);
    Term offheap;
    Term t = every_kind(&h, &offheap);
    offheap_seen = offheap;
    long refc = bits_refc(offheap);
    Term pid = erl_spawn(holder);
    bif_send(pid, t);
    sched_run_until_idle();
    ck_assert_int_eq(refc_held, refc + 3); /* the binary and two sub-binaries */
    bif_send(pid, erl_atom("stop"));
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(pid));
    ck_assert_int_eq(bits_refc(offheap), refc);
    heap_destroy(&h);
}
END_TEST

START_TEST(dropped_big_message_gives_its_heap_words_back)
{
    Heap h;
    heap_init(&h);
    memset(&seen, 0, sizeof seen);
    seen.expect = int_list(&h, 65536); /* 1 MB of cells */
    Term pid = deliver_from_outside(seen.expect);
    ck_assert(seen.equal_queued && seen.equal_received);
    ck_assert_uint_ge(seen.words_queued, seen.words_before + 2 * 65536);
    ck_assert_msg(seen.words_dropped < seen.words_before + 65536, "heap %zu words after dropping, %zu before",
                  seen.words_dropped, seen.words_before);
    stop(pid);
    heap_destroy(&h);
}
END_TEST

START_TEST(closure_with_captured_terms_arrives_and_applies)
{
    Heap h;
    heap_init(&h);
    memset(&seen, 0, sizeof seen);
    Term f = closure(erl_mk_int(100), erl_list(erl_mk_int(1), erl_mk_int(2), erl_mk_int(3)));
    seen.expect = term_tuple(&h, 2, (Term[]){f, big_map(&h, 40)});
    Term pid = deliver_from_outside(seen.expect);
    ck_assert(seen.equal_queued && seen.equal_received);
    stop(pid);
    ck_assert(erl_apply(f, erl_list(erl_mk_int(1))) == erl_mk_int(104));
    heap_destroy(&h);
}
END_TEST

/* Builds every kind of term on its own heap, sends it with erl_send (which
** checks it), and waits until told the receiver has looked. */
static Term sender(Term to)
{
    Term off;
    Term t = every_kind(heap_current(), &off);
    seen.expect = t;
    erl_send(to, t);
    erl_receive(); /* done */
    return AM_ok;
}

START_TEST(message_sent_by_module_code_arrives_equal)
{
    memset(&seen, 0, sizeof seen);
    forwarded_equal = false;
    Term to = erl_spawn(sink);
    Term from = erl_spawn(sender, to);
    sched_run_until_idle();
    ck_assert(forwarded_equal);
    ck_assert_ptr_null(proc_find(to));
    bif_send(from, erl_atom("done"));
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(from));
}
END_TEST

/* A message received, then sent on with erl_send: its terms, inside the
** block, pass the send's check and arrive equal. */
START_TEST(received_message_sent_on_arrives_equal)
{
    Heap h;
    heap_init(&h);
    Term offheap;
    memset(&seen, 0, sizeof seen);
    seen.expect = every_kind(&h, &offheap);
    Term to = erl_spawn(sink);
    seen.forward_to = to;
    forwarded_equal = false;
    Term pid = deliver_from_outside(seen.expect);
    ck_assert(seen.equal_received);
    ck_assert(forwarded_equal);
    ck_assert_ptr_null(proc_find(to)); /* it got it, and ended normally */
    stop(pid);
    heap_destroy(&h);
}
END_TEST

/* A process sending itself a big term while collections run. */
static bool self_equal;
static Term self_sender(void)
{
    Term l = erl_tuple(erl_list(erl_mk_int(1)), ERL_NIL);
    for (int i = 0; i < 20000; i++)
        l = erl_cons(erl_tuple(erl_mk_int(i), erl_mk_float(i)), l);
    for (int i = 0; i < 5; i++) {
        erl_send(erl_self(), l);
        churn(1);
    }
    self_equal = true;
    for (int i = 0; i < 5; i++) {
        Term m = erl_receive();
        churn(1);
        self_equal = self_equal && erl_eq(m, l);
    }
    return AM_ok;
}

START_TEST(messages_to_self_survive_collections)
{
    self_equal = false;
    Term pid = erl_spawn(self_sender);
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(pid));
    ck_assert(self_equal);
}
END_TEST

/* The copy is one heap object: every object of it, however deep, is found
** in the block that holds the first, sized as term_size counts. */
START_TEST(message_copy_is_one_block_on_the_receivers_heap)
{
    Heap from, to;
    heap_init(&from);
    heap_init(&to);
    Term off;
    Term t = every_kind(&from, &off);
    Mailbox mb;
    mbox_init(&mb);
    mbox_put(&mb, &to, t);
    Term copy = mb.head->term;
    ck_assert(erl_eq(copy, t));
    size_t words;
    bool cons;
    Term *block = heap_object_of(&to, (uintptr_t)copy, &words, &cons);
    ck_assert_ptr_nonnull(block);
    ck_assert_uint_eq(block[0] & 0xff, TERM_BOX_BLOCK);
    /* deep inside: the last cell of the nested list */
    Term deep = erl_hd(erl_tl(erl_element(copy, 1)));
    while (erl_is_cons(deep) && erl_is_cons(erl_hd(deep)))
        deep = erl_hd(deep);
    ck_assert_ptr_eq(heap_object_of(&to, (uintptr_t)cons_ptr(deep), &words, &cons), block);
    ck_assert_uint_eq(term_size(t), block[0] >> 8);
    heap_destroy(&to);
    heap_destroy(&from);
}
END_TEST

/* Keeps the first message it gets, drops the next ones (big), then
** collects and records its heap's size. */
static size_t kept_words;
static bool kept_equal;
static __attribute__((noinline)) void drop(long n)
{
    for (long i = 0; i < n; i++)
        erl_receive();
}

static Term keep_first(Term n)
{
    Term first = erl_receive();
    Term copy_first = erl_tuple(erl_element(first, 1), erl_element(first, 2));
    drop(erl_int_value(n));
    churn(2);
    kept_words = proc_current()->heap.words;
    kept_equal = erl_eq(first, copy_first) != 0;
    return AM_ok;
}

/* A message kept after it was received keeps its own block only, never the
** messages queued after it. */
START_TEST(kept_message_does_not_keep_later_ones)
{
    Heap h;
    heap_init(&h);
    Term big = int_list(&h, 20000); /* 320 KB each */
    Term pid = erl_spawn(keep_first, erl_mk_int(20));
    bif_send(pid, term_tuple(&h, 2, (Term[]){erl_atom("first"), int_list(&h, 3)}));
    for (int i = 0; i < 20; i++)
        bif_send(pid, big);
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(pid));
    ck_assert(kept_equal);
    ck_assert_msg(kept_words * sizeof(Term) < 2 * 320000, "heap %zu bytes", kept_words * sizeof(Term));
    heap_destroy(&h);
}
END_TEST

/* A bad term sent by module code is refused with what term_check says of
** it, and nothing is queued: the block's sizing walk checks as it goes. */
START_TEST(bad_terms_are_refused_as_term_check_refuses_them)
{
    Heap h, other, to;
    heap_init(&h);
    heap_init(&other);
    heap_init(&to);
    Term bad = (Term)0x10, no_atom = ATOM_OF_INDEX(atom_count() + 1000);
    Term cyc = term_cons(&h, AM_ok, term_cons(&h, AM_ok, ERL_NIL));
    cons_ptr(erl_tl(cyc))[1] = cyc;
    Term self = term_tuple(&h, 2, (Term[]){AM_ok, AM_ok});
    erl_box_ptr(self)[2] = self;
    Term big = term_tuple(&h, 3, (Term[]){AM_ok, AM_ok, AM_ok});
    Term cases[] = {
        term_tuple(&h, 2, (Term[]){AM_ok, bad}),
        term_cons(&h, bad, term_cons(&h, AM_ok, ERL_NIL)),        /* bad head, tail a cell */
        term_cons(&h, AM_ok, term_cons(&h, AM_ok, bad)),          /* bad last tail */
        term_cons(&h, no_atom, bad),                              /* both bad: the tail is told */
        term_cons(&h, term_tuple(&h, 1, (Term[]){AM_ok}), no_atom),
        term_cons(&h, term_tuple(&other, 1, (Term[]){AM_ok}), ERL_NIL),
        term_cons(&h, big + 8, ERL_NIL),
        cyc,
        term_cons(&h, self, ERL_NIL),
    };
    Mailbox mb;
    mbox_init(&mb);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Term why = term_check(&h, cases[i]);
        ck_assert_uint_ne(why, ERL_NONE);
        ck_assert_uint_eq(mbox_put_checked(&mb, &to, &h, cases[i]), why);
        ck_assert_uint_eq(mb.len, 0);
    }
    ck_assert_uint_eq(to.used, 0); /* nothing was allocated for them */
    /* and a sound one goes through */
    Term good = term_cons(&h, term_tuple(&h, 1, (Term[]){AM_ok}), term_cons(&h, erl_mk_int(1), ERL_NIL));
    ck_assert_uint_eq(mbox_put_checked(&mb, &to, &h, good), ERL_NONE);
    ck_assert_uint_eq(mb.len, 1);
    ck_assert(erl_eq(mb.head->term, good));
    heap_destroy(&to);
    heap_destroy(&other);
    heap_destroy(&h);
}
END_TEST

Suite *msg_block_suite(void)
{
    Suite *s = suite_create("msg_block");
    TCase *tc = tcase_create("msg_block");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, copied_message_of_every_kind_equals_original_through_collections);
    tcase_add_test(tc, offheap_binaries_in_a_message_are_counted_not_copied);
    tcase_add_test(tc, dropped_big_message_gives_its_heap_words_back);
    tcase_add_test(tc, closure_with_captured_terms_arrives_and_applies);
    tcase_add_test(tc, message_sent_by_module_code_arrives_equal);
    tcase_add_test(tc, received_message_sent_on_arrives_equal);
    tcase_add_test(tc, messages_to_self_survive_collections);
    tcase_add_test(tc, message_copy_is_one_block_on_the_receivers_heap);
    tcase_add_test(tc, kept_message_does_not_keep_later_ones);
    tcase_add_test(tc, bad_terms_are_refused_as_term_check_refuses_them);
    suite_add_tcase(s, tc);
    return s;
}
