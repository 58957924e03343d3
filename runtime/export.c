/*
** export.c
** The export table (hash of Mod:Fun/Arity -> entry), built-in functions,
** and the call path with autoload and undef.
*/
#include "export.h"
#include "buf.h"
#include "error.h"
#include "proc.h"

#include <stdlib.h>

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
                e->pub.fn = NULL;
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
    if (e->pub.fn)
        return e->pub.fn;
    if (!e->builtin && export_autoload && export_autoload(e->mod) && e->pub.fn)
        return e->pub.fn;
    raise_undef(e->mod, e->fun, e->arity, argv);
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
    return proc_apply(resolve(e, argv), argc, argv);
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
