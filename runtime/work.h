/*
** work.h
** The work stack of a walk over terms: it starts in the walker's own frame
** and moves to malloc'd memory when it outgrows it, so that how deep a term
** nests is limited by memory, never by the C stack.
*/
#ifndef CERL_WORK_H
#define CERL_WORK_H

#include "buf.h"
#include "term.h"

#include <stdlib.h>
#include <string.h>

enum { WORK_LOCAL = 64 };

/* Invariant: w is local or malloc'd (owned); w[0..len) are pending. */
typedef struct Work {
    Term *w;
    size_t len, cap;
    Term local[WORK_LOCAL];
} Work;

static inline void work_init(Work *k)
{
    k->w = k->local;
    k->len = 0;
    k->cap = WORK_LOCAL;
}

static inline void work_free(Work *k)
{
    if (k->w != k->local)
        free(k->w);
}

/* Doubles the room; cannot fail (out of memory ends the runtime). */
static inline void work_grow(Work *k)
{
    size_t cap = k->cap * 2;
    Term *w = xmalloc(cap * sizeof *w);
    memcpy(w, k->w, k->len * sizeof *w);
    work_free(k);
    k->w = w;
    k->cap = cap;
}

static inline void work_push(Work *k, Term t)
{
    if (k->len == k->cap)
        work_grow(k);
    k->w[k->len++] = t;
}

#endif
