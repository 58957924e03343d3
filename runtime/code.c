/*
** code.c
** The code server: current and old versions of each module, the code path,
** load / purge / delete, and which code an address belongs to.
*/
#include "code.h"
#include "fun.h"
#include "buf.h"
#include "codespace.h"
#include "error.h"
#include "export.h"
#include "md5.h"
#include "objfile.h"
#include "proc.h"
#include "purgescan.h"
#include "sched.h"
#include "stacktrace.h"

#include <ctype.h>
#include <elf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Invariant: 'modules' holds every module with a current or an old version. */
static Module *modules;
static char **path;
static size_t npath;

static bool autoload(Term mod);
static void version_retire(Term mod, ModVersion *v);

/* How many loaded versions have each scan_bit (purgescan.h). */
static uint32_t scan_bit_users[64];

bool code_scan_bit_unique(const ModVersion *v)
{
    return scan_bit_users[v->scan_bit] == 1;
}

/* The least used bit: a free one while fewer than 64 versions are loaded. */
static unsigned scan_bit_take(void)
{
    unsigned best = 0;
    for (unsigned b = 1; b < 64; b++)
        if (scan_bit_users[b] < scan_bit_users[best])
            best = b;
    scan_bit_users[best]++;
    return best;
}

void code_init(void)
{
    if (!npath) {
        code_add_path(".", false);
        /* the modules shipped with cerl (modules/, beside include/): on the
        ** path and sticky, as OTP's stdlib is */
        char dir[PATH_MAX + 16];
        snprintf(dir, sizeof dir, "%s/../modules", cc_include_dir());
        char real[PATH_MAX];
        if (realpath(dir, real)) {
            code_add_path(real, false);
            code_stick_dir(real);
        }
    }
    export_autoload = autoload;
}

void code_add_path(const char *dir, bool front)
{
    path = xrealloc(path, (npath + 1) * sizeof *path);
    if (front) {
        memmove(path + 1, path, npath * sizeof *path);
        path[0] = xstrdup(dir);
    } else {
        path[npath] = xstrdup(dir);
    }
    npath++;
}

Term code_get_path(Heap *h)
{
    Term list = ERL_NIL;
    for (size_t i = npath; i > 0; i--) {
        const char *d = path[i - 1];
        list = term_cons(h, term_string(h, d, strlen(d)), list);
    }
    return list;
}

Module *code_module(Term mod)
{
    for (Module *m = modules; m; m = m->next)
        if (m->name == mod)
            return m;
    return NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(erl_atom_name((*(Module *const *)a)->name), erl_atom_name((*(Module *const *)b)->name));
}

Module **code_loaded(size_t *n)
{
    size_t count = 0;
    for (Module *m = modules; m; m = m->next)
        count += m->cur != NULL;
    Module **v = xmalloc((count ? count : 1) * sizeof *v);
    count = 0;
    for (Module *m = modules; m; m = m->next)
        if (m->cur)
            v[count++] = m;
    qsort(v, count, sizeof *v, by_name);
    *n = count;
    return v;
}

/* =========================================================== sticky */

/* Sticky directories (code:stick_dir/1), by real path. A module found in a
** sticky directory of the code path is loaded from there even when an
** earlier directory holds an object of the same name, and once loaded it
** cannot be reloaded: the standard library cannot be shadowed or replaced. */
static char **sticky;
static size_t nsticky;

static bool dir_is_sticky(const char *dir)
{
    char real[PATH_MAX];
    if (!nsticky || !realpath(dir, real))
        return false;
    for (size_t i = 0; i < nsticky; i++)
        if (strcmp(sticky[i], real) == 0)
            return true;
    return false;
}

int code_stick_dir(const char *dir)
{
    char real[PATH_MAX];
    struct stat st;
    if (!realpath(dir, real) || stat(real, &st) != 0 || !S_ISDIR(st.st_mode))
        return -1;
    if (!dir_is_sticky(real)) {
        sticky = xrealloc(sticky, (nsticky + 1) * sizeof *sticky);
        sticky[nsticky++] = xstrdup(real);
    }
    return 0;
}

int code_unstick_dir(const char *dir)
{
    char real[PATH_MAX];
    struct stat st;
    if (!realpath(dir, real) || stat(real, &st) != 0 || !S_ISDIR(st.st_mode))
        return -1;
    for (size_t i = 0; i < nsticky; i++)
        if (strcmp(sticky[i], real) == 0) {
            free(sticky[i]);
            sticky[i] = sticky[--nsticky];
            break;
        }
    return 0;
}

bool code_is_sticky(Term mod)
{
    if (export_is_builtin_module(mod)) /* preloaded, as erl's kernel */
        return true;
    Module *m = code_module(mod);
    if (!m || !m->cur)
        return false;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", m->cur->path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        return false;
    *slash = '\0';
    return dir_is_sticky(dir[0] ? dir : "/");
}

bool code_valid_name(Term mod)
{
    const char *name = erl_atom_name(mod);
    return name[0] && !strchr(name, '/');
}

/* "<dir>/<mod>.o" when it exists, as an absolute path (malloc'd). */
static char *object_in(const char *dir, Term mod)
{
    Buf b = {0};
    buf_printf(&b, "%s/%s.o", dir, erl_atom_name(mod));
    if (access(b.s, R_OK) != 0) {
        buf_free(&b);
        return NULL;
    }
    char abs[PATH_MAX];
    if (realpath(b.s, abs)) {
        buf_free(&b);
        return xstrdup(abs);
    }
    return buf_take(&b);
}

char *code_find_object(Term mod)
{
    if (!code_valid_name(mod))
        return NULL;
    char *file = NULL;
    for (size_t i = 0; !file && nsticky && i < npath; i++)
        if (dir_is_sticky(path[i]))
            file = object_in(path[i], mod);
    for (size_t i = 0; !file && i < npath; i++)
        file = object_in(path[i], mod);
    return file;
}

/* =========================================================== versions */

static void version_free(ModVersion *v)
{
    if (!v)
        return;
    if (v->path) /* a version that loaded has a bit */
        scan_bit_users[v->scan_bit]--;
    purgescan_version_gone(); /* its image may be another's next */
    cc_image_free(&v->img);
    free(v->exports);
    free(v->funcs);
    stacktrace_lines_free(v->lines);
    free(v->path);
    free(v->vsn);
    free(v);
}

static int export_order(const void *a, const void *b)
{
    const struct ModExport *x = a, *y = b;
    int c = strcmp(erl_atom_name(x->fun), erl_atom_name(y->fun));
    return c ? c : x->arity - y->arity;
}

/* Parses "start/0, do_loop/0" into v->exports, resolving each function in
** the image. Returns 0, or -1 with the reason in *why. */
static int read_exports(ModVersion *v, CcLink *l, const ObjFile *o, const char *list, Buf *why)
{
    const char *s = list;
    int cap = 0;
    while (*s) {
        while (*s == ' ' || *s == ',' || *s == '\t' || *s == '\n')
            s++;
        if (!*s)
            break;
        const char *name = s;
        while (isalnum((unsigned char)*s) || *s == '_')
            s++;
        size_t len = (size_t)(s - name);
        while (*s == ' ')
            s++;
        if (len == 0 || *s != '/' || !isdigit((unsigned char)s[1])) {
            buf_printf(why, "bad EXPORT declaration: \"%s\"", list);
            return -1;
        }
        int arity = (int)strtol(s + 1, (char **)&s, 10);
        char fname[256];
        if (len >= sizeof fname || arity > 8) {
            buf_printf(why, "bad EXPORT declaration: \"%s\"", list);
            return -1;
        }
        memcpy(fname, name, len);
        fname[len] = '\0';
        char cname[300];
        cc_export_c_name(list, fname, arity, cname, sizeof cname);
        void *fn = cc_symbol(l, cname);
        ObjSym sym;
        if (!fn && objfile_find(o, cname, &sym) && sym.shndx && sym.bind == STB_LOCAL) {
            buf_printf(why, "exported function %s/%d is static", fname, arity);
            return -1;
        }
        if (!fn) {
            buf_printf(why, "exported function %s/%d is not defined (as %s)", fname, arity, cname);
            return -1;
        }
        if (v->nexports == cap) {
            cap = cap ? cap * 2 : 8;
            v->exports = xrealloc(v->exports, (size_t)cap * sizeof *v->exports);
        }
        v->exports[v->nexports].fun = atom_from(fname, len);
        v->exports[v->nexports].arity = arity;
        v->exports[v->nexports].fn = fn;
        v->nexports++;
    }
    if (v->nexports)
        qsort(v->exports, (size_t)v->nexports, sizeof *v->exports, export_order);
    return 0;
}

/* Links and checks the object 'file' as module 'mod'. The file is read
** once; the validator, md5, the linker and the symbol reader all take those
** bytes. Returns the new version, or NULL with the reason appended to *why.
** Nothing is visible to the rest of the runtime until the caller installs
** it. */
static ModVersion *version_load(Term mod, const char *file, Buf *why)
{
    ModVersion *v = xcalloc(1, sizeof *v);
    CcLink *l = NULL;
    ObjFile o;
    if (objfile_read(file, &o, why) != 0)
        goto fail;
    if (objfile_check(&o, why) != 0)
        goto fail;
    md5_digest(o.data, o.len, v->md5);
    char *err = NULL;
    l = cc_link(&o, file, &v->img, &err);
    if (!l) {
        buf_puts(why, err);
        free(err);
        goto fail;
    }
    const char *name = cc_symbol(l, "cerl_module");
    const char *exports = cc_symbol(l, "cerl_exports");
    if (!name || !memchr(name, '\0', (uintptr_t)v->img.mem + v->img.size - (uintptr_t)name)) {
        buf_puts(why, "no MODULE(...) declaration");
        goto fail;
    }
    if (strcmp(name, erl_atom_name(mod)) != 0) {
        buf_printf(why, "module name in object code is %s", name);
        goto fail;
    }
    if (!exports || !memchr(exports, '\0', (uintptr_t)v->img.mem + v->img.size - (uintptr_t)exports)) {
        buf_puts(why, "no EXPORT(...) declaration");
        goto fail;
    }
    if (read_exports(v, l, &o, exports, why) != 0)
        goto fail;
    const char *vsn = cc_symbol(l, "cerl_vsn"); /* optional: VSN("...") */
    if (vsn && memchr(vsn, '\0', (uintptr_t)v->img.mem + v->img.size - (uintptr_t)vsn))
        v->vsn = xstrdup(vsn);
    v->funcs = symtab_load(&o, (void *(*)(void *, const char *))cc_symbol, l, &v->nfuncs);
    v->lines = stacktrace_lines_load(&o, v->funcs, v->nfuncs);
    cc_link_done(l);
    objfile_free(&o);
    v->path = xstrdup(file);
    v->scan_bit = scan_bit_take();
    return v;
fail:
    objfile_free(&o);
    cc_link_done(l);
    version_free(v);
    return NULL;
}

/* Points the export table at v's functions (NULL for what v lacks). */
static void install_exports(Term mod, ModVersion *v)
{
    export_clear_module(mod);
    for (int i = 0; v && i < v->nexports; i++)
        export_entry(mod, v->exports[i].fun, v->exports[i].arity)->pub.fn = v->exports[i].fn;
}

static void drop_if_empty(Module *m)
{
    if (m->cur || m->old)
        return;
    for (Module **link = &modules; *link; link = &(*link)->next)
        if (*link == m) {
            *link = m->next;
            free(m);
            return;
        }
}

/* ============================================================ loading */

static Term error_tuple(Heap *h, Term reason)
{
    return term_tuple(h, 2, (Term[]){AM_error, reason});
}

Term code_load_file(Heap *h, Term mod, char **why_out)
{
    if (why_out)
        *why_out = NULL;
    if (code_is_sticky(mod))
        return error_tuple(h, erl_atom("sticky_directory"));
    char *file = code_find_object(mod);
    if (!file)
        return error_tuple(h, AM_nofile);
    Term r = code_load_abs(h, mod, file, why_out);
    free(file);
    return r;
}

Term code_load_abs(Heap *h, Term mod, const char *file, char **why_out)
{
    if (why_out)
        *why_out = NULL;
    if (code_is_sticky(mod))
        return error_tuple(h, erl_atom("sticky_directory"));
    Module *m = code_module(mod);
    if (m && m->cur && m->old)
        return error_tuple(h, AM_not_purged);
    Buf why = {0};
    ModVersion *v = version_load(mod, file, &why);
    if (!v) {
        if (why_out)
            *why_out = buf_take(&why);
        buf_free(&why);
        return error_tuple(h, AM_badfile);
    }
    buf_free(&why);
    if (!m) {
        m = xcalloc(1, sizeof *m);
        m->name = mod;
        m->next = modules;
        modules = m;
    }
    if (m->cur)
        m->old = m->cur;
    m->cur = v;
    install_exports(mod, v);
    fun_code_loaded(mod, v->md5, v->funcs, v->nfuncs);
    return term_tuple(h, 2, (Term[]){AM_module, mod});
}

int code_revert(Term mod)
{
    Module *m = code_module(mod);
    if (!m || !m->cur || !m->old)
        return -1;
    ModVersion *newer = m->cur;
    m->cur = m->old;
    m->old = newer;
    install_exports(mod, m->cur);
    return 0;
}

static bool autoload(Term mod)
{
    Module *m = code_module(mod);
    if (m && m->cur)
        return true;
    Term r = code_load_file(heap_current(), mod, NULL);
    return erl_is_tuple(r) && erl_element(r, 1) == AM_module;
}

/* ============================================================ purging */

/* Erlang's rule: a process runs old code when a frame of its stack returns
** into it, or when it holds a fun whose code is in it (fun.h). The search
** skips what purgescan.h knows cannot have changed, and every heap when no
** closure of the old code was ever made. */
static bool closures_of(const ModVersion *old)
{
    uintptr_t lo = (uintptr_t)old->img.mem;
    return fun_closures_in(lo, lo + old->img.size);
}

static bool runs_old(Proc *p, const ModVersion *old)
{
    return purgescan_runs(p, old, closures_of(old));
}

/* The processes a purge kills, by pid, Proc and scan slot: while the slot
** holds the same Proc with the same pid, it is still that process. */
typedef struct Victims {
    size_t n, cap;
    struct Victim {
        Term pid;
        Proc *p;
        uint32_t slot;
    } *v;
} Victims;

static int by_pid(const void *a, const void *b)
{
    uint64_t x = pid_number(((const struct Victim *)a)->pid), y = pid_number(((const struct Victim *)b)->pid);
    return x < y ? -1 : x > y;
}

/* erl kills in pid order (its 'DOWN' messages arrive in that order); slots
** mostly are, so the sort is mostly skipped. */
static void victims_sort(Victims *vs)
{
    for (size_t i = 1; i < vs->n; i++)
        if (pid_number(vs->v[i - 1].pid) > pid_number(vs->v[i].pid)) {
            qsort(vs->v, vs->n, sizeof *vs->v, by_pid);
            return;
        }
}

static bool collect_victim(Proc *p, void *arg)
{
    Victims *vs = arg;
    if (vs->n == vs->cap) {
        vs->cap = vs->cap ? 2 * vs->cap : 16;
        vs->v = xrealloc(vs->v, vs->cap * sizeof *vs->v);
    }
    vs->v[vs->n++] = (struct Victim){p->pid, p, p->scan_slot};
    return false;
}

static bool stop_at_first(Proc *p, void *arg)
{
    return true;
}

bool code_purge(Term mod)
{
    Module *m = code_module(mod);
    if (!m || !m->old)
        return false;
    Proc *self = proc_current();
    Term from = self ? self->pid : pid_make(0);
    /* Collect first: killing one process may end linked ones too. */
    Victims vs = {0};
    purgescan_find(m->old, closures_of(m->old), collect_victim, &vs);
    victims_sort(&vs);
    bool self_too = false;
    for (size_t i = 0; i < vs.n; i++) {
        Proc *p = vs.v[i].p;
        /* an earlier kill may have ended it (links), and its slot and
        ** memory may have gone to a new process */
        if (purgescan_proc(vs.v[i].slot) != p || p->pid != vs.v[i].pid)
            continue;
        if (p == self)
            self_too = true;
        proc_signal_exit(p, from, AM_kill);
    }
    free(vs.v);
    bool killed = vs.n > 0;
    version_retire(m->name, m->old);
    m->old = NULL;
    drop_if_empty(m);
    if (self_too)
        proc_check_signals(); /* never return into the code just removed */
    return killed;
}

bool code_soft_purge(Term mod)
{
    Module *m = code_module(mod);
    if (!m || !m->old)
        return true;
    if (purgescan_find(m->old, closures_of(m->old), stop_at_first, NULL))
        return false;
    version_retire(m->name, m->old);
    m->old = NULL;
    drop_if_empty(m);
    return true;
}

bool code_delete(Term mod)
{
    Module *m = code_module(mod);
    if (!m || !m->cur || m->old)
        return false;
    m->old = m->cur;
    m->cur = NULL;
    install_exports(mod, NULL);
    return true;
}

bool code_has_old(Term mod)
{
    Module *m = code_module(mod);
    return m && m->old;
}

bool code_check_process(Term pid, Term mod)
{
    Module *m = code_module(mod);
    Proc *p = proc_find(pid);
    return m && m->old && p && runs_old(p, m->old);
}

/* ======================================================= attribution */

static bool version_has(const ModVersion *v, uintptr_t a)
{
    uintptr_t lo = (uintptr_t)v->img.mem;
    return a >= lo && a < lo + v->img.size;
}

Term code_address_info(Heap *h, uintptr_t addr)
{
    for (Module *m = modules; m; m = m->next) {
        ModVersion *v = m->cur && version_has(m->cur, addr) ? m->cur
                        : m->old && version_has(m->old, addr) ? m->old : NULL;
        if (!v)
            continue;
        const FnSym *f = symtab_find(v->funcs, v->nfuncs, addr);
        Term fun = f ? f->name : AM_undefined;
        return term_tuple(h, 3, (Term[]){m->name, fun, v == m->cur ? AM_current : AM_old});
    }
    return ERL_NONE;
}

bool code_function_at(uintptr_t addr, Term *mod, Term *name, long *index, unsigned char md5[16], bool *old)
{
    for (Module *m = modules; m; m = m->next) {
        ModVersion *v = m->cur && version_has(m->cur, addr) ? m->cur
                        : m->old && version_has(m->old, addr) ? m->old : NULL;
        if (!v)
            continue;
        const FnSym *f = symtab_find(v->funcs, v->nfuncs, addr);
        *mod = m->name;
        *name = f ? f->name : AM_undefined;
        *index = f ? (long)(f - v->funcs) : 0;
        memcpy(md5, v->md5, 16);
        *old = v != m->cur;
        return true;
    }
    return false;
}

/* ====================================================== purged images */

/* A purged version's image is not unmapped at once: its pages become
** PROT_NONE (their memory is released) but the address range stays
** reserved, so that a call through a stale pointer into it faults and can be
** named ({purged_code, {Mod, Fun, purged}, Addr}) instead of running whatever
** a later load puts at that address. Images carved from the code space
** (codespace.h) stay reserved and named for good: their addresses are never
** handed out again. Images from outside it (after CODESPACE_SIZE bytes of
** loads) are kept for the last PURGED_KEEP purges only; when one more is
** purged the oldest is unmapped, and only from then on may its addresses be
** reused.
** Invariants: kept[0..nkept) are code-space images in address order;
** ring[i].img.mem != NULL exactly for the outside images kept. */
enum { PURGED_KEEP = 256 };
struct Purged {
    Term mod;
    CcImage img;
    FnSym *funcs; /* owned */
    size_t nfuncs;
};
static struct {
    struct Purged *kept;
    size_t nkept, capkept;
    struct Purged ring[PURGED_KEEP];
    size_t ring_next; /* slot the next outside purge fills (oldest when full) */
} purged;

static struct Purged *purged_slot(const CcImage *img)
{
    if (codespace_owns(img->mem, img->size)) {
        if (purged.nkept == purged.capkept) {
            purged.capkept = purged.capkept ? 2 * purged.capkept : 64;
            purged.kept = xrealloc(purged.kept, purged.capkept * sizeof *purged.kept);
        }
        /* images are purged in any order: insert in address order */
        size_t at = purged.nkept;
        while (at > 0 && (uintptr_t)purged.kept[at - 1].img.mem > (uintptr_t)img->mem)
            at--;
        memmove(&purged.kept[at + 1], &purged.kept[at], (purged.nkept - at) * sizeof *purged.kept);
        purged.nkept++;
        memset(&purged.kept[at], 0, sizeof *purged.kept);
        return &purged.kept[at];
    }
    struct Purged *slot = &purged.ring[purged.ring_next];
    if (slot->img.mem) {
        cc_image_free(&slot->img);
        free(slot->funcs);
    }
    memset(slot, 0, sizeof *slot);
    purged.ring_next = (purged.ring_next + 1) % PURGED_KEEP;
    return slot;
}

static void version_retire(Term mod, ModVersion *v)
{
    CcImage img = v->img;
    if (cc_image_retire(&v->img) == 0) {
        struct Purged *slot = purged_slot(&img);
        slot->mod = mod;
        slot->img = img;
        slot->funcs = v->funcs;
        slot->nfuncs = v->nfuncs;
        v->img.mem = NULL;
        v->img.size = 0;
        v->funcs = NULL;
    }
    version_free(v);
}

static const struct Purged *purged_range(uintptr_t a)
{
    /* code-space images are kept in address order */
    size_t lo = 0, hi = purged.nkept;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uintptr_t base = (uintptr_t)purged.kept[mid].img.mem;
        if (a < base)
            hi = mid;
        else if (a >= base + purged.kept[mid].img.size)
            lo = mid + 1;
        else
            return &purged.kept[mid];
    }
    for (size_t i = 0; i < PURGED_KEEP; i++) {
        uintptr_t base = (uintptr_t)purged.ring[i].img.mem;
        if (base && a >= base && a < base + purged.ring[i].img.size)
            return &purged.ring[i];
    }
    return NULL;
}

bool code_in_purged(uintptr_t addr)
{
    return purged_range(addr) != NULL;
}

Term code_purged_info(Heap *h, uintptr_t addr)
{
    const struct Purged *r = purged_range(addr);
    if (!r)
        return ERL_NONE;
    const FnSym *f = symtab_find(r->funcs, r->nfuncs, addr);
    return term_tuple(h, 3, (Term[]){r->mod, f ? f->name : AM_undefined, erl_atom("purged")});
}

/* ================================================ for signal handlers */

static const ModVersion *version_at(uintptr_t a)
{
    for (const Module *m = modules; m; m = m->next) {
        if (m->cur && version_has(m->cur, a))
            return m->cur;
        if (m->old && version_has(m->old, a))
            return m->old;
    }
    return NULL;
}

const ModVersion *code_version_of(uintptr_t addr, Term *mod)
{
    for (const Module *m = modules; m; m = m->next) {
        ModVersion *v = m->cur && version_has(m->cur, addr) ? m->cur
                        : m->old && version_has(m->old, addr) ? m->old : NULL;
        if (v) {
            *mod = m->name;
            return v;
        }
    }
    return NULL;
}

bool code_runs_module(uintptr_t addr)
{
    return version_at(addr) != NULL;
}

bool code_is_function(uintptr_t addr)
{
    const ModVersion *v = version_at(addr);
    return v && symtab_find(v->funcs, v->nfuncs, addr) != NULL;
}

bool code_image_span(uintptr_t addr, uintptr_t *lo, uintptr_t *hi)
{
    const ModVersion *v = version_at(addr);
    if (!v)
        return false;
    *lo = (uintptr_t)v->img.mem;
    *hi = *lo + v->img.size;
    return true;
}

/* ====================================================== erl's reports */

/* "=ERROR REPORT==== 1-Dec-2026::20:02:59.302738 ===", as erl's logger
** heads a report, in local time. */
static void report_header(Buf *b)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    buf_printf(b, "=ERROR REPORT==== %d-%s-%d::%02d:%02d:%02d.%06ld ===\n", tm.tm_mday, months[tm.tm_mon],
               tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
}

void code_report_load_failure(Buf *b, Term mod, const char *file, Term result, const char *why)
{
    if (!erl_is_tuple(result) || erl_tuple_size(result) != 2 || erl_element(result, 1) != AM_error)
        return;
    Term reason = erl_element(result, 2);
    if (reason != AM_not_purged && reason != AM_badfile)
        return; /* erl says nothing more for nofile and sticky_directory */
    char *found = file ? NULL : code_find_object(mod);
    char abs[PATH_MAX];
    if (!realpath(file ? file : found ? found : "", abs))
        snprintf(abs, sizeof abs, "%s", file ? file : found ? found : "");
    free(found);
    if (reason == AM_badfile && why && *why) {
        report_header(b);
        buf_printf(b, "Error loading module %s:\n  %s\n\n\n", erl_atom_name(mod), why);
    }
    report_header(b);
    buf_printf(b, "Loading of %s failed: %s\n\n", abs, erl_atom_name(reason));
}

/* ----- c/1 and sticky directories (rest12) */
bool code_resides_in_sticky_dir(Term mod)
{
    if (code_is_sticky(mod))
        return true;
    char *obj = code_find_object(mod);
    if (!obj)
        return false;
    char *slash = strrchr(obj, '/');
    if (slash)
        *slash = '\0';
    bool in = slash && dir_is_sticky(obj[0] ? obj : "/");
    free(obj);
    return in;
}

void code_report_sticky(Buf *b, Term mod)
{
    report_header(b);
    buf_printf(b, "Can't load module '%s' that resides in sticky dir\n\n", erl_atom_name(mod));
}

void code_report_delete_failure(Buf *b, Term mod)
{
    if (!code_has_old(mod))
        return;
    report_header(b);
    buf_printf(b, "Module %s must be purged before deleting\n\n\n", erl_atom_name(mod));
}
