/*
** interrupt.h
** Ctrl-C and runaway processes: a process that never yields is stopped at a
** safe point from a signal handler, so the shell's BREAK menu still runs.
**
** SIGINT only sets a flag. If a process is running module code at that
** moment, the handler also rewrites the interrupted context so that the
** process "calls" interrupt_safe_point_ on its own stack (every register
** saved, then restored when it returns into the module code where it was
** stopped). Module code holds no runtime lock and leaves no runtime structure
** half-updated, so from there the process may do anything a process does:
** print, be killed, or let the break hook run. When the process is elsewhere
** (in the runtime, in libc), a profiling tick retries until it is in module
** code; a process that yields gets to the scheduler by itself, where the
** idle hook calls interrupt_poll.
**
** A process running library code (memset in a loop, or a system call the
** signal interrupted) is stepped out of it with the trap flag, a bounded
** number of instructions per tick, and stopped as it returns to module
** code. A process with its stack nearly used up is stopped too: the top of
** its guard is opened for the menu's frames (stack_open_guard).
**
** SIGTERM ends cerl as it ends erl: at the next safe point (or at once when
** idle), "=INFO REPORT==== ... SIGTERM received - shutting down" on stdout,
** stdio flushed, exit status 0.
**
** The watchdog uses the same tick (ITIMER_PROF, 100 ms of CPU time): a
** process that has run longer than the limit without being switched out is
** stopped once at a safe point to report it (interrupt_runaway_hook), then
** resumes.
*/
#ifndef CERL_INTERRUPT_H
#define CERL_INTERRUPT_H

#include "proc.h"

#include <stdbool.h>
#include <stdint.h>

enum { INTERRUPT_TICK_MS = 100, INTERRUPT_DEFAULT_WATCHDOG_MS = 10000 };

/* Installs the SIGINT and SIGTERM handlers and the tick. 'watchdog_ms' is the time a
** process may run without yielding before it is reported; 0 disables the
** report (Ctrl-C still reaches a runaway process). Call once at start-up
** (main only: the tests never take Ctrl-C). Returns 0, or -1 with errno. */
int interrupt_init(long watchdog_ms);

/* Stops the tick and gives SIGINT and SIGTERM back to the default action
** (tests). */
void interrupt_shutdown(void);

/* Whether a Ctrl-C or a SIGTERM is waiting to be handled. */
bool interrupt_pending(void);
/* Handles a pending SIGTERM (ends cerl) and a pending Ctrl-C (calls
** interrupt_break_hook once). From the scheduler's idle hook or a process;
** never from a signal handler. Returns whether there was a Ctrl-C. */
bool interrupt_poll(void);

/* Called at a safe point for a pending Ctrl-C: runs the BREAK menu. 'in' is
** the process stopped to run it (the one running when Ctrl-C came), or NULL
** on the scheduler's stack. Returning true kills 'in' (reason killed) once
** the hook is done; other processes the hook may kill itself. Set by the
** shell; without it Ctrl-C ends the runtime as SIGINT would. */
extern bool (*interrupt_break_hook)(Proc *in);

/* Called in process p, at a safe point, when it has run 'ms' milliseconds
** without yielding; 'pc' is where it was stopped (module code). May be NULL. */
extern void (*interrupt_runaway_hook)(Proc *p, long ms, uintptr_t pc);

/* Whether a Ctrl-C came while the break hook was already running (the
** second Ctrl-C aborts, as in erl). Cleared by interrupt_poll. */
bool interrupt_again(void);

/* What the safe-point trampoline calls; not for other callers. */
void interrupt_safe_point_(void);

/* From the SIGTRAP handler (fault.c), with its ucontext: takes one step of
** a process being stepped out of library code toward a stop, and returns
** true; false when no stepping is under way (the trap is the module's). */
bool interrupt_step_(void *uc);

#endif
