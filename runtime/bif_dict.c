/*
** bif_dict.c
** The process dictionary: put, get, erase and get_keys on the running
** process's Proc.dict, a map on its own heap ([] while it is empty).
*/
#include "bif.h"
#include "error.h"
#include "export.h"
#include "map.h"
#include "proc.h"

/* The running process; outside one there is no dictionary (badarg). */
static Proc *self(void)
{
    Proc *p = proc_current();
    if (!p)
        erl_error(AM_badarg);
    return p;
}

Term bif_dict_list(Heap *h, Term dict)
{
    if (!map_is(dict))
        return ERL_NIL;
    Term list = ERL_NIL, k, v;
    MapIter it;
    map_iter_init(&it, dict);
    while (map_next(&it, &k, &v))
        list = term_cons(h, term_tuple(h, 2, (Term[]){k, v}), list);
    return list;
}

Term erl_put(Term key, Term value)
{
    Proc *p = self();
    exc_check_term("erl_put", key);
    exc_check_term("erl_put", value);
    if (!map_is(p->dict))
        p->dict = map_new(&p->heap);
    Term old = map_get(p->dict, key);
    p->dict = map_put(&p->heap, p->dict, key, value);
    return old == ERL_NONE ? AM_undefined : old;
}

Term erl_get(Term key)
{
    Proc *p = self();
    Term v = map_is(p->dict) ? map_get(p->dict, key) : ERL_NONE;
    return v == ERL_NONE ? AM_undefined : v;
}

Term erl_erase(Term key)
{
    Proc *p = self();
    Term old = map_is(p->dict) ? map_get(p->dict, key) : ERL_NONE;
    if (old == ERL_NONE)
        return AM_undefined;
    p->dict = map_remove(&p->heap, p->dict, key);
    return old;
}

static Term bif_get0(void)
{
    return bif_dict_list(heap_current(), self()->dict);
}

static Term bif_erase0(void)
{
    Proc *p = self();
    Term all = bif_dict_list(heap_current(), p->dict);
    p->dict = ERL_NIL;
    return all;
}

/* The keys of the dictionary; with value != ERL_NONE, only those whose
** value is =:= value. */
static Term keys_of(Term value)
{
    Heap *h = heap_current();
    Term dict = self()->dict, keys = ERL_NIL, k, v;
    if (!map_is(dict))
        return ERL_NIL;
    MapIter it;
    map_iter_init(&it, dict);
    while (map_next(&it, &k, &v))
        if (value == ERL_NONE || erl_eq(v, value))
            keys = term_cons(h, k, keys);
    return keys;
}

static Term bif_get_keys0(void)
{
    return keys_of(ERL_NONE);
}

static Term bif_get_keys1(Term value)
{
    return keys_of(value);
}

/* ====================================================== registration */

void bif_dict_init(void)
{
    static const struct {
        const char *name;
        int arity;
        void *fn;
    } bifs[] = {
        {"put", 2, (void *)erl_put},         {"get", 1, (void *)erl_get},
        {"get", 0, (void *)bif_get0},        {"erase", 1, (void *)erl_erase},
        {"erase", 0, (void *)bif_erase0},    {"get_keys", 0, (void *)bif_get_keys0},
        {"get_keys", 1, (void *)bif_get_keys1},
    };
    for (size_t i = 0; i < sizeof bifs / sizeof *bifs; i++)
        export_builtin("erlang", bifs[i].name, bifs[i].arity, bifs[i].fn)->autoimport = true;
}
