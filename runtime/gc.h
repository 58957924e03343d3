/*
** gc.h
** Per-process garbage collection: mark from the process's own roots, sweep
** its heap. Conservative (any stack word that points into the heap keeps
** its object) and non-moving, so C locals stay valid. Other processes run
** on untouched.
**
** Roots: the live part of the process's C stack and its saved registers,
** its spawn arguments, its process dictionary, its mailbox, a pending exit signal, the exception
** being raised, and whatever the caller passes as extra roots. Nothing else:
** a term kept in a C global or malloc'd memory is not seen (see cerl.h).
*/
#ifndef CERL_GC_H
#define CERL_GC_H

#include "proc.h"

/* Collects the running process p's heap now, with extra[0..n) as more
** roots. p must be the running process (its stack is live). Returns the
** words still in use. */
size_t gc_collect(Proc *p, const Term *extra, size_t n);

/* Collects the running process p's heap from its roots other than its
** stack and registers: for a process abandoning its stack (hibernate.c),
** whose C locals hold nothing it will use again. Returns the words still in
** use. */
size_t gc_collect_exact(Proc *p);

/* heap_alloc calls this when heap h has grown past its threshold: collects
** when h belongs to the running process and its collection is allowed
** (p->gc_off is false). Returns whether it collected. */
bool gc_maybe_collect(Heap *h);

/* Collections run so far, in every process, and the words they freed
** (statistics(garbage_collection)). */
typedef struct GcTotals {
    uint64_t collections;
    uint64_t words_reclaimed;
} GcTotals;
GcTotals gc_totals(void);

#endif
