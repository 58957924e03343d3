/*
** cc.h
** The compiler front: libtcc compiling a module's C source to an object
** file, and linking an object file into memory at a known address range.
*/
#ifndef CERL_CC_H
#define CERL_CC_H

#include <stddef.h>

/* Compiles the C file 'src' to the object file 'obj' against cerl.h.
** Returns 0 on success, -1 on a compile error. *diag receives the
** compiler's messages ("t.c:3: error: ..." lines, warnings too), or NULL
** when there were none; the caller frees it. */
int cc_compile(const char *src, const char *obj, char **diag);

/* A linked image: the module's code and data, in one mapping.
** Invariant: [mem, mem + size) is mapped for as long as the image lives. */
typedef struct CcImage {
    void *mem;
    size_t size;
} CcImage;

typedef struct CcLink CcLink;

/* Links the object file 'obj' into a fresh mapping. The module's calls to
** the libc functions in libc_guards are linked to cerl's replacements (exit
** ends the calling process, not the runtime). Returns a handle for
** cc_symbol, or NULL with the reason in *err (caller frees); on failure
** nothing stays mapped. */
CcLink *cc_link(const char *obj, CcImage *img, char **err);
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

#endif
