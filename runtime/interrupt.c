/*
** interrupt.c
** SIGINT, SIGTERM and the watchdog tick: flags set in signal handlers, and
** the trampoline that stops a process running module code at a safe point.
*/
#include "interrupt.h"
#include "code.h"
#include "fault.h"
#include "logger.h"
#include "timer.h"
#include "sched.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
static volatile sig_atomic_t term_pending;  /* SIGTERM not handled yet */
static volatile sig_atomic_t in_break;      /* the break hook is running */
static volatile sig_atomic_t again;         /* Ctrl-C during the break hook */
static volatile sig_atomic_t stop_armed;
static volatile sig_atomic_t report_pending; /* the stop is for the watchdog */
static volatile uintptr_t stopped_pc;
static volatile long report_ms;

/* Stepping a process out of library code (see stop_running): set while
** the trap flag is on in the interrupted context, with the steps taken. */
static volatile sig_atomic_t stepping;
static volatile long steps;
/* Set while stop_armed is, when the stop is a library function's return
** address redirected (hijack_return), with the pid of its process. */
static volatile sig_atomic_t hijacked;
static volatile Term hijacked_pid;

/* Bytes of stack a stop needs below the interrupted frame (the trampoline,
** then the BREAK menu), and how much of the guard may be opened for a
** process that has less left. */
enum { STOP_STACK = 16 * 1024, STOP_OPEN_GUARD = STACK_GUARD_SIZE / 2 };
/* Instructions stepped before giving up until the next tick: a single
** library call that runs longer (a memset of megabytes) is stopped by a
** later tick that lands nearer its end. */
enum { STEP_BUDGET = 50000 };
enum { EFLAGS_TF = 0x100 };

/* The runtime's own code, libtcc included: neither module nor library. */
extern char __executable_start[], etext[];

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

/* Where a library function hijacked on its way back to module code returns
** to (see hijack_return): as if the module code it returns to had been
** stopped there. */
static volatile uintptr_t hijacked_ret __asm__("interrupt_hijacked_ret_") __attribute__((used));
__asm__(".text\n"
        ".type interrupt_return_trampoline_, @function\n"
        "interrupt_return_trampoline_:\n"
        "    leaq -128(%rsp), %rsp\n"
        "    pushq interrupt_hijacked_ret_(%rip)\n"
        "    jmp interrupt_trampoline_\n"
        ".size interrupt_return_trampoline_, .-interrupt_return_trampoline_\n");
void interrupt_return_trampoline_(void);
#define PC_REG REG_RIP
#define SP_REG REG_RSP
#else
#error "cerl: no interrupt trampoline for this CPU yet (see runtime/interrupt.c)"
#endif

/* ============================================================ signals */

/* Whether pc is at a string instruction with a rep prefix (rep stos, rep
** movs): the inside of memset and memcpy for large blocks, which a single
** step crosses one element at a time. */
static bool at_rep_string(uintptr_t pc)
{
    const unsigned char *c = (const unsigned char *)pc;
    if (c[0] != 0xf3)
        return false;
    int i = (c[1] & 0xf0) == 0x40 ? 2 : 1; /* a REX prefix */
    return c[i] == 0xa4 || c[i] == 0xa5 || c[i] == 0xaa || c[i] == 0xab;
}

/* From a handler, with p stopped at a rep string instruction in a library:
** such code (memset, memcpy) is a leaf function that pushed nothing, so the
** word at the stack pointer is its return address. If that is a return
** into module code (just after a call), it is redirected into the return
** trampoline: the function runs to its end, then the process stops as if
** interrupted at the return address. Returns whether it did. */
__attribute__((no_sanitize_address)) static bool hijack_return(Proc *p, uintptr_t pc, uintptr_t sp)
{
    if (!at_rep_string(pc) || sp < (uintptr_t)p->stack.base ||
        sp + 8 > (uintptr_t)p->stack.base + p->stack.size)
        return false;
    uintptr_t *slot = (uintptr_t *)sp, ret = *slot;
    if (!code_is_function(ret - 1) || !code_is_function(ret - 5) || *(const unsigned char *)(ret - 5) != 0xe8)
        return false;
    hijacked_ret = ret;
    hijacked_pid = p->pid;
    hijacked = 1;
    stopped_pc = ret;
    stop_armed = 1;
    *slot = (uintptr_t)interrupt_return_trampoline_;
    return true;
}

static bool in_library(uintptr_t pc)
{
    return (pc < (uintptr_t)__executable_start || pc >= (uintptr_t)etext) && !code_runs_module(pc);
}

/* Whether a SIGTRAP handler is there to take the steps (fault.c's). */
static bool can_step(void)
{
    struct sigaction sa;
    return sigaction(SIGTRAP, NULL, &sa) == 0 && (sa.sa_flags & SA_SIGINFO);
}

/* From a handler: if the running process is executing module code on its
** own stack, makes it enter the trampoline when the handler returns.
** Returns whether it did (or will, as a library function returns).
** Refuses when the handler itself runs on the
** process's stack (no alternate stack): its frame would sit where the
** trampoline's return address goes.
** A process with less than STOP_STACK bytes of stack left gets the top of
** its guard opened for the stop (stack_open_guard). A process in library
** code (libc spinning in memset, or blocked in a system call the signal
** interrupted) is stepped, when 'may_step', one instruction at a time with
** the trap flag until it returns to module code (interrupt_step_); runtime
** code is never stopped: it yields by itself. */
__attribute__((no_sanitize_address)) static bool stop_running(ucontext_t *uc, bool may_step)
{
    Proc *p = *(Proc *volatile *)&sched_current;
    if (stop_armed && hijacked && (!p || p->pid != hijacked_pid)) {
        /* the hijacked process died in the library function: nothing will
        ** return through the slot (its stack is not written again) */
        hijacked = 0;
        stop_armed = 0;
    }
    if (stop_armed || !p || p->state != PS_RUNNING || !p->stack.base)
        return false;
    greg_t *r = uc->uc_mcontext.gregs;
    uintptr_t pc = (uintptr_t)r[PC_REG], sp = (uintptr_t)r[SP_REG];
    uintptr_t lo = (uintptr_t)p->stack.base, hi = lo + p->stack.size, here = (uintptr_t)&p;
    if (here >= lo - STACK_GUARD_SIZE && here < hi)
        return false;
    if (sp > hi || sp < lo - STOP_OPEN_GUARD + STOP_STACK)
        return false;
    if (!code_runs_module(pc)) {
        if (in_library(pc) && hijack_return(p, pc, sp))
            return true; /* stops when the library function returns */
        if (may_step && !stepping && in_library(pc) && can_step()) {
            steps = 0;
            stepping = 1;
            r[REG_EFL] |= EFLAGS_TF;
        }
        return false;
    }
    if (sp < lo + STOP_STACK && !stack_open_guard(&p->stack, STOP_OPEN_GUARD))
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

bool interrupt_step_(void *ucv)
{
    if (!stepping)
        return false;
    ucontext_t *uc = ucv;
    greg_t *r = uc->uc_mcontext.gregs;
    uintptr_t pc = (uintptr_t)r[PC_REG];
    Proc *p = *(Proc *volatile *)&sched_current;
    if (p && p->state == PS_RUNNING && (break_pending || term_pending) && !in_break) {
        bool lib = in_library(pc);
        if (lib && ++steps < STEP_BUDGET && !hijack_return(p, pc, (uintptr_t)r[SP_REG]))
            return true; /* one more step */
        r[REG_EFL] &= ~(greg_t)EFLAGS_TF;
        stepping = 0;
        if (code_runs_module(pc))
            stop_running(uc, false);
        return true;
    }
    r[REG_EFL] &= ~(greg_t)EFLAGS_TF;
    stepping = 0;
    return true;
}

static void on_sigint(int sig, siginfo_t *si, void *uc)
{
    int saved = errno;
    if (in_break)
        again = 1;
    else {
        break_pending = 1;
        stop_running(uc, true);
    }
    errno = saved;
}

/* SIGTERM: erl shuts down cleanly; so does cerl, at the next safe point. */
static void on_sigterm(int sig, siginfo_t *si, void *uc)
{
    int saved = errno;
    term_pending = 1;
    stop_running(uc, true);
    errno = saved;
}

/* Every 100 ms of CPU time: retry a stop for a pending Ctrl-C, and watch
** for a process that has not been switched out for too long. */
static void on_tick(int sig, siginfo_t *si, void *uc)
{
    int saved = errno;
    Proc *p = *(Proc *volatile *)&sched_current;
    if ((break_pending && !in_break) || term_pending)
        stop_running(uc, true);
    if (!p || p->state != PS_RUNNING) {
        watch.pid = ERL_NONE;
    } else if (p->pid != watch.pid || p->reductions != watch.reds) {
        watch.pid = p->pid;
        watch.reds = p->reductions;
        watch.since_ms = timer_now_ms();
        watch.reported = false;
    } else if (watch.limit_ms > 0 && !watch.reported && !in_break) {
        long ran = (long)(timer_now_ms() - watch.since_ms) + INTERRUPT_TICK_MS;
        if (ran >= watch.limit_ms && stop_running(uc, false)) {
            report_ms = ran;
            report_pending = 1;
            watch.reported = true;
        }
    }
    errno = saved;
}

int interrupt_init(long watchdog_ms)
{
    watch.limit_ms = watchdog_ms;
    if (fault_altstack() != 0) /* the handlers' frames must not land on a process stack */
        return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGPROF);
    sigaddset(&sa.sa_mask, SIGTERM);
    /* no SA_RESTART: a Ctrl-C must end the idle hook's wait for input */
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sa.sa_sigaction = on_sigint;
    if (sigaction(SIGINT, &sa, NULL) != 0)
        return -1;
    sa.sa_sigaction = on_sigterm;
    if (sigaction(SIGTERM, &sa, NULL) != 0)
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
    signal(SIGTERM, SIG_DFL);
    break_pending = 0;
    term_pending = 0;
    watch.pid = ERL_NONE;
}

/* ========================================================= safe points */

bool interrupt_pending(void)
{
    return break_pending || term_pending;
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

/* erl's answer to SIGTERM: a report, then init:stop(), exit status 0.
** exit() flushes stdio and restores the terminal (the reader's atexit). */
static void run_term(void)
{
    if (!term_pending)
        return;
    term_pending = 0;
    Buf b = {0};
    logger_header(&b, "INFO");
    buf_puts(&b, "SIGTERM received - shutting down\n\n");
    fflush(stdout);
    fputs(buf_str(&b), stdout);
    buf_free(&b);
    fflush(stdout);
    exit(0);
}

bool interrupt_poll(void)
{
    run_term();
    return run_break(sched_current);
}

void interrupt_safe_point_(void)
{
    Proc *p = sched_current;
    uintptr_t pc = stopped_pc;
    stop_armed = 0;
    hijacked = 0;
    run_term();
    if (report_pending) {
        report_pending = 0;
        if (interrupt_runaway_hook)
            interrupt_runaway_hook(p, report_ms, pc);
    }
    run_break(p);
}
