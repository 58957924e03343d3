/*
** interrupt.c
** SIGINT and the watchdog tick: flags set in signal handlers, and the
** trampoline that stops a process running module code at a safe point.
*/
#include "interrupt.h"
#include "code.h"
#include "sched.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>

/* valgrind does not see sigreturn move the stack pointer down: it must be
** told that the trampoline's frames below the interrupted one are usable. */
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#else
#define VALGRIND_MAKE_MEM_UNDEFINED(a, n) ((void)(a), (void)(n))
#endif

bool (*interrupt_break_hook)(Proc *in);
void (*interrupt_runaway_hook)(Proc *p, long ms, uintptr_t pc);

/* Shared between the handlers and the rest of the runtime (one thread: a
** handler interrupts the code below, never runs beside it).
** Invariant: 'stop_armed' is set from the moment a handler redirects the
** running process into the trampoline until interrupt_safe_point_ starts;
** no second redirection happens meanwhile. */
static volatile sig_atomic_t break_pending; /* Ctrl-C not handled yet */
static volatile sig_atomic_t in_break;      /* the break hook is running */
static volatile sig_atomic_t again;         /* Ctrl-C during the break hook */
static volatile sig_atomic_t stop_armed;
static volatile sig_atomic_t report_pending; /* the stop is for the watchdog */
static volatile uintptr_t stopped_pc;
static volatile long report_ms;

/* The watchdog's view of the running process: who, since when, and its
** reduction count then (it grows on every switch-in and receive, so an
** unchanged count means it has not been switched out since). */
static struct {
    long limit_ms;      /* 0: no reports */
    Term pid;           /* ERL_NONE when none is watched */
    uint64_t reds;
    uint64_t since_ms;
    bool reported;
} watch = {.pid = ERL_NONE};

/* ========================================================= trampoline */

/* Entered by a redirected sigreturn with [rsp] = the interrupted pc, as if
** that pc had called it, and the interrupted code's 128-byte red zone above
** that. Saves every register the interrupted code may be using (flags and
** the SSE state included), builds a frame whose return address is the
** interrupted pc (so frame walks see the module function it stopped in),
** calls interrupt_safe_point_ with an aligned stack, restores everything and
** returns past the red zone to where the process was stopped. */
#if defined(__x86_64__)
__asm__(".text\n"
        ".globl interrupt_trampoline_\n"
        ".type interrupt_trampoline_, @function\n"
        "interrupt_trampoline_:\n"
        "    pushq %rbp\n"
        "    movq %rsp, %rbp\n"
        "    pushfq\n"
        "    pushq %rax\n    pushq %rcx\n    pushq %rdx\n    pushq %rsi\n    pushq %rdi\n"
        "    pushq %r8\n    pushq %r9\n    pushq %r10\n    pushq %r11\n"
        "    pushq %rbx\n    pushq %r12\n    pushq %r13\n    pushq %r14\n    pushq %r15\n"
        "    movq %rsp, %rbx\n"
        "    subq $512, %rsp\n"
        "    andq $-64, %rsp\n"
        "    fxsave64 (%rsp)\n"
        "    cld\n"
        "    call interrupt_safe_point_\n"
        "    fxrstor64 (%rsp)\n"
        "    movq %rbx, %rsp\n"
        "    popq %r15\n    popq %r14\n    popq %r13\n    popq %r12\n    popq %rbx\n"
        "    popq %r11\n    popq %r10\n    popq %r9\n    popq %r8\n"
        "    popq %rdi\n    popq %rsi\n    popq %rdx\n    popq %rcx\n    popq %rax\n"
        "    popfq\n"
        "    popq %rbp\n"
        "    ret $128\n"
        ".size interrupt_trampoline_, .-interrupt_trampoline_\n");
void interrupt_trampoline_(void);
#define PC_REG REG_RIP
#define SP_REG REG_RSP
#else
#error "cerl: no interrupt trampoline for this CPU yet (see runtime/interrupt.c)"
#endif

/* ============================================================ signals */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* async-signal-safe */
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* From a handler: if the running process is executing module code on its
** own stack, makes it enter the trampoline when the handler returns.
** Returns whether it did. Refuses when the handler itself runs on the
** process's stack (no alternate stack): its frame would sit where the
** trampoline's return address goes. */
__attribute__((no_sanitize_address)) static bool stop_running(ucontext_t *uc)
{
    Proc *p = *(Proc *volatile *)&sched_current;
    if (stop_armed || !p || p->state != PS_RUNNING || !p->stack.base)
        return false;
    greg_t *r = uc->uc_mcontext.gregs;
    uintptr_t pc = (uintptr_t)r[PC_REG], sp = (uintptr_t)r[SP_REG];
    uintptr_t lo = (uintptr_t)p->stack.base, hi = lo + p->stack.size, here = (uintptr_t)&p;
    if (here >= lo && here < hi)
        return false;
    if (sp < lo + 16384 || sp > hi || !code_runs_module(pc))
        return false;
    uintptr_t *ret = (uintptr_t *)(sp - 128 - 8);
    VALGRIND_MAKE_MEM_UNDEFINED((char *)ret - 4096, 4096 + 8);
    *ret = pc;
    r[SP_REG] = (greg_t)(uintptr_t)ret;
    r[PC_REG] = (greg_t)(uintptr_t)interrupt_trampoline_;
    stopped_pc = pc;
    stop_armed = 1;
    return true;
}

static void on_sigint(int sig, siginfo_t *si, void *uc)
{
    int saved = errno;
    if (in_break)
        again = 1;
    else {
        break_pending = 1;
        stop_running(uc);
    }
    errno = saved;
}

/* Every 100 ms of CPU time: retry a stop for a pending Ctrl-C, and watch
** for a process that has not been switched out for too long. */
static void on_tick(int sig, siginfo_t *si, void *uc)
{
    int saved = errno;
    Proc *p = *(Proc *volatile *)&sched_current;
    if (break_pending && !in_break)
        stop_running(uc);
    if (!p || p->state != PS_RUNNING) {
        watch.pid = ERL_NONE;
    } else if (p->pid != watch.pid || p->reductions != watch.reds) {
        watch.pid = p->pid;
        watch.reds = p->reductions;
        watch.since_ms = now_ms();
        watch.reported = false;
    } else if (watch.limit_ms > 0 && !watch.reported && !in_break) {
        long ran = (long)(now_ms() - watch.since_ms) + INTERRUPT_TICK_MS;
        if (ran >= watch.limit_ms && stop_running(uc)) {
            report_ms = ran;
            report_pending = 1;
            watch.reported = true;
        }
    }
    errno = saved;
}

/* The handlers' frames must not land on a process stack (see stop_running):
** make sure an alternate signal stack exists. */
static int ensure_altstack(void)
{
    stack_t old;
    if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE))
        return 0;
    stack_t ss = {.ss_size = 64 * 1024};
    ss.ss_sp = mmap(NULL, ss.ss_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ss.ss_sp == MAP_FAILED)
        return -1;
    return sigaltstack(&ss, NULL);
}

int interrupt_init(long watchdog_ms)
{
    watch.limit_ms = watchdog_ms;
    if (ensure_altstack() != 0)
        return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGPROF);
    /* no SA_RESTART: a Ctrl-C must end the idle hook's wait for input */
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sa.sa_sigaction = on_sigint;
    if (sigaction(SIGINT, &sa, NULL) != 0)
        return -1;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
    sa.sa_sigaction = on_tick;
    if (sigaction(SIGPROF, &sa, NULL) != 0)
        return -1;
    struct itimerval it = {{0, INTERRUPT_TICK_MS * 1000}, {0, INTERRUPT_TICK_MS * 1000}};
    return setitimer(ITIMER_PROF, &it, NULL);
}

void interrupt_shutdown(void)
{
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &off, NULL);
    signal(SIGPROF, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    break_pending = 0;
    watch.pid = ERL_NONE;
}

/* ========================================================= safe points */

bool interrupt_pending(void)
{
    return break_pending;
}

bool interrupt_again(void)
{
    return again;
}

static bool run_break(Proc *in)
{
    if (!break_pending || in_break)
        return false;
    break_pending = 0;
    again = 0;
    in_break = 1;
    bool kill = false;
    if (interrupt_break_hook) {
        kill = interrupt_break_hook(in);
    } else {
        signal(SIGINT, SIG_DFL);
        raise(SIGINT);
    }
    in_break = 0;
    if (kill && in)
        proc_exit_self(AM_killed); /* as exit(Pid, kill) does it */
    return true;
}

bool interrupt_poll(void)
{
    return run_break(sched_current);
}

void interrupt_safe_point_(void)
{
    Proc *p = sched_current;
    uintptr_t pc = stopped_pc;
    stop_armed = 0;
    if (report_pending) {
        report_pending = 0;
        if (interrupt_runaway_hook)
            interrupt_runaway_hook(p, report_ms, pc);
    }
    run_break(p);
}
