/*
** fault.c
** Signal handlers that turn a fault in module code into the exit of the
** faulting process (see fault.h for the exit reasons).
**
** How a process dies of a fault: the handler runs on an alternate stack (the
** process's own may be the one that overflowed). It decides who is to blame
** by walking the faulting context's frames (frames.h: only the process's
** stack and the loaded objects are read, nothing calls malloc, and no lock
** is taken that the interrupted code could hold). If the
** process is to blame, it rewrites the interrupted context so that returning
** from the handler "returns" into die() at the top of the process's own
** stack: sigreturn then restores the signal mask as it was, which a longjmp
** out of the handler would not. die() runs as ordinary process code, builds
** the reason on the process's heap and exits. The process's frames below are
** abandoned, never unwound: catch frames in them are not run, which is why a
** fault cannot be caught.
*/
#include "fault.h"
#include "asan.h"
#include "code.h"
#include "frames.h"
#include "interrupt.h"
#include "proc.h"
#include "sched.h"
#include "stacktrace.h"

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#if !defined(__x86_64__)
#error "cerl: fault.c reads x86-64 registers from the signal context"
#endif

/* What die() is told: the kind of fault, where (a code address in the
** function to blame, 0 when there is none) and the faulting data address. */
typedef enum FaultKind {
    FK_SEGV,
    FK_BUS,
    FK_ARITH,
    FK_ILL,
    FK_ABORT,
    FK_OVERFLOW,
    FK_PURGED,
    FK_TRAP,
    FK_LONGJMP
} FaultKind;

static const int fault_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};
enum { NSIGNALS = sizeof fault_signals / sizeof *fault_signals };
enum { ALTSTACK_SIZE = 64 * 1024 };

/* Bytes at the top of a process's stack that die() may use. */
enum { DIE_STACK = 4 * 1024 * 1024 };

static bool installed;
/* Set while the handler runs: a fault inside it must not recurse. */
static volatile sig_atomic_t handling;
/* glibc's pointer guard for jmp_bufs, once learned (see learn_jmp_guard). */
static uintptr_t jmp_guard;
static bool jmp_guard_known;

/* ================================================= async-signal-safe text */

static void say(const char *s)
{
    ssize_t r = write(STDERR_FILENO, s, strlen(s));
    (void)r;
}

static void say_hex(uintptr_t v)
{
    char buf[2 + 16 + 1];
    int i = (int)sizeof buf - 1;
    buf[i] = '\0';
    do {
        buf[--i] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v && i > 2);
    buf[--i] = 'x';
    buf[--i] = '0';
    say(buf + i);
}

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV (bad memory access)";
    case SIGBUS: return "SIGBUS (bus error)";
    case SIGFPE: return "SIGFPE (arithmetic fault)";
    case SIGILL: return "SIGILL (illegal instruction)";
    case SIGABRT: return "SIGABRT (abort)";
    case SIGTRAP: return "SIGTRAP (breakpoint)";
    default: return "signal";
    }
}

/* A fault nobody can take the blame for: say so, then die of the signal
** with its default action (a core dump). */
static void runtime_fault(int sig, uintptr_t addr, uintptr_t pc, const char *why)
{
    say("cerl: ");
    say(signal_name(sig));
    say(" at address ");
    say_hex(addr);
    say(", pc ");
    say_hex(pc);
    say(": ");
    say(why);
    say("\n");
    for (int i = 0; i < NSIGNALS; i++)
        signal(fault_signals[i], SIG_DFL);
    raise(sig); /* default action now: the runtime dies of sig */
}

/* ========================================================= who to blame */

static bool on_stack(const Proc *p, uintptr_t a)
{
    uintptr_t lo = (uintptr_t)p->stack.base;
    return a >= lo && a < lo + p->stack.size;
}

/* What the walk of a faulting context finds: the module frames, innermost
** first, for the stack trace (stacktrace.h). The first is the one to blame. */
typedef struct Blame {
    int npcs, seen;
    uintptr_t pcs[EXC_STACK_DEPTH];
} Blame;

static bool in_module_function(uintptr_t pc, void *arg)
{
    Blame *b = arg;
    if (++b->seen > 1024) /* enough: the frames that matter are the innermost */
        return true;
    if (!code_is_function(pc) || (b->npcs && b->pcs[b->npcs - 1] == pc))
        return false;
    b->pcs[b->npcs++] = pc;
    return b->npcs == EXC_STACK_DEPTH;
}

/* The module frames of p's interrupted context uc (frames.h walks through
** the frames of libc and the runtime called from module code, and past a
** call to a wild address). The innermost, b->pcs[0], is the code address to
** blame; b->npcs is 0 when no module function is on the stack. */
static void blame(const Proc *p, const ucontext_t *uc, Blame *b)
{
    b->npcs = b->seen = 0;
    frames_walk_signal(p, uc, in_module_function, b);
}

static uintptr_t blamed(const Blame *b)
{
    return b->npcs ? b->pcs[0] : 0;
}

/* Whether a SIGSEGV at addr with the stack pointer at sp is p running out of
** stack: the access is in the guard below the stack, and the stack pointer
** is at the bottom of the stack or already in the guard. */
static bool is_overflow(const Proc *p, uintptr_t addr, uintptr_t sp)
{
    uintptr_t lo = (uintptr_t)p->stack.base;
    return stack_in_guard(&p->stack, (const void *)addr) && sp < lo + 4096 &&
           sp >= lo - STACK_GUARD_SIZE;
}

/* ================================================================ dying */

/* Where a fault happened, as a term: {Mod, Fun, current|old}, or for purged
** code {Mod, Fun, purged}; undefined when unknown. */
static Term where_term(Heap *h, FaultKind kind, uintptr_t where)
{
    Term w = ERL_NONE;
    if (where)
        w = kind == FK_PURGED ? code_purged_info(h, where) : code_address_info(h, where);
    return w == ERL_NONE ? AM_undefined : w;
}

/* Entered from the handler's rewritten context, on the top of the faulting
** process's stack with an empty frame chain (or, with a catcher, just below
** the catcher's floor). Ordinary process code from here.
** 'frames' (NULL: none known) are the faulting frames; they are left in
** exc_last_, as the error the fault is, for proc_error_hook to read (class
** error), or for the catcher (class exit). With a catcher (NULL: none) the
** fault lands in it as an exception; nothing is reported. */
__attribute__((noreturn, used)) static void die(FaultKind kind, uintptr_t where, uintptr_t addr,
                                                const Blame *frames, ErlCatch *catcher)
{
    Proc *p = sched_current;
    /* the frames below are abandoned: nothing unwinds into them */
    exc_top_ = catcher;
    Heap *h = &p->heap;
    Term w = where_term(h, kind, where);
    Term a = erl_mk_int((int64_t)(addr & (uint64_t)ERL_SMALL_MAX)); /* user addresses fit */
    Term reason;
    switch (kind) {
    case FK_SEGV: reason = term_tuple(h, 3, (Term[]){erl_atom("segv"), w, a}); break;
    case FK_BUS: reason = term_tuple(h, 3, (Term[]){erl_atom("sigbus"), w, a}); break;
    case FK_ARITH: reason = term_tuple(h, 2, (Term[]){erl_atom("badarith"), w}); break;
    case FK_ILL: reason = term_tuple(h, 2, (Term[]){erl_atom("sigill"), w}); break;
    case FK_ABORT: reason = term_tuple(h, 2, (Term[]){erl_atom("abort"), w}); break;
    case FK_OVERFLOW: reason = term_tuple(h, 2, (Term[]){erl_atom("stack_overflow"), w}); break;
    case FK_TRAP: reason = term_tuple(h, 2, (Term[]){erl_atom("sigtrap"), w}); break;
    case FK_LONGJMP: reason = term_tuple(h, 2, (Term[]){erl_atom("bad_longjmp"), w}); break;
    default: reason = term_tuple(h, 3, (Term[]){erl_atom("purged_code"), w, a}); break;
    }
    exc_last_ = (ErlException){.cls = AM_error, .reason = reason, .where = ERL_NONE};
    if (frames) {
        exc_last_.npcs = frames->npcs;
        memcpy(exc_last_.pcs, frames->pcs, sizeof frames->pcs);
    }
    if (catcher) {
        exc_last_.cls = AM_exit;
        _longjmp(catcher->jb, 1);
    }
    if (proc_error_hook)
        proc_error_hook(p, reason);
    proc_exit_self(reason);
}

/* Makes sigreturn resume in die(kind, where, addr, frames, catcher) at the
** top of p's stack (with a catcher: just below its floor), as if die had
** just been called (rsp + 8 16-byte aligned) by nobody (return address 0,
** frame pointer 0). A copy of *frames goes above die's first frame. */
__attribute__((no_sanitize_address))
static void redirect(ucontext_t *uc, Proc *p, FaultKind kind, uintptr_t where, uintptr_t addr,
                     const Blame *frames, ErlCatch *catcher)
{
    greg_t *r = uc->uc_mcontext.gregs;
    uintptr_t end = catcher ? catcher->fault_floor : (uintptr_t)p->stack.base + p->stack.size;
    uintptr_t top = end & ~(uintptr_t)15;
    /* the frames die() will reuse are abandoned: forget AddressSanitizer's
    ** view of them (the rest of the stack is unpoisoned when it is reused) */
    size_t avail = end - (uintptr_t)p->stack.base;
    size_t reuse = avail < DIE_STACK ? avail : DIE_STACK;
    ASAN_UNPOISON((char *)end - reuse, reuse);
    Blame *copy = (Blame *)((top - sizeof *frames) & ~(uintptr_t)15);
    *copy = *frames;
    uintptr_t sp = ((uintptr_t)copy & ~(uintptr_t)15) - 64 - 8;
    *(uintptr_t *)sp = 0;
    r[REG_RSP] = (greg_t)sp;
    r[REG_RBP] = 0;
    r[REG_RIP] = (greg_t)(uintptr_t)die;
    r[REG_RDI] = (greg_t)kind;
    r[REG_RSI] = (greg_t)where;
    r[REG_RDX] = (greg_t)addr;
    r[REG_RCX] = (greg_t)(uintptr_t)copy;
    r[REG_R8] = (greg_t)(uintptr_t)catcher;
    r[REG_EFL] &= ~(greg_t)0x400; /* direction flag clear, as the ABI wants */
}

/* ======================================================= catching faults */

/* Stack a catcher must have left below its floor for die() to run there. */
enum { CATCH_STACK = 64 * 1024 };

static bool jmp_buf_fits_catch(const Proc *p, const ErlCatch *c);

/* The catch frame of p that is to receive a fault of kind 'kind' at code
** address pc (error.h's fault_floor, cerl.h's erl_catch_fault), or NULL
** when the process is to end as before: no such frame, a fault in cerl's
** own code (the process's heap may be half-updated) or in purged code, a
** frame chain that does not look intact (module code may have written over
** it), or too little stack below the frame. Ordinary catch frames are
** passed by. Reads only the process's stack. */
static ErlCatch *fault_catcher(const Proc *p, FaultKind kind, uintptr_t pc)
{
    if (kind == FK_PURGED || !jmp_guard_known || (pc && frames_pc_in_cerl(pc)))
        return NULL;
    uintptr_t lo = (uintptr_t)p->stack.base, hi = lo + p->stack.size, below = lo;
    for (ErlCatch *c = exc_top_; c; c = c->prev) {
        uintptr_t a = (uintptr_t)c;
        /* on the stack, aligned, and each further up than the one inside it */
        if (a < below || a + sizeof *c > hi || a % _Alignof(ErlCatch))
            return NULL;
        below = a + sizeof *c;
        if (!c->fault_floor)
            continue;
        if (c->fault_floor >= a || c->fault_floor < lo + CATCH_STACK || !jmp_buf_fits_catch(p, c))
            return NULL;
        return c;
    }
    return NULL;
}

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    greg_t *r = uc->uc_mcontext.gregs;
    uintptr_t pc = (uintptr_t)r[REG_RIP], sp = (uintptr_t)r[REG_RSP];
    uintptr_t addr = (sig == SIGSEGV || sig == SIGBUS) ? (uintptr_t)si->si_addr : pc;
    if (sig == SIGTRAP && si->si_code == TRAP_TRACE && interrupt_step_(ucv))
        return; /* a step toward stopping the process for Ctrl-C */
    if (handling) {
        say("cerl: ");
        say(signal_name(sig));
        say(" while handling a fault; giving up\n");
        _exit(128 + sig);
    }
    handling = 1;
    Proc *p = sched_current;
    if (!p || p->state != PS_RUNNING || !p->stack.base) {
        runtime_fault(sig, addr, pc, "fault in cerl's runtime (no process running)");
        goto out;
    }
    if (sig == SIGSEGV && is_overflow(p, addr, sp)) {
        Blame b;
        blame(p, uc, &b);
        redirect(uc, p, FK_OVERFLOW, blamed(&b), addr, &b, fault_catcher(p, FK_OVERFLOW, pc));
        goto out;
    }
    if (!on_stack(p, sp)) {
        runtime_fault(sig, addr, pc, "fault in cerl's runtime (off the process's stack)");
        goto out;
    }
    Blame b;
    if (sig == SIGSEGV && code_in_purged(pc)) {
        b.npcs = 0;
        redirect(uc, p, FK_PURGED, pc, pc, &b, NULL);
        goto out;
    }
    blame(p, uc, &b);
    uintptr_t where = blamed(&b);
    /* nothing to blame: the runtime's fault, unless the pc is in no code at
    ** all (a jump to a wild address that left no module frame to find) */
    if (!where && frames_pc_in_code(pc)) {
        runtime_fault(sig, addr, pc, "fault in cerl's runtime");
        goto out;
    }
    FaultKind kind = sig == SIGSEGV ? FK_SEGV
                   : sig == SIGBUS  ? FK_BUS
                   : sig == SIGFPE  ? FK_ARITH
                   : sig == SIGILL  ? FK_ILL
                   : sig == SIGTRAP ? FK_TRAP
                                    : FK_ABORT;
    redirect(uc, p, kind, where, addr, &b, fault_catcher(p, kind, pc));
out:
    handling = 0;
}

/* ==================================================== longjmp in modules */

/* glibc keeps a jmp_buf's frame pointer, stack pointer and pc mangled: xor'd
** with a per-process guard, then rotated left by 17 bits. The guard is
** learned once, from a jmp_buf filled here (where the frame pointer is
** known), and checked against the stack pointer saved beside it. */
enum { JB_RBP = 1, JB_RSP = 6, JB_PC = 7 };

static uintptr_t ror17(uintptr_t v)
{
    return v >> 17 | v << 47;
}

__attribute__((noinline)) static void learn_jmp_guard(void)
{
    jmp_buf jb;
    if (_setjmp(jb) != 0)
        return; /* never jumped to */
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
    uintptr_t guard = ror17((uintptr_t)jb[0].__jmpbuf[JB_RBP]) ^ fp;
    uintptr_t sp = ror17((uintptr_t)jb[0].__jmpbuf[JB_RSP]) ^ guard;
    jmp_guard = guard;
    jmp_guard_known = sp < fp && fp - sp < 4096;
}

/* Whether env can be what setjmp saved in module code of p, in a frame
** still below ('here' is the longjmp's own frame): the stack pointer further
** up p's stack, the pc in module code, the mask flag as setjmp writes it. */
static bool jmp_buf_fits(const Proc *p, const struct __jmp_buf_tag *env, uintptr_t here)
{
    uintptr_t sp = ror17((uintptr_t)env->__jmpbuf[JB_RSP]) ^ jmp_guard;
    uintptr_t pc = ror17((uintptr_t)env->__jmpbuf[JB_PC]) ^ jmp_guard;
    uintptr_t top = (uintptr_t)p->stack.base + p->stack.size;
    return sp > here && sp <= top && code_runs_module(pc) &&
           (env->__mask_was_saved == 0 || env->__mask_was_saved == 1);
}

/* Whether c's jmp_buf is what exc_try saved in cerl's code, in a frame
** above c's floor (the mangling as above). */
static bool jmp_buf_fits_catch(const Proc *p, const ErlCatch *c)
{
    uintptr_t sp = ror17((uintptr_t)c->jb[0].__jmpbuf[JB_RSP]) ^ jmp_guard;
    uintptr_t pc = ror17((uintptr_t)c->jb[0].__jmpbuf[JB_PC]) ^ jmp_guard;
    uintptr_t top = (uintptr_t)p->stack.base + p->stack.size;
    return sp > c->fault_floor && sp <= top && frames_pc_in_cerl(pc);
}

void fault_module_longjmp(struct __jmp_buf_tag env[1], int val)
{
    Proc *p = sched_current;
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    if (p && jmp_guard_known && !jmp_buf_fits(p, env, here)) {
        Blame b = {0};
        b.npcs = stacktrace_capture(b.pcs, EXC_STACK_DEPTH);
        uintptr_t where = (uintptr_t)__builtin_return_address(0) - 1;
        die(FK_LONGJMP, where, 0, &b, fault_catcher(p, FK_LONGJMP, where));
    }
    siglongjmp(env, val);
}

/* ============================================================ set-up */

int fault_altstack(void)
{
    stack_t old;
    if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE) && old.ss_size >= ALTSTACK_SIZE)
        return 0;
    stack_t ss = {0};
    ss.ss_size = ALTSTACK_SIZE;
    ss.ss_sp = mmap(NULL, ss.ss_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ss.ss_sp == MAP_FAILED)
        return -1;
    if (sigaltstack(&ss, NULL) != 0) {
        munmap(ss.ss_sp, ss.ss_size);
        return -1;
    }
    return 0;
}

int fault_init(void)
{
    if (installed)
        return 0;
    if (frames_init() != 0)
        return -1;
    learn_jmp_guard();
    if (fault_altstack() != 0)
        return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    /* SA_NODEFER: a fault inside the handler enters it again (and gives up
    ** with a message) rather than being blocked, which the kernel answers by
    ** killing the runtime without a word. Ctrl-C and the watchdog's tick wait
    ** until the handler is done. */
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGPROF);
    for (int i = 0; i < NSIGNALS; i++)
        if (sigaction(fault_signals[i], &sa, NULL) != 0)
            return -1;
    installed = true;
    return 0;
}

/* ===================================================== exit() in modules */

void fault_module_exit(int status)
{
    erl_exit(erl_tuple(erl_atom("exit"), erl_mk_int(status)));
}

/* ============================================ frames that cannot fit */

void fault_stack_overflow(uintptr_t where)
{
    Blame b = {0};
    b.npcs = stacktrace_capture(b.pcs, EXC_STACK_DEPTH);
    die(FK_OVERFLOW, where, 0, &b, fault_catcher(sched_current, FK_OVERFLOW, where));
}
