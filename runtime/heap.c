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

enum { HEADER_BYTES = 128, CLASS_LARGE = 0xff, MIN_THRESHOLD_WORDS = 8192 };
enum { MIN_OFFHEAP_THRESHOLD = 1 << 20 }; /* bytes of off-heap binaries */

/* One 4 KB page (or the first unit of a large object's pages).
** Invariant: data starts HEADER_BYTES into the page; slot i of a small page
** is data + (i << shift); bit i of live/mark is slot i's. */
struct HeapPage {
    HeapPage *next;
    uint8_t cls;       /* size class, or CLASS_LARGE */
    uint8_t shift;     /* log2 of the slot size in words */
    uint16_t nslots;
    uint32_t units;    /* 4 KB units in this allocation */
    size_t large_words;/* a large object's size */
    uint64_t live[4];
    uint64_t mark[4];
    uint64_t words[4]; /* allocated by heap_alloc_words: scan every word */
};

_Static_assert(sizeof(HeapPage) <= HEADER_BYTES, "page header too big");

/* Single 4 KB pages freed by any heap, kept (already faulted in) for the
** next page any heap needs. Linked through their first word. */
enum { PAGE_CACHE_MAX = 4096 };
static void *page_cache;
static size_t page_cache_len;

static Heap boot_heap;
Heap *heap_current_;
static size_t total_bytes;

Heap *heap_current(void)
{
    return heap_current_ ? heap_current_ : &boot_heap;
}

size_t heap_total_bytes(void)
{
    return total_bytes;
}

static Term *page_data(HeapPage *p)
{
    return (Term *)((char *)p + HEADER_BYTES);
}

/* ============================================================ page map */

static size_t map_hash(uintptr_t page)
{
    uint64_t x = (uint64_t)page >> 12;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 20);
}

static void map_put_raw(HeapPage **map, size_t cap, uintptr_t unit, HeapPage *p)
{
    (void)unit;
    size_t i = map_hash(unit) & (cap - 1);
    while (map[i])
        i = (i + 1) & (cap - 1);
    map[i] = p;
}

/* The map stores pages; a large page occupies one entry per unit, found by
** recomputing the unit address from the entry's page. */
static uintptr_t entry_unit(HeapPage *p, size_t k)
{
    return (uintptr_t)p + k * HEAP_PAGE_BYTES;
}

/* Rebuilds the map with room for 'more' entries beyond those of the pages
** already on h->pages: the load stays under one half whatever 'more' is. */
static void map_grow(Heap *h, size_t more)
{
    size_t cap = h->map_cap ? h->map_cap : 64;
    while ((h->map_len + more) * 2 >= cap)
        cap *= 2;
    HeapPage **map = xcalloc(cap, sizeof *map);
    for (HeapPage *p = h->pages; p; p = p->next)
        for (size_t k = 0; k < p->units; k++)
            map_put_raw(map, cap, entry_unit(p, k), p);
    free(h->map);
    h->map = map;
    h->map_cap = cap;
}

/* The page holding 4 KB unit 'unit', or NULL. The last page found is
** remembered: a term's objects and a collection's consecutive words tend
** to share pages. */
static inline HeapPage *map_get(Heap *h, uintptr_t unit)
{
    if (unit == h->seen_unit)
        return h->seen_page;
    if (!h->map_cap)
        return NULL;
    size_t i = map_hash(unit) & (h->map_cap - 1);
    for (HeapPage *p; (p = h->map[i]); i = (i + 1) & (h->map_cap - 1))
        if (unit == (uintptr_t)p || (unit > (uintptr_t)p && unit < (uintptr_t)p + p->units * HEAP_PAGE_BYTES)) {
            h->seen_unit = unit;
            h->seen_page = p;
            return p;
        }
    return NULL;
}

/* Enters p, not yet on h->pages, into the map: one entry per 4 KB unit. */
static void map_add(Heap *h, HeapPage *p)
{
    if ((h->map_len + p->units) * 2 >= h->map_cap)
        map_grow(h, p->units);
    for (size_t k = 0; k < p->units; k++)
        map_put_raw(h->map, h->map_cap, entry_unit(p, k), p);
    h->map_len += p->units;
}

/* ====================================== large allocations kept (msgs) */

/* Allocations of several units freed by any heap, kept (already faulted
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

/* Keeps mem, an allocation of 'units' units (> 1), or frees it when the
** cache has no room. */
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
    free(mem);
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

/* ============================================================== pages */

/* Gives a page allocation back: single pages to the cache, others to libc. */
static void page_release(HeapPage *p)
{
    total_bytes -= p->units * HEAP_PAGE_BYTES;
    if (p->units == 1 && page_cache_len < PAGE_CACHE_MAX) {
        *(void **)p = page_cache;
        page_cache = p;
        page_cache_len++;
        ASAN_POISON((char *)p + sizeof(void *), HEAP_PAGE_BYTES - sizeof(void *));
        return;
    }
    if (p->units > 1) {
        large_keep(p, p->units);
        return;
    }
    free(p);
}

static HeapPage *page_new(Heap *h, size_t units)
{
    void *mem = NULL;
    if (units == 1 && page_cache) {
        mem = page_cache;
        ASAN_UNPOISON(mem, HEAP_PAGE_BYTES);
        page_cache = *(void **)mem;
        page_cache_len--;
    } else if (units > 1 && (mem = large_reuse(units, &units))) {
        /* memory of a large object gone before: units may have grown */
    } else if (posix_memalign(&mem, HEAP_PAGE_BYTES, units * HEAP_PAGE_BYTES) != 0) {
        fprintf(stderr, "cerl: out of memory (heap page)\n");
        abort();
    }
    HeapPage *p = mem;
    memset(p, 0, HEADER_BYTES);
    p->units = (uint32_t)units;
    map_add(h, p); /* before linking p: map_grow rebuilds from h->pages */
    p->next = h->pages;
    h->pages = p;
    size_t words = units * HEAP_PAGE_BYTES / sizeof(Term);
    h->words += words;
    total_bytes += units * HEAP_PAGE_BYTES;
    return p;
}

/* Puts the free slots of small page p on its class's free list. */
static void thread_free(Heap *h, HeapPage *p)
{
    Term *data = page_data(p);
    for (int i = p->nslots - 1; i >= 0; i--)
        if (!(p->live[i >> 6] >> (i & 63) & 1)) {
            Term *slot = data + ((size_t)i << p->shift);
            slot[0] = (Term)(uintptr_t)h->free[p->cls];
            h->free[p->cls] = slot;
        }
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
    h->gc_threshold = MIN_THRESHOLD_WORDS;
    h->offheap_threshold = MIN_OFFHEAP_THRESHOLD;
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
    free(h->map);
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
    if (!slot) {
        if (h->words >= h->gc_threshold && gc_maybe_collect(h))
            slot = h->free[cls];
        if (!slot) {
            small_page(h, cls);
            slot = h->free[cls];
        }
    }
    h->free[cls] = (Term *)(uintptr_t)slot[0];
    HeapPage *p = (HeapPage *)((uintptr_t)slot & ~(uintptr_t)(HEAP_PAGE_BYTES - 1));
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
    return alloc(h, n, true);
}

/* listspeed: alloc with its size known, so that the size class folds away */
Term *heap_alloc_cell(Heap *h)
{
    return alloc(h, 2, true);
}

/* ========================================================== collector */

Term *heap_object_of(Heap *h, uintptr_t w, size_t *words, bool *conservative)
{
    HeapPage *p = map_get(h, w & ~(uintptr_t)(HEAP_PAGE_BYTES - 1));
    if (!p)
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

bool heap_mark(Heap *h, Term *obj)
{
    HeapPage *p = map_get(h, (uintptr_t)obj & ~(uintptr_t)(HEAP_PAGE_BYTES - 1));
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
        HeapPage *p = map_get(h, (uintptr_t)obj & ~(uintptr_t)(HEAP_PAGE_BYTES - 1));
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
    HeapPage **link = &h->pages, *p;
    bool released = false;
    while ((p = *link)) {
        for (int k = 0; k < 4; k++)
            p->live[k] &= p->mark[k];
        memset(p->mark, 0, sizeof p->mark);
        size_t n = 0;
        for (int k = 0; k < 4; k++)
            n += (size_t)__builtin_popcountll(p->live[k]);
        if (n == 0) {
            *link = p->next;
            h->words -= p->units * HEAP_PAGE_BYTES / sizeof(Term);
            page_release(p);
            released = true;
            continue;
        }
        live_words += p->cls == CLASS_LARGE ? p->large_words : n << p->shift;
        link = &p->next;
    }
    if (released) { /* rebuild the map without the released pages */
        h->seen_unit = 0;
        h->seen_page = NULL;
        free(h->map);
        h->map = NULL;
        h->map_cap = h->map_len = 0;
        size_t units = 0;
        for (p = h->pages; p; p = p->next)
            units += p->units;
        if (units) {
            size_t cap = 64;
            while (cap <= units * 2)
                cap *= 2;
            h->map = xcalloc(cap, sizeof *h->map);
            h->map_cap = cap;
            for (p = h->pages; p; p = p->next)
                for (size_t k = 0; k < p->units; k++)
                    map_put_raw(h->map, cap, entry_unit(p, k), p);
            h->map_len = units;
        }
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
