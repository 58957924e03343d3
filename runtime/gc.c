/*
** gc.c
** Mark and sweep of one process's heap, rooted conservatively in its stack.
*/
#include "gc.h"
#include "buf.h"
#include "error.h"
#include "sched.h"

#include <setjmp.h>
#include <stdlib.h>

/* Under valgrind, the words a conservative scan reads (stack garbage, the
** unused parts of a jmp_buf) count as defined: looking is not using. */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define SCANNED(from, bytes) VALGRIND_MAKE_MEM_DEFINED(from, bytes)
#endif
#endif
#ifndef SCANNED
#define SCANNED(from, bytes) ((void)(from), (void)(bytes))
#endif

/* The mark stack: objects marked whose contents are still to scan. */
typedef struct Marker {
    Heap *h;
    Term **stack;
    size_t len, cap;
} Marker;

/* w might be a term or a raw pointer: if it points into a live object of
** the heap, mark the object and queue it. */
static void visit(Marker *m, Term w)
{
    size_t words;
    bool conservative;
    Term *obj = heap_object_of(m->h, (uintptr_t)w, &words, &conservative);
    if (!obj || !heap_mark(m->h, obj))
        return;
    if (m->len == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 256;
        m->stack = xrealloc(m->stack, m->cap * sizeof *m->stack);
    }
    m->stack[m->len++] = obj;
}

/* Reads every word, redzones of AddressSanitizer's stack frames included:
** a conservative scan looks at memory no C object owns. */
#if defined(__SANITIZE_ADDRESS__)
#define NO_ASAN __attribute__((no_sanitize_address))
#else
#define NO_ASAN
#endif

static NO_ASAN void visit_range(Marker *m, const Term *from, const Term *to)
{
    if (to > from)
        SCANNED(from, (size_t)(to - from) * sizeof(Term));
    for (const Term *w = from; w < to; w++)
        visit(m, *w);
}

/* Scans the contents of every queued object until none is left. */
static void drain(Marker *m)
{
    while (m->len) {
        Term *obj = m->stack[--m->len];
        size_t words;
        bool conservative;
        heap_object_of(m->h, (uintptr_t)obj, &words, &conservative);
        if (conservative) {
            visit_range(m, obj, obj + words);
            continue;
        }
        Term header = obj[0];
        uint64_t size = header >> 8;
        switch (header & 0xff) {
        case ERL_BOX_TUPLE:
        case ERL_BOX_MAP:
        case ERL_BOX_MAPNODE:
            visit_range(m, obj + 1, obj + 1 + (size < words ? size : words - 1));
            break;
        case ERL_BOX_FLOAT:
        case ERL_BOX_REF:
        case ERL_BOX_BINARY:
        case ERL_BOX_BIGNUM:
        case ERL_BOX_EXTPID: /* a node atom and numbers */
        case ERL_BOX_EXTREF:
        case TERM_BOX_BLOCK: /* a copied message: points only into itself (term.h) */
            break; /* no terms inside */
        default:
            visit_range(m, obj, obj + words);
            break;
        }
    }
}

/* Scans the stack from this function's frame up to the top. noinline: the
** caller's frame, holding the saved registers, lies above ours. */
static NO_ASAN __attribute__((noinline)) void scan_stack(Marker *m, Proc *p)
{
    const Term *sp = __builtin_frame_address(0);
    const Term *top = (const Term *)((char *)p->stack.base + p->stack.size);
    visit_range(m, sp, top);
}

/* Totals over all processes since start-up: counters only, read by
** statistics/1. */
static GcTotals totals;

GcTotals gc_totals(void)
{
    return totals;
}

/* Marks from p's roots other than its stack and registers, then sweeps. */
static size_t finish(Marker *m, Proc *p, const Term *extra, size_t n)
{
    visit_range(m, p->argv, p->argv + p->argc);
    visit(m, p->pending_exit);
    visit(m, p->exit_reason);
    visit(m, p->dict);
    for (const Msg *q = p->mbox.head; q; q = q->next) /* nodes are off the heap (mailbox.h) */
        visit(m, q->term);
    mbox_collecting(&p->mbox);
    visit(m, exc_last_.reason);
    visit(m, exc_last_.where);
    if (extra)
        visit_range(m, extra, extra + n);
    drain(m);
    free(m->stack);
    size_t before = p->heap.used;
    size_t live = heap_sweep(&p->heap);
    totals.collections++;
    totals.words_reclaimed += before > live ? before - live : 0;
    mbox_pool_trim();
    return live;
}

size_t gc_collect(Proc *p, const Term *extra, size_t n)
{
    Marker m = {.h = &p->heap};
    jmp_buf regs; /* callee-saved registers may hold the only reference */
    _setjmp(regs);
    scan_stack(&m, p);
    visit_range(&m, (const Term *)regs, (const Term *)(regs + 1));
    return finish(&m, p, extra, n);
}

size_t gc_collect_exact(Proc *p)
{
    Marker m = {.h = &p->heap};
    return finish(&m, p, NULL, 0);
}

bool gc_maybe_collect(Heap *h)
{
    Proc *p = sched_current;
    if (!p || h != &p->heap || p->gc_off)
        return false;
    gc_collect(p, NULL, 0);
    return true;
}
