/*
** ctx.c
** Building the first frame of a new stack for ctx_switch (x86-64 layout).
*/
#include "ctx.h"

#include <stdint.h>

void *ctx_prepare(void *base, size_t size, void (*entry)(void))
{
    uintptr_t top = ((uintptr_t)base + size) & ~(uintptr_t)15;
    void **sp = (void **)top;
    *--sp = 0;              /* entry's own return address: none */
    *--sp = (void *)entry;  /* ctx_switch's ret lands here, rsp = top - 8 as after a call */
    for (int i = 0; i < CTX_SAVED_WORDS - 2; i++)
        *--sp = 0;          /* rbp = 0 ends the frame chain; other registers 0 */
    *--sp = (void *)(uintptr_t)CTX_DEFAULT_FPCTL;
    return sp;
}
