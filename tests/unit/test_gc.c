/*
** test_gc.c
** Per-process garbage collection: bounded heaps for long-running loops,
** terms reachable from C locals survive, memory comes back on exit.
*/
#include <check.h>
#include <stdio.h>

#include "../../runtime/bif.h"
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

static int64_t summed;

/* Receives n messages {count, I}, keeping only a running sum. */
static Term summer(Term n)
{
    int64_t sum = 0;
    for (int64_t i = 0; i < erl_int_value(n); i++) {
        Term m = erl_receive();
        sum += erl_int_value(erl_element(m, 2));
    }
    erl_receive(); /* wait for 'report' */
    summed = sum;
    return AM_ok;
}

START_TEST(million_message_loop_keeps_a_small_bounded_heap)
{
    const int64_t n = 1000000;
    Term pid = erl_spawn(summer, erl_mk_int(n));
    Proc *p = proc_find(pid);
    size_t peak = 0;
    Heap scratch;
    heap_init(&scratch);
    for (int64_t i = 0; i < n;) {
        for (int k = 0; k < 1000; k++, i++) {
            Term msg = term_tuple(&scratch, 2, (Term[]){erl_atom("count"), erl_mk_int(i)});
            bif_send(pid, msg);
        }
        heap_destroy(&scratch);
        heap_init(&scratch);
        sched_run_until_idle();
        if (p->heap.words > peak)
            peak = p->heap.words;
    }
    ck_assert_uint_eq(p->mbox.len, 0);
    ck_assert_uint_gt(p->heap.collections, 10);
    /* a million messages went through; the heap never held more than a
    ** few thousand of them */
    ck_assert_msg(peak * sizeof(Term) < 512 * 1024, "peak heap %zu bytes", peak * sizeof(Term));
    fprintf(stderr, "gc: 1M messages, peak heap %zu bytes, %llu collections\n", peak * sizeof(Term),
            (unsigned long long)p->heap.collections);
    bif_send(pid, erl_atom("report"));
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(pid));
    ck_assert_int_eq(summed, n * (n - 1) / 2); /* every message arrived intact */
    heap_destroy(&scratch);
}
END_TEST

/* Builds a 100k-element list held only in a C local, makes lots of garbage
** (forcing collections), then checks every element. */
static Term keeper(void)
{
    Term list = ERL_NIL;
    for (int64_t i = 0; i < 100000; i++)
        list = erl_cons(erl_tuple(erl_mk_int(i), erl_mk_float((double)i)), list);
    Proc *self = proc_current();
    uint64_t before = self->heap.collections;
    for (int i = 0; i < 200000; i++)
        (void)erl_tuple(erl_mk_int(i), erl_mk_string("garbage"));
    if (self->heap.collections == before)
        return erl_atom("no_collection");
    int64_t expect = 0;
    for (Term t = list; erl_is_cons(t); t = erl_tl(t), expect++) {
        Term e = erl_hd(t);
        int64_t v = erl_int_value(erl_element(e, 1));
        if (v != 99999 - expect || erl_float_value(erl_element(e, 2)) != (double)v)
            return erl_atom("corrupt");
    }
    return expect == 100000 ? AM_ok : erl_atom("short");
}

static Term result;
static Heap keep;

static Term run_keeper(void)
{
    result = term_copy(&keep, keeper());
    return AM_ok;
}

START_TEST(terms_held_in_c_locals_survive_collections)
{
    result = ERL_NONE;
    erl_spawn(run_keeper);
    sched_run_until_idle();
    ck_assert_str_eq(erl_atom_name(result), "ok");
}
END_TEST

static Term allocate_then_wait(void)
{
    Term list = ERL_NIL;
    for (int i = 0; i < 50000; i++)
        list = erl_cons(erl_mk_int(i), list);
    erl_receive();
    return list;
}

START_TEST(process_memory_is_returned_when_it_exits)
{
    size_t before = heap_total_bytes();
    Term pid = erl_spawn(allocate_then_wait);
    sched_run_until_idle();
    ck_assert_uint_gt(heap_total_bytes(), before + 50000 * 2 * sizeof(Term));
    erl_exit2(pid, AM_kill);
    ck_assert_uint_eq(heap_total_bytes(), before);
}
END_TEST

Suite *gc_suite(void)
{
    Suite *s = suite_create("gc");
    TCase *tc = tcase_create("gc");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, million_message_loop_keeps_a_small_bounded_heap);
    tcase_add_test(tc, terms_held_in_c_locals_survive_collections);
    tcase_add_test(tc, process_memory_is_returned_when_it_exits);
    suite_add_tcase(s, tc);
    return s;
}
