/*
** objfile.h
** A module's object file, read once per load and validated before libtcc
** sees it: md5, the symbol table reader and the linker all take these bytes.
*/
#ifndef CERL_OBJFILE_H
#define CERL_OBJFILE_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>

/* Caps on what a module's object may ask of the loader. */
enum {
    OBJFILE_MAX_BYTES = 64 << 20,    /* the file itself */
    OBJFILE_MAX_IMAGE = 64 << 20,    /* sections + common symbols, loaded */
    OBJFILE_MAX_SECTIONS = 4096,
    OBJFILE_MAX_SYMBOLS = 1 << 20,
};

/* Invariant: after objfile_check returned 0, the symbol table is the only
** one, lies inside data, and every name in it is a NUL-terminated string
** inside its string table. */
typedef struct ObjFile {
    unsigned char *data; /* the file's bytes; owned */
    size_t len;
    const unsigned char *syms; /* Elf64_Sym[nsyms] inside data (checked) */
    size_t nsyms;
    const char *strs; /* the symbol names' string table inside data */
    size_t strsize;
} ObjFile;

/* Reads the regular file 'path' whole (at most OBJFILE_MAX_BYTES). A FIFO,
** device or directory is refused without blocking. Returns 0, or -1 with
** the reason appended to *why (nothing to free then). */
int objfile_read(const char *path, ObjFile *o, Buf *why);
/* Takes a copy of bytes already in memory (tests, the fuzzer). */
void objfile_from_bytes(ObjFile *o, const void *data, size_t len);
void objfile_free(ObjFile *o);

/* Validates o as an ELF64 little-endian x86-64 relocatable object that
** libtcc can load without ever reaching one of its fatal errors: header and
** section table inside the file, only section kinds libtcc merges (text,
** data, rodata, bss), sizes within the caps above, one symbol table whose
** names are terminated strings, symbols that point at loaded sections,
** relocations of the kinds tcc emits that point at valid symbols and land
** inside their section. Uses libelf for the parsing. Returns 0, or -1 with
** the reason appended to *why. */
int objfile_check(ObjFile *o, Buf *why);

/* One symbol of a checked object. */
typedef struct ObjSym {
    const char *name;
    unsigned char bind; /* STB_LOCAL, STB_GLOBAL, STB_WEAK */
    unsigned char type; /* STT_FUNC, STT_OBJECT, ... */
    unsigned shndx;     /* SHN_UNDEF for an import */
    unsigned long value, size;
} ObjSym;

/* Symbol i (1 <= i < o->nsyms) of a checked object. */
void objfile_sym(const ObjFile *o, size_t i, ObjSym *out);
/* The first symbol named 'name' (locals included); false when none. */
bool objfile_find(const ObjFile *o, const char *name, ObjSym *out);

#endif
