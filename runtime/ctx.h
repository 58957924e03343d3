/*
** ctx.h
** The context switch: saves the callee-saved registers of one stack and
** resumes another. One implementation per CPU (ctx_x86_64.S).
*/
#ifndef CERL_CTX_H
#define CERL_CTX_H

#include <stddef.h>

/* Saves the running context's registers on its stack, stores its stack
** pointer in *save_sp, then resumes the context whose stack pointer is
** load_sp. Returns when some later ctx_switch resumes *save_sp. */
void ctx_switch(void **save_sp, void *load_sp);

/* Prepares a fresh stack [base, base+size) so that the first ctx_switch to
** the returned stack pointer calls entry() with an empty frame chain
** (frame pointer 0). entry must never return. */
void *ctx_prepare(void *base, size_t size, void (*entry)(void));

/* Layout of a suspended context, from its saved stack pointer upwards:
** CTX_SAVED_FP is the frame pointer of the function that called
** ctx_switch, CTX_SAVED_IP the address it will resume at. */
enum { CTX_SAVED_FP = 5, CTX_SAVED_IP = 6, CTX_SAVED_WORDS = 7 };

#endif
