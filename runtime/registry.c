/*
** registry.c
** Registered names: atom -> process, one name per process.
*/
#include "proc.h"

#include <stdlib.h>
#include <string.h>

/* Invariant: by_atom[i] is the process registered under atom i, or NULL;
** that process's 'name' is atom i. */
static Proc **by_atom;
static size_t cap;

static Proc **slot(Term name, bool grow)
{
    size_t i = ATOM_INDEX(name);
    if (i >= cap) {
        if (!grow)
            return NULL;
        size_t n = cap ? cap : 256;
        while (n <= i)
            n *= 2;
        Proc **b = realloc(by_atom, n * sizeof *b);
        if (!b)
            abort();
        memset(b + cap, 0, (n - cap) * sizeof *b);
        by_atom = b;
        cap = n;
    }
    return &by_atom[i];
}

bool proc_register(Term name, Proc *p)
{
    if (!erl_is_atom(name) || name == AM_undefined || p->name != ERL_NONE || p->state == PS_EXITING)
        return false;
    Proc **s = slot(name, true);
    if (*s)
        return false;
    *s = p;
    p->name = name;
    return true;
}

bool proc_unregister(Term name)
{
    Proc **s = erl_is_atom(name) ? slot(name, false) : NULL;
    if (!s || !*s)
        return false;
    (*s)->name = ERL_NONE;
    *s = NULL;
    return true;
}

Proc *proc_whereis(Term name)
{
    Proc **s = erl_is_atom(name) ? slot(name, false) : NULL;
    return s ? *s : NULL;
}

Term proc_registered(Heap *h)
{
    Term list = ERL_NIL;
    for (size_t i = cap; i > 0; i--)
        if (by_atom[i - 1])
            list = term_cons(h, by_atom[i - 1]->name, list);
    return list;
}
