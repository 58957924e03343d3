/*
** libc_guard.h
** The libc functions a module is linked to cerl's replacements for: those
** whose original would end, stop or disturb the whole runtime rather than
** the calling process (exit and its kin, and more as they are found).
*/
#ifndef CERL_LIBC_GUARD_H
#define CERL_LIBC_GUARD_H

typedef struct LibcGuard {
    const char *name; /* the libc symbol a module may call */
    const void *fn;   /* what the loader binds it to instead */
} LibcGuard;

/* The replacements, ended by {NULL, NULL}. The loader binds each with
** tcc_add_symbol before relocating a module. */
extern const LibcGuard libc_guards[];

#endif
