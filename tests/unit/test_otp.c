/*
** test_otp.c
** What the OTP behaviours in modules/ rely on from the runtime: erl_catch
** (try ... catch for modules) and the process dictionary (erl_put, erl_get).
*/
#include <check.h>

#include "support.h"

#include "../../runtime/gc.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

static void setup(void)
{
    support_start_runtime();
}

/* What the test processes saw, copied to a heap that outlives them. */
static Heap keep;
static Term seen[8];
static int nseen;

static void see(Term t)
{
    seen[nseen++] = term_copy(&keep, t);
}

/* ============================================================ erl_catch */

static Term returns_42(void *ctx)
{
    return erl_mk_int(42);
}

static Term raises(void *ctx)
{
    Term how = *(Term *)ctx;
    if (how == erl_atom("error"))
        erl_error(erl_atom("badarith"));
    if (how == erl_atom("exit"))
        erl_exit(erl_tuple(erl_atom("shutdown"), erl_atom("why")));
    erl_throw(erl_atom("ball"));
}

/* A catch inside a catch: the inner one takes the raise, the outer one
** stays in place for the next. */
static Term nested(void *ctx)
{
    Term v, cls, how = erl_atom("throw");
    int r = erl_catch(raises, &how, &v, &cls);
    see(erl_tuple(erl_mk_int(r), cls, v));
    erl_exit(erl_atom("after_inner"));
}

static Term catcher(void)
{
    Term v, cls;
    int r = erl_catch(returns_42, NULL, &v, &cls);
    see(erl_tuple(erl_mk_int(r), v));
    const char *hows[] = {"error", "exit", "throw"};
    for (int i = 0; i < 3; i++) {
        Term how = erl_atom(hows[i]);
        r = erl_catch(raises, &how, &v, &cls);
        see(erl_tuple(erl_mk_int(r), cls, v));
    }
    r = erl_catch(nested, NULL, &v, &cls);
    see(erl_tuple(erl_mk_int(r), cls, v));
    return AM_ok;
}

START_TEST(erl_catch_returns_the_value_or_the_class_and_reason_raised)
{
    nseen = 0;
    Term pid = erl_spawn(catcher);
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(pid));
    ck_assert_int_eq(nseen, 6);
    ck_assert(erl_eq(seen[0], erl_tuple(erl_mk_int(1), erl_mk_int(42))));
    ck_assert(erl_eq(seen[1], erl_tuple(erl_mk_int(0), erl_atom("error"), erl_atom("badarith"))));
    ck_assert(erl_eq(seen[2], erl_tuple(erl_mk_int(0), erl_atom("exit"),
                                        erl_tuple(erl_atom("shutdown"), erl_atom("why")))));
    ck_assert(erl_eq(seen[3], erl_tuple(erl_mk_int(0), erl_atom("throw"), erl_atom("ball"))));
    ck_assert(erl_eq(seen[4], erl_tuple(erl_mk_int(0), erl_atom("throw"), erl_atom("ball"))));
    ck_assert(erl_eq(seen[5], erl_tuple(erl_mk_int(0), erl_atom("exit"), erl_atom("after_inner"))));
}
END_TEST

static Term raise_uncaught(void)
{
    Term v, cls;
    erl_catch(returns_42, NULL, &v, &cls); /* a finished catch leaves no frame behind */
    erl_exit(erl_atom("gone"));
}

static Term watch_raiser(void)
{
    Term pid = erl_spawn(raise_uncaught);
    erl_monitor(pid);
    Term down = erl_receive();
    see(erl_element(down, 5));
    return AM_ok;
}

START_TEST(a_raise_after_a_finished_catch_ends_the_process)
{
    nseen = 0;
    erl_spawn(watch_raiser);
    sched_run_until_idle();
    ck_assert_int_eq(nseen, 1);
    ck_assert(seen[0] == erl_atom("gone"));
}
END_TEST

/* ================================================= process dictionary */

static Term dict_user(Term tag)
{
    see(erl_put(erl_atom("k"), tag));
    see(erl_put(erl_atom("k"), erl_tuple(tag, erl_mk_string("kept across a collection"))));
    erl_yield(); /* the other process puts its own */
    gc_collect(proc_current(), NULL, 0);
    see(erl_get(erl_atom("k")));
    see(erl_get(erl_atom("missing")));
    return AM_ok;
}

START_TEST(each_process_has_its_own_dictionary_and_it_survives_gc)
{
    nseen = 0;
    erl_spawn(dict_user, erl_atom("a"));
    erl_spawn(dict_user, erl_atom("b"));
    sched_run_until_idle();
    ck_assert_int_eq(nseen, 8);
    /* both ran their first two puts before either read back */
    ck_assert(seen[0] == AM_undefined);
    ck_assert(seen[1] == erl_atom("a"));
    ck_assert(seen[2] == AM_undefined);
    ck_assert(seen[3] == erl_atom("b"));
    ck_assert(erl_eq(seen[4], erl_tuple(erl_atom("a"), erl_mk_string("kept across a collection"))));
    ck_assert(seen[5] == AM_undefined);
    ck_assert(erl_eq(seen[6], erl_tuple(erl_atom("b"), erl_mk_string("kept across a collection"))));
    ck_assert(seen[7] == AM_undefined);
}
END_TEST

Suite *otp_suite(void)
{
    Suite *s = suite_create("otp");
    TCase *tc = tcase_create("runtime_for_behaviours");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, erl_catch_returns_the_value_or_the_class_and_reason_raised);
    tcase_add_test(tc, a_raise_after_a_finished_catch_ends_the_process);
    tcase_add_test(tc, each_process_has_its_own_dictionary_and_it_survives_gc);
    suite_add_tcase(s, tc);
    return s;
}
