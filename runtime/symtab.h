/*
** symtab.h
** Function symbols of a module's object file, static ones included, at
** their loaded addresses: what turns a code address into Mod:Fun.
*/
#ifndef CERL_SYMTAB_H
#define CERL_SYMTAB_H

#include "objfile.h"
#include "term.h"

/* One function of a loaded module. */
typedef struct FnSym {
    uintptr_t addr; /* first byte of its code */
    size_t size;    /* bytes of code (0 when the object does not say) */
    Term name;      /* its C name, as an atom */
} FnSym;

/* The function symbols of the checked object o (objfile_check). A global
** symbol's loaded address comes from locate(ctx, name); static functions
** are placed relative to a global one in the same section. Returns a
** malloc'd array sorted by address (*n entries), or NULL when none. */
FnSym *symtab_load(const ObjFile *o, void *(*locate)(void *ctx, const char *name), void *ctx, size_t *n);

/* The function in syms[0..n) that contains addr (or the nearest one below
** it when sizes are unknown), or NULL. */
const FnSym *symtab_find(const FnSym *syms, size_t n, uintptr_t addr);

#endif
