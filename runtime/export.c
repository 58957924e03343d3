/*
** export.c
** The export table (hash of Mod:Fun/Arity -> entry), built-in functions,
** and the call path with autoload and undef.
*/
#include "export.h"
#include "buf.h"
#include "error.h"
#include "proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

bool (*export_autoload)(Term mod);

/* Invariant: every entry is on the chain of buckets[hash % nbuckets]. */
static struct {
    Export **buckets;
    size_t nbuckets, count;
} tab;

static size_t hash(Term mod, Term fun, int arity)
{
    uint64_t h = (mod * 0x9E3779B97F4A7C15ull) ^ (fun * 0xC2B2AE3D27D4EB4Full) ^ (uint64_t)arity;
    return (size_t)(h ^ (h >> 29));
}

static void grow(void)
{
    size_t n = tab.nbuckets ? tab.nbuckets * 2 : 512;
    Export **b = xcalloc(n, sizeof *b);
    for (size_t i = 0; i < tab.nbuckets; i++)
        for (Export *e = tab.buckets[i], *next; e; e = next) {
            next = e->next;
            size_t j = hash(e->mod, e->fun, e->arity) & (n - 1);
            e->next = b[j];
            b[j] = e;
        }
    free(tab.buckets);
    tab.buckets = b;
    tab.nbuckets = n;
}

Export *export_find(Term mod, Term fun, int arity)
{
    if (!tab.nbuckets)
        return NULL;
    for (Export *e = tab.buckets[hash(mod, fun, arity) & (tab.nbuckets - 1)]; e; e = e->next)
        if (e->mod == mod && e->fun == fun && e->arity == arity)
            return e;
    return NULL;
}

/* ======================================================== stubs */

/* Each entry's stub: movabs $entry, %r11; jmp *export_stub_common(%rip).
** Thunks are carved from executable pages that are never freed. */
enum { STUB_BYTES = 32, STUB_PAGE = 65536 };
static unsigned char *stub_next, *stub_end;

static void *make_stub(Export *e)
{
    if (stub_next == stub_end) {
        void *m = mmap(NULL, STUB_PAGE, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) {
            perror("cerl: cannot map export stubs");
            abort();
        }
        stub_next = m;
        stub_end = stub_next + STUB_PAGE;
    }
    unsigned char *t = stub_next;
    stub_next += STUB_BYTES;
    uint64_t entry = (uint64_t)(uintptr_t)e, target = (uint64_t)(uintptr_t)export_stub_common;
    t[0] = 0x49; /* movabs $entry, %r11 */
    t[1] = 0xbb;
    memcpy(t + 2, &entry, 8);
    t[10] = 0xff; /* jmp *0(%rip) */
    t[11] = 0x25;
    memset(t + 12, 0, 4);
    memcpy(t + 16, &target, 8);
    return t;
}

Export *export_entry(Term mod, Term fun, int arity)
{
    Export *e = export_find(mod, fun, arity);
    if (e)
        return e;
    if (tab.count >= tab.nbuckets)
        grow();
    e = xcalloc(1, sizeof *e);
    e->mod = mod;
    e->fun = fun;
    e->arity = arity;
    e->stub = make_stub(e);
    e->pub.fn = e->stub;
    size_t j = hash(mod, fun, arity) & (tab.nbuckets - 1);
    e->next = tab.buckets[j];
    tab.buckets[j] = e;
    tab.count++;
    return e;
}

Export *export_builtin(const char *mod, const char *fun, int arity, void *fn)
{
    Export *e = export_entry(erl_atom(mod), erl_atom(fun), arity);
    e->pub.fn = fn;
    e->builtin = true;
    return e;
}

void export_clear_module(Term mod)
{
    for (size_t i = 0; i < tab.nbuckets; i++)
        for (Export *e = tab.buckets[i]; e; e = e->next)
            if (e->mod == mod && !e->builtin)
                e->pub.fn = e->stub;
}

bool export_is_builtin_module(Term mod)
{
    for (size_t i = 0; i < tab.nbuckets; i++)
        for (Export *e = tab.buckets[i]; e; e = e->next)
            if (e->mod == mod && e->builtin)
                return true;
    return false;
}

static __attribute__((noreturn)) void raise_undef(Term mod, Term fun, int argc, const Term *argv)
{
    Heap *h = heap_current();
    Term args = ERL_NIL;
    for (int i = argc; i > 0; i--)
        args = term_cons(h, argv ? argv[i - 1] : AM_undefined, args);
    exc_raise(AM_error, AM_undef, term_tuple(h, 3, (Term[]){mod, fun, args}));
}

static void *resolve(Export *e, const Term *argv)
{
    if (export_loaded(e))
        return e->pub.fn;
    if (!e->builtin && export_autoload && export_autoload(e->mod) && export_loaded(e))
        return e->pub.fn;
    raise_undef(e->mod, e->fun, e->arity, argv);
}

/* Called by export_stub_common with the entry whose stub was called. */
void *export_stub_resolve(Export *e)
{
    return resolve(e, NULL);
}

Term export_apply(Term mod, Term fun, int argc, const Term *argv)
{
    if (!erl_is_atom(mod) || !erl_is_atom(fun))
        erl_error(AM_badarg);
    if (argc > PROC_MAX_ARGS)
        raise_undef(mod, fun, argc, argv);
    Export *e = export_find(mod, fun, argc);
    if (!e) {
        if (!export_autoload || !export_autoload(mod) || !(e = export_find(mod, fun, argc)))
            raise_undef(mod, fun, argc, argv);
    }
    Term r = proc_apply(resolve(e, argv), argc, argv);
    Term bad = term_check(heap_current(), r); /* what a module returns must be its own term */
    if (bad != ERL_NONE)
        exc_badterm(term_tuple(heap_current(), 3, (Term[]){mod, fun, erl_mk_int(argc)}), bad);
    return r;
}

/* ------------------------------------------------- cerl.h entry points */

ErlExport *erl_export_entry(const char *mod, const char *fun, int arity)
{
    return &export_entry(erl_atom(mod), erl_atom(fun), arity)->pub;
}

void *erl_export_fn(ErlExport *pub)
{
    return resolve((Export *)pub, NULL);
}
