/*
** symtab.c
** Reading .symtab from an ELF64 relocatable object: function names and
** offsets, relocated by the address tcc gave one global in each section.
*/
#include "symtab.h"
#include "buf.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_addr(const void *a, const void *b)
{
    const FnSym *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static char *read_file(const char *file, size_t *len)
{
    FILE *f = fopen(file, "rb");
    if (!f)
        return NULL;
    Buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return b.s;
}

FnSym *symtab_load(const char *file, void *(*locate)(void *ctx, const char *name), void *ctx, size_t *n)
{
    *n = 0;
    size_t len = 0;
    char *data = read_file(file, &len);
    FnSym *out = NULL;
    uintptr_t *base = NULL;
    if (!data || len < sizeof(Elf64_Ehdr))
        goto done;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)data;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > len)
        goto done;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(data + eh->e_shoff);
    const Elf64_Shdr *symsec = NULL;
    for (int i = 0; i < eh->e_shnum; i++)
        if (sh[i].sh_type == SHT_SYMTAB)
            symsec = &sh[i];
    if (!symsec || symsec->sh_link >= eh->e_shnum || symsec->sh_offset + symsec->sh_size > len)
        goto done;
    const Elf64_Shdr *strsec = &sh[symsec->sh_link];
    if (strsec->sh_offset + strsec->sh_size > len)
        goto done;
    const Elf64_Sym *syms = (const Elf64_Sym *)(data + symsec->sh_offset);
    size_t nsyms = symsec->sh_size / sizeof(Elf64_Sym);
    const char *strs = data + strsec->sh_offset;

    /* Where each section landed, from any global symbol defined in it. */
    base = xcalloc(eh->e_shnum, sizeof *base);
    for (size_t i = 0; i < nsyms; i++) {
        const Elf64_Sym *s = &syms[i];
        if (ELF64_ST_BIND(s->st_info) != STB_GLOBAL || s->st_shndx == SHN_UNDEF || s->st_shndx >= eh->e_shnum ||
            base[s->st_shndx] || s->st_name >= strsec->sh_size)
            continue;
        void *addr = locate(ctx, strs + s->st_name);
        if (addr)
            base[s->st_shndx] = (uintptr_t)addr - s->st_value;
    }
    out = xmalloc((nsyms ? nsyms : 1) * sizeof *out);
    for (size_t i = 0; i < nsyms; i++) {
        const Elf64_Sym *s = &syms[i];
        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF || s->st_shndx >= eh->e_shnum ||
            !base[s->st_shndx] || s->st_name >= strsec->sh_size)
            continue;
        const char *name = strs + s->st_name;
        Term atom = atom_from(name, strnlen(name, 255));
        if (atom == ERL_NONE)
            continue;
        out[*n].addr = base[s->st_shndx] + s->st_value;
        out[*n].size = s->st_size;
        out[*n].name = atom;
        (*n)++;
    }
    qsort(out, *n, sizeof *out, by_addr);
done:
    free(base);
    free(data);
    if (out && !*n) {
        free(out);
        out = NULL;
    }
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
