/*
** codespace.h
** Where module images live: one reserved range of address space from which
** images are carved in ascending order and never handed out twice, so a
** stale pointer into purged code can never reach code loaded later.
*/
#ifndef CERL_CODESPACE_H
#define CERL_CODESPACE_H

#include <stdbool.h>
#include <stddef.h>

/* Size of the reserved range (address space only; no memory until used). */
#define CODESPACE_SIZE ((size_t)4 << 30)

/* 'size' bytes (a multiple of the page size) of fresh read-write memory for
** an image. Inside the reserved range while it lasts; once CODESPACE_SIZE
** bytes have been handed out, the kernel places images anywhere. NULL when
** no memory can be had. */
void *codespace_alloc(size_t size);

/* Whether [mem, mem + size) came from the reserved range. */
bool codespace_owns(const void *mem, size_t size);

/* Makes an image inaccessible and gives its memory back; an image from the
** reserved range stays reserved for good (its addresses are never handed out
** again), one from outside stays reserved until codespace_unmap. Returns 0,
** or -1 when the range could not be remapped (it is then unmapped). */
int codespace_retire(void *mem, size_t size);

/* Unmaps an image that is not to be kept reserved (a failed load, or a
** retired image from outside the range whose record is dropped). Inside the
** range the addresses become inaccessible and are still never reused. */
void codespace_unmap(void *mem, size_t size);

#endif
