/*
** bif_dict.c
** The process dictionary: put/2, get/0,1 and erase/1, as erl's. Each
** process keeps its own list of {Key, Value} pairs on its heap (Proc.dict,
** a root of its collections); no other process ever sees it.
*/
#include "bif.h"
#include "error.h"
#include "export.h"
#include "proc.h"

/* The dictionary without Key's pair; *old is its value, or undefined. */
static Term without(Heap *h, Term dict, Term key, Term *old)
{
    *old = AM_undefined;
    if (dict == ERL_NIL)
        return ERL_NIL;
    Term pair = erl_hd(dict);
    if (erl_eq(erl_element(pair, 1), key)) {
        *old = erl_element(pair, 2);
        return erl_tl(dict);
    }
    Term rest = without(h, erl_tl(dict), key, old);
    return rest == erl_tl(dict) ? dict : term_cons(h, pair, rest);
}

Term erl_put(Term key, Term value)
{
    exc_check_term("erl_put", key);
    exc_check_term("erl_put", value);
    Proc *p = proc_current();
    Heap *h = heap_current();
    Term old;
    Term rest = without(h, p->dict, key, &old);
    p->dict = term_cons(h, term_tuple(h, 2, (Term[]){key, value}), rest);
    return old;
}

Term erl_get(Term key)
{
    for (Term d = proc_current()->dict; d != ERL_NIL; d = erl_tl(d))
        if (erl_eq(erl_element(erl_hd(d), 1), key))
            return erl_element(erl_hd(d), 2);
    return AM_undefined;
}

static Term bif_get0(void)
{
    return proc_current()->dict;
}

static Term bif_erase1(Term key)
{
    Proc *p = proc_current();
    Term old;
    p->dict = without(heap_current(), p->dict, key, &old);
    return old;
}

void bif_dict_init(void)
{
    export_builtin("erlang", "put", 2, (void *)erl_put)->autoimport = true;
    export_builtin("erlang", "get", 1, (void *)erl_get)->autoimport = true;
    export_builtin("erlang", "get", 0, (void *)bif_get0)->autoimport = true;
    export_builtin("erlang", "erase", 1, (void *)bif_erase1)->autoimport = true;
}
