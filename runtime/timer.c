/*
** timer.c
** A binary min-heap of timers ordered by deadline.
*/
#include "timer.h"
#include "buf.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

static Timer **heap;
static size_t len, cap;

uint64_t timer_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void place(Timer *t, size_t i)
{
    heap[i] = t;
    t->index = i;
}

static void sift_up(size_t i)
{
    Timer *t = heap[i];
    while (i > 0 && heap[(i - 1) / 2]->deadline > t->deadline) {
        place(heap[(i - 1) / 2], i);
        i = (i - 1) / 2;
    }
    place(t, i);
}

static void sift_down(size_t i)
{
    Timer *t = heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= len)
            break;
        if (c + 1 < len && heap[c + 1]->deadline < heap[c]->deadline)
            c++;
        if (heap[c]->deadline >= t->deadline)
            break;
        place(heap[c], i);
        i = c;
    }
    place(t, i);
}

bool timer_armed(const Timer *t)
{
    return t->index != SIZE_MAX && t->index < len && heap[t->index] == t;
}

void timer_arm(Timer *t, long ms)
{
    timer_cancel(t);
    t->deadline = timer_now_ms() + (uint64_t)(ms < 0 ? 0 : ms);
    if (len == cap) {
        cap = cap ? cap * 2 : 64;
        heap = xrealloc(heap, cap * sizeof *heap);
    }
    place(t, len++);
    sift_up(len - 1);
}

void timer_cancel(Timer *t)
{
    if (!timer_armed(t)) {
        t->index = SIZE_MAX;
        return;
    }
    size_t i = t->index;
    t->index = SIZE_MAX;
    if (--len == i)
        return;
    place(heap[len], i);
    sift_down(i);
    sift_up(heap[i]->index);
}

bool timer_pending(void)
{
    return len > 0;
}

long timer_next(void)
{
    if (!len)
        return -1;
    uint64_t now = timer_now_ms();
    return heap[0]->deadline <= now ? 0 : (long)(heap[0]->deadline - now);
}

Timer *timer_pop_due(void)
{
    if (!len || heap[0]->deadline > timer_now_ms())
        return NULL;
    Timer *t = heap[0];
    timer_cancel(t);
    return t;
}

SendTimer *timer_find_ref(Term ref)
{
    if (!erl_is_ref(ref))
        return NULL;
    uint32_t parts[3];
    term_ref_parts(ref, parts);
    for (size_t i = 0; i < len; i++) {
        SendTimer *st = (SendTimer *)heap[i];
        if (!heap[i]->proc && memcmp(st->ref, parts, sizeof parts) == 0)
            return st;
    }
    return NULL;
}
