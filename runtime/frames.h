/*
** frames.h
** The frame walker: the code address of each frame of a process's stack,
** innermost first. Old-code detection (purge, check_process_code),
** process_info's current_function and fault attribution all use it.
**
** How a frame is stepped depends on the code it runs:
**  - cerl's own code (built with -fno-omit-frame-pointer) and module code
**    (tcc has every function start with push %rbp; mov %rsp,%rbp, and emits
**    no unwind tables) by the frame pointer: cheap, and all a process's stack
**    holds in the common case;
**  - anything else (libc calling module code back: qsort, bsearch, ...) from
**    its unwind tables (.eh_frame) by libunwind, starting from the registers
**    the frame-pointer steps reached.
** Memory is read only where it is known to be readable: the process's stack
** and the segments of the loaded objects. A corrupt stack ends the walk
** early; it never faults the runtime.
**
** Limitations: libtcc is linked into cerl and keeps no frame pointer; it
** runs only while compiling, never below a module frame, so it is stepped
** as cerl code. A frame walked from the interrupt trampoline (interrupt.c)
** reports the interrupted pc minus one, like a return address.
*/
#ifndef CERL_FRAMES_H
#define CERL_FRAMES_H

#include "proc.h"

#include <stdbool.h>
#include <stdint.h>
#include <ucontext.h>

/* Called with the code address of one frame: the faulting instruction for
** the innermost frame of an interrupted context, otherwise an address inside
** the call instruction the frame will return past (its return address - 1).
** Returns true to stop the walk. */
typedef bool (*FrameVisit)(uintptr_t pc, void *arg);

/* Sets up the unwinder. Call once before frames_walk_signal may run (fault
** init does); frames_walk sets it up on first use. Returns 0, or -1 when
** libunwind refuses. */
int frames_init(void);

/* Walks p's frames, calling visit for each until it returns true. p is
** suspended (from its saved context, see ctx.h) or is the running process
** (from the caller of frames_walk). A process that has not started or has
** exited has no frames. Returns whether visit stopped the walk. Never
** allocates; may be called for thousands of processes in a row (purge). */
bool frames_walk(Proc *p, FrameVisit visit, void *arg);

/* The same from a signal handler, for the context uc interrupted while p
** was running on its own stack: the first frame is the interrupted
** instruction. No malloc; the locks taken are the dynamic linker's (it is
** asked where the loaded objects are) and libunwind's pool lock, which it
** holds with every signal blocked. frames_init must have been called. */
bool frames_walk_signal(const Proc *p, const ucontext_t *uc, FrameVisit visit, void *arg);

/* Whether pc lies in executable code: cerl's, a library's or a module's.
** For signal handlers: a fault at a pc outside all of them was a jump to a
** wild address. */
bool frames_pc_in_code(uintptr_t pc);

/* Whether pc lies in cerl's own code (not a module's, not a library's).
** Two compares: for walks that skip cerl's frames (stacktrace.c). */
bool frames_pc_in_cerl(uintptr_t pc);

#endif
