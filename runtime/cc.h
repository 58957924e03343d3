/*
** cc.h
** The compiler front: libtcc compiling a module's C source to an object
** file, and linking an object file into memory at a known address range.
*/
#ifndef CERL_CC_H
#define CERL_CC_H

#include "objfile.h"

#include <stddef.h>

/* Compiles the C file 'src' to the object file 'obj' against cerl.h.
** Returns 0 on success, -1 on a compile error. *diag receives the
** compiler's messages ("t.c:3: error: ..." lines, warnings too), or NULL
** when there were none; the caller frees it.
** Only regular files are read: 'src', and every file it includes (an
** #include of a FIFO, terminal or device is an error, never a read).
** MODULE(...) and EXPORT(...) are checked here: a missing ';' after either,
** and an exported function whose definition is not Term f(Term, ...) with
** EXPORT's arity, or is static, is a compile error at its line. So is an
** import cc_link would refuse (a function declared but never defined, a
** symbol of cerl's internals): 'obj' is removed then. */
int cc_compile(const char *src, const char *obj, char **diag);

/* What c(Mod, Options) passes to the compiler: {d, Name} / {d, Name, Value}
** as -D (value NULL: defined as 1), {i, Dir} as -I (searched before cerl's
** include directory). The strings stay the caller's. */
typedef struct CcOptions {
    struct CcDefine {
        const char *name;
        const char *value;
    } *defines;
    size_t ndefines;
    const char **includes;
    size_t nincludes;
} CcOptions;
/* cc_compile with options (NULL: none). Warnings ("t.c:3: warning: ...")
** are in *diag and do not fail the compile; an implicit declaration of a
** function is an error. */
int cc_compile_opts(const char *src, const char *obj, const CcOptions *opts, char **diag);

/* A linked image: the module's code and data, in one mapping.
** Invariant: [mem, mem + size) is mapped for as long as the image lives. */
typedef struct CcImage {
    void *mem;
    size_t size;
} CcImage;

typedef struct CcLink CcLink;

/* Links the checked object o (objfile_check) into a fresh mapping; 'name'
** is what messages call it. Each import is bound to cerl's replacement when
** libc_guards has one (exit ends the calling process, not the runtime),
** else to the cerl.h function of that name (modapi_symbols), else to libc's
** or libm's; any other import (cerl's or libtcc's internals, a function
** declared but never defined) fails the link, naming it. Returns a handle
** for cc_symbol, or NULL with the reason in *err (caller frees); on failure
** nothing stays mapped. */
CcLink *cc_link(const ObjFile *o, const char *name, CcImage *img, char **err);
/* Address of the global symbol 'name' in the image, or NULL. Symbols that
** lie outside the image (imports such as printf) are reported as NULL. */
void *cc_symbol(CcLink *l, const char *name);
/* Releases the compiler state; the image stays. */
void cc_link_done(CcLink *l);
/* Unmaps an image: its code and data are gone. */
void cc_image_free(CcImage *img);
/* Makes an image inaccessible (PROT_NONE, its memory given back) while its
** address range stays reserved: touching it faults. Returns 0; on -1 the
** image has been unmapped instead and *img zeroed. Free it later with
** cc_image_free. */
int cc_image_retire(CcImage *img);

/* The directory holding cerl.h (next to the executable, or the build-time
** path). Static storage. */
const char *cc_include_dir(void);

/* The C function that serves Name/Arity of a module whose EXPORT(...)
** reads 'list' (e.g. "seq/2, seq/3, sum/1"): Name itself, or Name_Arity
** when the list names Name at more than one arity (seq_2, seq_3). Written
** to out (n bytes). */
void cc_export_c_name(const char *list, const char *name, int arity, char *out, size_t n);

#endif
