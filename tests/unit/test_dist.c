/*
** test_dist.c
** The distribution's pieces that need no peer (tests/dist/run.py checks the
** rest against real BEAM nodes): node names as erl makes them, a node's
** pids once it has a name, and the scheduler woken from another thread.
*/
#include <check.h>

#include "support.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../runtime/dist/dist.h"
#include "../../runtime/node.h"
#include "../../runtime/print.h"
#include "../../runtime/sched.h"

static void setup(void)
{
    support_start_runtime();
}

START_TEST(sname_takes_this_machines_short_host_name)
{
    char host[256], want[300], got[300];
    gethostname(host, sizeof host);
    host[strcspn(host, ".")] = 0;
    snprintf(want, sizeof want, "c1@%s", host);
    ck_assert_int_eq(dist_name_make("c1", false, got, sizeof got), 0);
    ck_assert_str_eq(got, want);
    ck_assert_int_eq(dist_name_make("c1@h2", false, got, sizeof got), 0);
    ck_assert_str_eq(got, "c1@h2");
    ck_assert_int_eq(dist_name_make("c1@10.0.0.1", true, got, sizeof got), 0);
    ck_assert_str_eq(got, "c1@10.0.0.1");
}
END_TEST

START_TEST(bad_node_names_are_refused)
{
    char got[300];
    ck_assert_int_eq(dist_name_make("", false, got, sizeof got), -1);
    ck_assert_int_eq(dist_name_make("a b", false, got, sizeof got), -1);
    ck_assert_int_eq(dist_name_make("c1@", false, got, sizeof got), -1);
    ck_assert_int_eq(dist_name_make("c1@h.example.com", false, got, sizeof got), -1); /* -sname */
}
END_TEST

START_TEST(a_named_node_owns_its_pids_and_prints_them_as_node_zero)
{
    Term name = erl_atom("c9@somehost");
    node_set_this(name, 7);
    Term local = node_pid(heap_current(), name, 80, 0, 7);
    Term other = node_pid(heap_current(), AM_nonode_nohost, 80, 0, 0);
    bool local_is_immediate = pid_is_local(local), other_is_immediate = pid_is_local(other);
    Term node_of_local = node_of(local);
    Buf b = {0};
    print_write(&b, local);
    node_set_this(AM_nonode_nohost, 0);
    ck_assert(local_is_immediate);
    ck_assert(!other_is_immediate); /* nonode@nohost is another node now */
    ck_assert(node_of_local == name);
    ck_assert_str_eq(buf_str(&b), "<0.80.0>");
    buf_free(&b);
}
END_TEST

static void *wake_later(void *arg)
{
    nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    sched_wake();
    return NULL;
}

static int hook_runs;
static void count_hook(void)
{
    hook_runs++;
}

START_TEST(sched_wake_from_another_thread_ends_sched_poll)
{
    sched_set_wake_hook(count_hook);
    pthread_t th;
    pthread_create(&th, NULL, wake_later, NULL);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int r = sched_poll(NULL, 0, 5000);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pthread_join(th, NULL);
    sched_set_wake_hook(NULL);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    ck_assert_int_eq(r, 0);
    ck_assert_msg(ms < 2000, "sched_poll waited %ld ms for a wake-up", ms);
}
END_TEST

Suite *dist_suite(void)
{
    Suite *s = suite_create("dist");
    TCase *tc = tcase_create("dist");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, sname_takes_this_machines_short_host_name);
    tcase_add_test(tc, bad_node_names_are_refused);
    tcase_add_test(tc, a_named_node_owns_its_pids_and_prints_them_as_node_zero);
    tcase_add_test(tc, sched_wake_from_another_thread_ends_sched_poll);
    suite_add_tcase(s, tc);
    return s;
}
