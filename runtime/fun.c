/*
** fun.c
** Funs as terms: making export funs and C closures, applying every kind of
** fun, their term order and printing, erlang:fun_info/1,2, and finding the
** closures that keep a process on old code.
*/
#include "fun.h"
#include "bif.h"
#include "code.h"
#include "error.h"
#include "export.h"
#include "print.h"

#include <stdio.h>
#include <string.h>

/* ======================================================= making funs */

Term fun_export(Heap *h, Term mod, Term fun, int arity)
{
    Term *p = heap_alloc(h, 5);
    p[0] = box_header(4, ERL_BOX_FUN);
    p[1] = 0;
    p[2] = erl_mk_int(arity);
    p[3] = mod;
    p[4] = fun;
    return (Term)(uintptr_t)p;
}

void fun_export_parts(Term f, Term *mod, Term *fun, int *arity)
{
    const Term *p = erl_box_ptr(f);
    *mod = p[3];
    *fun = p[4];
    *arity = (int)erl_int_value(p[2]);
}

/* The descriptors of C closures, chained by function address. One per
** function and module version: a descriptor whose address now belongs to
** other code (a purged image's range reused) is never matched again. */
typedef struct CFun {
    FunInfo info;
    struct CFun *next;
} CFun;

enum { CFUN_BUCKETS = 256 };
static CFun *cfuns[CFUN_BUCKETS];

static const FunInfo *cfun_info(void *fn)
{
    Term mod, name;
    long index;
    unsigned char md5[16];
    bool old;
    if (!code_function_at((uintptr_t)fn, &mod, &name, &index, md5, &old))
        return NULL;
    size_t b = ((uintptr_t)fn >> 4) % CFUN_BUCKETS;
    for (CFun *c = cfuns[b]; c; c = c->next)
        if (c->info.fn == fn && c->info.module == mod && c->info.name == name && !memcmp(c->info.md5, md5, 16))
            return &c->info;
    CFun *c = xcalloc(1, sizeof *c);
    c->info.kind = FUN_C;
    c->info.fn = fn;
    c->info.module = mod;
    c->info.name = name;
    c->info.number = index;
    memcpy(c->info.md5, md5, 16);
    /* erl's old uniq: 27 bits of the code's checksum */
    c->info.uniq = ((uint32_t)md5[0] << 24 | (uint32_t)md5[1] << 16 | (uint32_t)md5[2] << 8 | md5[3]) & 0x7ffffff;
    c->next = cfuns[b];
    cfuns[b] = c;
    return &c->info;
}

void fun_code_loaded(Term mod, const unsigned char md5[16], const FnSym *funcs, size_t n)
{
    CFun *moved = NULL;
    for (size_t b = 0; b < CFUN_BUCKETS; b++)
        for (CFun **link = &cfuns[b], *c; (c = *link);) {
            if (c->info.module != mod || memcmp(c->info.md5, md5, 16)) {
                link = &c->next;
                continue;
            }
            *link = c->next; /* rechained below, under its new address */
            for (size_t i = 0; i < n; i++)
                if (funcs[i].name == c->info.name) {
                    c->info.fn = (void *)funcs[i].addr;
                    break;
                }
            c->next = moved;
            moved = c;
        }
    while (moved) {
        CFun *c = moved;
        moved = c->next;
        size_t b = ((uintptr_t)c->info.fn >> 4) % CFUN_BUCKETS;
        c->next = cfuns[b];
        cfuns[b] = c;
    }
}

Term fun_closure(Heap *h, void *fn, int arity, int nenv, const Term *env)
{
    if (arity < 0 || nenv < 0 || arity + nenv > 8)
        return ERL_NONE;
    const FunInfo *info = cfun_info(fn);
    if (!info)
        return ERL_NONE;
    Term *p = heap_alloc(h, 3 + (size_t)nenv);
    p[0] = box_header(2 + (uint64_t)nenv, ERL_BOX_FUN);
    p[1] = (Term)(uintptr_t)info;
    p[2] = erl_mk_int(arity);
    for (int i = 0; i < nenv; i++)
        p[3 + i] = env[i];
    return (Term)(uintptr_t)p;
}

/* ====================================================== applying funs */

static Term call_c(void *fn, int n, const Term *a)
{
    switch (n) {
    case 0: return ((ErlFn0)fn)();
    case 1: return ((ErlFn1)fn)(a[0]);
    case 2: return ((ErlFn2)fn)(a[0], a[1]);
    case 3: return ((ErlFn3)fn)(a[0], a[1], a[2]);
    case 4: return ((ErlFn4)fn)(a[0], a[1], a[2], a[3]);
    case 5: return ((ErlFn5)fn)(a[0], a[1], a[2], a[3], a[4]);
    case 6: return ((ErlFn6)fn)(a[0], a[1], a[2], a[3], a[4], a[5]);
    case 7: return ((ErlFn7)fn)(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    default: return ((ErlFn8)fn)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    }
}

Term fun_apply(Term fun, int argc, const Term *argv)
{
    Heap *h = heap_current();
    if (!fun_is(fun))
        exc_raise(AM_error, term_tuple(h, 2, (Term[]){AM_badfun, fun}), ERL_NONE);
    if (fun_arity(fun) != argc) {
        Term list = ERL_NIL;
        for (int i = argc; i > 0; i--)
            list = term_cons(h, argv[i - 1], list);
        exc_raise(AM_error, term_tuple(h, 2, (Term[]){AM_badarity, term_tuple(h, 2, (Term[]){fun, list})}),
                  ERL_NONE);
    }
    const Term *p = erl_box_ptr(fun);
    if (p[1] == 0)
        return export_apply(p[3], p[4], argc, argv);
    const FunInfo *info = fun_info_of(fun);
    if (info->kind == FUN_C) {
        Term all[8];
        int nenv = (int)erl_box_size(fun) - 2;
        memcpy(all, argv, (size_t)argc * sizeof *all);
        memcpy(all + argc, p + 3, (size_t)nenv * sizeof *all);
        return call_c(info->fn, argc + nenv, all);
    }
    if (!bif_apply_fun)
        erl_error(AM_undef);
    return bif_apply_fun(fun, argc, argv);
}

/* ========================================================= term order */

static Term module_of(Term f)
{
    return fun_info_of(f)->kind == FUN_C ? fun_info_of(f)->module : erl_atom("erl_eval");
}

static uint32_t uniq_of(Term f)
{
    return fun_info_of(f)->kind == FUN_C ? fun_info_of(f)->uniq : 3316493;
}

static int atom_cmp(Term a, Term b)
{
    if (a == b)
        return 0;
    int c = strcmp(erl_atom_name(a), erl_atom_name(b));
    return c < 0 ? -1 : c > 0;
}

int fun_compare(Term a, Term b)
{
    bool ea = fun_is_export(a), eb = fun_is_export(b);
    if (ea != eb)
        return ea ? 1 : -1;
    const Term *p = erl_box_ptr(a), *q = erl_box_ptr(b);
    int c;
    if (ea) {
        if ((c = atom_cmp(p[3], q[3])) || (c = atom_cmp(p[4], q[4])))
            return c;
        return p[2] < q[2] ? -1 : p[2] > q[2];
    }
    if ((c = atom_cmp(module_of(a), module_of(b))))
        return c;
    long ia = fun_info_of(a)->number, ib = fun_info_of(b)->number;
    if (ia != ib)
        return ia < ib ? -1 : 1;
    if (uniq_of(a) != uniq_of(b))
        return uniq_of(a) < uniq_of(b) ? -1 : 1;
    if (p[1] != q[1]) /* same index and uniq, different code */
        return p[1] < q[1] ? -1 : 1;
    size_t na = erl_box_size(a), nb = erl_box_size(b);
    if (na != nb)
        return na < nb ? -1 : 1;
    for (size_t i = 2; i <= na; i++)
        if ((c = erl_compare(p[i], q[i])))
            return c;
    return 0;
}

/* ======================================================== old code */

typedef struct Refers {
    uintptr_t lo, hi;
    bool found;
} Refers;

static void check_fun(Term *obj, void *ctx)
{
    Refers *r = ctx;
    if ((obj[0] & 0xff) != ERL_BOX_FUN || (obj[0] >> 8) < 2 || !obj[1])
        return;
    const FunInfo *info = (const FunInfo *)(uintptr_t)obj[1];
    if (info->kind == FUN_C && (uintptr_t)info->fn >= r->lo && (uintptr_t)info->fn < r->hi)
        r->found = true;
}

/* purge scan: whether a closure descriptor's code lies in [lo, hi) */
bool fun_closures_in(uintptr_t lo, uintptr_t hi)
{
    for (size_t b = 0; b < CFUN_BUCKETS; b++)
        for (const CFun *c = cfuns[b]; c; c = c->next)
            if ((uintptr_t)c->info.fn >= lo && (uintptr_t)c->info.fn < hi)
                return true;
    return false;
}

bool fun_heap_refers(Heap *h, uintptr_t lo, uintptr_t hi)
{
    Refers r = {lo, hi, false};
    heap_foreach_boxed(h, check_fun, &r);
    return r.found;
}

/* ============================================================ printing */

void fun_write(Buf *b, Term f)
{
    const Term *p = erl_box_ptr(f);
    if (p[1] == 0) {
        buf_puts(b, "fun ");
        print_atom(b, p[3]);
        buf_putc(b, ':');
        print_atom(b, p[4]);
        buf_printf(b, "/%d", fun_arity(f));
        return;
    }
    const FunInfo *info = fun_info_of(f);
    if (info->kind == FUN_C)
        buf_printf(b, "#Fun<%s.%ld.%u>", erl_atom_name(info->module), info->number, info->uniq);
    else
        buf_printf(b, "#Fun<erl_eval.%ld.3316493>", info->number);
}

/* ============================================================ fun_info */

/* erl_eval's funs: index 43 - Arity (20 - Arity for a named one), named
** '-expr/6-fun-K-' ('-expr/6-RF/Arity-K-'), K being Arity + 2; new_uniq
** is erl_eval's md5 in OTP 25. */
static const unsigned char erl_eval_md5[16] = {6, 83, 97, 170, 70, 21, 144, 209, 189, 241, 235, 98, 209, 166, 235, 8};

static Term shell_fun_name(Term f)
{
    char name[64];
    int arity = fun_arity(f);
    if (fun_info_of(f)->number <= 20)
        snprintf(name, sizeof name, "-expr/6-RF/%d-%d-", arity, arity + 2);
    else
        snprintf(name, sizeof name, "-expr/6-fun-%d-", arity + 2);
    return erl_atom(name);
}

/* The captured terms: a closure's as they are; a shell fun's as the list
** of its bindings, [{Name, Value}] (erl's env holds erl_eval's syntax
** trees, which cerl does not have). */
static Term env_of(Heap *h, Term f)
{
    const Term *p = erl_box_ptr(f);
    size_t n = erl_box_size(f);
    Term l = ERL_NIL;
    if (p[1] == 0)
        return ERL_NIL;
    if (fun_info_of(f)->kind == FUN_C) {
        for (size_t i = n; i >= 3; i--)
            l = term_cons(h, p[i], l);
        return l;
    }
    for (size_t i = n - 1; i >= 3; i -= 2)
        l = term_cons(h, term_tuple(h, 2, (Term[]){p[i], p[i + 1]}), l);
    return term_cons(h, l, ERL_NIL);
}

/* The value of one item, or ERL_NONE for an unknown item. */
static Term info_item(Heap *h, Term f, Term item)
{
    const char *s = erl_atom_name(item);
    bool ext = fun_is_export(f);
    const Term *p = erl_box_ptr(f);
    const FunInfo *info = ext ? NULL : fun_info_of(f);
    bool c = info && info->kind == FUN_C;
    if (!strcmp(s, "module"))
        return ext ? p[3] : module_of(f);
    if (!strcmp(s, "name"))
        return ext ? p[4] : c ? info->name : shell_fun_name(f);
    if (!strcmp(s, "arity"))
        return p[2];
    if (!strcmp(s, "env"))
        return env_of(h, f);
    if (!strcmp(s, "type"))
        return erl_atom(ext ? "external" : "local");
    if (!strcmp(s, "pid"))
        return AM_undefined; /* cerl's funs do not record who made them */
    if (!strcmp(s, "index") || !strcmp(s, "new_index"))
        return ext ? AM_undefined : erl_mk_int(info->number);
    if (!strcmp(s, "uniq"))
        return ext ? AM_undefined : erl_mk_int(uniq_of(f));
    if (!strcmp(s, "new_uniq"))
        return ext ? AM_undefined : term_binary(h, c ? info->md5 : erl_eval_md5, 16);
    return ERL_NONE;
}

static Term bif_fun_info2(Term f, Term item)
{
    if (!fun_is(f))
        BADARG("erlang:fun_info", "argument 1: not a fun", f, item);
    Term v = erl_is_atom(item) ? info_item(heap_current(), f, item) : ERL_NONE;
    if (v == ERL_NONE)
        BADARG("erlang:fun_info", "argument 2: invalid item", f, item);
    return erl_tuple(item, v);
}

static Term bif_fun_info1(Term f)
{
    if (!fun_is(f))
        BADARG("erlang:fun_info", "argument 1: not a fun", f);
    static const char *const local[] = {"pid",   "module", "new_index", "new_uniq", "index",
                                        "uniq",  "name",   "arity",     "env",      "type"};
    static const char *const external[] = {"module", "name", "arity", "env", "type"};
    const char *const *items = fun_is_export(f) ? external : local;
    int n = fun_is_export(f) ? 5 : 10;
    Heap *h = heap_current();
    Term l = ERL_NIL;
    for (int i = n - 1; i >= 0; i--) {
        Term item = erl_atom(items[i]);
        l = term_cons(h, term_tuple(h, 2, (Term[]){item, info_item(h, f, item)}), l);
    }
    return l;
}

void fun_bif_init(void)
{
    export_builtin("erlang", "fun_info", 1, (void *)bif_fun_info1);
    export_builtin("erlang", "fun_info", 2, (void *)bif_fun_info2);
}

/* ============================================================ C API */

Term erl_mk_export_fun(Term mod, Term fun, int arity)
{
    if (!erl_is_atom(mod) || !erl_is_atom(fun) || arity < 0 || arity > 255)
        BADARG("erlang:make_fun", NULL, mod, fun, erl_mk_int(arity));
    return fun_export(heap_current(), mod, fun, arity);
}

Term erl_mk_closure_fn(void *fn, int arity, int nenv, const Term *env)
{
    for (int i = 0; i < nenv && i < 8; i++)
        exc_check_term("erl_mk_closure", env[i]);
    Term f = fun_closure(heap_current(), fn, arity, nenv, env);
    if (f == ERL_NONE)
        erl_error(AM_badarg);
    return f;
}
