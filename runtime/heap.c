/*
** heap.c
** Size-class pages: allocation from per-class free lists, the page map
** that recognises heap pointers, and the sweep.
*/
#include "heap.h"
#include "asan.h"
#include "bits.h"
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { HEADER_BYTES = 128, CLASS_LARGE = 0xff, MIN_THRESHOLD_WORDS = 8192 };
enum { MIN_OFFHEAP_THRESHOLD = 1 << 20 }; /* bytes of off-heap binaries */

/* Where pages come from: 2 MB chunks, 2 MB aligned, carved into 4 KB units.
** Runs longer than CHUNK_RUN_MAX units get a mapping of their own. The
** page directory maps every 4 KB unit of the address space that belongs to
** a page to that page's header: two loads find the page of any word,
** whatever heap it belongs to. */
enum {
    UNIT_SHIFT = 12,
    CHUNK_SHIFT = 21,
    CHUNK_UNITS = 1 << (CHUNK_SHIFT - UNIT_SHIFT),
    CHUNK_BYTES = 1 << CHUNK_SHIFT,
    CHUNK_RUN_MAX = 64,
    CHUNKS_KEPT_EMPTY = 1,  /* wholly free chunks kept mapped, for the next page */
    CHUNK_SCAN_MAX = 8,     /* partial chunks searched for a run of units */
    DIR_SHIFT = 30,         /* one leaf of the directory per GB */
    ADDR_BITS = 47,
    LEAF_UNITS = 1 << (DIR_SHIFT - UNIT_SHIFT),
    LEAF_CHUNKS = 1 << (DIR_SHIFT - CHUNK_SHIFT),
    DIR_LEAVES = 1 << (ADDR_BITS - DIR_SHIFT)
};

_Static_assert(HEAP_PAGE_BYTES == 1 << UNIT_SHIFT, "a page is a unit");

/* One 4 KB page (or the first unit of a large object's pages), or a
** process's inline page (heap_init_inline: units 0, inside a unit it shares,
** found through its heap's inline_page rather than the directory).
** Invariant: data starts HEADER_BYTES after the header; slot i of a small
** page is data + (i << shift); bit i of live/mark is slot i's; heap_id is
** the id of the heap whose 'pages' list holds it. */
struct HeapPage {
    HeapPage *next;
    uint64_t heap_id;
    uint8_t cls;       /* size class, or CLASS_LARGE */
    uint8_t shift;     /* log2 of the slot size in words */
    uint16_t nslots;
    uint32_t units;    /* 4 KB units in this allocation; 0 for an inline page */
    size_t large_words;/* a large object's size; on an inline page, 1 until its
                       ** slots are first threaded (spawnspeed), else 0 */
    uint64_t live[4];
    uint64_t mark[4];
    uint64_t words[4]; /* allocated by heap_alloc_words: scan every word */
};

_Static_assert(sizeof(HeapPage) <= HEADER_BYTES, "page header too big");

/* A chunk. Invariant: bit k of 'used' is set exactly when unit k is part of
** a page; a chunk with a free unit is on the partial list. */
typedef struct Chunk {
    char *base;
    uint64_t used[CHUNK_UNITS / 64];
    unsigned nused;
    struct Chunk *next, *prev;
} Chunk;

/* The directory's leaf for one GB of address space (mapped lazily, so only
** the parts in use are resident). */
typedef struct Leaf {
    HeapPage *page[LEAF_UNITS];
    Chunk *chunk[LEAF_CHUNKS];
} Leaf;

/* The page allocator, shared by every heap (the address space is one).
** Invariants: 'partial' (a sentinel, set up on first use) lists the chunks
** with a free unit; 'empty' counts chunks with none used, at most
** CHUNKS_KEPT_EMPTY; 'bytes' is the bytes in pages of all heaps. */
static struct {
    Leaf *dir[DIR_LEAVES];
    Chunk partial;
    size_t chunks, empty;
    size_t bytes;
    uint64_t next_heap_id;
} PA;

static Heap boot_heap;
Heap *heap_current_;

Heap *heap_current(void)
{
    return heap_current_ ? heap_current_ : &boot_heap;
}

size_t heap_total_bytes(void)
{
    return PA.bytes;
}

size_t heap_chunk_bytes(void)
{
    return PA.chunks * CHUNK_BYTES;
}

static Term *page_data(HeapPage *p)
{
    return (Term *)((char *)p + HEADER_BYTES);
}

static _Noreturn void out_of_memory(void)
{
    fprintf(stderr, "cerl: out of memory (heap page)\n");
    abort();
}

/* ========================================================== directory */

/* The page whose units hold address a, or NULL. */
static inline HeapPage *page_of(uintptr_t a)
{
    if (a >> ADDR_BITS)
        return NULL;
    Leaf *l = PA.dir[a >> DIR_SHIFT];
    return l ? l->page[(a >> UNIT_SHIFT) & (LEAF_UNITS - 1)] : NULL;
}

/* The page of h holding address a, if a lies in h's inline page; else the
** page the directory has for a (of any heap), or NULL. Inline pages are not
** in the directory: one entry per process stack would cost a directory page
** per few processes. */
static inline HeapPage *page_in(Heap *h, uintptr_t a)
{
    HeapPage *ip = h->inline_page;
    if (ip && a - (uintptr_t)ip < HEADER_BYTES + ((size_t)ip->nslots << ip->shift) * sizeof(Term))
        return ip;
    return page_of(a);
}

static Leaf *leaf_for(uintptr_t a)
{
    Leaf **l = &PA.dir[a >> DIR_SHIFT];
    if (!*l) {
        void *m = mmap(NULL, sizeof(Leaf), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m == MAP_FAILED)
            out_of_memory();
        *l = m;
    }
    return *l;
}

/* Enters p (or NULL) for the 'units' units from address a on. */
static void dir_set(uintptr_t a, size_t units, HeapPage *p)
{
    for (size_t k = 0; k < units; k++, a += HEAP_PAGE_BYTES)
        leaf_for(a)->page[(a >> UNIT_SHIFT) & (LEAF_UNITS - 1)] = p;
}

static Chunk **chunk_slot(uintptr_t a)
{
    return &leaf_for(a)->chunk[(a >> CHUNK_SHIFT) & (LEAF_CHUNKS - 1)];
}

/* ============================================================= chunks */

static void partial_push(Chunk *c)
{
    if (!PA.partial.next)
        PA.partial.next = PA.partial.prev = &PA.partial;
    c->next = PA.partial.next;
    c->prev = &PA.partial;
    c->next->prev = c;
    PA.partial.next = c;
}

static void partial_unlink(Chunk *c)
{
    c->prev->next = c->next;
    c->next->prev = c->prev;
    c->next = c->prev = NULL;
}

static Chunk *chunk_new(void)
{
    char *m = mmap(NULL, 2 * CHUNK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED)
        out_of_memory();
    char *base = (char *)(((uintptr_t)m + CHUNK_BYTES - 1) & ~(uintptr_t)(CHUNK_BYTES - 1));
    if (base > m)
        munmap(m, (size_t)(base - m));
    if (base + CHUNK_BYTES < m + 2 * CHUNK_BYTES)
        munmap(base + CHUNK_BYTES, (size_t)(m + 2 * CHUNK_BYTES - (base + CHUNK_BYTES)));
    ASAN_POISON(base, CHUNK_BYTES);
    Chunk *c = xcalloc(1, sizeof *c);
    c->base = base;
    *chunk_slot((uintptr_t)base) = c;
    PA.chunks++;
    PA.empty++;
    partial_push(c);
    return c;
}

static void chunk_free(Chunk *c)
{
    partial_unlink(c);
    *chunk_slot((uintptr_t)c->base) = NULL;
    ASAN_UNPOISON(c->base, CHUNK_BYTES);
    munmap(c->base, CHUNK_BYTES);
    PA.chunks--;
    PA.empty--;
    free(c);
}

static bool unit_used(const Chunk *c, size_t k)
{
    return c->used[k >> 6] >> (k & 63) & 1;
}

/* The first unit of a run of n free units in c, or -1. */
static long find_run(const Chunk *c, size_t n)
{
    if (n == 1) {
        for (size_t w = 0; w < CHUNK_UNITS / 64; w++)
            if (~c->used[w])
                return (long)(w * 64 + (size_t)__builtin_ctzll(~c->used[w]));
        return -1;
    }
    size_t run = 0;
    for (size_t k = 0; k < CHUNK_UNITS; k++) {
        run = unit_used(c, k) ? 0 : run + 1;
        if (run == n)
            return (long)(k + 1 - n);
    }
    return -1;
}

/* ====================================== large allocations kept (msgs) */

/* Mappings of large objects freed by any heap, kept (already faulted
** in) for the next large object of about their size: a big message's
** block then reuses the memory of the one before it instead of faulting in
** fresh pages. At most LARGE_CACHE_MAX of them, LARGE_CACHE_UNITS units in
** all; empty entries have mem NULL. Poisoned while kept. */
enum { LARGE_CACHE_MAX = 4, LARGE_CACHE_UNITS = 4096 /* 16 MB */ };
static struct {
    void *mem;
    size_t units;
} large_cache[LARGE_CACHE_MAX];
static size_t large_cache_units;

/* Keeps mem, a mapping of 'units' units (> CHUNK_RUN_MAX), or unmaps it
** when the cache has no room. */
static void large_keep(void *mem, size_t units)
{
    if (large_cache_units + units <= LARGE_CACHE_UNITS)
        for (int i = 0; i < LARGE_CACHE_MAX; i++)
            if (!large_cache[i].mem) {
                large_cache[i].mem = mem;
                large_cache[i].units = units;
                large_cache_units += units;
                ASAN_POISON(mem, units * HEAP_PAGE_BYTES);
                return;
            }
    munmap(mem, units * HEAP_PAGE_BYTES);
}

/* A kept allocation of at least 'units' units and at most a quarter more
** (its size in *got), taken out of the cache; or NULL. */
static void *large_reuse(size_t units, size_t *got)
{
    for (int i = 0; i < LARGE_CACHE_MAX; i++)
        if (large_cache[i].mem && large_cache[i].units >= units && large_cache[i].units <= units + units / 4) {
            void *mem = large_cache[i].mem;
            *got = large_cache[i].units;
            large_cache[i].mem = NULL;
            large_cache_units -= *got;
            ASAN_UNPOISON(mem, *got * HEAP_PAGE_BYTES);
            return mem;
        }
    return NULL;
}

/* *n contiguous units, 4 KB aligned; a large run may come back larger
** (*n then says how large: a kept mapping reused). */
static char *units_get(size_t *np)
{
    size_t n = *np;
    if (n > CHUNK_RUN_MAX) {
        char *kept = large_reuse(n, np);
        if (kept)
            return kept;
        char *m = mmap(NULL, n * HEAP_PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
            out_of_memory();
        ASAN_UNPOISON(m, n * HEAP_PAGE_BYTES);
        return m;
    }
    Chunk *c = NULL;
    long at = -1;
    int scanned = 0;
    if (PA.partial.next)
        for (c = PA.partial.next; c != &PA.partial && scanned < CHUNK_SCAN_MAX; c = c->next, scanned++)
            if ((at = find_run(c, n)) >= 0)
                break;
    if (at < 0) {
        c = chunk_new();
        at = 0;
    }
    if (c->nused == 0)
        PA.empty--;
    for (size_t k = (size_t)at; k < (size_t)at + n; k++)
        c->used[k >> 6] |= (uint64_t)1 << (k & 63);
    c->nused += (unsigned)n;
    if (c->nused == CHUNK_UNITS)
        partial_unlink(c);
    char *m = c->base + (size_t)at * HEAP_PAGE_BYTES;
    ASAN_UNPOISON(m, n * HEAP_PAGE_BYTES);
    return m;
}

/* Gives back units_get(n)'s m. */
static void units_put(char *m, size_t n)
{
    if (n > CHUNK_RUN_MAX) {
        large_keep(m, n);
        return;
    }
    Chunk *c = *chunk_slot((uintptr_t)m);
    size_t at = (size_t)(m - c->base) / HEAP_PAGE_BYTES;
    for (size_t k = at; k < at + n; k++)
        c->used[k >> 6] &= ~((uint64_t)1 << (k & 63));
    if (c->nused == CHUNK_UNITS)
        partial_push(c);
    c->nused -= (unsigned)n;
    ASAN_POISON(m, n * HEAP_PAGE_BYTES);
    if (c->nused == 0) {
        PA.empty++;
        if (PA.empty > CHUNKS_KEPT_EMPTY)
            chunk_free(c);
    }
}

/* ============================================================== pages */

static void page_release(HeapPage *p)
{
    if (p->units == 0) { /* an inline page: its memory is its owner's */
        PA.bytes -= ((size_t)p->nslots << p->shift) * sizeof(Term);
        return;
    }
    PA.bytes -= p->units * HEAP_PAGE_BYTES;
    dir_set((uintptr_t)p, p->units, NULL);
    units_put((char *)p, p->units);
}

static HeapPage *page_new(Heap *h, size_t units)
{
    HeapPage *p = (HeapPage *)units_get(&units);
    memset(p, 0, HEADER_BYTES);
    p->units = (uint32_t)units;
    p->heap_id = h->id;
    dir_set((uintptr_t)p, units, p);
    p->next = h->pages;
    h->pages = p;
    size_t words = units * HEAP_PAGE_BYTES / sizeof(Term);
    h->words += words;
    PA.bytes += units * HEAP_PAGE_BYTES;
    return p;
}

/* Puts the free slots of small page p on its class's free list. */
static void thread_free(Heap *h, HeapPage *p)
{
    p->large_words = 0; /* spawnspeed: an inline page's slots are threaded now */
    Term *data = page_data(p), *head = h->free[p->cls];
    for (int i = p->nslots - 1; i >= 0; i--)
        if (!(p->live[i >> 6] >> (i & 63) & 1)) {
            Term *slot = data + ((size_t)i << p->shift);
            slot[0] = (Term)(uintptr_t)head;
            head = slot;
        }
    h->free[p->cls] = head;
}

static void small_page(Heap *h, int cls)
{
    HeapPage *p = page_new(h, 1);
    p->cls = (uint8_t)cls;
    p->shift = (uint8_t)(cls + 1);
    p->nslots = (uint16_t)(((HEAP_PAGE_BYTES - HEADER_BYTES) / sizeof(Term)) >> p->shift);
    thread_free(h, p);
}

static int class_of(size_t n)
{
    if (n <= 2)
        return 0;
    return 63 - __builtin_clzll((unsigned long long)(n - 1)); /* 3-4 -> 1, 5-8 -> 2, ... */
}

void heap_init(Heap *h)
{
    memset(h, 0, sizeof *h);
    h->id = ++PA.next_heap_id;
    h->gc_threshold = MIN_THRESHOLD_WORDS;
    h->offheap_threshold = MIN_OFFHEAP_THRESHOLD;
}

void heap_init_inline(Heap *h, void *mem, size_t bytes)
{
    heap_init(h);
    uintptr_t a = ((uintptr_t)mem + 63) & ~(uintptr_t)63;
    bytes -= a - (uintptr_t)mem;
    size_t nslots = (bytes - HEADER_BYTES) / (HEAP_INLINE_SLOT_WORDS * sizeof(Term));
    if (bytes < HEADER_BYTES + HEAP_INLINE_SLOT_WORDS * sizeof(Term) || nslots > 256 ||
        (a >> UNIT_SHIFT) != ((a + HEADER_BYTES + nslots * HEAP_INLINE_SLOT_WORDS * sizeof(Term) - 1) >> UNIT_SHIFT) ||
        page_of(a))
        return; /* no room, or not within one unit of its own: no inline page */
    HeapPage *p = (HeapPage *)a;
    memset(p, 0, HEADER_BYTES);
    p->heap_id = h->id;
    p->cls = (uint8_t)class_of(HEAP_INLINE_SLOT_WORDS);
    p->shift = (uint8_t)(p->cls + 1);
    p->nslots = (uint16_t)nslots;
    p->units = 0;
    h->inline_page = p;
    p->next = h->pages;
    h->pages = p;
    h->words += nslots << p->shift;
    PA.bytes += (nslots << p->shift) * sizeof(Term);
    /* spawnspeed: its slots are threaded when first needed (alloc): an idle
    ** process never touches them. Until then large_words is 1 and no slot of
    ** it is live or on a free list. */
    p->large_words = 1;
}

void heap_destroy(Heap *h)
{
    for (size_t i = 0; i < h->offheap_len; i++)
        bits_drop(h->offheap[i]);
    free(h->offheap);
    HeapPage *p = h->pages;
    while (p) {
        HeapPage *next = p->next;
        page_release(p);
        p = next;
    }
    memset(h, 0, sizeof *h);
}

/* Runs a collection of h if it is due and allowed (defined in gc.c). */
bool gc_maybe_collect(Heap *h);

void heap_offheap_add(Heap *h, Term *obj, size_t bytes)
{
    if (h->offheap_len == h->offheap_cap) {
        h->offheap_cap = h->offheap_cap ? 2 * h->offheap_cap : 16;
        h->offheap = xrealloc(h->offheap, h->offheap_cap * sizeof *h->offheap);
    }
    h->offheap[h->offheap_len++] = obj;
    h->offheap_bytes += bytes;
}

void heap_offheap_reserve(Heap *h, size_t bytes)
{
    if (!h->offheap_threshold)
        h->offheap_threshold = MIN_OFFHEAP_THRESHOLD;
    if (h->offheap_bytes + bytes > h->offheap_threshold)
        gc_maybe_collect(h);
}

static Term *alloc_large(Heap *h, size_t n)
{
    size_t bytes = HEADER_BYTES + n * sizeof(Term);
    size_t units = (bytes + HEAP_PAGE_BYTES - 1) / HEAP_PAGE_BYTES;
    if (h->words + units * (HEAP_PAGE_BYTES / sizeof(Term)) > h->gc_threshold)
        gc_maybe_collect(h);
    HeapPage *p = page_new(h, units);
    p->cls = CLASS_LARGE;
    p->nslots = 1;
    p->large_words = n;
    p->live[0] = 1;
    h->used += n;
    return page_data(p);
}

/* ========================================================= cell runs */

/* List cells fill 2-word slots, one object per slot (heap_object_of finds
** each at its own start). A fresh page of such slots is not threaded onto
** free[0]: its slots are handed out from [cell_next, cell_end) in address
** order, several at once to heap_alloc_cells, which then sets their bits
** a word of bitmap at a time instead of one slot at a time. */

/* The page of a slot of a page that cells_page made: such a page is one
** unit, its header at the unit's start. */
static inline HeapPage *cells_page_of(const Term *slot)
{
    return (HeapPage *)((uintptr_t)slot & ~(uintptr_t)(HEAP_PAGE_BYTES - 1));
}

/* Slots [i, i + k) of small page p become live objects, of heap_alloc_words
** ('conservative') or of heap_alloc. */
static inline void cells_mark(HeapPage *p, size_t i, size_t k, bool conservative)
{
    while (k) {
        size_t b = i & 63, m = 64 - b < k ? 64 - b : k;
        uint64_t mask = (m == 64 ? ~(uint64_t)0 : ((uint64_t)1 << m) - 1) << b;
        p->live[i >> 6] |= mask;
        if (conservative)
            p->words[i >> 6] |= mask;
        else
            p->words[i >> 6] &= ~mask;
        i += m;
        k -= m;
    }
}

/* A new page of 2-word slots becomes the run [cell_next, cell_end). */
static void cells_page(Heap *h)
{
    HeapPage *p = page_new(h, 1);
    p->cls = 0;
    p->shift = 1;
    p->nslots = (uint16_t)(((HEAP_PAGE_BYTES - HEADER_BYTES) / sizeof(Term)) >> 1);
    h->cell_next = page_data(p);
    h->cell_end = page_data(p) + ((size_t)p->nslots << 1);
}

/* Up to n slots from the run, which is not empty; their count in *got. */
static inline Term *cells_take(Heap *h, size_t n, size_t *got, bool conservative)
{
    Term *c = h->cell_next;
    size_t left = (size_t)(h->cell_end - c) >> 1, k = n < left ? n : left;
    HeapPage *p = cells_page_of(c);
    cells_mark(p, (size_t)(c - page_data(p)) >> 1, k, conservative);
    h->cell_next = c + 2 * k;
    h->used += 2 * k;
    *got = k;
    return c;
}

Term *heap_alloc_cells(Heap *h, size_t n, size_t *got)
{
    for (;;) {
        Term *run = h->free[0];
        if (run) {
            /* the free slots of a page are threaded in address order
            ** (thread_free): a run of them side by side is a prefix of
            ** the list, found by following the links while they point to
            ** the next slot */
            Term *s = run;
            size_t k = 1;
            while (k < n && (Term *)(uintptr_t)s[0] == s + 2) {
                s += 2;
                k++;
            }
            h->free[0] = (Term *)(uintptr_t)s[0];
            HeapPage *p = page_in(h, (uintptr_t)run);
            cells_mark(p, (size_t)(run - page_data(p)) >> 1, k, true);
            h->used += 2 * k;
            *got = k;
            return run;
        }
        if (h->cell_next < h->cell_end)
            return cells_take(h, n, got, true);
        if (h->words <= HEAP_INLINE_MAX_WORDS) { /* a small heap: alloc lends it slots */
            *got = 1;
            return heap_alloc_cell(h);
        }
        if (h->words >= h->gc_threshold && gc_maybe_collect(h))
            continue; /* the sweep may have freed slots */
        cells_page(h);
    }
}

static Term *alloc(Heap *h, size_t n, bool conservative)
{
    if (n > HEAP_MAX_SMALL) {
        Term *obj = alloc_large(h, n);
        if (conservative)
            ((HeapPage *)((char *)obj - HEADER_BYTES))->words[0] = 1;
        return obj;
    }
    int cls = class_of(n);
    Term *slot = h->free[cls];
    if (!slot && h->inline_page && h->inline_page->large_words) { /* spawnspeed */
        thread_free(h, h->inline_page);
        slot = h->free[cls];
    }
    size_t one;
    if (!slot && cls == 0 && h->cell_next < h->cell_end) /* cell runs */
        return cells_take(h, 1, &one, conservative);
    if (!slot) {
        if (h->words >= h->gc_threshold && gc_maybe_collect(h))
            slot = h->free[cls];
        /* a heap still within its inline page lends its larger slots */
        for (int c = cls + 1; !slot && c < HEAP_CLASSES && h->words <= HEAP_INLINE_MAX_WORDS; c++)
            if ((slot = h->free[c]))
                cls = c;
        if (!slot && cls == 0) { /* cell runs */
            cells_page(h);
            return cells_take(h, 1, &one, conservative);
        }
        if (!slot) {
            small_page(h, cls);
            slot = h->free[cls];
        }
    }
    h->free[cls] = (Term *)(uintptr_t)slot[0];
    HeapPage *p = page_in(h, (uintptr_t)slot);
    size_t i = (size_t)(slot - page_data(p)) >> p->shift;
    uint64_t bit = (uint64_t)1 << (i & 63);
    p->live[i >> 6] |= bit;
    if (conservative)
        p->words[i >> 6] |= bit;
    else
        p->words[i >> 6] &= ~bit;
    h->used += (size_t)1 << p->shift;
    return slot;
}

Term *heap_alloc(Heap *h, size_t n)
{
    return alloc(h, n, false);
}

Term *heap_alloc_words(Heap *h, size_t n)
{
    return n == 2 ? heap_alloc_cell(h) : alloc(h, n, true);
}

/* listspeed: alloc with its size known, so that the size class folds away;
** cell runs: a cell from the run when the free list is empty, with no
** frame of its own (the common case while a list grows onto new pages) */
Term *heap_alloc_cell(Heap *h)
{
    Term *c = h->cell_next;
    if (h->free[0] || c >= h->cell_end)
        return alloc(h, 2, true);
    HeapPage *p = cells_page_of(c);
    size_t i = (size_t)(c - page_data(p)) >> 1;
    uint64_t bit = (uint64_t)1 << (i & 63);
    p->live[i >> 6] |= bit;
    p->words[i >> 6] |= bit;
    h->cell_next = c + 2;
    h->used += 2;
    return c;
}

/* ========================================================== collector */

Term *heap_object_of(Heap *h, uintptr_t w, size_t *words, bool *conservative)
{
    HeapPage *p = page_in(h, w);
    if (!p || p->heap_id != h->id)
        return NULL;
    Term *data = page_data(p);
    if (w < (uintptr_t)data)
        return NULL;
    if (p->cls == CLASS_LARGE) {
        if (w >= (uintptr_t)(data + p->large_words))
            return NULL;
        *words = p->large_words;
        *conservative = p->words[0] & 1;
        return data;
    }
    size_t i = (size_t)((Term *)w - data) >> p->shift;
    if (i >= p->nslots || !(p->live[i >> 6] >> (i & 63) & 1))
        return NULL;
    *words = (size_t)1 << p->shift;
    *conservative = p->words[i >> 6] >> (i & 63) & 1;
    return data + (i << p->shift);
}

/* bigmsg: the page as heap_object_of reads it, for term.c's checks */
bool heap_page_view(Heap *h, uintptr_t a, HeapPageView *v)
{
    HeapPage *p = page_in(h, a);
    v->span = 0;
    if (!p || p->heap_id != h->id || a < (uintptr_t)page_data(p))
        return false;
    v->lo = (uintptr_t)page_data(p);
    if (p->cls == CLASS_LARGE) {
        v->shift = 0;
        v->span = p->large_words * sizeof(Term);
        memset(v->live, 0, sizeof v->live);
        memset(v->words, 0, sizeof v->words);
        v->live[0] = 1;
        v->words[0] = p->words[0] & 1;
    } else {
        v->shift = p->shift;
        v->span = ((size_t)p->nslots << p->shift) * sizeof(Term);
        memcpy(v->live, p->live, sizeof v->live);
        memcpy(v->words, p->words, sizeof v->words);
    }
    if (a - v->lo >= v->span) {
        v->span = 0;
        return false;
    }
    return true;
}

bool heap_mark(Heap *h, Term *obj)
{
    HeapPage *p = page_in(h, (uintptr_t)obj);
    size_t i = p->cls == CLASS_LARGE ? 0 : (size_t)(obj - page_data(p)) >> p->shift;
    uint64_t bit = (uint64_t)1 << (i & 63);
    if (p->mark[i >> 6] & bit)
        return false;
    p->mark[i >> 6] |= bit;
    return true;
}

void heap_foreach_boxed(Heap *h, void (*fn)(Term *obj, void *ctx), void *ctx)
{
    for (HeapPage *p = h->pages; p; p = p->next) {
        if (p->cls == CLASS_LARGE) {
            if ((p->live[0] & 1) && !(p->words[0] & 1))
                fn(page_data(p), ctx);
            continue;
        }
        for (size_t i = 0; i < p->nslots; i++)
            if ((p->live[i >> 6] >> (i & 63) & 1) && !(p->words[i >> 6] >> (i & 63) & 1))
                fn(page_data(p) + (i << p->shift), ctx);
    }
}

/* Drops the handles the mark left unmarked (before the marks are cleared). */
static void sweep_offheap(Heap *h)
{
    size_t kept = 0;
    h->offheap_bytes = 0;
    for (size_t i = 0; i < h->offheap_len; i++) {
        Term *obj = h->offheap[i];
        HeapPage *p = page_in(h, (uintptr_t)obj);
        size_t k = p->cls == CLASS_LARGE ? 0 : (size_t)(obj - page_data(p)) >> p->shift;
        if (p->mark[k >> 6] >> (k & 63) & 1) {
            h->offheap[kept++] = obj;
            h->offheap_bytes += (size_t)(((obj[0] >> 9) + 7) / 8);
        } else {
            bits_drop(obj);
        }
    }
    h->offheap_len = kept;
    size_t t = 2 * h->offheap_bytes;
    h->offheap_threshold = t > MIN_OFFHEAP_THRESHOLD ? t : MIN_OFFHEAP_THRESHOLD;
}

size_t heap_sweep(Heap *h)
{
    size_t live_words = 0;
    sweep_offheap(h);
    memset(h->free, 0, sizeof h->free);
    h->cell_next = h->cell_end = NULL; /* its free slots are threaded below */
    HeapPage **link = &h->pages, *p;
    while ((p = *link)) {
        for (int k = 0; k < 4; k++)
            p->live[k] &= p->mark[k];
        memset(p->mark, 0, sizeof p->mark);
        size_t n = 0;
        for (int k = 0; k < 4; k++)
            n += (size_t)__builtin_popcountll(p->live[k]);
        if (n == 0 && p->units) { /* an inline page stays */
            *link = p->next;
            h->words -= p->units * HEAP_PAGE_BYTES / sizeof(Term);
            page_release(p);
            continue;
        }
        live_words += p->cls == CLASS_LARGE ? p->large_words : n << p->shift;
        link = &p->next;
    }
    for (p = h->pages; p; p = p->next)
        if (p->cls != CLASS_LARGE)
            thread_free(h, p);
    h->used = live_words;
    size_t t = 2 * h->words;
    h->gc_threshold = t > MIN_THRESHOLD_WORDS ? t : MIN_THRESHOLD_WORDS;
    h->collections++;
    return live_words;
}
