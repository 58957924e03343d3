/*
** test_terms2.c
** Pids and references of other nodes, and funs as terms: erl's printing,
** term order and external format for them (tests/data/etf_node_cases.txt
** holds real erl's bytes), funs made in C and applied, fun_info, and the
** rule that a process holding a fun of old code runs old code.
*/
#include <check.h>

#include "support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/code.h"
#include "../../runtime/etf.h"
#include "../../runtime/erl_hash.h"
#include "../../runtime/fun.h"
#include "../../runtime/map.h"
#include "../../runtime/node.h"
#include "../../runtime/print.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

#ifndef CERL_TEST_DATA
#define CERL_TEST_DATA "data"
#endif

static void setup(void)
{
    support_start_runtime();
}

/* The term as ~w writes it (static buffer). */
static Term remote_pid(const char *node, uint32_t n, uint32_t s, uint32_t c)
{
    return node_pid(heap_current(), erl_atom(node), n, s, c);
}

static Term ref3(const char *node, uint32_t c, uint32_t w0, uint32_t w1, uint32_t w2)
{
    return node_ref(heap_current(), erl_atom(node), c, 3, (uint32_t[]){w0, w1, w2});
}

/* ====================================================== pids and refs */

START_TEST(remote_pid_is_a_pid_of_its_node_printed_with_its_atom_index)
{
    Term p = remote_pid("foo@host", 5, 7, 9);
    ck_assert(erl_is_pid(p));
    ck_assert(!pid_is_local(p));
    ck_assert(node_of(p) == erl_atom("foo@host"));
    char want[64];
    snprintf(want, sizeof want, "<%u.5.7>", (unsigned)ATOM_INDEX(erl_atom("foo@host")));
    ck_assert_str_eq(support_show(p), want);
    /* this node's name and creation make a local pid, serial included */
    Term l = remote_pid("nonode@nohost", 5, 7, 0);
    ck_assert(pid_is_local(l));
    ck_assert_str_eq(support_show(l), "<0.5.7>");
    ck_assert(node_of(l) == AM_nonode_nohost);
    /* another incarnation of this node's name stays remote, printed as 0 */
    Term other = remote_pid("nonode@nohost", 5, 0, 3);
    ck_assert(!pid_is_local(other));
    ck_assert_str_eq(support_show(other), "<0.5.0>");
}
END_TEST

START_TEST(pids_order_by_serial_then_number_then_node_as_erl)
{
    /* erl 25: lists:sort puts <aaa.1.0> < <0.1.0> < <zzz.1.0> < <aaa.9.0> < <0.1.3> */
    Term a1 = remote_pid("aaa@h", 1, 0, 0), l1 = pid_make(1), z1 = remote_pid("zzz@h", 1, 0, 0);
    Term a9 = remote_pid("aaa@h", 9, 0, 0), l13 = pid_make(1 | (3ull << 32));
    ck_assert_int_eq(erl_compare(a1, l1), -1);
    ck_assert_int_eq(erl_compare(l1, z1), -1);
    ck_assert_int_eq(erl_compare(z1, a9), -1);
    ck_assert_int_eq(erl_compare(a9, l13), -1);
    ck_assert_int_eq(erl_compare(remote_pid("aaa@h", 1, 0, 0), remote_pid("aaa@h", 1, 0, 5)), -1);
    ck_assert(erl_eq(a1, remote_pid("aaa@h", 1, 0, 0)));
    ck_assert(!erl_eq(a1, remote_pid("aaa@h", 1, 0, 1)));
    /* pids still sort between funs and tuples */
    ck_assert_int_eq(erl_compare(a1, erl_tuple()), -1);
    ck_assert_int_eq(erl_compare(erl_atom("x"), a1), -1);
}
END_TEST

START_TEST(refs_order_by_node_then_most_significant_word_as_erl)
{
    /* #Ref<0.1.2.3> (words 3, 2, 1) sorts before #Ref<0.3.2.1>: the
    ** printed first number is the most significant */
    Term a = ref3("nonode@nohost", 0, 3, 2, 1), b = ref3("nonode@nohost", 0, 1, 2, 3);
    ck_assert(erl_is_ref(a));
    ck_assert_str_eq(support_show(a), "#Ref<0.1.2.3>");
    ck_assert_str_eq(support_show(b), "#Ref<0.3.2.1>");
    ck_assert_int_eq(erl_compare(a, b), -1);
    ck_assert_int_eq(erl_compare(b, a), 1);
    /* node first: aaa@h < nonode@nohost < zzz@h, whatever the words */
    Term ra = ref3("aaa@h", 0, 9, 9, 9), rz = ref3("zzz@h", 0, 0, 0, 0);
    ck_assert_int_eq(erl_compare(ra, a), -1);
    ck_assert_int_eq(erl_compare(b, rz), -1);
    /* fewer words first */
    Term one = node_ref(heap_current(), erl_atom("aaa@h"), 0, 1, (uint32_t[]){100});
    ck_assert_int_eq(erl_compare(one, ra), -1);
    char want[64];
    snprintf(want, sizeof want, "#Ref<%u.100>", (unsigned)ATOM_INDEX(erl_atom("aaa@h")));
    ck_assert_str_eq(support_show(one), want);
    /* a local reference of fewer words is padded as erl pads it */
    ck_assert_str_eq(support_show(node_ref(heap_current(), AM_nonode_nohost, 0, 1, (uint32_t[]){7})), "#Ref<0.0.0.7>");
    ck_assert(node_ref(heap_current(), AM_nonode_nohost, 0, 4, (uint32_t[]){1, 2, 3, 4}) == ERL_NONE);
}
END_TEST

START_TEST(remote_terms_copy_and_check_as_terms_of_the_heap)
{
    Heap h;
    heap_init(&h);
    Term t = erl_tuple(remote_pid("foo@host", 1, 2, 3), ref3("bar@host", 4, 5, 6, 7));
    ck_assert(term_check(heap_current(), t) == ERL_NONE);
    Term c = term_copy(&h, t);
    ck_assert(erl_eq(c, t));
    ck_assert(term_check(&h, c) == ERL_NONE);
    heap_destroy(&h);
}
END_TEST

START_TEST(pids_refs_and_export_funs_encode_to_erls_bytes)
{
    FILE *f = fopen(CERL_TEST_DATA "/etf_node_cases.txt", "r");
    ck_assert_msg(f != NULL, "no %s", CERL_TEST_DATA "/etf_node_cases.txt");
    static char line[1 << 16];
    Term term = ERL_NONE;
    int lines = 0, terms = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        char *hex = strchr(line, ' ');
        ck_assert(hex);
        *hex++ = '\0';
        size_t n;
        unsigned char *want = support_unhex(hex, &n);
        EtfOptions opt = {1, 0};
        if (!strcmp(line, "default")) {
            term = etf_decode(heap_current(), want, n, false, NULL);
            ck_assert_msg(term != ERL_NONE, "line %d: erl's encoding does not decode", lines + 1);
            terms++;
        } else if (!strcmp(line, "minor0")) {
            opt.minor_version = 0;
        } else if (!strcmp(line, "minor2")) {
            opt.minor_version = 2;
        } else {
            opt.compressed = 6;
        }
        Term got = etf_encode(heap_current(), term, &opt);
        ck_assert_msg(got != ERL_NONE && erl_binary_size(got) == n && !memcmp(erl_binary_bytes(got), want, n),
                      "line %d (%s): cerl's bytes differ from erl's for %s", lines + 1, line, support_show(term));
        free(want);
        lines++;
    }
    fclose(f);
    ck_assert_int_eq(terms, 22);
}
END_TEST

/* ================================================================ funs */

START_TEST(export_funs_equal_by_name_and_order_after_local_funs)
{
    Term a = erl_mk_export_fun(erl_atom("lists"), erl_atom("map"), 2);
    Term b = erl_mk_export_fun(erl_atom("lists"), erl_atom("map"), 2);
    ck_assert(a != b);
    ck_assert(erl_eq(a, b));
    ck_assert_int_eq(erl_compare(a, b), 0);
    ck_assert_int_eq(erl_compare(a, erl_mk_export_fun(erl_atom("lists"), erl_atom("map"), 3)), -1);
    ck_assert_int_eq(erl_compare(erl_mk_export_fun(erl_atom("erlang"), erl_atom("abs"), 1), a), -1);
    ck_assert_str_eq(support_show(a), "fun lists:map/2");
    /* equal funs are one map key */
    Term m = erl_map_put(erl_map_put(erl_map_new(), a, erl_mk_int(1)), b, erl_mk_int(2));
    ck_assert_uint_eq(erl_map_size(m), 1);
    ck_assert(erl_apply(erl_mk_export_fun(erl_atom("erlang"), erl_atom("abs"), 1), erl_list(erl_mk_int(-3))) ==
              erl_mk_int(3));
}
END_TEST

static const char closure_src[] =
    "#include <cerl.h>\n"
    "MODULE(%s);\n"
    "EXPORT(make/1, exp/0);\n"
    "static Term add(Term X, Term N) { return erl_add(X, N); }\n"
    "Term make(Term N) { return erl_mk_closure(add, 1, N); }\n"
    "Term exp(void) { return ERL_FUN(erlang, abs, 1); }\n";

static void make_closure_module(const char *name)
{
    char src[1024];
    snprintf(src, sizeof src, closure_src, name);
    support_compile_module(name, src);
}

static bool loaded(const char *mod)
{
    Term r = code_load_file(heap_current(), erl_atom(mod), NULL);
    return erl_is_tuple(r) && erl_element(r, 1) == AM_module;
}

START_TEST(closure_made_in_c_applies_with_its_captured_terms_and_tells_its_info)
{
    make_closure_module("clo1");
    ck_assert(loaded("clo1"));
    Term f = erl_call(clo1, make, erl_mk_int(5));
    ck_assert(erl_is_function(f));
    ck_assert(erl_apply(f, erl_list(erl_mk_int(10))) == erl_mk_int(15));
    ck_assert(fun_info_of(f)->module == erl_atom("clo1"));
    ck_assert(fun_info_of(f)->name == erl_atom("add"));
    ck_assert(fun_arity(f) == 1);
    ck_assert(!strncmp(support_show(f), "#Fun<clo1.", 10));
    /* two closures of one function with equal captured terms are equal */
    ck_assert(erl_eq(f, erl_call(clo1, make, erl_mk_int(5))));
    ck_assert(!erl_eq(f, erl_call(clo1, make, erl_mk_int(6))));
    ck_assert_str_eq(support_show(erl_call(clo1, exp)), "fun erlang:abs/1");
    /* local funs do not encode (erl would write NEW_FUN_EXT) */
    EtfOptions opt = {1, 0};
    ck_assert(etf_encode(heap_current(), f, &opt) == ERL_NONE);
}
END_TEST

/* A process that holds a fun and waits: no frame of the fun's module is on
** its stack. */
static Term hold(Term f)
{
    Term msg = erl_receive();
    return erl_apply(f, erl_list(msg));
}

START_TEST(process_holding_a_closure_of_old_code_runs_old_code_and_purge_kills_it)
{
    make_closure_module("clo2");
    Term mod = erl_atom("clo2");
    ck_assert(loaded("clo2"));
    Term f = erl_call(clo2, make, erl_mk_int(1));
    Term holder = erl_spawn(hold, f);
    Term other = erl_spawn(hold, erl_mk_export_fun(mod, erl_atom("make"), 1));
    sched_run_until_idle();
    ck_assert(!code_check_process(holder, mod));
    /* new code: a function more */
    char src[1024];
    snprintf(src, sizeof src, closure_src, "clo2");
    strcat(src, "static Term extra(void) { return erl_mk_int(2); }\n");
    support_compile_module("clo2", src);
    ck_assert(loaded("clo2")); /* the closure's code is old now */
    ck_assert(code_check_process(holder, mod));
    ck_assert(!code_check_process(other, mod)); /* an export fun reaches the current code */
    ck_assert(!code_soft_purge(mod));
    ck_assert(code_purge(mod));
    ck_assert_ptr_null(proc_find(holder));
    ck_assert_ptr_nonnull(proc_find(other));
    erl_exit2(other, AM_kill);
    sched_run_until_idle();
}
END_TEST

/* Reloading the very same code: a closure follows it, as erl's funs do. */
START_TEST(closure_follows_a_reload_of_identical_code)
{
    make_closure_module("clo4");
    Term mod = erl_atom("clo4");
    ck_assert(loaded("clo4"));
    Term f = erl_call(clo4, make, erl_mk_int(1));
    Term holder = erl_spawn(hold, f);
    sched_run_until_idle();
    ck_assert(loaded("clo4"));
    ck_assert(!code_check_process(holder, mod));
    ck_assert(!code_purge(mod));
    ck_assert_ptr_nonnull(proc_find(holder));
    ck_assert(erl_apply(f, erl_list(erl_mk_int(2))) == erl_mk_int(3));
    ck_assert(erl_eq(f, erl_call(clo4, make, erl_mk_int(1))));
    erl_exit2(holder, AM_kill);
    sched_run_until_idle();
}
END_TEST

static Heap kept;
static Term down_reason;

static Term watch(Term target)
{
    erl_monitor(target);
    Term down = erl_receive();
    down_reason = term_copy(&kept, erl_element(down, 5));
    return AM_ok;
}

/* Waits for a message, then makes a closure over a word that is no term. */
static Term make_bad_closure(void)
{
    erl_receive();
    erl_call(clo3, bad);
    return AM_ok;
}

START_TEST(closure_over_a_non_term_ends_the_process_that_made_it)
{
    static const char src[] = "#include <cerl.h>\n"
                              "MODULE(clo3);\n"
                              "EXPORT(bad/0);\n"
                              "static Term add(Term X, Term N) { return erl_add(X, N); }\n"
                              "Term bad(void) { return erl_mk_closure(add, 1, (Term)0x10); }\n";
    support_compile_module("clo3", src);
    ck_assert(loaded("clo3"));
    heap_init(&kept);
    down_reason = ERL_NONE;
    Term target = erl_spawn(make_bad_closure);
    erl_spawn(watch, target);
    sched_run_until_idle();
    erl_send(target, AM_ok);
    sched_run_until_idle();
    ck_assert_str_eq(support_show(down_reason), "{badterm,erl_mk_closure,16}");
}
END_TEST

/* ======================================================== large maps */

START_TEST(large_map_walks_in_erls_trie_order)
{
    /* erl 25: maps:from_list([{I,I}||I<-lists:seq(1,40)]) prints its keys
    ** in this order, and maps:keys lists them in the reverse one */
    static const int erl_print[] = {16, 18, 5,  19, 27, 35, 10, 24, 36, 4,  21, 22, 17, 3,  8,  1,  7,  2,  14, 15,
                                    20, 40, 13, 38, 6,  28, 25, 34, 32, 9,  37, 11, 31, 26, 39, 30, 29, 23, 12, 33};
    Term m = erl_map_new();
    for (int i = 1; i <= 40; i++)
        m = erl_map_put(m, erl_mk_int(i), erl_mk_int(i));
    MapIter it;
    Term k, v;
    map_iter_init_print(&it, m);
    for (int i = 0; i < 40; i++) {
        ck_assert(map_next(&it, &k, &v));
        ck_assert_int_eq(erl_int_value(k), erl_print[i]);
    }
    ck_assert(!map_next(&it, &k, &v));
    map_iter_init(&it, m);
    for (int i = 39; i >= 0; i--) {
        ck_assert(map_next(&it, &k, &v));
        ck_assert_int_eq(erl_int_value(k), erl_print[i]);
    }
    /* erl's hash of a few terms (make_internal_hash(T, 0), OTP 25) */
    ck_assert_uint_eq(erl_hash(ERL_NIL) == erl_hash(ERL_NIL), 1);
    ck_assert(erl_hash(erl_mk_int(1)) != erl_hash(erl_mk_float(1.0)));
    ck_assert_uint_eq(erl_hash(erl_mk_float(0.0)), erl_hash(erl_mk_float(-0.0)));
}
END_TEST

Suite *terms2_suite(void)
{
    Suite *s = suite_create("terms2");
    TCase *tc = tcase_create("nodes_and_funs");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, remote_pid_is_a_pid_of_its_node_printed_with_its_atom_index);
    tcase_add_test(tc, pids_order_by_serial_then_number_then_node_as_erl);
    tcase_add_test(tc, refs_order_by_node_then_most_significant_word_as_erl);
    tcase_add_test(tc, remote_terms_copy_and_check_as_terms_of_the_heap);
    tcase_add_test(tc, pids_refs_and_export_funs_encode_to_erls_bytes);
    tcase_add_test(tc, export_funs_equal_by_name_and_order_after_local_funs);
    tcase_add_test(tc, closure_made_in_c_applies_with_its_captured_terms_and_tells_its_info);
    tcase_add_test(tc, process_holding_a_closure_of_old_code_runs_old_code_and_purge_kills_it);
    tcase_add_test(tc, closure_over_a_non_term_ends_the_process_that_made_it);
    tcase_add_test(tc, closure_follows_a_reload_of_identical_code);
    tcase_add_test(tc, large_map_walks_in_erls_trie_order);
    suite_add_tcase(s, tc);
    return s;
}
