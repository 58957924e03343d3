/*
** test_bits.c
** Binaries: off-heap bytes shared (not copied) on send and freed when the
** last holder lets go; sub-binaries; the bit syntax engine of bits.c.
*/
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/bif.h"
#include "../../runtime/bits.h"
#include "../../runtime/code.h"
#include "../../runtime/gc.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

static void setup(void)
{
    atom_init();
    proc_init();
    code_init();
    bif_init();
}

enum { RECEIVERS = 100, MB = 1 << 20 };

static const unsigned char *seen[RECEIVERS];

/* Receives one binary, notes where its bytes are, then waits for 'stop'. */
static Term holder(Term index)
{
    Term bin = erl_receive();
    seen[erl_int_value(index)] = erl_binary_size(bin) == MB ? erl_binary_bytes(bin) : NULL;
    erl_receive();
    return AM_ok;
}

START_TEST(binary_sent_to_100_processes_is_one_allocation_freed_after_all_exit)
{
    long before = bits_refbins_alive();
    Heap scratch;
    heap_init(&scratch);
    unsigned char *bytes = calloc(1, MB);
    bytes[MB - 1] = 7;
    Term bin = bits_make(&scratch, bytes, 8 * (uint64_t)MB);
    free(bytes);
    ck_assert_int_eq(bits_refbins_alive(), before + 1);
    Term pids[RECEIVERS];
    for (int i = 0; i < RECEIVERS; i++)
        pids[i] = erl_spawn(holder, erl_mk_int(i));
    for (int i = 0; i < RECEIVERS; i++)
        bif_send(pids[i], bin);
    sched_run_until_idle();
    /* one allocation, 101 holders, every receiver reading the same bytes */
    ck_assert_int_eq(bits_refbins_alive(), before + 1);
    ck_assert_int_eq(bits_refc(bin), RECEIVERS + 1);
    for (int i = 0; i < RECEIVERS; i++)
        ck_assert_ptr_eq(seen[i], erl_binary_bytes(bin));
    ck_assert_int_eq(erl_binary_bytes(bin)[MB - 1], 7);
    for (int i = 0; i < RECEIVERS; i++)
        bif_send(pids[i], erl_atom("stop"));
    sched_run_until_idle();
    for (int i = 0; i < RECEIVERS; i++)
        ck_assert_ptr_null(proc_find(pids[i]));
    ck_assert_int_eq(bits_refc(bin), 1); /* the exits let go */
    heap_destroy(&scratch);
    ck_assert_int_eq(bits_refbins_alive(), before);
}
END_TEST

static long peak_alive;

/* Makes a thousand 1 MB binaries, keeping none. */
static Term churner(void)
{
    for (int i = 0; i < 1000; i++) {
        unsigned char *data;
        bits_alloc(heap_current(), 8 * (uint64_t)MB, &data);
        data[0] = (unsigned char)i;
        if (bits_refbins_alive() > peak_alive)
            peak_alive = bits_refbins_alive();
    }
    return AM_ok;
}

START_TEST(garbage_binaries_are_freed_by_collections_and_exit)
{
    long before = bits_refbins_alive();
    peak_alive = 0;
    Term pid = erl_spawn(churner);
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(pid));
    /* the off-heap bytes made collections run: never near a gigabyte */
    ck_assert_msg(peak_alive - before < 16, "peak %ld binaries alive", peak_alive - before);
    ck_assert_int_eq(bits_refbins_alive(), before);
}
END_TEST

START_TEST(sub_binary_of_an_off_heap_binary_shares_its_bytes)
{
    Heap h;
    heap_init(&h);
    unsigned char big[1000];
    for (int i = 0; i < 1000; i++)
        big[i] = (unsigned char)i;
    Term bin = bits_make(&h, big, 8000);
    Term part = bits_sub(&h, bin, 8 * 100, 8 * 10);
    ck_assert(erl_is_binary(part));
    ck_assert_uint_eq(erl_binary_size(part), 10);
    ck_assert_ptr_eq(erl_binary_bytes(part), erl_binary_bytes(bin) + 100);
    ck_assert_int_eq(bits_refc(bin), 2);
    /* not on a byte: a copy, with its own bytes */
    Term odd = bits_sub(&h, bin, 8 * 100 + 3, 13);
    ck_assert_uint_eq(erl_bit_size(odd), 13);
    ck_assert(!erl_is_binary(odd) && erl_is_bitstring(odd));
    ck_assert_int_eq(bits_refc(bin), 2);
    /* copied to another heap, the part shares the bytes too */
    Heap other;
    heap_init(&other);
    Term copy = term_copy(&other, part);
    ck_assert_ptr_eq(erl_binary_bytes(copy), erl_binary_bytes(part));
    ck_assert_int_eq(bits_refc(bin), 3);
    ck_assert_int_eq(erl_compare(copy, part), 0);
    heap_destroy(&other);
    ck_assert_int_eq(bits_refc(bin), 2);
    heap_destroy(&h);
}
END_TEST

START_TEST(integers_round_trip_at_any_size_order_and_sign)
{
    Heap *h = heap_current();
    BitWriter w = {0};
    ck_assert(bits_put(&w, BITS_INTEGER, erl_mk_int(0x123), 12, BITS_LITTLE));
    ck_assert(bits_put(&w, BITS_INTEGER, erl_mk_int(-5), 72, BITS_SIGNED));
    ck_assert(bits_put(&w, BITS_INTEGER, erl_mk_int(5), 3, 0));
    ck_assert(!bits_put(&w, BITS_INTEGER, erl_atom("a"), 8, 0));
    Term t = bits_writer_term(&w, h);
    bits_writer_free(&w);
    ck_assert_uint_eq(erl_bit_size(t), 12 + 72 + 3);
    ck_assert_uint_eq(erl_binary_bytes(t)[0], 0x23); /* <<16#123:12/little>> is <<35,1:4>> */
    BitReader r;
    bits_reader_init(&r, t);
    Term v;
    ck_assert(bits_get(&r, h, BITS_INTEGER, 12, BITS_LITTLE, &v));
    ck_assert_int_eq(erl_int_value(v), 0x123);
    ck_assert(bits_get(&r, h, BITS_INTEGER, 72, BITS_SIGNED, &v));
    ck_assert_int_eq(erl_int_value(v), -5);
    ck_assert(!bits_get(&r, h, BITS_INTEGER, 4, 0, &v)); /* only 3 left */
    ck_assert(bits_get(&r, h, BITS_INTEGER, 3, 0, &v));
    ck_assert_int_eq(erl_int_value(v), 5);
    ck_assert_uint_eq(r.pos, r.size);
}
END_TEST

START_TEST(utf_segments_encode_and_reject_as_erl)
{
    Heap *h = heap_current();
    BitWriter w = {0};
    ck_assert(bits_put(&w, BITS_UTF8, erl_mk_int(0x20AC), 0, 0));
    ck_assert(bits_put(&w, BITS_UTF16, erl_mk_int(0x1F600), 0, 0));
    ck_assert(!bits_put(&w, BITS_UTF8, erl_mk_int(0xD800), 0, 0));
    ck_assert(!bits_put(&w, BITS_UTF32, erl_mk_int(0x110000), 0, 0));
    Term t = bits_writer_term(&w, h);
    bits_writer_free(&w);
    ck_assert_mem_eq(erl_binary_bytes(t), "\xE2\x82\xAC\xD8\x3D\xDE\x00", 7);
    BitReader r;
    bits_reader_init(&r, t);
    Term v;
    ck_assert(bits_get(&r, h, BITS_UTF8, 0, 0, &v));
    ck_assert_int_eq(erl_int_value(v), 0x20AC);
    ck_assert(bits_get(&r, h, BITS_UTF16, 0, 0, &v));
    ck_assert_int_eq(erl_int_value(v), 0x1F600);
    /* an overlong encoding is no utf8 */
    Term bad = bits_make(h, "\xC0\x80", 16);
    bits_reader_init(&r, bad);
    ck_assert(!bits_get(&r, h, BITS_UTF8, 0, 0, &v));
}
END_TEST

START_TEST(a_built_bitstring_above_64_bytes_takes_the_writers_bytes_off_the_heap)
{
    Heap h;
    heap_init(&h);
    long before = bits_refbins_alive();
    BitWriter w = {0};
    for (int i = 0; i < 1000; i++)
        ck_assert(bits_put(&w, BITS_INTEGER, erl_mk_int(i % 512), 9, 0));
    Term t = bits_writer_take(&w, &h);
    ck_assert_ptr_null(w.buf); /* the writer gave its bytes away */
    ck_assert(bits_is_handle(t));
    ck_assert_int_eq(bits_refbins_alive(), before + 1);
    ck_assert_uint_eq(erl_bit_size(t), 9000);
    BitReader r;
    bits_reader_init(&r, t);
    Term v;
    for (int i = 0; i < 1000; i++) {
        ck_assert(bits_get(&r, &h, BITS_INTEGER, 9, 0, &v));
        ck_assert_int_eq(erl_int_value(v), i % 512);
    }
    heap_destroy(&h);
    ck_assert_int_eq(bits_refbins_alive(), before);
}
END_TEST

START_TEST(bitstrings_order_bit_by_bit)
{
    Heap *h = heap_current();
    Term a = bits_make(h, "\x20", 3);     /* <<1:3>> */
    Term b = bits_make(h, "\x10", 4);     /* <<1:4>> */
    Term c = bits_make(h, "\x20", 4);     /* <<2:4>> */
    Term big = bits_make(h, "\x20\x00", 16);
    ck_assert_int_eq(bits_compare(a, b), 1);
    ck_assert_int_eq(bits_compare(a, c), -1); /* a prefix comes first */
    ck_assert_int_eq(bits_compare(c, big), -1);
    ck_assert_int_eq(bits_compare(a, bits_make(h, "\x3f", 3)), 0); /* unused bits do not count */
}
END_TEST

Suite *bits_suite(void)
{
    Suite *s = suite_create("bits");
    TCase *tc = tcase_create("bits");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, binary_sent_to_100_processes_is_one_allocation_freed_after_all_exit);
    tcase_add_test(tc, garbage_binaries_are_freed_by_collections_and_exit);
    tcase_add_test(tc, sub_binary_of_an_off_heap_binary_shares_its_bytes);
    tcase_add_test(tc, integers_round_trip_at_any_size_order_and_sign);
    tcase_add_test(tc, utf_segments_encode_and_reject_as_erl);
    tcase_add_test(tc, a_built_bitstring_above_64_bytes_takes_the_writers_bytes_off_the_heap);
    tcase_add_test(tc, bitstrings_order_bit_by_bit);
    suite_add_tcase(s, tc);
    return s;
}
