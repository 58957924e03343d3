/*
** cc.c
** libtcc front: compile to an object file, link an object into memory.
** One TCCState per operation; never longjmp out of libtcc (LIBTCC_NOTES).
*/
#include "cc.h"
#include "buf.h"
#include "codespace.h"
#include "fault.h"
#include "libc_guard.h"

#include <libtcc.h>
#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef CERL_INCLUDE_DIR
#define CERL_INCLUDE_DIR "include"
#endif

struct CcLink {
    TCCState *s;
    CcImage img;
};

static void collect(void *opaque, const char *msg)
{
    Buf *b = opaque;
    buf_puts(b, msg);
    buf_putc(b, '\n');
}

const char *cc_include_dir(void)
{
    static char dir[PATH_MAX + 32];
    if (dir[0])
        return dir;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            /* ./cerl at the repository root, or build/cerl below it */
            const char *tries[] = {"/include/cerl.h", "/../include/cerl.h"};
            for (size_t i = 0; i < 2; i++) {
                char path[PATH_MAX + 32];
                snprintf(path, sizeof path, "%s%s", exe, tries[i]);
                if (access(path, R_OK) == 0) {
                    path[strlen(path) - strlen("/cerl.h")] = '\0';
                    snprintf(dir, sizeof dir, "%s", path);
                    return dir;
                }
            }
        }
    }
    snprintf(dir, sizeof dir, "%s", CERL_INCLUDE_DIR);
    return dir;
}

static TCCState *new_state(Buf *diag, int output)
{
    TCCState *s = tcc_new();
    if (!s)
        return NULL;
    tcc_set_error_func(s, diag, collect);
    /* implicit declarations truncate pointers on 64-bit: refuse them */
    tcc_set_options(s, "-Wall -Werror");
    tcc_add_include_path(s, cc_include_dir());
    tcc_set_output_type(s, output);
    return s;
}

int cc_compile(const char *src, const char *obj, char **diag)
{
    Buf b = {0};
    int rc = -1;
    TCCState *s = new_state(&b, TCC_OUTPUT_OBJ);
    if (!s) {
        buf_puts(&b, "cannot start the compiler\n");
        goto out;
    }
    if (tcc_add_file(s, src) == 0 && tcc_output_file(s, obj) == 0)
        rc = 0;
    tcc_delete(s);
out:
    *diag = b.len ? buf_take(&b) : NULL;
    buf_free(&b);
    return rc;
}

CcLink *cc_link(const char *obj, CcImage *img, char **err)
{
    Buf b = {0};
    CcLink *l = NULL;
    void *mem = MAP_FAILED;
    size_t size = 0;
    TCCState *s = new_state(&b, TCC_OUTPUT_MEMORY);
    if (!s) {
        buf_puts(&b, "cannot start the compiler");
        goto fail;
    }
    if (tcc_add_file(s, obj) != 0)
        goto fail;
    for (const LibcGuard *g = libc_guards; g->name; g++)
        tcc_add_symbol(s, g->name, g->fn);
    int need = tcc_relocate(s, NULL);
    if (need <= 0)
        goto fail;
    size_t ps = (size_t)sysconf(_SC_PAGESIZE);
    size = ((size_t)need + ps - 1) & ~(ps - 1);
    mem = codespace_alloc(size);
    if (!mem) {
        mem = MAP_FAILED;
        buf_puts(&b, "cannot map memory for the module");
        goto fail;
    }
    if (tcc_relocate(s, mem) < 0)
        goto fail;
    l = xmalloc(sizeof *l);
    l->s = s;
    l->img.mem = mem;
    l->img.size = size;
    *img = l->img;
    *err = NULL;
    buf_free(&b);
    return l;
fail:
    if (mem != MAP_FAILED)
        codespace_unmap(mem, size);
    if (s)
        tcc_delete(s);
    if (!b.len)
        buf_puts(&b, "cannot link the object file");
    while (b.len && b.s[b.len - 1] == '\n')
        b.s[--b.len] = '\0';
    *err = buf_take(&b);
    return NULL;
}

void *cc_symbol(CcLink *l, const char *name)
{
    void *p = tcc_get_symbol(l->s, name);
    uintptr_t a = (uintptr_t)p, lo = (uintptr_t)l->img.mem;
    if (!p || a < lo || a >= lo + l->img.size)
        return NULL;
    return p;
}

void cc_link_done(CcLink *l)
{
    if (!l)
        return;
    tcc_delete(l->s);
    free(l);
}

void cc_image_free(CcImage *img)
{
    if (img->mem)
        codespace_unmap(img->mem, img->size);
    img->mem = NULL;
    img->size = 0;
}

int cc_image_retire(CcImage *img)
{
    if (!img->mem)
        return -1;
    if (codespace_retire(img->mem, img->size) != 0) {
        img->mem = NULL;
        img->size = 0;
        return -1;
    }
    return 0;
}
