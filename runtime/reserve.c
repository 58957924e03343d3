/*
** reserve.c
** erl_heap_reserve: a function about to build a list of known length
** (lists:reverse, lists:map) puts the next collection off by the words its
** cells take, so that no collection scans the half-built list, whose cells
** all stay live anyway.
*/
#include "heap.h"

#include <stdint.h>

void erl_heap_reserve(unsigned long words)
{
    Heap *h = heap_current();
    /* a 4 KB page gives HEAP_PAGE_BYTES - 128 bytes to its slots: 1/32 more */
    size_t more = words + words / 32 + HEAP_PAGE_BYTES / sizeof(Term);
    if (h->gc_threshold > SIZE_MAX - more)
        h->gc_threshold = SIZE_MAX;
    else
        h->gc_threshold += more;
}
