/*
** listops.c
** The loops of lists:reverse, lists:map and lists:foldl, compiled with the
** runtime rather than by tcc with the lists module: one heap for all the
** cells, the fun prepared once (funcall.c), and the next collection put
** off by the cells of a list whose length is known (reserve.c).
*/
#include "funcall.h"
#include "heap.h"
#include "term.h"

/* [hd | tl], as term_cons. */
static inline Term cell(Heap *h, Term hd, Term tl)
{
    Term *c = heap_alloc_cell(h);
    c[0] = hd;
    c[1] = tl;
    return cons_term(c);
}

/* The number of cells of List up to its first non-cons tail. */
static size_t cells(Term list)
{
    size_t n = 0;
    for (; erl_is_cons(list); list = cons_ptr(list)[1])
        n++;
    return n;
}

/* Cells are reserved (erl_heap_reserve) a chunk at a time as the loop
** reaches them. Each chunk is counted first (a walk that also brings its
** cells into the cache), then its copies are taken from the heap a run of
** cells at a time (heap_alloc_cells) and filled. */
enum { CHUNK = 4096 };

Term erl_list_reverse(Term list, Term tail)
{
    Heap *h = heap_current();
    while (erl_is_cons(list)) {
        size_t n = 0;
        for (Term l = list; n < CHUNK && erl_is_cons(l); l = cons_ptr(l)[1])
            n++;
        erl_heap_reserve(2 * n);
        while (n) {
            size_t k;
            Term *c = heap_alloc_cells(h, n, &k);
            n -= k;
            for (Term *end = c + 2 * k; c < end; c += 2) {
                Term *from = cons_ptr(list);
                c[0] = from[0];
                c[1] = tail;
                tail = cons_term(c);
                list = from[1];
            }
        }
    }
    return list == ERL_NIL ? tail : ERL_NONE;
}

Term erl_list_map(Term fun, Term *list)
{
    Term l = *list, head = ERL_NIL, *at = &head;
    size_t n = cells(l);
    if (n)
        erl_heap_reserve(2 * n);
    ErlPreparedFun pf;
    erl_fun_prepare(&pf, fun, 1);
    for (; erl_is_cons(l); l = cons_ptr(l)[1]) {
        Term y = funcall_prepared(&pf, cons_ptr(l));
        Term c = cell(heap_current(), y, ERL_NIL);
        *at = c;
        at = cons_ptr(c) + 1;
    }
    *list = l;
    return head;
}

Term erl_list_foldl(Term fun, Term acc, Term *list)
{
    Term l = *list;
    ErlPreparedFun pf;
    erl_fun_prepare(&pf, fun, 2);
    Export *e = pf.entry;
    if (!e) { /* a closure: the general call */
        for (; erl_is_cons(l); l = cons_ptr(l)[1])
            acc = erl_apply_n(fun, 2, (Term[]){cons_ptr(l)[0], acc});
        *list = l;
        return acc;
    }
    /* Fun is Mod:Fun/2: a call through its export entry, as module code
    ** makes a fully qualified call (the entry's stub loads the module or
    ** raises undef; a reload during the loop re-points the entry). The
    ** tail is read before the call: cells never move (gc.h), and the load
    ** overlaps the call instead of waiting behind it. */
    while (erl_is_cons(l)) {
        Term *c = cons_ptr(l);
        Term x = c[0];
        l = c[1];
        Term r = ((ErlFn2)e->pub.fn)(x, acc);
        acc = erl_is_int(r) ? r : funcall_checked(e, 2, r);
    }
    *list = l;
    return acc;
}
