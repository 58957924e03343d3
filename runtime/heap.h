/*
** heap.h
** Process heaps: objects in size-class pages (a "big bag of pages"), so any
** word can be tested for pointing at a live object. That is what lets the
** collector (gc.c) treat a C stack conservatively. Pages are carved from
** 2 MB chunks, and a page directory finds the page of any address by
** arithmetic (two loads), whatever heap it belongs to.
*/
#ifndef CERL_HEAP_H
#define CERL_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t Term;

enum {
    HEAP_PAGE_BYTES = 4096,
    HEAP_CLASSES = 5,      /* slots of 2, 4, 8, 16 and 32 words */
    HEAP_MAX_SMALL = 32,   /* larger objects get pages of their own */
    /* An inline page (heap_init_inline) has slots of this many words; a
    ** heap of no more words than HEAP_INLINE_MAX_WORDS takes smaller
    ** objects from it too before it gets a page. */
    HEAP_INLINE_SLOT_WORDS = 4,
    HEAP_INLINE_MAX_WORDS = 1024
};

typedef struct HeapPage HeapPage;

/* A heap: pages of equal-sized slots per class, plus large objects.
** Invariants: every page is on 'pages' and carries the heap's id; every
** page but the inline page is in the page directory (a large object's every
** 4 KB unit maps to its first page); free[c] threads through exactly the
** free slots of the pages of class c (its first word is the link), but for
** the cell run [cell_next, cell_end) (heap_alloc_cells); a slot
** is live from its allocation until the sweep that finds it unmarked.
** Nothing in a heap points into another heap. A Heap may be moved by
** struct copy (its pages know it by id, not by address). */
typedef struct Heap {
    HeapPage *pages;            /* all pages; owned (an inline page's memory is not) */
    Term *free[HEAP_CLASSES];   /* free slots per class */
    uint64_t id;                /* unique, from heap_init; 0 once destroyed */
    HeapPage *inline_page;      /* its inline page (on 'pages'), or NULL */
    size_t words;               /* words in all pages (total_heap_size) */
    size_t used;                /* words in live slots (heap_size) */
    size_t gc_threshold;        /* collect when 'words' grows past this */
    uint64_t collections;       /* completed collections */
    /* Handles to off-heap binaries (bits.h) on this heap: every live one
    ** is on the list; the sweep drops the dead ones, heap_destroy all. */
    Term **offheap;             /* owned array of handle objects */
    size_t offheap_len, offheap_cap;
    size_t offheap_bytes;       /* bytes those handles refer to */
    size_t offheap_threshold;   /* collect before a new one past this */
    /* Cell runs (heap_alloc_cells): [cell_next, cell_end) is the part of
    ** the newest page of 2-word slots that no allocation has reached yet;
    ** those slots are neither live nor on free[0]. Empty after a sweep,
    ** which threads them onto free[0] with the page's other free slots. */
    Term *cell_next, *cell_end;
} Heap;

void heap_init(Heap *h);
/* heap_init, and the heap's first slots are [mem, mem + bytes) (an inline
** page, in memory the caller owns, such as the page of the process's own
** struct): a small process needs no page of its own. The block must lie
** within one 4 KB unit that holds no other heap's page, stay valid until
** heap_destroy, and not be moved; when it cannot serve (too small, across
** units) the heap simply has no inline page. */
void heap_init_inline(Heap *h, void *mem, size_t bytes);
/* Frees every page: every term on this heap is gone. */
void heap_destroy(Heap *h);
/* A boxed object of 'n' words whose first word the caller sets to its
** header (box_header). 8-aligned, uninitialised. Cannot fail (out of memory
** ends the runtime). When h is the running process's own heap and has grown
** past its threshold, a collection may run first (see gc.h). */
Term *heap_alloc(Heap *h, size_t n);
/* 'n' words with no header, every one of which the collector treats as a
** possible pointer: cons cells, mailbox nodes, scratch arrays of terms. */
Term *heap_alloc_words(Heap *h, size_t n);
/* heap_alloc_words(h, 2): a list cell (listspeed). */
Term *heap_alloc_cell(Heap *h);
/* Cell runs: up to n list cells (n >= 1) side by side, c[0..2k), where k
** (1 <= k <= n) is stored in *got. Each cell is an object of its own, as
** if from heap_alloc_cell: the collector and the soundness check
** (term_check) see k separate 2-word objects. The caller fills every word
** before anything else allocates on h. Cannot fail; may collect first, as
** heap_alloc may. */
Term *heap_alloc_cells(Heap *h, size_t n, size_t *got);

/* The handle obj (a boxed object of h) refers to 'bytes' off-heap bytes:
** puts it on h's off-heap list. Cannot fail. */
void heap_offheap_add(Heap *h, Term *obj, size_t bytes);
/* Called before a new off-heap binary of 'bytes' gets a handle on h: when
** h's off-heap bytes have grown past their threshold, a collection may run
** (as in heap_alloc), so that dead binaries are freed. */
void heap_offheap_reserve(Heap *h, size_t bytes);

/* The heap terms are built on right now: the running process's, or the
** boot heap when no process runs (start-up and unit tests). */
Heap *heap_current(void);
/* Set by the scheduler on every switch. */
extern Heap *heap_current_;

/* Bytes held by all heaps together (the runtime's own accounting). */
size_t heap_total_bytes(void);
/* Bytes of 2 MB chunks mapped for pages (free units included); a chunk
** whose pages are all freed is unmapped (beyond one kept for reuse). */
size_t heap_chunk_bytes(void);

/* ----------------------------------------------------- for the collector */

/* If w points into a live object of h (at its start or inside it), returns
** the object's first word and its slot size in words, and whether it came
** from heap_alloc_words (*conservative); else NULL. Never reads memory
** outside h's pages. */
Term *heap_object_of(Heap *h, uintptr_t w, size_t *words, bool *conservative);
/* ------------------------------------- page views (bigmsg: term checks) */

/* One page of a heap as heap_object_of sees it, copied out so that a walk
** over many objects of the page (term.c's soundness check) tests each
** address with no call and no directory lookup. It covers the addresses
** [lo, lo + span): a small page's slots (slot i at lo + (i << shift) words,
** live and conservative by bit i of live and words), or a large object
** (shift 0: the object at lo, span / 8 words, conservative by words[0]).
** Valid until h next allocates, is collected or destroyed. */
typedef struct HeapPageView {
    uintptr_t lo;
    size_t span;
    unsigned shift;
    uint64_t live[4], words[4];
} HeapPageView;
/* Fills *v with the view of the page of h that holds address a, and
** returns true, when a lies in one and heap_object_of could find an object
** there; else false (*v then covers nothing). Never reads memory outside
** h's pages. */
bool heap_page_view(Heap *h, uintptr_t a, HeapPageView *v);

/* Calls fn(obj, ctx) for every live object of h made by heap_alloc (boxed
** objects, whose first word is a header), in no particular order; objects
** not yet collected count as live. fn must not allocate on h. */
void heap_foreach_boxed(Heap *h, void (*fn)(Term *obj, void *ctx), void *ctx);
/* Marks the object starting at obj; returns false if it was marked already. */
bool heap_mark(Heap *h, Term *obj);
/* Frees every live, unmarked object, clears all marks, releases empty pages
** and rebuilds the free lists. Returns the words still live. */
size_t heap_sweep(Heap *h);

#endif
