/*
** stack.h
** C stacks for processes: mmap'd, a guard below each, reused through a
** pool that keeps their pages until idle time; ready stacks prepared off
** the spawn path (stack_refill.c); and the checks that keep module frames
** of any size inside their own stack (stack_limit.c).
*/
#ifndef CERL_STACK_H
#define CERL_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Invariant: [base, base + size) is readable and writable; the
** STACK_GUARD_SIZE bytes just below base are PROT_NONE (the guard), pooled
** stacks included, so that running off the end faults (fault.c reports it as
** stack_overflow); only a stack in use may have the top 'opened' bytes of
** its guard usable. A zeroed Stack holds nothing. */
typedef struct Stack {
    void *base;  /* lowest usable address */
    size_t size; /* usable bytes */
    unsigned valgrind_id; /* its registration with valgrind, if any */
    uint32_t opened; /* bytes of the guard's top made usable (stack_open_guard) */
} Stack;

/* The shell's evaluator walks what is typed recursively (parser.c's
** PARSE_MAX_DEPTH levels at most): its stack is large, and costs only the
** pages it touches. AddressSanitizer's frames are about three times larger. */
#if defined(__SANITIZE_ADDRESS__)
enum { STACK_DEFAULT_SIZE = 256 * 1024, STACK_SHELL_SIZE = 1024 * 1024 * 1024 };
#else
enum { STACK_DEFAULT_SIZE = 256 * 1024, STACK_SHELL_SIZE = 256 * 1024 * 1024 };
#endif
/* The guard is wider than a page so that the frames nobody checks (module
** frames below STACK_CHECKED_FRAME, the runtime's and libc's) land in it
** rather than skipping over it. It is address space, not memory. */
enum { STACK_GUARD_SIZE = 64 * 1024 };

/* Frames of module code at least this large check, before they are made,
** that they fit in the running process's stack (stack_limit.c); smaller
** ones are stopped by the guard. */
enum { STACK_CHECKED_FRAME = 4096 };

/* Gets a stack of 'size' bytes (rounded up to pages). Returns false, with
** errno set, when the system refuses the memory. A default-sized stack
** comes from the pool (its pages likely resident), else ready-made from
** stack_refill.c, else from a slab mapped now. */
bool stack_get(Stack *s, size_t size);
/* stack_get, but only when a pooled default-sized stack that holds its
** pages is at hand: never makes one, never faults pages in, so it needs
** little of the caller's own stack (stack_get may need 10 KB). Returns
** false, *s untouched, when none is at hand. */
bool stack_get_pooled(Stack *s, size_t size);
/* Returns the stack to the pool (or to the system); *s is zeroed. A pooled
** stack keeps its pages: stack_idle gives them back later. Never fails. */
void stack_put(Stack *s);
/* stack_put for a stack whose frames are all gone (hibernation): when the
** pool already holds STACK_KEEP_RESIDENT stacks with pages, this one's
** pages go back to the system now rather than after the pool's quiet
** period, so that processes that all held stacks and then hibernate leave
** no pages behind. Never fails. */
void stack_put_cold(Stack *s);
/* Makes the top 'bytes' of s's guard (just below base) usable, so that a
** process stopped with its stack nearly exhausted can still run the BREAK
** menu; the rest of the guard stays (frames of module code larger than it
** are checked against base, which does not move). The guard is whole again
** once the stack is put back. Async-signal-safe. Returns false when the
** system refuses. */
bool stack_open_guard(Stack *s, size_t bytes);
/* Whether addr lies in s's guard. */
bool stack_in_guard(const Stack *s, const void *addr);

/* Lazy page release. Called by the scheduler between turns (sched_run),
** with the monotonic clock: once the pool has been left alone for
** STACK_QUIET_MS, gives back the pages of pooled stacks beyond the
** STACK_KEEP_RESIDENT most recently used, a batch per call, so a burst of
** exits leaves no lasting memory and a burst of spawns that follows soon
** finds its pages. Cheap when there is nothing to do. */
enum { STACK_QUIET_MS = 500, STACK_KEEP_RESIDENT = 1024 };
void stack_idle(uint64_t now_ms);
/* How long the idle side may block before stack_idle has work: -1 never
** (nothing to release), 0 now, else milliseconds (sched_next_timeout). */
long stack_idle_timeout(uint64_t now_ms);
/* Pooled default-sized stacks, and how many of them still hold pages
** (for tests and statistics). */
size_t stack_pooled(void);
size_t stack_pooled_resident(void);

/* ------------------------------------- stack_refill.c: ready-made stacks */

/* Stacks per slab: one mapping, its guards installed and the top page of
** each stack faulted in with batched system calls. */
enum { STACK_SLAB = 64 };
/* Maps a slab of STACK_SLAB default-sized stacks into out[], each with its
** guard in place and its top page resident, registered with valgrind.
** Returns how many (fewer when the system refused part; 0 with errno set
** when it refused all). Thread-safe. */
int stack_slab_new(Stack *out);
/* Moves the stacks a helper thread has made ready (stack_slab_new) into
** out[] (room for STACK_REFILL_READY) and asks it for more; starts it on
** first use. Never blocks: returns 0 when none is ready. From the
** scheduler's thread only. */
enum { STACK_REFILL_READY = 4 * STACK_SLAB };
int stack_refill_take(Stack *out);

/* For stack_refill.c: madvise(lo[i], len, advice) for each of the n
** ranges, batched into few system calls where the kernel allows. Returns
** whether every one succeeded. */
bool stack_advise_(char *const *lo, size_t len, int n, int advice);
/* For stack_refill.c: installs the guards of n stacks, each
** STACK_GUARD_SIZE bytes from lo[i] (in few system calls where the kernel
** allows). Returns how many of lo[0..n) have their guard; errno says why
** the next has not. Thread-safe. */
int stack_guards_install_(char *const *lo, int n);

/* ---------------------------------------- stack_limit.c: module frames */

/* Called by the check tcc emits before a frame that does not fit in the
** running process's stack (the call's return address lies in the module
** function to blame): ends the process with {stack_overflow, Where}. */
__attribute__((noreturn)) void stack_overflow_trap_(void);

/* What a module's alloca is linked to (libc_guard.c): libtcc1's alloca
** (size in %rdi; %rsp and %rax are the block on return), except that a block
** that does not fit in the running process's stack ends the process with
** {stack_overflow, Where}. Not callable from C. */
void stack_alloca_(void);

#endif
