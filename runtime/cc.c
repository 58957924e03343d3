/*
** cc.c
** libtcc front: compile a module's source to an object file, link a
** validated object into memory against the module API, libc and libm only.
** One TCCState per operation; never longjmp out of libtcc (LIBTCC_NOTES).
*/
#include "cc.h"
#include "buf.h"
#include "codespace.h"
#include "fault.h"
#include "libc_guard.h"
#include "modapi.h"
#include "objfile.h"

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libtcc.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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

/* ====================================================== guarded open */

/* While a module compiles, libtcc opens only regular files: an #include of
** a FIFO, a terminal or a device is refused (it would block, or read the
** user's next command). libtcc's open() calls reach __wrap_open through
** the linker's --wrap=open (Makefile). Per thread, as compiles may run on
** several schedulers. */
static __thread bool compiling;
static __thread char refused[256];

int __real_open(const char *path, int flags, ...);

int __wrap_open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) { /* as glibc reads a mode */
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (!compiling || (flags & O_ACCMODE) != O_RDONLY)
        return __real_open(path, flags, mode);
    int fd = __real_open(path, flags | O_NONBLOCK, mode);
    if (fd < 0)
        return fd;
    /* the shell's input is never an include, even redirected from a file */
    struct stat st, in;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (fstat(0, &in) == 0 && in.st_dev == st.st_dev && in.st_ino == st.st_ino)) {
        close(fd);
        if (!refused[0])
            snprintf(refused, sizeof refused, "%s", path);
        errno = EACCES;
        return -1;
    }
    if (!(flags & O_NONBLOCK))
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
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

static int check_imports(const char *src, const char *obj, Buf *diag);

/* ========================================================== compiling */

/* What a module's source declares with MODULE(...) and EXPORT(...), read
** from its text before tcc sees it: tcc's own messages for a missing ';'
** or a mistyped export are far from the mistake. */
typedef struct Decls {
    const char *src;  /* the file name messages give */
    int export_line;  /* 0: no EXPORT(...) found */
    int nitems;
    struct Item {
        char name[128];  /* the Erlang name */
        char cname[136]; /* the C function: name, or name_N when EXPORT
                         ** names it at more than one arity */
        int arity;
    } items[64];
} Decls;

typedef struct Scan {
    const char *p, *end;
    int line;
    bool bol; /* at the start of a line (only blanks before) */
} Scan;

/* The next token's first character, skipping blanks, comments, string and
** character literals and preprocessor lines; '\0' at the end. */
static char scan_next(Scan *sc)
{
    while (sc->p < sc->end) {
        char c = *sc->p;
        if (c == '\n') {
            sc->line++;
            sc->bol = true;
            sc->p++;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            sc->p++;
        } else if (c == '/' && sc->p + 1 < sc->end && sc->p[1] == '/') {
            while (sc->p < sc->end && *sc->p != '\n')
                sc->p++;
        } else if (c == '/' && sc->p + 1 < sc->end && sc->p[1] == '*') {
            sc->p += 2;
            while (sc->p < sc->end && !(*sc->p == '*' && sc->p + 1 < sc->end && sc->p[1] == '/'))
                sc->line += *sc->p++ == '\n';
            sc->p += sc->p < sc->end ? 2 : 0;
        } else if (c == '#' && sc->bol) {
            while (sc->p < sc->end && *sc->p != '\n') {
                if (*sc->p == '\\' && sc->p + 1 < sc->end && sc->p[1] == '\n')
                    sc->line++, sc->p++;
                sc->p++;
            }
        } else {
            sc->bol = false;
            return c;
        }
    }
    return '\0';
}

/* Consumes one token; copies an identifier or number into tok. */
static void scan_token(Scan *sc, char *tok, size_t size)
{
    size_t n = 0;
    char c = *sc->p;
    if (isalnum((unsigned char)c) || c == '_') {
        while (sc->p < sc->end && (isalnum((unsigned char)*sc->p) || *sc->p == '_')) {
            if (n + 1 < size)
                tok[n++] = *sc->p;
            sc->p++;
        }
    } else if (c == '"' || c == '\'') {
        sc->p++;
        while (sc->p < sc->end && *sc->p != c && *sc->p != '\n')
            sc->p += *sc->p == '\\' && sc->p + 1 < sc->end ? 2 : 1;
        sc->p += sc->p < sc->end;
    } else {
        if (n + 1 < size)
            tok[n++] = c;
        sc->p++;
    }
    tok[n] = '\0';
}

static int decl_error(Buf *diag, const Decls *d, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int decl_error(Buf *diag, const Decls *d, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    buf_printf(diag, "%s:%d: error: %s\n", d->src, line, msg);
    return -1;
}

void cc_export_c_name(const char *list, const char *name, int arity, char *out, size_t n)
{
    /* count the entries "name/N" of the list */
    size_t len = strlen(name);
    int arities = 0;
    for (const char *s = list; (s = strstr(s, name)) != NULL; s += len) {
        bool starts = s == list || !(isalnum((unsigned char)s[-1]) || s[-1] == '_');
        const char *t = s + len;
        while (*t == ' ' || *t == '\t')
            t++;
        arities += starts && *t == '/';
    }
    if (arities > 1)
        snprintf(out, n, "%s_%d", name, arity);
    else
        snprintf(out, n, "%s", name);
}

/* Reads MODULE(name) and EXPORT(f/N, ...) at file level. Returns 0, or -1
** with a compiler-style message in *diag for what tcc would report badly:
** a missing ';' after either, an arity over 8. An EXPORT it cannot read
** (built by macros) is left to the loader's check. */
static int scan_decls(const char *text, size_t len, Decls *d, Buf *diag)
{
    Scan sc = {text, text + len, 1, true};
    int depth = 0;
    char tok[128];
    while (scan_next(&sc)) {
        int line = sc.line;
        scan_token(&sc, tok, sizeof tok);
        if (tok[0] == '{' || tok[0] == '(')
            depth++;
        else if ((tok[0] == '}' || tok[0] == ')') && depth > 0)
            depth--;
        bool is_module = strcmp(tok, "MODULE") == 0, is_export = strcmp(tok, "EXPORT") == 0;
        if (depth || !(is_module || is_export) || scan_next(&sc) != '(')
            continue;
        scan_token(&sc, tok, sizeof tok);
        struct Item items[64];
        int n = 0;
        bool readable = true;
        char text_args[160] = "";
        for (;;) {
            char c = scan_next(&sc);
            if (!c)
                return 0;
            scan_token(&sc, tok, sizeof tok);
            if (c == ')')
                break;
            if (strlen(text_args) + strlen(tok) + 2 < sizeof text_args)
                strcat(strcat(text_args, tok), c == ',' ? " " : "");
            if (!is_export || c == ',')
                continue;
            char name[128];
            snprintf(name, sizeof name, "%s", tok);
            if (!(isalpha((unsigned char)name[0]) || name[0] == '_') || scan_next(&sc) != '/') {
                readable = false;
                continue;
            }
            scan_token(&sc, tok, sizeof tok);
            strcat(text_args, "/");
            if (!isdigit((unsigned char)scan_next(&sc))) {
                readable = false;
                continue;
            }
            scan_token(&sc, tok, sizeof tok);
            if (strlen(text_args) + strlen(tok) + 2 < sizeof text_args)
                strcat(text_args, tok);
            int arity = atoi(tok);
            if (arity > 8)
                return decl_error(diag, d, line, "EXPORT(%s/%d): an exported function takes at most 8 arguments", name,
                                  arity);
            if (n < 64) {
                snprintf(items[n].name, sizeof items[n].name, "%s", name);
                items[n++].arity = arity;
            }
        }
        int after = sc.line;
        if (scan_next(&sc) != ';')
            return decl_error(diag, d, after, "';' expected after %s(%s)", is_module ? "MODULE" : "EXPORT", text_args);
        if (is_export && readable) {
            d->export_line = line;
            d->nitems = n;
            memcpy(d->items, items, (size_t)n * sizeof *items);
            for (int i = 0; i < n; i++) {
                int arities = 0;
                for (int k = 0; k < n; k++)
                    arities += strcmp(items[k].name, items[i].name) == 0;
                if (arities > 1)
                    snprintf(d->items[i].cname, sizeof d->items[i].cname, "%.127s_%d", items[i].name,
                             items[i].arity);
                else
                    snprintf(d->items[i].cname, sizeof d->items[i].cname, "%.127s", items[i].name);
            }
        }
    }
    return 0;
}

static const struct Item *exported(const Decls *d, const char *cname)
{
    for (int i = 0; i < d->nitems; i++)
        if (strcmp(d->items[i].cname, cname) == 0)
            return &d->items[i];
    return NULL;
}

typedef struct Diag {
    Buf b;
    const Decls *decls;
    bool failed; /* a warning that fails the compile (an implicit declaration,
                 ** a static definition of an exported function) */
} Diag;

/* tcc's message for a definition that does not match the prototype EXPORT
** implies, said in terms of EXPORT. */
static void collect_compile(void *opaque, const char *msg)
{
    Diag *dg = opaque;
    const char *inc = strstr(msg, "include file '"), *nf = strstr(msg, "' not found");
    size_t rl = strlen(refused), nl = inc && nf > inc ? (size_t)(nf - inc) - strlen("include file '") : 0;
    if (nl && rl >= nl && memcmp(refused + rl - nl, inc + strlen("include file '"), nl) == 0) {
        const char *line = strrchr(msg, '\n') ? strrchr(msg, '\n') + 1 : msg;
        const char *err = strstr(line, "error: ");
        buf_put(&dg->b, line, err ? (size_t)(err - line) : 0);
        buf_printf(&dg->b, "error: cannot include %s: not a regular file\n", refused);
        refused[0] = '\0';
        return;
    }
    const char *redef = strstr(msg, "redefinition of '");
    const char *err = strstr(msg, ": error: ");
    if (!err) /* "static storage ignored for redefinition" is only a warning */
        err = strstr(msg, ": warning: ");
    if (redef && err) {
        char name[128];
        const char *q = redef + strlen("redefinition of '");
        size_t n = strcspn(q, "'");
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), q);
        const struct Item *it = exported(dg->decls, name);
        if (it) {
            dg->failed = true;
            buf_put(&dg->b, msg, (size_t)(err - msg));
            if (strstr(msg, "static storage"))
                buf_printf(&dg->b, ": error: %s/%d is exported, so it cannot be static\n", it->name, it->arity);
            else {
                buf_printf(&dg->b, ": error: %s does not match EXPORT(%s/%d): define it as Term %s(", name,
                           it->name, it->arity, name);
                for (int i = 0; i < it->arity; i++)
                    buf_puts(&dg->b, i ? ", Term" : "Term");
                buf_puts(&dg->b, it->arity ? ")\n" : "void)\n");
            }
            return;
        }
    }
    /* implicit declarations truncate pointers on 64-bit: an error */
    const char *implicit = strstr(msg, "warning: implicit declaration of function");
    if (implicit) {
        dg->failed = true;
        buf_put(&dg->b, msg, (size_t)(implicit - msg));
        buf_printf(&dg->b, "error: %s\n", implicit + strlen("warning: "));
        return;
    }
    collect(&dg->b, msg);
}

/* The whole of the regular file 'path' (a FIFO or device is refused
** without blocking), NUL-terminated, or NULL with a message in *diag. */
static char *read_source(const char *path, size_t *len, Buf *diag)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        buf_printf(diag, "%s: error: %s\n", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        buf_printf(diag, "%s: error: not a regular file\n", path);
        return NULL;
    }
    Buf b = {0};
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            buf_put(&b, chunk, (size_t)n);
    close(fd);
    if (n < 0) {
        buf_free(&b);
        buf_printf(diag, "%s: error: %s\n", path, strerror(errno));
        return NULL;
    }
    *len = b.len;
    return b.s ? buf_take(&b) : xstrdup("");
}

/* #line N "file", the name quoted as a C string. */
static void put_line_directive(Buf *b, int line, const char *file)
{
    buf_printf(b, "#line %d \"", line);
    for (const char *p = file; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_putc(b, '\\');
        buf_putc(b, *p);
    }
    buf_puts(b, "\"\n");
}

int cc_compile(const char *src, const char *obj, char **diag)
{
    return cc_compile_opts(src, obj, NULL, diag);
}

int cc_compile_opts(const char *src, const char *obj, const CcOptions *opts, char **diag)
{
    Decls d = {.src = src};
    Diag dg = {.decls = &d};
    Buf text = {0};
    int rc = -1;
    size_t len = 0;
    char *source = read_source(src, &len, &dg.b);
    if (!source || scan_decls(source, len, &d, &dg.b) != 0)
        goto out;
    /* EXPORT's prototypes first, so that tcc checks each definition
    ** against them; the source follows under its own name and lines */
    if (d.nitems)
        put_line_directive(&text, d.export_line, src);
    for (int i = 0; i < d.nitems; i++) {
        buf_printf(&text, "unsigned long %s(", d.items[i].cname);
        for (int k = 0; k < d.items[i].arity; k++)
            buf_puts(&text, k ? ", unsigned long" : "unsigned long");
        buf_puts(&text, d.items[i].arity ? ");" : "void);");
    }
    buf_putc(&text, '\n');
    put_line_directive(&text, 1, src);
    buf_put(&text, source, len);
    TCCState *s = tcc_new();
    if (!s) {
        buf_puts(&dg.b, "cannot start the compiler\n");
        goto out;
    }
    tcc_set_error_func(s, &dg, collect_compile);
    /* -g: stabs with the line of every statement, for stack traces */
    tcc_set_options(s, "-Wall -Werror -g");
    /* warnings are shown and do not fail the compile, but for those
    ** collect_compile makes errors: tcc 0.9.27 has no -Werror=NAME */
    tcc_set_options(s, "-Wno-error");
    for (size_t i = 0; opts && i < opts->ndefines; i++)
        tcc_define_symbol(s, opts->defines[i].name, opts->defines[i].value);
    for (size_t i = 0; opts && i < opts->nincludes; i++)
        tcc_add_include_path(s, opts->includes[i]);
    tcc_add_include_path(s, cc_include_dir());
    /* quoted includes: tcc looks in the current directory (the text has no
    ** file of its own), then here, in the source's directory */
    const char *slash = strrchr(src, '/');
    if (slash) {
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - src), src);
        tcc_add_include_path(s, dir[0] ? dir : "/");
    }
    tcc_set_output_type(s, TCC_OUTPUT_OBJ);
    compiling = true;
    refused[0] = '\0';
    int ok = tcc_compile_string(s, buf_str(&text)) == 0;
    compiling = false;
    if (ok && !dg.failed && tcc_output_file(s, obj) == 0)
        rc = 0;
    tcc_delete(s);
    /* an object that cannot be linked is not left for l(Mod) to find (a
    ** temporary file and a rename would cost half a compile) */
    if (rc == 0 && (rc = check_imports(src, obj, &dg.b)) != 0)
        unlink(obj);
    if (refused[0]) /* refused, then found elsewhere on the include path */
        refused[0] = '\0';
out:
    free(source);
    buf_free(&text);
    *diag = dg.b.len ? buf_take(&dg.b) : NULL;
    buf_free(&dg.b);
    return rc;
}

/* ============================================================ linking */

/* Names libtcc's own runtime (libtcc1.a) defines: tcc emits calls to them
** for some conversions, alloca and va_arg, and links them in itself. */
static const char *const tcc_runtime[] = {
    "__fixdfdi", "__fixsfdi", "__fixunsdfdi", "__fixunssfdi", "__fixunsxfdi", "__fixxfdi", "__floatundidf",
    "__floatundisf", "__floatundixf", "alloca", "__va_arg", "__dso_handle", NULL,
};

/* What a module's import 'name' is bound to: cerl's replacement for a libc
** function that would end the runtime, a cerl.h function, or libc's or
** libm's own. NULL when the module may not use it: cerl's and libtcc's
** internals are not reachable. *tcc_own is set for libtcc's runtime. */
static void *libc_handle, *libm_handle; /* set once, then only read */

static void open_libs(void)
{
    libc_handle = dlopen("libc.so.6", RTLD_LAZY);
    libm_handle = dlopen("libm.so.6", RTLD_LAZY);
}

static const void *resolve(const char *name, bool *tcc_own)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    *tcc_own = false;
    for (const LibcGuard *g = libc_guards; g->name; g++)
        if (strcmp(g->name, name) == 0)
            return g->fn;
    const void *fn = modapi_find(name);
    if (fn)
        return fn;
    for (const char *const *t = tcc_runtime; *t; t++)
        if (strcmp(*t, name) == 0) {
            *tcc_own = true;
            return NULL;
        }
    pthread_once(&once, open_libs);
    if (libc_handle && (fn = dlsym(libc_handle, name)))
        return fn;
    if (libm_handle && (fn = dlsym(libm_handle, name)))
        return fn;
    return NULL;
}

/* Resolves every import of o; with s, binds each with tcc_add_symbol so
** that libtcc never looks a name up itself. Returns 0, or -1 naming what
** cannot be bound. */
static int bind_imports(TCCState *s, const ObjFile *o, Buf *why)
{
    int missing = 0;
    for (size_t i = 1; i < o->nsyms; i++) {
        ObjSym sym;
        objfile_sym(o, i, &sym);
        if (sym.shndx != 0 || sym.bind == 0 || (s && tcc_get_symbol(s, sym.name)))
            continue;
        bool tcc_own;
        const void *fn = resolve(sym.name, &tcc_own);
        if (fn) {
            if (s)
                tcc_add_symbol(s, sym.name, fn);
        } else if (!tcc_own) {
            if (missing++ < 8)
                buf_printf(why, "%s%s", missing > 1 ? ", " : "undefined symbol: ", sym.name);
        }
    }
    if (missing > 8)
        buf_printf(why, " and %d more", missing - 8);
    if (missing)
        buf_puts(why, " (a module links to the functions of cerl.h, libc and libm only)");
    return missing ? -1 : 0;
}

/* After a compile: what the object imports must be linkable, or c(Mod)
** fails now, as a call to an undefined function does in Erlang. */
static int check_imports(const char *src, const char *obj, Buf *diag)
{
    ObjFile o;
    Buf why = {0};
    int rc = -1;
    if (objfile_read(obj, &o, &why) == 0 && objfile_check(&o, &why) == 0 && bind_imports(NULL, &o, &why) == 0)
        rc = 0;
    if (rc != 0)
        buf_printf(diag, "%s: error: %s\n", src, buf_str(&why));
    objfile_free(&o);
    buf_free(&why);
    return rc;
}

CcLink *cc_link(const ObjFile *o, const char *name, CcImage *img, char **err)
{
    Buf b = {0};
    CcLink *l = NULL;
    void *mem = MAP_FAILED;
    size_t size = 0;
    int fd = -1;
    TCCState *s = new_state(&b, TCC_OUTPUT_MEMORY);
    if (!s) {
        buf_puts(&b, "cannot start the compiler");
        goto fail;
    }
    /* libtcc loads objects from files only: hand it the bytes that were
    ** checked, in an anonymous file, never the path again */
    fd = memfd_create("cerl-object", MFD_CLOEXEC);
    if (fd < 0) {
        buf_printf(&b, "cannot create a memory file: %s", strerror(errno));
        goto fail;
    }
    for (size_t off = 0; off < o->len;) {
        ssize_t n = write(fd, o->data + off, o->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            buf_printf(&b, "cannot write a memory file: %s", strerror(errno));
            goto fail;
        }
        off += (size_t)n;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    tcc_set_options(s, "-xb");
    if (tcc_add_file(s, path) != 0)
        goto fail;
    if (bind_imports(s, o, &b) != 0)
        goto fail;
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
    close(fd);
    l = xmalloc(sizeof *l);
    l->s = s;
    l->img.mem = mem;
    l->img.size = size;
    *img = l->img;
    *err = NULL;
    buf_free(&b);
    return l;
fail:
    if (fd >= 0)
        close(fd);
    if (mem != MAP_FAILED)
        codespace_unmap(mem, size);
    if (s)
        tcc_delete(s);
    if (!b.len)
        buf_puts(&b, "cannot link the object file");
    while (b.len && b.s[b.len - 1] == '\n')
        b.s[--b.len] = '\0';
    /* tcc names the memory file: name the object instead */
    char *msg = buf_take(&b);
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    char *at = fd >= 0 ? strstr(msg, fdpath) : NULL;
    if (at) {
        buf_put(&b, msg, (size_t)(at - msg));
        buf_puts(&b, name);
        buf_puts(&b, at + strlen(fdpath));
        free(msg);
        msg = buf_take(&b);
    }
    buf_free(&b);
    *err = msg;
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
