/*
** purgescan.c
** The purge's cache of what each process's stack runs (see purgescan.h):
** slots, marks, per-process summaries, and the search over them.
*/
#include "purgescan.h"
#include "buf.h"
#include "code.h"
#include "frames.h"
#include "fun.h"
#include "sched.h"

#include <string.h>

static uint8_t sink[1];
uint8_t *purgescan_ran_ = sink;

/* The slots.
** Invariants: slot s (1 <= s < top) is in use exactly when procs[s] != NULL,
** and then procs[s]->scan_slot == s; a slot not in use has ran[s] == 0 and
** versions[s] == 0, so a search skips it without a branch of its own; while
** ran[s] == 0, procs[s] has not resumed since its frames were summarised,
** and versions[s] has bit b set for every version whose scan_bit is b and
** into whose image a frame returned at that time (a version stays loaded,
** bit and all, while a live stack returns into it, so a clear bit stays
** true); 'free' holds the slots below top not in use; [seen_lo, seen_hi)
** is empty or the image of a loaded version whose bit is seen_bit. */
static struct {
    Proc **procs;
    uint64_t *versions;
    size_t top, cap;
    uint32_t *free;
    size_t nfree, capfree;
    size_t count;
    /* purgeidle: the image a summary of a blocking process last met, while
    ** its version is loaded ([seen_lo, seen_hi) empty otherwise) */
    uintptr_t seen_lo, seen_hi;
    uint64_t seen_bit;
    /* purgeidle: the idle steps' lap over the slots: the next slot to look
    ** at (0: no lap under way), whether this lap found a process to
    ** summarise, and whether another step may find one */
    size_t idle_at;
    bool idle_found, idle_more;
} S = {.top = 1};

static void grow(void)
{
    size_t cap = S.cap ? 2 * S.cap : 1024;
    S.procs = xrealloc(S.procs, cap * sizeof *S.procs);
    S.versions = xrealloc(S.versions, cap * sizeof *S.versions);
    uint8_t *ran = xrealloc(purgescan_ran_ == sink ? NULL : purgescan_ran_, cap);
    memset(S.procs + S.cap, 0, (cap - S.cap) * sizeof *S.procs);
    memset(S.versions + S.cap, 0, (cap - S.cap) * sizeof *S.versions);
    memset(ran + S.cap, 0, cap - S.cap);
    ran[0] = 0;
    purgescan_ran_ = ran;
    S.cap = cap;
}

void purgescan_add(Proc *p)
{
    uint32_t s;
    if (S.nfree) {
        s = S.free[--S.nfree];
    } else {
        if (S.top >= S.cap)
            grow();
        s = (uint32_t)S.top++;
    }
    S.procs[s] = p;
    S.versions[s] = 0;
    purgescan_ran_[s] = PURGESCAN_STARTED;
    p->scan_slot = s;
    S.count++;
}

void purgescan_remove(Proc *p)
{
    uint32_t s = p->scan_slot;
    if (s == 0 || s >= S.top || S.procs[s] != p)
        return;
    S.procs[s] = NULL;
    S.versions[s] = 0;
    purgescan_ran_[s] = 0;
    p->scan_slot = 0;
    if (S.nfree == S.capfree) {
        S.capfree = S.capfree ? 2 * S.capfree : 1024;
        S.free = xrealloc(S.free, S.capfree * sizeof *S.free);
    }
    S.free[S.nfree++] = s;
    S.count--;
}

Proc *purgescan_proc(uint32_t s)
{
    return s > 0 && s < S.top ? S.procs[s] : NULL;
}

size_t purgescan_count(void)
{
    return S.count;
}

/* ============================================================ walking */

/* One walk: whether a frame lies in [lo, hi), and, when 'summarise' and
** none does, the bits of every version a frame lies in (the version found
** last is asked first: most of a stack's module frames are in one module). */
typedef struct Visit {
    uintptr_t lo, hi;
    bool hit, summarise;
    uint64_t bits;
    uintptr_t seen_lo, seen_hi;
    uint64_t seen_bit;
} Visit;

static bool visit(uintptr_t pc, void *arg)
{
    Visit *v = arg;
    if (pc >= v->lo && pc < v->hi) {
        v->hit = true;
        return true; /* the summary stays incomplete, the mark set */
    }
    if (!v->summarise)
        return false;
    if (pc >= v->seen_lo && pc < v->seen_hi) {
        v->bits |= v->seen_bit;
        return false;
    }
    if (frames_pc_in_cerl(pc))
        return false;
    Term mod;
    const ModVersion *mv = code_version_of(pc, &mod);
    if (mv) {
        v->seen_lo = (uintptr_t)mv->img.mem;
        v->seen_hi = v->seen_lo + mv->img.size;
        v->seen_bit = (uint64_t)1 << mv->scan_bit;
        v->bits |= v->seen_bit;
    }
    return false;
}

/* Walks p's frames (its entry function, before it started) until one lies
** in [lo, hi). With 'summarise', when none does, the summary of slot s is
** renewed and its mark cleared; a process found keeps its mark. */
static bool walk(Proc *p, uint32_t s, uintptr_t lo, uintptr_t hi, bool summarise)
{
    Visit v = {.lo = lo, .hi = hi, .summarise = summarise};
    if (p->state == PS_EXITING)
        return false;
    if (!p->sp)
        visit((uintptr_t)p->entry_fn, &v);
    else
        frames_walk(p, visit, &v);
    if (summarise && !v.hit) {
        S.versions[s] = v.bits;
        /* the running process goes on changing its stack: never trusted */
        if (p != sched_current)
            purgescan_ran_[s] = 0;
    }
    return v.hit;
}

/* ---- purgeidle: the summary a process makes of itself when it first
** blocks. Its own frames, from here up, by their frame pointers: the walk
** frames_walk would make of it (cerl's and module code keep frame
** pointers), with the image found last remembered across walks (S.seen).
** A frame in neither (libc calling module code back) or a chain that does
** not climb the stack leaves the process unsummarised: the purge's walker
** steps such stacks. */
__attribute__((noinline, no_sanitize_address)) void purgescan_summarise_self_(Proc *p)
{
    uint32_t s = p->scan_slot;
    if (s == 0 || s >= S.top || S.procs[s] != p || p != sched_current)
        return;
    uintptr_t lo = (uintptr_t)p->stack.base, hi = lo + p->stack.size;
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0), sp = fp;
    uint64_t bits = 0;
    for (;;) {
        if (fp < sp || (fp & 7) || fp < lo || fp > hi - 16)
            return;
        uintptr_t up = ((const volatile uintptr_t *)fp)[0], ra = ((const volatile uintptr_t *)fp)[1];
        if (!ra)
            break; /* the bottom frame ctx_prepare built */
        uintptr_t pc = ra - 1;
        if (!frames_pc_in_cerl(pc)) {
            if (pc - S.seen_lo >= S.seen_hi - S.seen_lo) {
                Term mod;
                const ModVersion *mv = code_version_of(pc, &mod);
                if (!mv)
                    return;
                S.seen_lo = (uintptr_t)mv->img.mem;
                S.seen_hi = S.seen_lo + mv->img.size;
                S.seen_bit = (uint64_t)1 << mv->scan_bit;
            }
            bits |= S.seen_bit;
        }
        sp = fp + 16;
        fp = up;
    }
    S.versions[s] = bits;
    purgescan_ran_[s] = 0; /* resuming marks it again (sched.c) */
}

enum {
    IDLE_WALKS = 1024,      /* stacks an idle step walks, at most (~1 ms) */
    IDLE_SLOTS = 1 << 16    /* slots it looks at, at most */
};

bool purgescan_idle_step(void)
{
    if (sched_current)
        return false;
    if (S.idle_at == 0 || S.idle_at >= S.top) { /* a lap begins */
        if (S.idle_at && !S.idle_found)
            S.idle_more = false; /* the last lap found nothing to do */
        S.idle_at = 1;
        S.idle_found = false;
        if (!S.idle_more) {
            /* quick: is anything marked at all? */
            if (!memchr(purgescan_ran_ + 1, PURGESCAN_RAN, S.top - 1) &&
                !memchr(purgescan_ran_ + 1, PURGESCAN_STARTED, S.top - 1)) {
                S.idle_at = 0;
                return false;
            }
            S.idle_more = true;
        }
    }
    int walks = 0;
    size_t end = S.idle_at + IDLE_SLOTS < S.top ? S.idle_at + IDLE_SLOTS : S.top;
    size_t s = S.idle_at;
    for (; s < end && walks < IDLE_WALKS; s++) {
        if (!purgescan_ran_[s])
            continue;
        Proc *p = S.procs[s];
        if (!p || p->state != PS_WAITING) /* about to run: not now */
            continue;
        S.idle_found = true;
        walk(p, (uint32_t)s, 0, 0, true); /* an empty [lo, hi): never a hit */
        walks++;
    }
    S.idle_at = s;
    return S.idle_more;
}

bool purgescan_idle_pending(void)
{
    return S.idle_more;
}

void purgescan_version_gone(void)
{
    S.seen_lo = S.seen_hi = 0;
    S.seen_bit = 0;
}

/* What a search asks of each process: whether it runs the code in [lo, hi),
** the image of the version whose bit is 'bit'; 'unique' when no other
** loaded version has that bit, so that an unchanged summary naming it is
** the answer (the frame it saw is still there); 'closures' when heaps must
** be searched too. */
typedef struct Query {
    uintptr_t lo, hi;
    uint64_t bit;
    bool unique, closures;
} Query;

/* Whether the process in slot s runs q's code (see purgescan_find). */
static bool slot_runs(uint32_t s, const Query *q)
{
    Proc *p = S.procs[s];
    bool stale = purgescan_ran_[s] || p == sched_current;
    if (stale) {
        if (walk(p, s, q->lo, q->hi, true))
            return true;
    } else if ((S.versions[s] & q->bit) && (q->unique || walk(p, s, q->lo, q->hi, false))) {
        return true;
    }
    return q->closures && fun_heap_refers(&p->heap, q->lo, q->hi);
}

static Query query_of(const ModVersion *v, bool closures)
{
    uintptr_t lo = (uintptr_t)v->img.mem;
    return (Query){lo, lo + v->img.size, (uint64_t)1 << v->scan_bit, code_scan_bit_unique(v), closures};
}

enum {
    BATCH = 32,          /* slots whose stacks are fetched together */
    FRAMES_FETCHED = 1024 /* bytes of a stack fetched ahead, from its sp */
};

/* Decides a batch of slots, their memory fetched first: a walk is a chain of
** dependent loads (the Proc, its saved sp, each frame), and asking for all
** of the batch's lines at once lets those misses overlap. */
static bool decide(const uint32_t *batch, int n, const Query *q, PurgeHit hit, void *arg)
{
    for (int i = 0; i < n; i++)
        __builtin_prefetch(S.procs[batch[i]]);
    for (int i = 0; i < n; i++) {
        const Proc *p = S.procs[batch[i]];
        uintptr_t sp = (uintptr_t)p->sp, top = (uintptr_t)p->stack.base + p->stack.size;
        if (sp && sp < top)
            for (uintptr_t a = sp & ~(uintptr_t)63; a < top && a < sp + FRAMES_FETCHED; a += 64)
                __builtin_prefetch((const void *)a);
    }
    for (int i = 0; i < n; i++)
        if (slot_runs(batch[i], q) && hit(S.procs[batch[i]], arg))
            return true;
    return false;
}

bool purgescan_find(const ModVersion *v, bool closures, PurgeHit hit, void *arg)
{
    Query q = query_of(v, closures);
    Proc *self = sched_current;
    uint32_t self_slot = self ? self->scan_slot : 0;
    uint32_t batch[BATCH];
    int n = 0;
    for (size_t s = 1; s < S.top; s++) {
        /* the common case, a process that has not run and whose frames
        ** are elsewhere, is decided by the dense arrays alone */
        if (!closures && !purgescan_ran_[s] && !(S.versions[s] & q.bit) && s != self_slot)
            continue;
        if (!S.procs[s])
            continue;
        batch[n++] = (uint32_t)s;
        if (n == BATCH) {
            if (decide(batch, n, &q, hit, arg))
                return true;
            n = 0;
        }
    }
    return decide(batch, n, &q, hit, arg);
}

bool purgescan_runs(Proc *p, const ModVersion *v, bool closures)
{
    uintptr_t lo = (uintptr_t)v->img.mem, hi = lo + v->img.size;
    uint32_t s = p->scan_slot;
    if (s == 0 || s >= S.top || S.procs[s] != p) /* not added: walked as it is */
        return (p->sp ? frames_walk(p, visit, &(Visit){.lo = lo, .hi = hi})
                      : (uintptr_t)p->entry_fn >= lo && (uintptr_t)p->entry_fn < hi) ||
               (closures && fun_heap_refers(&p->heap, lo, hi));
    Query q = query_of(v, closures);
    return slot_runs(s, &q);
}
