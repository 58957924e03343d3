/*
** proc.h
** Processes: the process struct, the pid table, spawning, exiting and exit
** signals (links), monitors and registered names.
*/
#ifndef CERL_PROC_H
#define CERL_PROC_H

#include "error.h"
#include "mailbox.h"
#include "stack.h"
#include "term.h"
#include "timer.h"

#include <stdbool.h>

typedef enum ProcState {
    PS_RUNNABLE, /* on the run queue */
    PS_RUNNING,  /* the one process executing now */
    PS_WAITING,  /* blocked in receive (or, for the shell, waiting for input) */
    PS_EXITING   /* ended; its stack is freed by the scheduler */
} ProcState;

enum { PROC_MAX_ARGS = 8 };

typedef struct Monitor Monitor;

/* A process.
** Invariants:
**  - a live process (not PS_EXITING) is in the pid table and on the
**    all-processes list; it is on the run queue exactly when PS_RUNNABLE;
**  - the Proc lives in the Proc pool (procmem.h), at one address for the
**    process's whole life, beside its inline heap block; never in its stack;
**  - stack.base is NULL while the process has no stack: from spawn to its
**    first run, and while hibernated (then stack.size is the size it will
**    get); the scheduler gives it one when it is about to start
**    (proc_stack_ready_);
**  - sp is NULL until the process first runs, or runs again after
**    hibernating (then entry_fn is where it will start, on a fresh stack);
**    otherwise, while not running, sp is its saved stack pointer;
**  - heap holds every term the process built or received; nothing outside
**    the process points into it except its own mailbox;
**  - 'name' is ERL_NONE or the atom it is registered under.
** memory: every byte here is paid by idle and hibernated processes alike;
** small fields are packed together. */
typedef struct Proc {
    /* What a switch, a send and a receive touch, together in the first two
    ** cache lines (the struct is 64-byte aligned in the Proc pool). */
    Term pid;
    ProcState state;
    uint32_t scan_slot; /* purge scan: its slot (purgescan.h), 0 before it is
                        ** added; in the line a switch touches anyway */
    void *sp;           /* saved stack pointer while suspended */
    struct Proc *rq_next, *rq_prev;   /* run queue */
    struct Proc *hash_next;           /* pid table bucket */
    ErlCatch *exc_top;  /* catch frames, saved while not running */
    Term pending_exit;  /* exit signal received while running, or ERL_NONE */
    Mailbox mbox;
    uint64_t reductions;
    bool timed_out;     /* set when the timeout woke it */
    bool trap_exit;
    bool gc_off;        /* never collect (the shell collects between commands) */
    bool defer_exit;    /* exit signals wait in pending_exit even while it waits */
    /* memory: erlang:hibernate/3 (hibernate.c) */
    bool hibernated;    /* waiting in hibernation, its stack given back */
    uint8_t argc;       /* at most PROC_MAX_ARGS */

    Stack stack;        /* its stack, or base NULL (see above) */
    Heap heap;
    Timer timer;                      /* armed while waiting with a timeout */
    struct Proc *all_next, *all_prev; /* all processes, in pid order */

    void *entry_fn;     /* function to start in (module code or runtime) */
    Term argv[PROC_MAX_ARGS]; /* hibernated: M, F, Args, then its initial call's M, F, Arity */
    Term parent;        /* pid of the process that spawned it, or undefined */

    Term name;
    Term *links;        /* linked pids; malloc'd */
    uint32_t nlinks, caplinks;
    Monitor *monitors;  /* monitors this process holds (as watcher) */
    Monitor *watchers;  /* monitors others hold on this process */
    Term dict;          /* the process dictionary: [] or a map on heap (bif_dict.c) */
    Term exit_reason;
    void *user;         /* owner data (the shell keeps its state here) */
} Proc;

/* ------------------------------------------------------------- table */

/* Sets up the pid table and the scheduler. Call once after atom_init. */
void proc_init(void);
/* The live process with this pid, or NULL. */
Proc *proc_find(Term pid);
/* The running process, or NULL on the scheduler's own stack. */
Proc *proc_current(void);
/* First and next live process in ascending pid order (for scans). */
Proc *proc_first(void);
Proc *proc_next(Proc *p);
size_t proc_count(void);

/* erl's default process limit (system_info(process_limit)). */
enum { PROC_DEFAULT_LIMIT = 262144 };
/* How many processes may live at once: proc_spawn fails (errno EAGAIN)
** when that many do. proc_set_limit takes effect for later spawns. */
size_t proc_limit(void);
void proc_set_limit(size_t n);
/* Reductions of the processes that have exited, summed (statistics/1). */
uint64_t proc_retired_reductions(void);

/* ------------------------------------------------------------ spawning */

/* A new runnable process that will call fn(argv...) (argc <= 8) and exit
** normal when it returns. Arguments are copied into its heap. Returns NULL
** when argc is out of range, the process limit is reached (errno EAGAIN)
** or no stack can be had (errno says why).
** 'stack_size' 0 means the default. */
Proc *proc_spawn(void *fn, int argc, const Term *argv, size_t stack_size);

/* ------------------------------------------------------------- exiting */

/* Ends the running process with 'reason': links and monitors are told,
** its name is freed, then the scheduler reclaims it. Never returns. */
__attribute__((noreturn)) void proc_exit_self(Term reason);

/* Sends the exit signal exit(Pid, Reason) from 'from' (a pid, for the
** {'EXIT',...} message) to p, with erl's rules: kill is untrappable and
** seen as killed; normal is ignored unless p traps exits; a trapping p gets
** a message. A p that dies is torn down now, unless it is the running
** process, which dies at its next check (proc_check_signals). */
void proc_signal_exit(Proc *p, Term from, Term reason);

/* Raises the pending exit of the running process, if any, as an exit
** exception. Called where the runtime returns to process code. */
void proc_check_signals(void);

/* ------------------------------------------------------- links, names */

void proc_link(Proc *a, Proc *b);
void proc_unlink(Proc *a, Term pid_b);

/* Registers p under 'name'. Returns false when the name is taken or p is
** already registered. */
bool proc_register(Term name, Proc *p);
/* Removes the name; false when it was not registered. */
bool proc_unregister(Term name);
/* The process registered as 'name', or NULL. */
Proc *proc_whereis(Term name);
/* Registered names, as a list built on heap h. */
Term proc_registered(Heap *h);

/* ------------------------------------------------------------ monitors */

/* erlang:monitor(process, Target) from the running process. Target is a pid
** or a registered name; a dead or unknown one sends 'DOWN' with noproc at
** once. Returns the reference (on the running process's heap). */
Term proc_monitor(Term target);
/* demonitor(Ref): removes the monitor if it exists; with flush, also drops a
** 'DOWN' for it already queued. Returns whether the monitor existed. */
bool proc_demonitor(Term ref, bool flush);

/* ------------------------------------------------- old-code detection */

/* Stores up to 'max' code addresses of p's frames, innermost first (for a
** frame that will return, an address inside its call instruction: see
** frames.h). Returns how many were stored (0 for a process that has not
** started). */
int proc_return_addresses(Proc *p, uintptr_t *out, int max);

/* Calls fn with argv (argc <= 8) and returns its result (a tail call
** fn makes returns here too: see tail.h). */
Term proc_apply(void *fn, int argc, const Term *argv);

/* For the scheduler only: where every process starts, on its fresh stack;
** and freeing the stack, heap and struct of a process that has exited. */
void proc_start_(void);
void proc_free_(Proc *p);

/* memory: for the scheduler, before it switches to p: whether p has a
** stack, which it gets here if it has none (not started yet, or
** hibernated). false (errno set) when none can be had: then
** proc_fail_start_(p), from the scheduler's own stack, ends p with
** system_limit, as a spawn refused for want of memory would have. */
bool proc_stack_ready_(Proc *p);
void proc_fail_start_(Proc *p);
/* proc_stack_ready_ for a caller on a process's stack: gives p a stack only
** from those at hand (stack_get_pooled), which needs little stack; false
** when p has none yet, and the scheduler's own stack must get it one. */
bool proc_stack_at_hand_(Proc *p);

/* Called when a process ends with an uncaught error or throw (not exit/1,
** not an exit signal), with its exit reason: erl's error report. May be NULL. */
extern void (*proc_error_hook)(Proc *p, Term reason);

/* Called with each exited process just before it is freed (the shell uses it
** to notice its evaluator dying). May be NULL. */
extern void (*proc_exit_hook)(Proc *p, Term reason);

#endif
