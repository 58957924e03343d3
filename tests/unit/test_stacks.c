/*
** test_stacks.c
** Stacks, the context switch and signals against hostile modules: a frame
** of any size ends only its own process and leaves its neighbours' stacks
** alone; each process keeps its own floating-point control state; Ctrl-C
** reaches a process low on stack or inside libc; and the libc calls that
** would take the runtime's signals, threads or OS process away end or
** refuse in the calling process only.
*/
#include <check.h>

#include "support.h"
#include <fenv.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../runtime/bif.h"
#include "../../runtime/code.h"
#include "../../runtime/fault.h"
#include "../../runtime/interrupt.h"
#include "../../runtime/print.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

/* ============================================================ fixture */

static Heap keep; /* outlives the processes whose results it holds */

/* Whether t is {Tag, {Mod, Fun, current}}. */
static bool is_fault2(Term t, const char *tag, const char *mod, const char *fun)
{
    return erl_is_tuple(t) && erl_tuple_size(t) == 2 && erl_element(t, 1) == erl_atom(tag) &&
           erl_eq(erl_element(t, 2), erl_tuple(erl_atom(mod), erl_atom(fun), erl_atom("current")));
}

/* Whether t is {Tag, What, {Mod, Fun, current}} with What an atom. */
static bool is_fault3(Term t, const char *tag, const char *what, const char *mod, const char *fun)
{
    return erl_is_tuple(t) && erl_tuple_size(t) == 3 && erl_element(t, 1) == erl_atom(tag) &&
           erl_element(t, 2) == erl_atom(what) &&
           erl_eq(erl_element(t, 3), erl_tuple(erl_atom(mod), erl_atom(fun), erl_atom("current")));
}

/* The process under test, monitored by watch() before it runs: watch()
** spawns victim_fn(victim_args...) unless victim_pid is already set. */
static Term victim_pid, down_reason;
static void *victim_fn;
static int victim_argc;
static Term victim_args[2];

static Term watch(void)
{
    if (victim_pid == ERL_NONE)
        victim_pid = erl_spawn_fn(victim_fn, victim_argc, victim_args);
    erl_monitor(victim_pid);
    Term down = erl_receive();
    down_reason = term_copy(&keep, erl_element(down, 5));
    return AM_ok;
}

static Term wait_forever(void)
{
    for (;;)
        erl_receive();
    return AM_ok;
}

/* Runs fn(arg...) in a fresh process until it ends; returns its exit
** reason, checking that a bystander outlives it. */
static Term run_to_death(void *fn, int argc, Term arg)
{
    Term bystander = erl_spawn(wait_forever);
    victim_pid = ERL_NONE;
    victim_fn = fn;
    victim_argc = argc;
    victim_args[0] = arg;
    down_reason = ERL_NONE;
    erl_spawn(watch);
    sched_run_until_idle();
    ck_assert_msg(down_reason != ERL_NONE, "the process did not end");
    ck_assert_ptr_null(proc_find(victim_pid));
    ck_assert_ptr_nonnull(proc_find(bystander));
    erl_exit2(bystander, AM_kill);
    sched_run_until_idle();
    return down_reason;
}

/* ================================================== frames of any size */

/* role/0: told by its first message to hold values on its stack (and
** report their sum on request) or to make a frame of some kind. */
static const char *const frames_src =
    "#include <cerl.h>\n"
    "#include <alloca.h>\n"
    "#include <string.h>\n"
    "MODULE(frames);\n"
    "EXPORT(role/0, array/0, vla/1, alloc/1, byval/0, fits/0, vla_fits/1);\n"
    "static Term hold(void) {\n"
    "    volatile long x[64]; for (int i = 0; i < 64; i++) x[i] = 12345;\n"
    "    for (;;) { Term from = erl_receive(); long s = 0;\n"
    "        for (int i = 0; i < 64; i++) s += x[i]; erl_send(from, erl_mk_int(s)); } }\n"
    "Term array(void) { volatile char a[1 << 20]; a[0] = 1; return erl_mk_int(a[0]); }\n"
    "Term vla(Term n) { long len = erl_int_value(n); volatile char a[len];\n"
    "    memset((char *)a, 7, len); return erl_mk_int(a[0]); }\n"
    "Term alloc(Term n) { long len = erl_int_value(n); char *p = alloca(len);\n"
    "    memset(p, 7, len); return erl_mk_int(p[0]); }\n"
    "struct big { char a[1 << 20]; };\n"
    "static struct big B;\n"
    "static long take(struct big b) { return b.a[7]; }\n"
    "Term byval(void) { return erl_mk_int(take(B)); }\n"
    "Term fits(void) { volatile char a[200000]; memset((char *)a, 1, sizeof a); return erl_mk_int(a[199999]); }\n"
    "Term vla_fits(Term n) { long len = erl_int_value(n); volatile char a[len]; char *p = alloca(len);\n"
    "    memset((char *)a, 2, len); memset(p, 3, len); return erl_mk_int(a[len - 1] + p[len - 1]); }\n"
    "Term role(void) {\n"
    "    Term m = erl_receive(), tag = erl_element(m, 1), n = erl_element(m, 2);\n"
    "    if (tag == ATOM(hold)) return hold();\n"
    "    if (tag == ATOM(array)) return array();\n"
    "    if (tag == ATOM(vla)) return vla(n);\n"
    "    if (tag == ATOM(byval)) return byval();\n"
    "    return alloc(n); }\n";

enum { ROLES = 16 };
static Term holders[ROLES];
static int nholders, intact;

/* In a process: asks every holder for the sum of the values on its stack. */
static Term count_intact(void)
{
    intact = 0;
    for (int i = 0; i < nholders; i++) {
        erl_send(holders[i], erl_self());
        Term r = erl_receive_timeout(1000);
        intact += r == erl_mk_int(64 * 12345);
    }
    return AM_ok;
}

/* Starts ROLES role processes, makes the one whose stack lies just above
** another's do {tag, arg} and the others hold; returns the reason it died
** with, after checking every holder's stack is intact. */
static Term frame_in_a_crowd(const char *tag, long arg)
{
    support_load_current("frames", frames_src);
    Term pids[ROLES];
    for (int i = 0; i < ROLES; i++)
        pids[i] = erl_spawn_fn(support_fn_of("frames", "role", 0), 0, NULL);
    sched_run_until_idle(); /* each takes its stack when it first runs */
    int upper = -1;
    size_t stride = STACK_DEFAULT_SIZE + STACK_GUARD_SIZE;
    for (int i = 0; i < ROLES && upper < 0; i++)
        for (int j = 0; j < ROLES; j++)
            if ((char *)proc_find(pids[i])->stack.base - stride == (char *)proc_find(pids[j])->stack.base)
                upper = i;
    ck_assert_msg(upper >= 0, "no two stacks next to each other");
    victim_pid = pids[upper];
    down_reason = ERL_NONE;
    erl_spawn(watch);
    sched_run_until_idle();
    nholders = 0;
    for (int i = 0; i < ROLES; i++)
        if (i != upper) {
            holders[nholders++] = pids[i];
            erl_send(pids[i], erl_tuple(erl_atom("hold"), AM_ok));
        }
    erl_send(victim_pid, erl_tuple(erl_atom(tag), erl_mk_int(arg)));
    sched_run_until_idle();
    erl_spawn(count_intact);
    sched_run_until_idle();
    ck_assert_int_eq(intact, ROLES - 1);
    for (int i = 0; i < nholders; i++)
        erl_exit2(holders[i], AM_kill);
    sched_run_until_idle();
    ck_assert_ptr_null(proc_find(victim_pid));
    return down_reason;
}

START_TEST(a_one_megabyte_local_array_is_stack_overflow_and_neighbours_keep_their_stacks)
{
    Term r = frame_in_a_crowd("array", 0);
    ck_assert_msg(is_fault2(r, "stack_overflow", "frames", "array"), "reason: %s", support_show(r));
}
END_TEST

START_TEST(a_megabyte_structure_passed_by_value_is_stack_overflow_in_the_caller)
{
    Term r = frame_in_a_crowd("byval", 0);
    ck_assert_msg(is_fault2(r, "stack_overflow", "frames", "byval"), "reason: %s", support_show(r));
}
END_TEST

START_TEST(a_hundred_megabyte_vla_is_stack_overflow)
{
    Term r = frame_in_a_crowd("vla", 100L * 1024 * 1024);
    ck_assert_msg(is_fault2(r, "stack_overflow", "frames", "vla"), "reason: %s", support_show(r));
}
END_TEST

START_TEST(a_vla_the_size_of_stack_and_guard_does_not_land_on_the_stack_below)
{
    Term r = frame_in_a_crowd("vla", STACK_DEFAULT_SIZE + STACK_GUARD_SIZE);
    ck_assert_msg(is_fault2(r, "stack_overflow", "frames", "vla"), "reason: %s", support_show(r));
}
END_TEST

START_TEST(a_hundred_megabyte_alloca_is_stack_overflow)
{
    Term r = frame_in_a_crowd("alloca", 100L * 1024 * 1024);
    ck_assert_msg(is_fault2(r, "stack_overflow", "frames", "alloc"), "reason: %s", support_show(r));
    r = frame_in_a_crowd("alloca", STACK_DEFAULT_SIZE);
    ck_assert_msg(is_fault2(r, "stack_overflow", "frames", "alloc"), "reason: %s", support_show(r));
}
END_TEST

static Term result;

static Term call_fits(void)
{
    result = ((Term(*)(void))support_fn_of("frames", "fits", 0))();
    return AM_ok;
}

static Term call_vla_fits(Term n)
{
    result = ((Term(*)(Term))support_fn_of("frames", "vla_fits", 1))(n);
    return AM_ok;
}

START_TEST(large_frames_that_fit_run_as_before)
{
    support_load_current("frames", frames_src);
    result = ERL_NONE;
    erl_spawn(call_fits);
    sched_run_until_idle();
    ck_assert(result == erl_mk_int(1));
    result = ERL_NONE;
    erl_spawn(call_vla_fits, erl_mk_int(100000));
    sched_run_until_idle();
    ck_assert(result == erl_mk_int(5));
}
END_TEST

/* ========================================= floating-point control state */

static const char *const fpu_src =
    "#include <cerl.h>\n"
    "#include <fenv.h>\n"
    "MODULE(fpu);\n"
    "EXPORT(down/0, mode/0);\n"
    "Term down(void) { fesetround(FE_DOWNWARD);\n"
    "    for (;;) { Term from = erl_receive(); erl_send(from, erl_mk_int(fegetround())); } }\n"
    "Term mode(void) { return erl_mk_int(fegetround()); }\n";

static Term down_pid;
static double sum;
static int mode_here, mode_there;

static Term probe(void)
{
    volatile double a = 0.1, b = 0.2;
    sum = a + b;
    mode_here = fegetround();
    erl_send(down_pid, erl_self());
    mode_there = (int)erl_int_value(erl_receive());
    return AM_ok;
}

START_TEST(each_process_keeps_its_own_rounding_mode)
{
    support_load_current("fpu", fpu_src);
    down_pid = erl_spawn_fn(support_fn_of("fpu", "down", 0), 0, NULL);
    sched_run_until_idle(); /* it rounds down now, and waits */
    erl_spawn(probe);
    sched_run_until_idle();
    ck_assert_int_eq(mode_here, FE_TONEAREST); /* a new process: the default */
    ck_assert(sum == 0.30000000000000004);
    ck_assert_int_eq(mode_there, FE_DOWNWARD); /* kept across switches */
    ck_assert_int_eq(fegetround(), FE_TONEAREST); /* the scheduler's own */
    erl_exit2(down_pid, AM_kill);
    sched_run_until_idle();
}
END_TEST

/* ============================================================== Ctrl-C */

static const char *const spin_src =
    "#include <cerl.h>\n"
    "#include <string.h>\n"
    "#include <unistd.h>\n"
    "MODULE(spin);\n"
    "EXPORT(low/2, memloop/1, waiter/0);\n"
    "static long spin_low(char *top, long room, long n) {\n"
    "    volatile char pad[1000]; pad[0] = 1;\n"
    "    if (top - (char *)pad < room) return spin_low(top, room, n) + pad[0];\n"
    "    for (volatile long i = 0; i < n; i++) ;\n"
    "    return 0; }\n"
    "Term low(Term room, Term n) { char here;\n"
    "    return erl_mk_int(spin_low(&here, erl_int_value(room), erl_int_value(n))); }\n"
    "static char buf[1 << 20];\n"
    "Term memloop(Term n) { for (long i = 0; i < erl_int_value(n); i++) memset(buf, (int)i, sizeof buf);\n"
    "    return ATOM(done); }\n"
    "Term waiter(void) { pause(); return ATOM(woke); }\n";

static Term break_in_pid;
static uintptr_t break_frame_above_base;

static bool kill_the_stopped_process(Proc *in)
{
    break_in_pid = in ? in->pid : ERL_NONE;
    if (in)
        break_frame_above_base = (uintptr_t)__builtin_frame_address(0) - (uintptr_t)in->stack.base;
    return true;
}

/* A child process that sends 'sig' to this one 300 ms later. */
static pid_t signal_later(int sig)
{
    pid_t parent = getpid(), child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        usleep(300 * 1000);
        kill(parent, sig);
        _exit(0);
    }
    return child;
}

/* Runs fn(a, b) until Ctrl-C's menu kills it; returns its exit reason. The
** spinning functions return on their own after several seconds, so that a
** Ctrl-C that never lands fails the test rather than hanging it. */
static Term interrupted(void *fn, int argc, Term a, Term b)
{
    ck_assert_int_eq(interrupt_init(0), 0);
    interrupt_break_hook = kill_the_stopped_process;
    break_in_pid = ERL_NONE;
    victim_pid = ERL_NONE;
    victim_fn = fn;
    victim_argc = argc;
    victim_args[0] = a;
    victim_args[1] = b;
    down_reason = ERL_NONE;
    erl_spawn(watch);
    pid_t child = signal_later(SIGINT);
    sched_run_until_idle();
    waitpid(child, NULL, 0);
    interrupt_shutdown();
    interrupt_break_hook = NULL;
    ck_assert(break_in_pid == victim_pid);
    return down_reason;
}

START_TEST(ctrl_c_stops_a_process_with_less_than_16_kb_of_stack_left)
{
    support_load_current("spin", spin_src);
    Term r = interrupted(support_fn_of("spin", "low", 2), 2, erl_mk_int(STACK_DEFAULT_SIZE - 12 * 1024),
                         erl_mk_int(3000000000L));
    ck_assert_msg(r == AM_killed, "reason: %s", support_show(r));
    ck_assert_uint_lt(break_frame_above_base, 16 * 1024);
    /* its stack, guard whole again, serves the next process */
    support_load_current("frames", frames_src);
    r = frame_in_a_crowd("vla", STACK_DEFAULT_SIZE + STACK_GUARD_SIZE);
    ck_assert_msg(is_fault2(r, "stack_overflow", "frames", "vla"), "reason: %s", support_show(r));
}
END_TEST

START_TEST(ctrl_c_stops_a_process_spinning_in_memset)
{
    support_load_current("spin", spin_src);
    Term r = interrupted(support_fn_of("spin", "memloop", 1), 1, erl_mk_int(200000), ERL_NONE);
    ck_assert_msg(r == AM_killed, "reason: %s", support_show(r));
}
END_TEST

static bool second_ran;

static Term second(void)
{
    second_ran = true;
    return AM_ok;
}

static bool kill_the_waiter(Proc *in)
{
    break_in_pid = in ? in->pid : ERL_NONE;
    proc_signal_exit(proc_find(victim_pid), victim_pid, AM_kill);
    return false;
}

START_TEST(pause_blocks_its_process_only_and_ctrl_c_still_reaches_the_menu)
{
    support_load_current("spin", spin_src);
    ck_assert_int_eq(interrupt_init(0), 0);
    victim_pid = ERL_NONE;
    victim_fn = support_fn_of("spin", "waiter", 0);
    victim_argc = 0;
    down_reason = ERL_NONE;
    erl_spawn(watch);
    second_ran = false;
    erl_spawn(second);
    pid_t child = signal_later(SIGINT); /* wakes a pause() that blocks the runtime */
    sched_run_until_idle();
    ck_assert(second_ran);
    ck_assert_ptr_nonnull(proc_find(victim_pid)); /* still in pause() */
    waitpid(child, NULL, 0);
    interrupt_break_hook = kill_the_waiter;
    break_in_pid = victim_pid;
    if (!interrupt_pending())
        raise(SIGINT);
    ck_assert(interrupt_poll()); /* what the shell's idle hook does */
    sched_run_until_idle();
    interrupt_shutdown();
    interrupt_break_hook = NULL;
    ck_assert(break_in_pid == ERL_NONE); /* the menu ran on the scheduler */
    ck_assert_ptr_null(proc_find(victim_pid));
    ck_assert(down_reason == AM_killed);
}
END_TEST

/* ============================================= signals, forks, threads */

static const char *const sig_src =
    "#include <cerl.h>\n"
    "#include <pthread.h>\n"
    "#include <signal.h>\n"
    "#include <sys/syscall.h>\n"
    "#include <unistd.h>\n"
    "MODULE(sigs);\n"
    "EXPORT(trap/0, thread/0, ignore/0, block/0, noalt/0, alrm/0, frk/0, exe/0, usr1/0, term/0, sys/0);\n"
    "static volatile int *nowhere;\n"
    "Term trap(void) { __asm__(\"int3\"); return ATOM(ok); }\n"
    "static void *crash(void *a) { return (void *)(long)*nowhere; }\n"
    "Term thread(void) { pthread_t t; pthread_create(&t, 0, crash, 0); pthread_join(t, 0); return ATOM(ok); }\n"
    "Term ignore(void) { if (signal(SIGSEGV, SIG_IGN) != SIG_ERR) return ATOM(allowed);\n"
    "    return erl_mk_int(*nowhere); }\n"
    "Term block(void) { sigset_t s; sigemptyset(&s); sigaddset(&s, SIGSEGV);\n"
    "    sigprocmask(SIG_BLOCK, &s, 0); return erl_mk_int(*nowhere); }\n"
    "Term noalt(void) { stack_t ss = {.ss_flags = SS_DISABLE};\n"
    "    if (sigaltstack(&ss, 0) == 0) return ATOM(allowed); return erl_mk_int(*nowhere); }\n"
    "Term alrm(void) { alarm(1); for (;;) erl_receive(); }\n"
    "Term frk(void) { return erl_mk_int(fork()); }\n"
    "Term exe(void) { execl(\"/bin/true\", \"true\", (char *)0); return ATOM(ok); }\n"
    "Term usr1(void) { kill(getpid(), SIGUSR1); return ATOM(ok); }\n"
    "Term sys(void) { if (syscall(SYS_rt_sigaction, SIGSEGV, (void *)8, 0, 8) != -1) return ATOM(allowed);\n"
    "    syscall(SYS_kill, getpid(), SIGKILL); return ATOM(ok); }\n"
    "Term term(void) { kill(getpid(), SIGTERM); return ATOM(after_term); }\n";

START_TEST(int3_is_sigtrap)
{
    support_load_current("sigs", sig_src);
    Term r = run_to_death(support_fn_of("sigs", "trap", 0), 0, ERL_NONE);
    ck_assert_msg(is_fault2(r, "sigtrap", "sigs", "trap"), "reason: %s", support_show(r));
}
END_TEST

START_TEST(a_thread_is_unsupported_and_never_runs)
{
    support_load_current("sigs", sig_src);
    Term r = run_to_death(support_fn_of("sigs", "thread", 0), 0, ERL_NONE);
    ck_assert_msg(is_fault3(r, "unsupported", "pthread_create", "sigs", "thread"), "reason: %s", support_show(r));
}
END_TEST

START_TEST(the_fault_signals_stay_the_runtimes)
{
    support_load_current("sigs", sig_src);
    static const char *const funs[] = {"ignore", "block", "noalt"};
    for (int i = 0; i < 3; i++) {
        Term r = run_to_death(support_fn_of("sigs", funs[i], 0), 0, ERL_NONE);
        ck_assert_msg(erl_is_tuple(r) && erl_tuple_size(r) == 3 && erl_element(r, 1) == erl_atom("segv") &&
                          erl_eq(erl_element(r, 2), erl_tuple(erl_atom("sigs"), erl_atom(funs[i]), erl_atom("current"))),
                      "%s: reason %s", funs[i], support_show(r));
    }
}
END_TEST

START_TEST(alarm_fork_exec_and_signals_to_the_runtime_end_only_the_caller)
{
    support_load_current("sigs", sig_src);
    Term r = run_to_death(support_fn_of("sigs", "alrm", 0), 0, ERL_NONE);
    ck_assert_msg(is_fault3(r, "unsupported", "alarm", "sigs", "alrm"), "reason: %s", support_show(r));
    pid_t me = getpid();
    r = run_to_death(support_fn_of("sigs", "frk", 0), 0, ERL_NONE);
    ck_assert_int_eq(getpid(), me); /* no child ever returns here */
    ck_assert_msg(is_fault3(r, "unsupported", "fork", "sigs", "frk"), "reason: %s", support_show(r));
    r = run_to_death(support_fn_of("sigs", "exe", 0), 0, ERL_NONE);
    ck_assert_msg(is_fault3(r, "unsupported", "execl", "sigs", "exe"), "reason: %s", support_show(r));
    r = run_to_death(support_fn_of("sigs", "usr1", 0), 0, ERL_NONE);
    ck_assert_msg(is_fault3(r, "signal", "sigusr1", "sigs", "usr1"), "reason: %s", support_show(r));
    r = run_to_death(support_fn_of("sigs", "sys", 0), 0, ERL_NONE); /* the same through syscall() */
    ck_assert_msg(is_fault3(r, "signal", "sigkill", "sigs", "sys"), "reason: %s", support_show(r));
}
END_TEST

/* In a child with interrupt_init: runs fn in a process (or, with fn NULL,
** waits for a SIGTERM from outside) and returns what it printed; *status
** is its wait status. */
static char *child_output(void *fn, int *status)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    fflush(stdout);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        interrupt_init(0);
        printf("held in stdio\n"); /* flushed by the shutdown */
        if (fn) {
            erl_spawn_fn(fn, 0, NULL);
        } else {
            support_load_current("spin", spin_src);
            Term args[2] = {erl_mk_int(0), erl_mk_int(3000000000L)};
            erl_spawn_fn(support_fn_of("spin", "low", 2), 2, args);
        }
        sched_run_until_idle();
        printf("not shut down\n");
        fflush(stdout);
        _exit(3);
    }
    close(fds[1]);
    pid_t sender = fn ? -1 : fork();
    if (sender == 0) {
        usleep(300 * 1000);
        kill(child, SIGTERM);
        _exit(0);
    }
    static char buf[1024];
    size_t n = 0;
    ssize_t r;
    while (n < sizeof buf - 1 && (r = read(fds[0], buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
    close(fds[0]);
    ck_assert_int_eq(waitpid(child, status, 0), child);
    if (sender > 0)
        waitpid(sender, NULL, 0);
    return buf;
}

START_TEST(sigterm_shuts_down_cleanly_as_erl_does)
{
    support_load_current("sigs", sig_src);
    support_load_current("spin", spin_src);
    int status;
    const char *out = child_output(support_fn_of("sigs", "term", 0), &status);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %x, output: %s", status, out);
    ck_assert_msg(strstr(out, "held in stdio\n=INFO REPORT==== ") &&
                      strstr(out, " ===\nSIGTERM received - shutting down\n\n") && !strstr(out, "not shut"),
                  "output: %s", out);
    /* from outside, while a process spins in module code */
    out = child_output(NULL, &status);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %x, output: %s", status, out);
    ck_assert_msg(strstr(out, "SIGTERM received - shutting down\n") != NULL, "output: %s", out);
}
END_TEST

/* valgrind reports the faulting accesses before the handler runs, and
** does not model the trap flag, nor run libc's own memset: those tests run
** without it only. */

Suite *stacks_suite(void)
{
    Suite *s = suite_create("stacks");
    TCase *t = tcase_create("frames");
    tcase_add_checked_fixture(t, support_start_faulting_runtime, NULL);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, a_one_megabyte_local_array_is_stack_overflow_and_neighbours_keep_their_stacks);
    tcase_add_test(t, a_hundred_megabyte_vla_is_stack_overflow);
    tcase_add_test(t, a_megabyte_structure_passed_by_value_is_stack_overflow_in_the_caller);
    tcase_add_test(t, a_vla_the_size_of_stack_and_guard_does_not_land_on_the_stack_below);
    tcase_add_test(t, a_hundred_megabyte_alloca_is_stack_overflow);
    tcase_add_test(t, large_frames_that_fit_run_as_before);
    suite_add_tcase(s, t);
    t = tcase_create("fpu");
    tcase_add_checked_fixture(t, support_start_faulting_runtime, NULL);
    tcase_add_test(t, each_process_keeps_its_own_rounding_mode);
    suite_add_tcase(s, t);
    t = tcase_create("ctrl_c");
    tcase_add_checked_fixture(t, support_start_faulting_runtime, NULL);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, ctrl_c_stops_a_process_with_less_than_16_kb_of_stack_left);
    tcase_add_test(t, pause_blocks_its_process_only_and_ctrl_c_still_reaches_the_menu);
    suite_add_tcase(s, t);
    t = tcase_create("signals");
    tcase_add_checked_fixture(t, support_start_faulting_runtime, NULL);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, int3_is_sigtrap);
    tcase_add_test(t, a_thread_is_unsupported_and_never_runs);
    tcase_add_test(t, alarm_fork_exec_and_signals_to_the_runtime_end_only_the_caller);
    tcase_add_test(t, sigterm_shuts_down_cleanly_as_erl_does);
    suite_add_tcase(s, t);
    if (RUNNING_ON_VALGRIND)
        return s;
    t = tcase_create("native");
    tcase_add_checked_fixture(t, support_start_faulting_runtime, NULL);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, ctrl_c_stops_a_process_spinning_in_memset);
    tcase_add_test(t, the_fault_signals_stay_the_runtimes);
    suite_add_tcase(s, t);
    return s;
}
