/*
** bif_maps.c
** The maps module and the erlang BIFs on maps (map_size, is_map,
** is_map_key), with erl's errors: {badmap, M}, {badkey, K}, badarg.
*/
#include "bif.h"
#include "buf.h"
#include "error.h"
#include "export.h"
#include "fun.h"
#include "map.h"

#include <stdlib.h>
#include <string.h>

/* erl's maps errors, raised in function Name called with the arguments
** that follow (BADARG comes from error.h). */
#define BADMAP(name, note, m, ...) exc_raise_in(erl_tuple(erl_atom("badmap"), m), name, EXC_ARGS(__VA_ARGS__), note)
#define BADKEY(name, note, k, ...) exc_raise_in(erl_tuple(erl_atom("badkey"), k), name, EXC_ARGS(__VA_ARGS__), note)

/* A fun of the given arity (funs are the shell's for now: word 2 of a fun
** is its arity). */
static bool is_fun_of(Term f, long arity)
{
    return erl_is_boxed(f) && erl_box_kind(f) == ERL_BOX_FUN && erl_box_size(f) >= 2 &&
           erl_is_int(erl_box_ptr(f)[2]) && erl_int_value(erl_box_ptr(f)[2]) == arity;
}

static Term apply(Term f, int argc, const Term *argv)
{
    return fun_apply(f, argc, argv);
}

/* ========================================================== lookups */

static Term maps_get2(Term k, Term m)
{
    if (!map_is(m))
        BADMAP("maps:get", "argument 2: not a map", m, k, m);
    Term v = map_get(m, k);
    if (v == ERL_NONE)
        BADKEY("maps:get", "argument 1: not present in map", k, k, m);
    return v;
}

static Term maps_get3(Term k, Term m, Term dflt)
{
    if (!map_is(m))
        BADMAP("maps:get", "argument 2: not a map", m, k, m, dflt);
    Term v = map_get(m, k);
    return v == ERL_NONE ? dflt : v;
}

static Term maps_find(Term k, Term m)
{
    if (!map_is(m))
        BADMAP("maps:find", "argument 2: not a map", m, k, m);
    Term v = map_get(m, k);
    return v == ERL_NONE ? AM_error : erl_tuple(AM_ok, v);
}

static Term maps_is_key(Term k, Term m)
{
    if (!map_is(m))
        BADMAP("maps:is_key", "argument 2: not a map", m, k, m);
    return map_get(m, k) != ERL_NONE ? AM_true : AM_false;
}

static Term erlang_is_map_key(Term k, Term m)
{
    if (!map_is(m))
        BADMAP("is_map_key", "argument 2: not a map", m, k, m);
    return map_get(m, k) != ERL_NONE ? AM_true : AM_false;
}

static Term maps_size(Term m)
{
    if (!map_is(m))
        BADMAP("maps:size", "argument 1: not a map", m, m);
    return erl_mk_int((long)map_size(m));
}

static Term erlang_map_size(Term m)
{
    if (!map_is(m))
        BADMAP("map_size", "argument 1: not a map", m, m);
    return erl_mk_int((long)map_size(m));
}

static Term erlang_is_map(Term t)
{
    return map_is(t) ? AM_true : AM_false;
}

/* ========================================================== changes */

static Term maps_new(void)
{
    return map_new(heap_current());
}

static Term maps_put(Term k, Term v, Term m)
{
    if (!map_is(m))
        BADMAP("maps:put", "argument 3: not a map", m, k, v, m);
    return map_put(heap_current(), m, k, v);
}

static Term maps_update(Term k, Term v, Term m)
{
    /* erl 25 says "argument 3: not a map" for a missing key too */
    if (!map_is(m))
        BADMAP("maps:update", "argument 3: not a map", m, k, v, m);
    if (map_get(m, k) == ERL_NONE)
        BADKEY("maps:update", "argument 3: not a map", k, k, v, m);
    return map_put(heap_current(), m, k, v);
}

static Term maps_remove(Term k, Term m)
{
    if (!map_is(m))
        BADMAP("maps:remove", "argument 2: not a map", m, k, m);
    return map_remove(heap_current(), m, k);
}

static Term maps_take(Term k, Term m)
{
    if (!map_is(m))
        BADMAP("maps:take", "argument 2: not a map", m, k, m);
    Term v = map_get(m, k);
    if (v == ERL_NONE)
        return AM_error;
    return erl_tuple(v, map_remove(heap_current(), m, k));
}

static Term maps_merge(Term a, Term b)
{
    if (!map_is(a))
        BADMAP("maps:merge", "argument 1: not a map", a, a, b);
    if (!map_is(b))
        BADMAP("maps:merge", "argument 2: not a map", b, a, b);
    /* put the smaller into the larger; b's values win */
    Heap *h = heap_current();
    MapIter it;
    Term k, v;
    if (map_size(b) >= map_size(a)) {
        Term m = b;
        map_iter_init(&it, a);
        while (map_next(&it, &k, &v))
            if (map_get(b, k) == ERL_NONE)
                m = map_put(h, m, k, v);
        return m;
    }
    Term m = a;
    map_iter_init(&it, b);
    while (map_next(&it, &k, &v))
        m = map_put(h, m, k, v);
    return m;
}

static Term maps_update_with3(Term k, Term f, Term m)
{
    if (!map_is(m))
        BADMAP("maps:update_with", "argument 3: not a map", m, k, f, m);
    if (!is_fun_of(f, 1))
        BADARG("maps:update_with", "argument 2: not a fun that takes one argument", k, f, m);
    Term v = map_get(m, k);
    if (v == ERL_NONE)
        BADKEY("maps:update_with", NULL, k, k, f, m);
    return map_put(heap_current(), m, k, apply(f, 1, &v));
}

static Term maps_update_with4(Term k, Term f, Term init, Term m)
{
    if (!map_is(m))
        BADMAP("maps:update_with", "argument 4: not a map", m, k, f, init, m);
    if (!is_fun_of(f, 1))
        BADARG("maps:update_with", "argument 2: not a fun that takes one argument", k, f, init, m);
    Term v = map_get(m, k);
    return map_put(heap_current(), m, k, v == ERL_NONE ? init : apply(f, 1, &v));
}

/* ========================================================= whole maps */

/* The pairs in the order erl's maps functions show them (for a flat map,
** key order). */
static Term pairs_list(Term m, bool keys, bool values)
{
    size_t n = map_size(m);
    Term *k = xmalloc((n ? n : 1) * 2 * sizeof *k), *v = k + n;
    MapIter it;
    size_t i = 0;
    map_iter_init(&it, m);
    while (i < n && map_next(&it, &k[i], &v[i]))
        i++;
    Heap *h = heap_current();
    Term list = ERL_NIL;
    for (size_t j = n; j > 0; j--) {
        Term e = keys && values ? term_tuple(h, 2, (Term[]){k[j - 1], v[j - 1]}) : keys ? k[j - 1] : v[j - 1];
        list = term_cons(h, e, list);
    }
    free(k);
    return list;
}

static Term maps_keys(Term m)
{
    if (!map_is(m))
        BADMAP("maps:keys", "argument 1: not a map", m, m);
    return pairs_list(m, true, false);
}

static Term maps_values(Term m)
{
    if (!map_is(m))
        BADMAP("maps:values", "argument 1: not a map", m, m);
    return pairs_list(m, false, true);
}

static Term maps_to_list(Term m)
{
    if (!map_is(m))
        BADMAP("maps:to_list", "argument 1: not a map", m, m);
    return pairs_list(m, true, true);
}

static Term maps_from_list(Term l)
{
    Heap *h = heap_current();
    Term m = map_new(h);
    Term t = l;
    for (; erl_is_cons(t); t = erl_tl(t)) {
        Term p = erl_hd(t);
        if (!erl_is_tuple(p) || erl_tuple_size(p) != 2)
            BADARG("maps:from_list", NULL, l);
        m = map_put(h, m, erl_element(p, 1), erl_element(p, 2));
    }
    if (t != ERL_NIL)
        BADARG("maps:from_list", "argument 1: not a list", l);
    return m;
}

static Term maps_from_keys(Term keys, Term v)
{
    if (term_list_length(keys) < 0)
        BADARG("maps:from_keys", "argument 1: not a list", keys, v);
    Heap *h = heap_current();
    Term m = map_new(h);
    for (Term t = keys; erl_is_cons(t); t = erl_tl(t))
        m = map_put(h, m, erl_hd(t), v);
    return m;
}

static Term maps_with(Term keys, Term m)
{
    if (term_list_length(keys) < 0)
        BADARG("maps:with", "argument 1: not a list", keys, m);
    if (!map_is(m))
        BADMAP("maps:with", "argument 2: not a map", m, keys, m);
    Heap *h = heap_current();
    Term r = map_new(h);
    for (Term t = keys; erl_is_cons(t); t = erl_tl(t)) {
        Term v = map_get(m, erl_hd(t));
        if (v != ERL_NONE)
            r = map_put(h, r, erl_hd(t), v);
    }
    return r;
}

static Term maps_without(Term keys, Term m)
{
    if (term_list_length(keys) < 0)
        BADARG("maps:without", "argument 1: not a list", keys, m);
    if (!map_is(m))
        BADMAP("maps:without", "argument 2: not a map", m, keys, m);
    Heap *h = heap_current();
    for (Term t = keys; erl_is_cons(t); t = erl_tl(t))
        m = map_remove(h, m, erl_hd(t));
    return m;
}

/* ================================================ functions over maps */

static Term maps_fold(Term f, Term acc, Term m)
{
    if (!is_fun_of(f, 3))
        BADARG("maps:fold", "argument 1: not a fun that takes three arguments", f, acc, m);
    if (!map_is(m))
        BADMAP("maps:fold", "argument 3: not a map", m, f, acc, m);
    MapIter it;
    Term k, v;
    map_iter_init_print(&it, m); /* erl folds a large map first pair first */
    while (map_next(&it, &k, &v))
        acc = apply(f, 3, (Term[]){k, v, acc});
    return acc;
}

static Term maps_map(Term f, Term m)
{
    if (!is_fun_of(f, 2))
        BADARG("maps:map", "argument 1: not a fun that takes two arguments", f, m);
    if (!map_is(m))
        BADMAP("maps:map", "argument 2: not a map", m, f, m);
    Heap *h = heap_current();
    Term r = m;
    MapIter it;
    Term k, v;
    map_iter_init(&it, m);
    while (map_next(&it, &k, &v))
        r = map_put(h, r, k, apply(f, 2, (Term[]){k, v}));
    return r;
}

static Term maps_filter(Term f, Term m)
{
    if (!is_fun_of(f, 2))
        BADARG("maps:filter", "argument 1: not a fun that takes two arguments", f, m);
    if (!map_is(m))
        BADMAP("maps:filter", "argument 2: not a map", m, f, m);
    Heap *h = heap_current();
    Term r = m;
    MapIter it;
    Term k, v;
    map_iter_init(&it, m);
    while (map_next(&it, &k, &v)) {
        Term keep = apply(f, 2, (Term[]){k, v});
        if (keep == AM_false)
            r = map_remove(h, r, k);
        else if (keep != AM_true)
            exc_raise(AM_error, erl_tuple(AM_case_clause, keep), ERL_NONE);
    }
    return r;
}

/* ========================================================== iterators */

/* An iterator is [N | Map]: the pairs of Map from the N-th on, in the
** order maps:to_list shows them (erl 25's iterators are improper lists
** too). maps:next walks from the start: use an iterator over a large map
** only for a few steps, or maps:fold. */
static Term maps_iterator(Term m)
{
    if (!map_is(m))
        BADMAP("maps:iterator", "argument 1: not a map", m, m);
    return erl_cons(erl_mk_int(0), m);
}

static Term maps_next(Term it)
{
    if (it == erl_atom("none"))
        return erl_atom("none");
    if (!erl_is_cons(it) || !erl_is_int(erl_hd(it)) || !map_is(erl_tl(it)) || erl_int_value(erl_hd(it)) < 0)
        BADARG("maps:next", "argument 1: not a valid iterator", it);
    long n = erl_int_value(erl_hd(it));
    Term m = erl_tl(it), k, v;
    MapIter mi;
    map_iter_init_print(&mi, m);
    for (long i = 0; i <= n; i++)
        if (!map_next(&mi, &k, &v))
            return erl_atom("none");
    return erl_tuple(k, v, erl_cons(erl_mk_int(n + 1), m));
}

/* ====================================================== registration */

void bif_maps_init(void)
{
    static const struct {
        const char *mod, *name;
        int arity;
        void *fn;
    } bifs[] = {
        {"maps", "get", 2, (void *)maps_get2},
        {"maps", "get", 3, (void *)maps_get3},
        {"maps", "find", 2, (void *)maps_find},
        {"maps", "is_key", 2, (void *)maps_is_key},
        {"maps", "size", 1, (void *)maps_size},
        {"maps", "new", 0, (void *)maps_new},
        {"maps", "put", 3, (void *)maps_put},
        {"maps", "update", 3, (void *)maps_update},
        {"maps", "remove", 2, (void *)maps_remove},
        {"maps", "take", 2, (void *)maps_take},
        {"maps", "merge", 2, (void *)maps_merge},
        {"maps", "update_with", 3, (void *)maps_update_with3},
        {"maps", "update_with", 4, (void *)maps_update_with4},
        {"maps", "keys", 1, (void *)maps_keys},
        {"maps", "values", 1, (void *)maps_values},
        {"maps", "to_list", 1, (void *)maps_to_list},
        {"maps", "from_list", 1, (void *)maps_from_list},
        {"maps", "from_keys", 2, (void *)maps_from_keys},
        {"maps", "with", 2, (void *)maps_with},
        {"maps", "without", 2, (void *)maps_without},
        {"maps", "fold", 3, (void *)maps_fold},
        {"maps", "map", 2, (void *)maps_map},
        {"maps", "filter", 2, (void *)maps_filter},
        {"maps", "iterator", 1, (void *)maps_iterator},
        {"maps", "next", 1, (void *)maps_next},
    };
    for (size_t i = 0; i < sizeof bifs / sizeof *bifs; i++)
        export_builtin(bifs[i].mod, bifs[i].name, bifs[i].arity, bifs[i].fn);
    export_builtin("erlang", "map_size", 1, (void *)erlang_map_size)->autoimport = true;
    export_builtin("erlang", "is_map", 1, (void *)erlang_is_map)->autoimport = true;
    export_builtin("erlang", "is_map_key", 2, (void *)erlang_is_map_key)->autoimport = true;
}
