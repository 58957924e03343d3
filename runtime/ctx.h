/*
** ctx.h
** The context switch: saves the callee-saved registers and the
** floating-point control state of one stack and resumes another. One
** implementation per CPU (ctx_x86_64.S).
*/
#ifndef CERL_CTX_H
#define CERL_CTX_H

#include <stddef.h>

/* Saves the running context's callee-saved registers and floating-point
** control state (rounding mode, exception masks) on its stack, stores its
** stack pointer in *save_sp, then resumes the context whose stack pointer is
** load_sp. Returns when some later ctx_switch resumes *save_sp. */
void ctx_switch(void **save_sp, void *load_sp);

/* Prepares a fresh stack [base, base+size) so that the first ctx_switch to
** the returned stack pointer calls entry() with an empty frame chain
** (frame pointer 0) and the default floating-point control state
** (CTX_DEFAULT_FPCTL: round to nearest, every exception masked), whatever
** the caller's is. entry must never return. */
void *ctx_prepare(void *base, size_t size, void (*entry)(void));

/* Layout of a suspended context, from its saved stack pointer upwards:
** CTX_SAVED_FP is the frame pointer of the function that called
** ctx_switch, CTX_SAVED_IP the address it will resume at, CTX_SAVED_FPCTL
** its MXCSR (low 32 bits) and x87 control word (bits 32-47). */
enum { CTX_SAVED_FPCTL = 0, CTX_SAVED_FP = 6, CTX_SAVED_IP = 7, CTX_SAVED_WORDS = 8 };
/* MXCSR 0x1f80 and x87 control word 0x037f: what a new thread starts with. */
#define CTX_DEFAULT_FPCTL ((0x037fULL << 32) | 0x1f80ULL)

#endif
