/*
** heap.h
** Process heaps: objects in size-class pages (a "big bag of pages"), so any
** word can be tested for pointing at a live object. That is what lets the
** collector (gc.c) treat a C stack conservatively.
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
    HEAP_MAX_SMALL = 32    /* larger objects get pages of their own */
};

typedef struct HeapPage HeapPage;

/* A heap: pages of equal-sized slots per class, plus large objects.
** Invariants: every page is on 'pages' and in the page map (a large object's
** every 4 KB unit maps to its first page); free[c] threads through exactly
** the slots of class c that are not live (its first word is the link); a
** slot is live from its allocation until the sweep that finds it unmarked.
** Nothing in a heap points into another heap. */
typedef struct Heap {
    HeapPage *pages;            /* all pages; owned */
    Term *free[HEAP_CLASSES];   /* free slots per class */
    HeapPage **map;             /* open-addressed page address -> page */
    size_t map_cap, map_len;    /* slots in map (power of two), pages in it */
    uintptr_t seen_unit;        /* the unit map_get found last (0: none) */
    HeapPage *seen_page;        /* ... and its page, which is on 'pages' */
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
} Heap;

void heap_init(Heap *h);
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

/* ----------------------------------------------------- for the collector */

/* If w points into a live object of h (at its start or inside it), returns
** the object's first word and its slot size in words, and whether it came
** from heap_alloc_words (*conservative); else NULL. Never reads memory
** outside h's pages. */
Term *heap_object_of(Heap *h, uintptr_t w, size_t *words, bool *conservative);
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
