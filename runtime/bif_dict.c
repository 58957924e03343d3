/*
** bif_dict.c
** The process dictionary: put, get, erase and get_keys on the running
** process's Proc.dict, a list of {Key, Value} on its own heap.
*/
#include "bif.h"
#include "error.h"
#include "export.h"
#include "proc.h"

/* The running process; outside one there is no dictionary (badarg). */
static Proc *self(void)
{
    Proc *p = proc_current();
    if (!p)
        erl_error(AM_badarg);
    return p;
}

/* The {Key, Value} of 'key' in dict, or ERL_NONE. Keys compare exactly
** (=:=), as erl's dictionary does. */
static Term lookup(Term dict, Term key)
{
    for (; erl_is_cons(dict); dict = erl_tl(dict))
        if (erl_eq(erl_element(erl_hd(dict), 1), key))
            return erl_hd(dict);
    return ERL_NONE;
}

/* dict without the entry of 'key' (which must be in it). */
static Term without(Heap *h, Term dict, Term key)
{
    if (erl_eq(erl_element(erl_hd(dict), 1), key))
        return erl_tl(dict);
    return term_cons(h, erl_hd(dict), without(h, erl_tl(dict), key));
}

Term erl_put(Term key, Term value)
{
    Proc *p = self();
    exc_check_term("erl_put", key);
    exc_check_term("erl_put", value);
    Term old = lookup(p->dict, key);
    Term rest = old == ERL_NONE ? p->dict : without(&p->heap, p->dict, key);
    p->dict = term_cons(&p->heap, term_tuple(&p->heap, 2, (Term[]){key, value}), rest);
    return old == ERL_NONE ? AM_undefined : erl_element(old, 2);
}

Term erl_get(Term key)
{
    Term e = lookup(self()->dict, key);
    return e == ERL_NONE ? AM_undefined : erl_element(e, 2);
}

Term erl_erase(Term key)
{
    Proc *p = self();
    Term old = lookup(p->dict, key);
    if (old == ERL_NONE)
        return AM_undefined;
    p->dict = without(&p->heap, p->dict, key);
    return erl_element(old, 2);
}

static Term bif_get0(void)
{
    return self()->dict;
}

static Term bif_erase0(void)
{
    Proc *p = self();
    Term all = p->dict;
    p->dict = ERL_NIL;
    return all;
}

/* The keys of dict in its order; with value != ERL_NONE, only those whose
** value is =:= value. */
static Term keys_of(Heap *h, Term dict, Term value)
{
    if (!erl_is_cons(dict))
        return ERL_NIL;
    Term rest = keys_of(h, erl_tl(dict), value);
    Term e = erl_hd(dict);
    if (value != ERL_NONE && !erl_eq(erl_element(e, 2), value))
        return rest;
    return term_cons(h, erl_element(e, 1), rest);
}

static Term bif_get_keys0(void)
{
    return keys_of(heap_current(), self()->dict, ERL_NONE);
}

static Term bif_get_keys1(Term value)
{
    return keys_of(heap_current(), self()->dict, value);
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
