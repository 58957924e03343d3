/*
** test_heap_chunks.c
** Heap pages carved from 2 MB chunks and found through the page directory:
** objects are found by address (and only in their own heap), a chunk whose
** pages are all freed is unmapped, collections stay correct over many
** chunks, and a process's first slots live beside its struct; hibernation
** collects the heap and gives the stack back.
*/
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../runtime/bif.h"
#include "../../runtime/code.h"
#include "../../runtime/gc.h"
#include "../../runtime/proc.h"
#include "../../runtime/procmem.h"
#include "../../runtime/sched.h"

enum { CHUNK = 2 << 20 };

static void setup(void)
{
    atom_init();
    proc_init();
    code_init();
    bif_init();
}

/* Allocates an object of n words (header set, contents zero) on h. */
static Term *object(Heap *h, size_t n)
{
    Term *o = heap_alloc(h, n);
    o[0] = box_header(n - 1, ERL_BOX_TUPLE);
    for (size_t i = 1; i < n; i++)
        o[i] = ERL_NIL;
    return o;
}

START_TEST(objects_are_found_by_address_in_their_own_heap_only)
{
    Heap a, b;
    heap_init(&a);
    heap_init(&b);
    /* small classes, a large object, and one past a chunk run (own mapping) */
    static const size_t sizes[] = {2, 3, 4, 7, 8, 16, 31, 32, 33, 200, 600, 40000};
    enum { N = sizeof sizes / sizeof sizes[0], REPS = 300 };
    Term *objs[N][REPS];
    for (int r = 0; r < REPS; r++)
        for (int i = 0; i < N; i++)
            objs[i][r] = object(r & 1 ? &b : &a, sizes[i]);
    for (int r = 0; r < REPS; r++)
        for (int i = 0; i < N; i++) {
            Heap *own = r & 1 ? &b : &a, *other = r & 1 ? &a : &b;
            Term *o = objs[i][r];
            size_t words = 0;
            bool cons = true;
            ck_assert_ptr_eq(heap_object_of(own, (uintptr_t)o, &words, &cons), o);
            ck_assert_uint_ge(words, sizes[i]);
            ck_assert(!cons);
            /* its last word and a word inside find it too */
            ck_assert_ptr_eq(heap_object_of(own, (uintptr_t)(o + sizes[i] - 1), &words, &cons), o);
            ck_assert_ptr_eq(heap_object_of(own, (uintptr_t)(o + sizes[i] / 2) + 3, &words, &cons), o);
            /* the other heap does not own it */
            ck_assert_ptr_null(heap_object_of(other, (uintptr_t)o, &words, &cons));
        }
    /* words that point at nothing of the heap's */
    Term local = 0;
    void *block = malloc(64);
    size_t w;
    bool c;
    ck_assert_ptr_null(heap_object_of(&a, (uintptr_t)&local, &w, &c));
    ck_assert_ptr_null(heap_object_of(&a, (uintptr_t)block, &w, &c));
    ck_assert_ptr_null(heap_object_of(&a, 0, &w, &c));
    ck_assert_ptr_null(heap_object_of(&a, ~(uintptr_t)0, &w, &c));
    ck_assert_ptr_null(heap_object_of(&a, (uintptr_t)1 << 47, &w, &c));
    /* a page header is not an object */
    Term *o = objs[0][0];
    ck_assert_ptr_null(heap_object_of(&a, (uintptr_t)o & ~(uintptr_t)4095, &w, &c));
    free(block);
    heap_destroy(&a);
    /* a's pages are gone: its old objects are nobody's */
    ck_assert_ptr_null(heap_object_of(&b, (uintptr_t)objs[0][0], &w, &c));
    ck_assert_ptr_eq(heap_object_of(&b, (uintptr_t)objs[0][1], &w, &c), objs[0][1]);
    heap_destroy(&b);
}
END_TEST

START_TEST(a_heap_moved_by_struct_copy_still_owns_its_objects)
{
    Heap a, moved;
    heap_init(&a);
    Term *o = object(&a, 5);
    moved = a;
    size_t w;
    bool c;
    ck_assert_ptr_eq(heap_object_of(&moved, (uintptr_t)o, &w, &c), o);
    heap_destroy(&moved);
}
END_TEST

START_TEST(a_freed_chunk_is_unmapped)
{
    size_t before = heap_chunk_bytes();
    Heap h;
    heap_init(&h);
    /* about 2000 pages of 4-word slots: several chunks */
    for (int i = 0; i < 2000 * 124; i++)
        object(&h, 4);
    size_t grown = heap_chunk_bytes();
    ck_assert_uint_ge(grown, before + 3 * (size_t)CHUNK);
    heap_destroy(&h);
    /* all but at most one kept-empty chunk went back to the system */
    ck_assert_uint_le(heap_chunk_bytes(), before + CHUNK);
    ck_assert_uint_le(heap_total_bytes(), grown - 3 * (size_t)CHUNK);
}
END_TEST

/* Keeps a 300k-element list (about 1200 pages of cells, several chunks)
** in a C local across collections that free the garbage around it. */
static Term keeper(void)
{
    Proc *self = proc_current();
    Term list = ERL_NIL;
    for (int64_t i = 0; i < 300000; i++) {
        list = erl_cons(erl_mk_int(i), list);
        if (i % 3 == 0)
            (void)erl_tuple(erl_mk_int(i), erl_mk_int(i)); /* garbage between */
    }
    gc_collect(self, NULL, 0);
    size_t after_first = self->heap.words;
    for (int i = 0; i < 300000; i++)
        (void)erl_tuple(erl_mk_int(i), erl_mk_string("garbage"));
    gc_collect(self, NULL, 0);
    if (self->heap.words > after_first + 64 * 1024)
        return erl_atom("garbage_kept");
    int64_t expect = 299999;
    for (Term t = list; erl_is_cons(t); t = erl_tl(t), expect--)
        if (erl_int_value(erl_hd(t)) != expect)
            return erl_atom("corrupt");
    return expect == -1 ? AM_ok : erl_atom("short");
}

static Term result;

static Term run_keeper(void)
{
    result = keeper(); /* an atom: no heap needed */
    return AM_ok;
}

START_TEST(collection_is_correct_over_many_chunks)
{
    result = ERL_NONE;
    erl_spawn(run_keeper);
    sched_run_until_idle();
    ck_assert_str_eq(erl_atom_name(result), "ok");
}
END_TEST

static Term waiter(void)
{
    erl_receive();
    erl_receive();
    return AM_ok;
}

START_TEST(first_slots_live_in_the_process_page)
{
    Term msg = erl_tuple(erl_atom("hello"), erl_mk_int(1)); /* on the boot heap */
    size_t chunks = heap_total_bytes();
    Term pid = erl_spawn(waiter);
    sched_run_until_idle();
    Proc *p = proc_find(pid);
    bif_send(pid, msg);
    sched_run_until_idle();
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(p->mbox.len, 0);
    /* the message went into the inline block beside the process's struct
    ** (procmem.h): no heap page was taken for it */
    ck_assert_ptr_nonnull(p->heap.pages);
    ck_assert_ptr_eq(p->heap.pages, p->heap.inline_page);
    ck_assert_uint_le(p->heap.words, HEAP_INLINE_MAX_WORDS);
    ck_assert_uint_le(heap_total_bytes(), chunks + PROCMEM_INLINE_BYTES);
    erl_exit2(pid, AM_kill);
    sched_run_until_idle();
    ck_assert_uint_eq(heap_total_bytes(), chunks);
}
END_TEST

/* Hibernates with a big garbage list and its state in the arguments. */
static Term big_sleeper(void)
{
    Term garbage = ERL_NIL;
    for (int i = 0; i < 50000; i++)
        garbage = erl_cons(erl_mk_int(i), garbage);
    (void)garbage;
    erl_hibernate(erl_atom("erlang"), erl_atom("list_to_tuple"),
                  erl_list(erl_list(erl_atom("state"), erl_mk_int(7))));
}

START_TEST(hibernation_collects_the_heap_and_resumes_in_mfa)
{
    Term pid = erl_spawn(big_sleeper);
    sched_run_until_idle();
    Proc *p = proc_find(pid);
    ck_assert_ptr_nonnull(p);
    ck_assert(p->hibernated);
    ck_assert_int_eq(p->state, PS_WAITING);
    /* the garbage list is gone; what is left fits in a page or two */
    ck_assert_uint_le(p->heap.used, 512);
    bif_send(pid, erl_atom("wake"));
    sched_run_until_idle();
    /* it ran erlang:list_to_tuple([state, 7]) and returned: exited normal */
    ck_assert_ptr_null(proc_find(pid));
}
END_TEST

Suite *heap_chunks_suite(void)
{
    Suite *s = suite_create("heap_chunks");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, objects_are_found_by_address_in_their_own_heap_only);
    tcase_add_test(tc, a_heap_moved_by_struct_copy_still_owns_its_objects);
    tcase_add_test(tc, a_freed_chunk_is_unmapped);
    tcase_add_test(tc, collection_is_correct_over_many_chunks);
    tcase_add_test(tc, first_slots_live_in_the_process_page);
    tcase_add_test(tc, hibernation_collects_the_heap_and_resumes_in_mfa);
    suite_add_tcase(s, tc);
    return s;
}
