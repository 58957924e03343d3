/*
** deep.h
** Deep recursion on a stack of its own: a recursive walk over a term nested
** deeper than the calling process's stack allows runs on a stack mapped for
** the call, sized from the term's depth, so depth is limited by memory alone.
*/
#ifndef CERL_DEEP_H
#define CERL_DEEP_H

#include <stddef.h>

/* Frames are about this many times larger under AddressSanitizer. */
#if defined(__SANITIZE_ADDRESS__)
enum { DEEP_FRAME_SCALE = 4 };
#else
enum { DEEP_FRAME_SCALE = 1 };
#endif

/* Calls fn(arg) and returns when it returns. fn needs at most 'bytes' of
** stack: up to DEEP_DIRECT_BYTES it runs on the caller's stack, beyond that
** on a fresh stack of 'bytes' (plus a margin) that is unmapped afterwards.
** fn must not switch processes or cause a collection (its frames would be
** outside the process's stack), nor fault; a printer or a comparison of
** terms already checked qualifies. Running out of memory ends the runtime. */
enum { DEEP_DIRECT_BYTES = 64 * 1024 };
void deep_call(size_t bytes, void (*fn)(void *), void *arg);

#endif
