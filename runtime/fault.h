/*
** fault.h
** Let it crash, safely: hardware faults and abort() in module code end the
** faulting process with an exit reason, never the runtime.
**
** A fault (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP) raised while a process
** runs module code, a library function called from module code, or runtime
** code called from module code (typically a bad Term handed to an erl_
** function) ends that process alone. It behaves like an uncaught error:
** proc_error_hook reports it, links and monitors see the reason. It cannot be
** caught by an ordinary catch: the frames of the faulting process are not
** trusted any more. Only a catch frame made by erl_catch_fault (cerl.h: the
** runtime's behaviours use it around callbacks) receives it, as an exit with
** the reason below and no report, when that is safe: the fault is not in
** cerl's own code nor in purged code, the frame checks out, and 64 KB of
** stack are left below it; otherwise the process ends as described here.
** Exit reasons (Where is {Mod, Fun, current|old}, the innermost module
** function on the stack; Addr an integer):
**     {segv, Where, Addr}         bad memory access at Addr
**     {sigbus, Where, Addr}       bus error at Addr
**     {badarith, Where}           integer division by zero (or INT_MIN / -1)
**     {sigill, Where}             illegal instruction
**     {abort, Where}              abort() or a failed assert()
**     {stack_overflow, Where}     the process's stack ran into its guard; this
**                                 ends only the process even when no module is
**                                 on its stack (deep recursion in the runtime
**                                 on a huge term), and Where is undefined then
**     {purged_code, {Mod, Fun, purged}, Addr}
**                                 a call through a stale pointer into code
**                                 that has been purged
**     {sigtrap, Where}            a breakpoint (int3) or a trap flag the
**                                 module set itself
**     {bad_longjmp, Where}        longjmp, _longjmp or siglongjmp with a
**                                 jmp_buf that setjmp in module code of this
**                                 process did not fill, or whose frame has
**                                 returned; Where is the caller of longjmp
** A call or jump to a wild address (in no code at all) is a segv at that
** address; Where is the function that made the call, or undefined when no
** module function is left on the stack to blame.
** Module code calling exit(Status), _exit(Status) or _Exit(Status) exits its
** process with reason {exit, Status}, as exit/1 would (no error report).
** The reasons of calls a process cannot make ({unsupported, Call, Where},
** {signal, Sig, Where}) are libc_wrap.c's; frames too large for the stack
** are stopped by stack_limit.c, through fault_stack_overflow.
**
** The faulting process's module frames (innermost first, as stacktrace.h
** records them) are left in exc_last_ with class error and the exit reason
** as its reason, for proc_error_hook to read: the shell prints them under a
** fault at the prompt. The exit reason itself stays as above.
** A fault anywhere else (the runtime's own code, or no process running) is a
** bug in cerl: a message naming the signal and address goes to stderr and
** the runtime dies of the signal. A fault while a fault is being handled
** ends the runtime at once.
*/
#ifndef CERL_FAULT_H
#define CERL_FAULT_H

#include <stdint.h>
#include <setjmp.h>

/* Makes sure the alternate signal stack exists: the one stack every
** handler of cerl runs on (fault.c's and interrupt.c's), so that no
** handler's frame lands on a process stack. Returns 0, or -1 when no stack
** could be had. */
int fault_altstack(void);

/* Installs the handlers and the alternate signal stack they run on. Call
** once at start-up, after proc_init; calling it again does nothing.
** Returns 0, or -1 when the system refuses (errno set). */
int fault_init(void);

/* What a module's calls to exit, _exit and _Exit are linked to (cc.c): exits
** the calling process with {exit, Status}. Never returns. */
__attribute__((noreturn)) void fault_module_exit(int status);

/* Ends the running process with {stack_overflow, Where} (Where from the
** code address 'where', 0 for undefined), as a fault would, from ordinary
** process code: for a check that finds a frame would not fit
** (stack_limit.c). A process must be running. Never returns. */
__attribute__((noreturn)) void fault_stack_overflow(uintptr_t where);
/* What a module's calls to longjmp, _longjmp and siglongjmp are linked to:
** jumps as siglongjmp would when env is a jmp_buf setjmp filled in module
** code of the calling process in a frame still live (a check on its stack
** pointer, pc and mask flag), and otherwise exits the process with
** {bad_longjmp, Where} before anything in env is used. Never returns. */
__attribute__((noreturn)) void fault_module_longjmp(struct __jmp_buf_tag env[1], int val);

#endif
