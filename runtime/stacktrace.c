/*
** stacktrace.c
** Stack traces (see stacktrace.h): tcc's stabs read into a line table per
** module version, frames captured at raise time, terms built on demand.
*/
#include "stacktrace.h"
#include "buf.h"
#include "code.h"
#include "frames.h"
#include "map.h"
#include "sched.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

/* The stab entry kinds tcc emits that matter here (<stab.h> numbering). */
enum {
    N_FUN = 0x24,
    N_SLINE = 0x44,
    N_SO = 0x64,
    N_SOL = 0x84,
    N_PSYM = 0xa0,
    STAB_SIZE = 12 /* n_strx u32, n_type u8, n_other u8, n_desc u16, n_value u32 */
};

/* A capture stops after this many frames of any kind: the module frames
** that matter are the innermost, and the shell's evaluator can be deep. */
enum { WALK_LIMIT = 1024 };

typedef struct LineEntry {
    uintptr_t addr; /* first byte of the code of this line */
    int line;
    int file;       /* index in LineTable.files */
    size_t seq;     /* order in the stabs: the later of two at one address wins */
} LineEntry;

typedef struct LineFunc {
    uintptr_t addr;
    int nparams;
} LineFunc;

/* Invariants: lines[] and funcs[] are sorted by address; every line entry
** lies at or after the start of the function it was read in. */
struct LineTable {
    LineEntry *lines;
    size_t nlines;
    LineFunc *funcs;
    size_t nfuncs;
    char **files;
    int nfiles;
};

/* ========================================================== reading */

typedef struct Section {
    const unsigned char *data;
    size_t size;
} Section;

/* The section called 'want' of the checked object o; false when none. The
** headers are copied out: an object need not align them. */
static bool find_section(const ObjFile *o, const char *want, Section *out)
{
    Elf64_Ehdr eh;
    if (o->len < sizeof eh)
        return false;
    memcpy(&eh, o->data, sizeof eh);
    if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > o->len ||
        (o->len - eh.e_shoff) / sizeof(Elf64_Shdr) < eh.e_shnum || eh.e_shstrndx >= eh.e_shnum)
        return false;
    const unsigned char *table = o->data + eh.e_shoff;
    Elf64_Shdr names, sh;
    memcpy(&names, table + eh.e_shstrndx * sizeof sh, sizeof names);
    if (names.sh_offset > o->len || o->len - names.sh_offset < names.sh_size)
        return false;
    const char *strs = (const char *)o->data + names.sh_offset;
    size_t want_len = strlen(want);
    for (size_t i = 1; i < eh.e_shnum; i++) {
        memcpy(&sh, table + i * sizeof sh, sizeof sh);
        if (sh.sh_name >= names.sh_size || names.sh_size - sh.sh_name <= want_len ||
            memcmp(strs + sh.sh_name, want, want_len + 1) != 0)
            continue;
        if (sh.sh_type == SHT_NOBITS || sh.sh_offset > o->len || o->len - sh.sh_offset < sh.sh_size)
            return false;
        out->data = o->data + sh.sh_offset;
        out->size = sh.sh_size;
        return true;
    }
    return false;
}

static int by_name(const void *a, const void *b)
{
    const FnSym *const *x = a, *const *y = b;
    return strcmp(erl_atom_name((*x)->name), erl_atom_name((*y)->name));
}

/* The function called name[0..len) in byname[0..n), or NULL. */
static const FnSym *fn_named(const FnSym **byname, size_t n, const char *name, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *s = erl_atom_name(byname[mid]->name);
        int c = strncmp(s, name, len);
        if (c == 0 && s[len] != '\0')
            c = 1;
        if (c == 0)
            return byname[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int line_order(const void *a, const void *b)
{
    const LineEntry *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int func_order(const void *a, const void *b)
{
    const LineFunc *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The index of file name s in t->files, added when new. */
static int intern_file(LineTable *t, const char *s)
{
    for (int i = 0; i < t->nfiles; i++)
        if (strcmp(t->files[i], s) == 0)
            return i;
    t->files = xrealloc(t->files, (size_t)(t->nfiles + 1) * sizeof *t->files);
    t->files[t->nfiles] = xstrdup(s);
    return t->nfiles++;
}

LineTable *stacktrace_lines_load(const ObjFile *o, const FnSym *funcs, size_t nfuncs)
{
    Section stab, strs;
    if (!nfuncs || !find_section(o, ".stab", &stab) || !find_section(o, ".stabstr", &strs) ||
        strs.size == 0 || strs.data[strs.size - 1] != '\0')
        return NULL;
    const FnSym **byname = xmalloc(nfuncs * sizeof *byname);
    for (size_t i = 0; i < nfuncs; i++)
        byname[i] = &funcs[i];
    qsort(byname, nfuncs, sizeof *byname, by_name);
    LineTable *t = xcalloc(1, sizeof *t);
    size_t n = stab.size / STAB_SIZE, cap_lines = 0, cap_funcs = 0;
    int file = -1;
    const FnSym *fn = NULL; /* the function whose entries follow */
    for (size_t i = 0; i < n; i++) {
        const unsigned char *e = stab.data + i * STAB_SIZE;
        uint32_t strx, value;
        uint16_t desc;
        memcpy(&strx, e, 4);
        memcpy(&desc, e + 6, 2);
        memcpy(&value, e + 8, 4);
        const char *s = strx < strs.size ? (const char *)strs.data + strx : "";
        switch (e[4]) {
        case N_SO:
        case N_SOL: {
            size_t len = strlen(s);
            if (len && s[len - 1] != '/') /* a directory names no file */
                file = intern_file(t, s);
            break;
        }
        case N_FUN: {
            const char *colon = strchr(s, ':');
            fn = colon ? fn_named(byname, nfuncs, s, (size_t)(colon - s)) : NULL;
            if (!fn)
                break;
            if (t->nfuncs == cap_funcs) {
                cap_funcs = cap_funcs ? 2 * cap_funcs : 16;
                t->funcs = xrealloc(t->funcs, cap_funcs * sizeof *t->funcs);
            }
            t->funcs[t->nfuncs++] = (LineFunc){fn->addr, 0};
            break;
        }
        case N_PSYM:
            if (fn)
                t->funcs[t->nfuncs - 1].nparams++;
            break;
        case N_SLINE:
            /* an offset past the function's code is a lie: not taken */
            if (!fn || file < 0 || (fn->size && value >= fn->size))
                break;
            if (t->nlines == cap_lines) {
                cap_lines = cap_lines ? 2 * cap_lines : 64;
                t->lines = xrealloc(t->lines, cap_lines * sizeof *t->lines);
            }
            t->lines[t->nlines] = (LineEntry){fn->addr + value, desc, file, t->nlines};
            t->nlines++;
            break;
        default:
            break;
        }
    }
    free(byname);
    if (!t->nfuncs) {
        stacktrace_lines_free(t);
        return NULL;
    }
    qsort(t->lines, t->nlines, sizeof *t->lines, line_order);
    qsort(t->funcs, t->nfuncs, sizeof *t->funcs, func_order);
    return t;
}

void stacktrace_lines_free(LineTable *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->nfiles; i++)
        free(t->files[i]);
    free(t->files);
    free(t->lines);
    free(t->funcs);
    free(t);
}

/* ========================================================= looking up */

/* The last function of t starting at or below pc, or NULL. */
static const LineFunc *func_at(const LineTable *t, uintptr_t pc)
{
    size_t lo = 0, hi = t->nfuncs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->funcs[mid].addr <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? &t->funcs[lo - 1] : NULL;
}

bool stacktrace_line(const LineTable *t, uintptr_t pc, const char **file, int *line)
{
    if (!t)
        return false;
    const LineFunc *f = func_at(t, pc);
    size_t lo = 0, hi = t->nlines;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->lines[mid].addr <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!f || !lo || t->lines[lo - 1].addr < f->addr)
        return false;
    *file = t->files[t->lines[lo - 1].file];
    *line = t->lines[lo - 1].line;
    return true;
}

int stacktrace_params(const LineTable *t, uintptr_t addr)
{
    const LineFunc *f = t ? func_at(t, addr) : NULL;
    return f && f->addr == addr ? f->nparams : -1;
}

/* ========================================================== capturing */

typedef struct Capture {
    uintptr_t *pcs;
    int n, max, seen;
} Capture;

static bool capture_frame(uintptr_t pc, void *arg)
{
    Capture *c = arg;
    if (++c->seen > WALK_LIMIT)
        return true;
    if (frames_pc_in_cerl(pc) || !code_runs_module(pc))
        return false;
    /* as BEAM, a return address repeated (recursion through one call) is
    ** recorded once */
    if (c->n && c->pcs[c->n - 1] == pc)
        return false;
    c->pcs[c->n++] = pc;
    return c->n == c->max;
}

int stacktrace_capture(uintptr_t *pcs, int max)
{
    Proc *p = sched_current;
    if (!p || max <= 0)
        return 0;
    Capture c = {pcs, 0, max, 0};
    frames_walk(p, capture_frame, &c);
    return c.n;
}

/* ====================================================== building terms */

Term stacktrace_frame_at(Heap *h, uintptr_t pc, uintptr_t *start)
{
    Term mod;
    const ModVersion *v = code_version_of(pc, &mod);
    const FnSym *f = v ? symtab_find(v->funcs, v->nfuncs, pc) : NULL;
    if (!f)
        return ERL_NONE;
    *start = f->addr;
    Term name = f->name;
    int arity = -1;
    for (int i = 0; i < v->nexports; i++)
        if ((uintptr_t)v->exports[i].fn == f->addr) {
            name = v->exports[i].fun;
            arity = v->exports[i].arity;
            break;
        }
    if (arity < 0)
        arity = stacktrace_params(v->lines, f->addr);
    if (arity < 0)
        return ERL_NONE; /* a static function nothing tells the arity of */
    Term loc = ERL_NIL;
    const char *file;
    int line;
    if (stacktrace_line(v->lines, pc, &file, &line)) {
        Term ft = term_tuple(h, 2, (Term[]){erl_atom("file"), term_string(h, file, strlen(file))});
        Term lt = term_tuple(h, 2, (Term[]){erl_atom("line"), erl_mk_int(line)});
        loc = term_cons(h, ft, term_cons(h, lt, ERL_NIL));
    }
    return term_tuple(h, 4, (Term[]){mod, name, erl_mk_int(arity), loc});
}

/* {M, F, Arity, Location} for the module frame at pc, or ERL_NONE. */
static Term frame_term(Heap *h, uintptr_t pc)
{
    uintptr_t start;
    return stacktrace_frame_at(h, pc, &start);
}

/* The module frames of e as a list, innermost first, at most max of them. */
static Term module_frames(Heap *h, const ErlException *e, int max)
{
    Term frames[EXC_STACK_DEPTH];
    int n = 0;
    for (int i = 0; i < e->npcs && i < EXC_STACK_DEPTH && n < max; i++) {
        Term t = frame_term(h, e->pcs[i]);
        if (t != ERL_NONE)
            frames[n++] = t;
    }
    Term list = ERL_NIL;
    while (n > 0)
        list = term_cons(h, frames[--n], list);
    return list;
}

Term stacktrace_module_frames(Heap *h, const ErlException *e)
{
    return module_frames(h, e, EXC_STACK_DEPTH);
}

/* The call e->where names as a stack entry {M, F, Args, Where}, or
** ERL_NONE. */
static Term where_frame(Heap *h, Term where)
{
    if (!erl_is_tuple(where) || erl_tuple_size(where) < 3)
        return ERL_NONE;
    Term tag = erl_element(where, 1), name = erl_element(where, 2), args = erl_element(where, 3);
    if (!erl_is_list(args))
        return ERL_NONE;
    Term mod = ERL_NONE, fun = ERL_NONE;
    if (tag == erl_atom("operator") && erl_tuple_size(where) == 3 && erl_is_atom(name)) {
        mod = erl_atom("erlang");
        fun = name;
    } else if (tag == erl_atom("function") && erl_is_atom(name)) {
        mod = erl_atom("erlang");
        fun = name;
    } else if (tag == erl_atom("function") && erl_is_cons(name)) {
        /* "M:F" */
        char buf[256];
        size_t len = 0;
        for (Term s = name; erl_is_cons(s) && len < sizeof buf - 1; s = erl_tl(s))
            buf[len++] = (char)erl_int_value(erl_hd(s));
        buf[len] = '\0';
        char *colon = strchr(buf, ':');
        if (!colon)
            return ERL_NONE;
        *colon = '\0';
        mod = erl_atom(buf);
        fun = erl_atom(colon + 1);
    } else if (erl_tuple_size(where) == 3 && erl_is_atom(tag) && erl_is_atom(name)) {
        mod = tag; /* {M, F, Args}: undef, function_clause */
        fun = name;
        return term_tuple(h, 4, (Term[]){mod, fun, args, ERL_NIL});
    } else {
        return ERL_NONE;
    }
    /* erl's BIFs of module erlang say where their error texts come from:
    ** [{error_info, #{module => erl_erts_errors}}] */
    Term where_info = ERL_NIL;
    if (mod == erl_atom("erlang")) {
        Term key = erl_atom("module"), value = erl_atom("erl_erts_errors");
        Term info = term_tuple(h, 2, (Term[]){erl_atom("error_info"), map_from_pairs(h, 1, &key, &value)});
        where_info = term_cons(h, info, ERL_NIL);
    }
    return term_tuple(h, 4, (Term[]){mod, fun, args, where_info});
}

Term stacktrace_where_call(Heap *h, const ErlException *e, Term *rest)
{
    Term call = where_frame(h, e->where);
    *rest = module_frames(h, e, call == ERL_NONE ? EXC_STACK_DEPTH : EXC_STACK_DEPTH - 1);
    if (call == ERL_NONE || !erl_is_cons(*rest))
        return call;
    /* The function is the innermost frame, or (raised from a static helper
    ** of its module that serves it, as flatten_into serves lists:flatten)
    ** one of the module's frames just outside: those frames are the one
    ** function erl shows. Its C arity may differ (sum/1 serves sum/2). */
    Term m = erl_element(call, 1), f = erl_element(call, 2);
    for (Term l = *rest; erl_is_cons(l) && erl_element(erl_hd(l), 1) == m; l = erl_tl(l)) {
        Term frame = erl_hd(l);
        if (erl_element(frame, 2) == f) {
            *rest = erl_tl(l);
            return term_tuple(h, 4, (Term[]){m, f, erl_element(call, 3), erl_element(frame, 4)});
        }
    }
    return call;
}

Term stacktrace_build(Heap *h, const ErlException *e)
{
    Term rest;
    Term first = stacktrace_where_call(h, e, &rest);
    return first == ERL_NONE ? rest : term_cons(h, first, rest);
}
