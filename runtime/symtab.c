/*
** symtab.c
** Function names and offsets from a checked object's symbol table,
** relocated by the address tcc gave one global in each section.
*/
#include "symtab.h"
#include "buf.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

static int by_addr(const void *a, const void *b)
{
    const FnSym *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

FnSym *symtab_load(const ObjFile *o, void *(*locate)(void *ctx, const char *name), void *ctx, size_t *n)
{
    *n = 0;
    if (o->nsyms < 2)
        return NULL;
    /* Where each section landed, from any global symbol defined in it. */
    enum { NSEC = OBJFILE_MAX_SECTIONS };
    uintptr_t *base = xcalloc(NSEC, sizeof *base);
    for (size_t i = 1; i < o->nsyms; i++) {
        ObjSym s;
        objfile_sym(o, i, &s);
        if (s.bind != STB_GLOBAL || s.shndx == SHN_UNDEF || s.shndx >= NSEC || base[s.shndx])
            continue;
        void *addr = locate(ctx, s.name);
        if (addr)
            base[s.shndx] = (uintptr_t)addr - s.value;
    }
    FnSym *out = xmalloc(o->nsyms * sizeof *out);
    for (size_t i = 1; i < o->nsyms; i++) {
        ObjSym s;
        objfile_sym(o, i, &s);
        if (s.type != STT_FUNC || s.shndx == SHN_UNDEF || s.shndx >= NSEC || !base[s.shndx])
            continue;
        Term atom = atom_from(s.name, strnlen(s.name, 255));
        if (atom == ERL_NONE)
            continue;
        out[*n].addr = base[s.shndx] + s.value;
        out[*n].size = s.size;
        out[*n].name = atom;
        (*n)++;
    }
    free(base);
    if (!*n) {
        free(out);
        return NULL;
    }
    qsort(out, *n, sizeof *out, by_addr);
    return out;
}

const FnSym *symtab_find(const FnSym *syms, size_t n, uintptr_t addr)
{
    const FnSym *best = NULL;
    size_t lo = 0, hi = n;
    while (lo < hi) { /* the last symbol starting at or below addr */
        size_t mid = (lo + hi) / 2;
        if (syms[mid].addr <= addr) {
            best = &syms[mid];
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (best && best->size && addr >= best->addr + best->size)
        return NULL;
    return best;
}
