/*
** procmem.h
** Where Proc structs live: a dense pool of their own, apart from the
** processes' stacks, so that a process can give its whole stack back
** (erlang:hibernate/3) while its struct, and the first slots of its heap,
** stay where everything that points at it expects them.
*/
#ifndef CERL_PROCMEM_H
#define CERL_PROCMEM_H

#include <stddef.h>

typedef struct Proc Proc;

/* memory: bytes of the process's inline heap page (heap_init_inline), kept
** beside its struct in the pool: a process holding little needs no heap
** page of its own, hibernated or not. A multiple of 64: the page header
** (128 bytes) and four 4-word slots, what one small message and the reply
** built to it take (two slots measured 4 KB more per process after one
** message: a heap page). */
enum { PROCMEM_INLINE_BYTES = 256 };

/* A zeroed Proc, and in *inline_mem its PROCMEM_INLINE_BYTES-byte inline
** heap block. Both stay at their addresses until procmem_free. Returns NULL
** (errno set) when the system refuses memory. No malloc: the pool carves
** page-aligned chunks and reuses freed structs first. */
Proc *procmem_alloc(void **inline_mem);
/* Gives p and its inline block back to the pool; p must have come from
** procmem_alloc. Never fails. */
void procmem_free(Proc *p);
/* Structs handed out and not freed (for tests). */
size_t procmem_live(void);

#endif
