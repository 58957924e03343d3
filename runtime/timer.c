/*
** timer.c
** A binary min-heap of timers ordered by deadline, then by arming order.
*/
#include "timer.h"
#include "buf.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

/* The armed timers, as a binary min-heap ordered by fires_before. */
static struct {
    Timer **heap;
    size_t len, cap;
    uint64_t armed; /* timers armed so far: the next one's seq */
} tw;

uint64_t timer_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Earlier deadline first; for equal deadlines, the one armed first, so that
** two timers set for the same moment fire in the order they were set. */
static bool fires_before(const Timer *a, const Timer *b)
{
    return a->deadline < b->deadline || (a->deadline == b->deadline && a->seq < b->seq);
}

static void place(Timer *t, size_t i)
{
    tw.heap[i] = t;
    t->index = i;
}

static void sift_up(size_t i)
{
    Timer *t = tw.heap[i];
    while (i > 0 && fires_before(t, tw.heap[(i - 1) / 2])) {
        place(tw.heap[(i - 1) / 2], i);
        i = (i - 1) / 2;
    }
    place(t, i);
}

static void sift_down(size_t i)
{
    Timer *t = tw.heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= tw.len)
            break;
        if (c + 1 < tw.len && fires_before(tw.heap[c + 1], tw.heap[c]))
            c++;
        if (!fires_before(tw.heap[c], t))
            break;
        place(tw.heap[c], i);
        i = c;
    }
    place(t, i);
}

bool timer_armed(const Timer *t)
{
    return t->index != SIZE_MAX && t->index < tw.len && tw.heap[t->index] == t;
}

void timer_arm(Timer *t, long ms)
{
    timer_cancel(t);
    t->deadline = timer_deadline(ms);
    t->seq = tw.armed++;
    if (tw.len == tw.cap) {
        tw.cap = tw.cap ? tw.cap * 2 : 64;
        tw.heap = xrealloc(tw.heap, tw.cap * sizeof *tw.heap);
    }
    place(t, tw.len++);
    sift_up(tw.len - 1);
}

void timer_cancel(Timer *t)
{
    if (!timer_armed(t)) {
        t->index = SIZE_MAX;
        return;
    }
    size_t i = t->index;
    t->index = SIZE_MAX;
    if (--tw.len == i)
        return;
    place(tw.heap[tw.len], i);
    sift_down(i);
    sift_up(tw.heap[i]->index);
}

bool timer_pending(void)
{
    return tw.len > 0;
}

long timer_next(void)
{
    if (!tw.len)
        return -1;
    uint64_t now = timer_now_ms();
    return tw.heap[0]->deadline <= now ? 0 : (long)(tw.heap[0]->deadline - now);
}

Timer *timer_pop_due(void)
{
    if (!tw.len || tw.heap[0]->deadline > timer_now_ms())
        return NULL;
    Timer *t = tw.heap[0];
    timer_cancel(t);
    return t;
}

SendTimer *timer_find_ref(Term ref)
{
    if (!erl_is_ref(ref))
        return NULL;
    uint32_t parts[3];
    term_ref_parts(ref, parts);
    for (size_t i = 0; i < tw.len; i++) {
        SendTimer *st = (SendTimer *)tw.heap[i];
        if (!tw.heap[i]->proc && memcmp(st->ref, parts, sizeof parts) == 0)
            return st;
    }
    return NULL;
}
