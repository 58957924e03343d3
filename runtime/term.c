/*
** term.c
** Process heaps, term construction, deep copy, and Erlang's term order.
*/
#include "term.h"
#include "bits.h"
#include "fun.h"
#include "node.h"
#include "work.h"
#include "bignum.h"
#include "map.h"
#include "buf.h"
#include "error.h"

#include <math.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================== construction */

Term term_cons(Heap *h, Term hd, Term tl)
{
    Term *cell = heap_alloc_words(h, 2);
    cell[0] = hd;
    cell[1] = tl;
    return cons_term(cell);
}

Term term_tuple(Heap *h, int n, const Term *elems)
{
    Term *p = heap_alloc(h, (size_t)n + 1);
    p[0] = box_header((uint64_t)n, ERL_BOX_TUPLE);
    if (n)
        memcpy(p + 1, elems, (size_t)n * sizeof(Term));
    return (Term)(uintptr_t)p;
}

Term term_float(Heap *h, double d)
{
    Term *p = heap_alloc(h, 2);
    p[0] = box_header(1, ERL_BOX_FLOAT);
    memcpy(&p[1], &d, sizeof d);
    return (Term)(uintptr_t)p;
}

Term term_binary(Heap *h, const void *bytes, size_t len)
{
    return bits_make(h, bytes, 8 * (uint64_t)len);
}

Term term_string(Heap *h, const char *s, size_t len)
{
    Term list = ERL_NIL;
    for (size_t i = len; i > 0; i--)
        list = term_cons(h, ((Term)(unsigned char)s[i - 1] << 1) | 1, list);
    return list;
}

/* References: #Ref<0.A.B.C>. C takes the low 18 bits of a counter and B
** the rest, as erl's do; A and the counter's start are drawn at random when
** the runtime starts, so the references of two runs differ (erl seeds its
** own the same way). The counter is shared by every process: when several
** schedulers come it becomes an atomic. */
static struct {
    uint64_t next;
    uint32_t high;
    bool seeded;
} refs;

static void refs_seed(void)
{
    uint64_t r[2] = {0, 0};
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        r[0] = (uint64_t)ts.tv_nsec * 2654435761u ^ (uint64_t)ts.tv_sec;
        r[1] = (uint64_t)getpid() << 20 ^ r[0];
    }
    refs.high = (uint32_t)r[0] | 1;
    refs.next = (r[1] & 0xffffffffull) << 18;
    refs.seeded = true;
}

Term term_make_ref(Heap *h)
{
    if (!refs.seeded)
        refs_seed();
    uint64_t n = refs.next++;
    Term *p = heap_alloc(h, 4);
    p[0] = box_header(3, ERL_BOX_REF);
    p[1] = refs.high;
    p[2] = (uint32_t)(n >> 18);
    p[3] = (uint32_t)(n & 0x3ffff);
    return (Term)(uintptr_t)p;
}

void term_ref_parts(Term r, uint32_t out[3])
{
    Term *p = erl_box_ptr(r);
    out[0] = (uint32_t)p[1];
    out[1] = (uint32_t)p[2];
    out[2] = (uint32_t)p[3];
}

/* The erl_ builders of cerl.h: on the current heap. */

Term erl_mk_int(int64_t v)
{
    if (v > ERL_SMALL_MAX || v < ERL_SMALL_MIN)
        return int_from_i64(heap_current(), v);
    return ((Term)v << 1) | 1;
}

Term erl_cons(Term head, Term tail)
{
    return term_cons(heap_current(), head, tail);
}

Term erl_tuple_n(int n, const Term *elems)
{
    return term_tuple(heap_current(), n, elems);
}

Term erl_list_n(int n, const Term *elems)
{
    Term list = ERL_NIL;
    for (int i = n; i > 0; i--)
        list = erl_cons(elems[i - 1], list);
    return list;
}

Term erl_mk_float(double d)
{
    return term_float(heap_current(), d);
}

double erl_float_value(Term t)
{
    double d;
    memcpy(&d, &erl_box_ptr(t)[1], sizeof d);
    return d;
}

Term erl_mk_binary(const void *bytes, size_t len)
{
    return term_binary(heap_current(), bytes, len);
}

const unsigned char *erl_binary_bytes(Term t)
{
    return bits_data(t);
}

Term erl_mk_string(const char *s)
{
    return term_string(heap_current(), s, strlen(s));
}

/* ====================================================== walking terms */

static size_t boxed_words(Term t)
{
    switch (erl_box_kind(t)) {
    case ERL_BOX_BINARY:
        return bits_box_words(t);
    default:
        return 1 + erl_box_size(t);
    }
}

static inline bool is_pointer(Term t)
{
    return erl_is_cons(t) || erl_is_boxed(t);
}

/* The words of object t (a cons cell or a boxed term) that hold terms:
** [*first, *first + *n). Floats, refs and binaries hold none; word 1 of a
** fun is C data. */
static inline Term *term_fields(Term t, size_t *n)
{
    if (erl_is_cons(t)) {
        *n = 2;
        return cons_ptr(t);
    }
    Term *p = erl_box_ptr(t);
    switch (erl_box_kind(t)) {
    case ERL_BOX_TUPLE:
    case ERL_BOX_MAP:
    case ERL_BOX_MAPNODE:
        *n = erl_box_size(t);
        return p + 1;
    case ERL_BOX_FUN:
        *n = erl_box_size(t) ? erl_box_size(t) - 1 : 0;
        return p + 2;
    default:
        *n = 0;
        return p;
    }
}

/* Depth-first walk of t: calls visit(t) once per occurrence of a cons cell
** or boxed object (a shared subterm once per path to it) with its nesting
** depth: one more inside a list element or a tuple element, the same along
** a list's tail (an improper tail counts as an element). An object whose
** path from t (the list spine included) is longer than 'bound' must lie on
** a cycle: the walk stops there and returns false; otherwise true. */
typedef void (*Visit)(Term t, size_t nest, void *ctx);

static bool walk(Term t, size_t bound, Visit visit, void *ctx)
{
    if (!is_pointer(t))
        return true;
    Work k; /* triples: term, path, nest */
    work_init(&k);
    work_push(&k, t);
    work_push(&k, 0);
    work_push(&k, 0);
    bool ok = true;
    while (k.len) {
        size_t nest = k.w[--k.len], path = k.w[--k.len];
        t = k.w[--k.len];
        if (path > bound) {
            ok = false;
            break;
        }
        visit(t, nest, ctx);
        size_t n;
        Term *f = term_fields(t, &n);
        bool list = erl_is_cons(t);
        for (size_t i = n; i-- > 0;) /* pushed last to first: the first is walked first */
            if (is_pointer(f[i])) {
                work_push(&k, f[i]);
                work_push(&k, path + 1);
                work_push(&k, list && i == 1 && erl_is_cons(f[i]) ? nest : nest + 1);
            }
    }
    work_free(&k);
    return ok;
}

/* A path through objects, each at least two words, of 'words' words in
** all, that is longer than this has visited some object twice. */
static size_t cycle_bound(size_t words)
{
    return words / 2 + 1;
}

/* ========================================================= checking */

static inline bool word_ok(Term w)
{
    if (erl_is_int(w) || pid_is_local(w) || w == ERL_NIL)
        return true;
    if (erl_is_atom(w))
        return ATOM_INDEX(w) < atom_count();
    return false;
}

/* word_ok(w) for a word known not to point anywhere, with natoms atoms:
** what a walk tests of most words. */
static inline __attribute__((always_inline)) bool immediate_ok(Term w, size_t natoms)
{
    return __builtin_expect(erl_is_int(w), 1) || pid_is_local(w) || w == ERL_NIL ||
           (erl_is_atom(w) && ATOM_INDEX(w) < natoms);
}

/* Whether object t (its address: addr) fits obj, the live object of
** 'words' words holding addr (conservative: made by heap_alloc_words): t
** must start obj, with a header of the kind its tag says, fitting in the
** slot; or lie inside a block (term.h), which the runtime built sound. */
static inline __attribute__((always_inline)) bool object_fits(Term t, uintptr_t addr, const Term *obj, size_t words,
                                                              bool conservative)
{
    if ((uintptr_t)obj != addr)
        return !conservative && (obj[0] & 0xff) == TERM_BOX_BLOCK && addr > (uintptr_t)obj &&
               addr < (uintptr_t)(obj + 1 + (obj[0] >> 8));
    if (erl_is_cons(t))
        return conservative && words >= 2;
    if (conservative)
        return false;
    uint64_t size = obj[0] >> 8;
    switch (obj[0] & 0xff) {
    case ERL_BOX_TUPLE:
    case ERL_BOX_MAP:
    case ERL_BOX_MAPNODE:
        return size < words;
    case ERL_BOX_BIGNUM:
        return size >= 2 && size < words;
    case ERL_BOX_FUN:
        return size >= 1 && size < words;
    case ERL_BOX_FLOAT:
        return size == 1 && words >= 2;
    case ERL_BOX_REF:
        return size == 3 && words >= 4;
    case ERL_BOX_EXTPID:
        return size == 4 && words >= 5 && erl_is_atom(obj[1]) && ATOM_INDEX(obj[1]) < atom_count();
    case ERL_BOX_EXTREF:
        return size >= 2 && size <= 2 + NODE_REF_WORDS_MAX && size < words && erl_is_atom(obj[1]) &&
               ATOM_INDEX(obj[1]) < atom_count();
    case ERL_BOX_BINARY:
        return size & 1 ? words >= 1 + BITS_HANDLE_WORDS : (size >> 1) <= (words - 1) * 64;
    default:
        return false;
    }
}

/* Is object t the start of a live object of h, of the kind its tag and
** header say, fitting in its slot? Or an object of a block (term.h), which
** the runtime built sound? */
static inline bool object_ok(Heap *h, Term t)
{
    size_t words;
    bool conservative;
    uintptr_t addr = erl_is_cons(t) ? (uintptr_t)cons_ptr(t) : (uintptr_t)t;
    Term *obj = heap_object_of(h, addr, &words, &conservative);
    return obj && object_fits(t, addr, obj, words, conservative);
}

/* object_ok(h, t) for a walk: v is the view of the page that held the
** object checked before (span 0 at first), replaced when t lies elsewhere.
** Along a list most cells share a page: no call, no directory lookup. */
static inline __attribute__((always_inline)) bool view_ok(Heap *h, HeapPageView *v, Term t)
{
    uintptr_t a = erl_is_cons(t) ? (uintptr_t)cons_ptr(t) : (uintptr_t)t;
    if (__builtin_expect(a - v->lo >= v->span, 0) && !heap_page_view(h, a, v))
        return false;
    if (!v->shift)
        return object_fits(t, a, (const Term *)v->lo, v->span / sizeof(Term), v->words[0] & 1);
    size_t i = (a - v->lo) >> (v->shift + 3);
    uint64_t bit = (uint64_t)1 << (i & 63);
    if (!(v->live[i >> 6] & bit))
        return false;
    return object_fits(t, a, (const Term *)(v->lo + (i << (v->shift + 3))), (size_t)1 << v->shift,
                       (v->words[i >> 6] & bit) != 0);
}

static Term bad_word(Term w)
{
    return ((w & (Term)ERL_SMALL_MAX) << 1) | 1;
}

/* The sizing walk of blocks (below) is term_check's walk, summing as it goes. */
static size_t check_walk(Heap *from, Term t, Term *bad);

Term term_check(Heap *h, Term t)
{
    if (!is_pointer(t))
        return word_ok(t) ? ERL_NONE : bad_word(t);
    Term bad = ERL_NONE;
    check_walk(h, t, &bad);
    return bad;
}

static void depth_visit(Term t, size_t nest, void *ctx)
{
    size_t *max = ctx;
    if (nest > *max)
        *max = nest;
}

size_t term_depth(Term t)
{
    size_t max = 0;
    if (!walk(t, cycle_bound(heap_total_bytes() / sizeof(Term)), depth_visit, &max))
        return SIZE_MAX;
    return is_pointer(t) ? max + 1 : 0;
}

/* ============================================================ copying */

static void size_visit(Term t, size_t nest, void *ctx)
{
    *(size_t *)ctx += erl_is_cons(t) ? 2 : boxed_words(t);
}

size_t term_size(Term t)
{
    size_t n = 0;
    if (!walk(t, cycle_bound(heap_total_bytes() / sizeof(Term)), size_visit, &n))
        return SIZE_MAX;
    return n;
}

/* The copy of object t in h with its term words still those of t; queued
** in k with its path length when it holds terms, to have them copied in
** turn. */
static inline Term shallow_copy(Heap *h, Term t, Work *k, size_t path)
{
    if (erl_is_cons(t)) {
        Term *src = cons_ptr(t), *cell = heap_alloc_words(h, 2);
        cell[0] = src[0];
        cell[1] = src[1];
        Term c = cons_term(cell);
        work_push(k, c);
        work_push(k, path);
        return c;
    }
    size_t words = boxed_words(t);
    Term *dst = heap_alloc(h, words);
    memcpy(dst, erl_box_ptr(t), words * sizeof(Term));
    unsigned kind = erl_box_kind(t);
    if (kind == ERL_BOX_BINARY && bits_is_handle(t))
        bits_adopt(h, dst);
    if (box_holds_terms(kind) || kind == ERL_BOX_FUN) {
        work_push(k, (Term)(uintptr_t)dst);
        work_push(k, path);
    }
    return (Term)(uintptr_t)dst;
}

/* Breadth of work, not depth of C stack: every copied object is linked into
** its parent as soon as it is made (a collection of h during the copy finds
** it from 'root'), then its own term words are copied in turn. With 'from',
** each object and word is checked (term_check's rules) before it is read;
** the first bad one stops the copy: ERL_NONE is returned with *bad set, and
** what was copied is garbage on h. */
static inline __attribute__((always_inline)) Term copy(Heap *h, Heap *from, Term t, Term *bad)
{
    if (!is_pointer(t)) {
        if (from && !word_ok(t))
            goto bad_word;
        return t;
    }
    if (from && !object_ok(from, t))
        goto bad_word;
    if (erl_is_boxed(t) && erl_box_kind(t) != ERL_BOX_FUN) { /* most messages: one flat object */
        size_t words = boxed_words(t);
        Term *src = erl_box_ptr(t);
        bool flat = true;
        if (box_holds_terms(erl_box_kind(t)))
            for (size_t i = 1; i < words; i++) {
                if (is_pointer(src[i])) {
                    flat = false;
                    break;
                }
                if (from && !word_ok(src[i])) {
                    t = src[i];
                    goto bad_word;
                }
            }
        if (flat) {
            Term *dst = heap_alloc(h, words);
            memcpy(dst, src, words * sizeof(Term));
            if (erl_box_kind(t) == ERL_BOX_BINARY && bits_is_handle(t))
                bits_adopt(h, dst);
            return (Term)(uintptr_t)dst;
        }
    }
    size_t bound = from ? cycle_bound(from->used) : 0;
    Work k;
    work_init(&k);
    Term root = shallow_copy(h, t, &k, 0);
    while (k.len) {
        size_t path = k.w[--k.len];
        Term obj = k.w[--k.len];
        size_t n;
        Term *f = term_fields(obj, &n);
        for (size_t i = n; i-- > 0;) { /* the head is taken first: the work stays shallow */
            Term w = f[i];
            if (is_pointer(w)) {
                if (from && (path >= bound || !object_ok(from, w))) {
                    work_free(&k);
                    *bad = path >= bound ? erl_atom("cycle") : bad_word(w);
                    return ERL_NONE;
                }
                f[i] = shallow_copy(h, w, &k, path + 1);
            } else if (from && !word_ok(w)) {
                work_free(&k);
                t = w;
                goto bad_word;
            }
        }
    }
    work_free(&k);
    return root;
bad_word:
    *bad = bad_word(t);
    return ERL_NONE;
}

Term term_copy(Heap *h, Term t)
{
    return copy(h, NULL, t, NULL);
}

Term term_copy_checked(Heap *h, Heap *from, Term t, Term *bad)
{
    return copy(h, from, t, bad);
}

/* ======================================================= term blocks */

/* What the check of a list's cell reads, from the view of the page the
** last cell checked lay in: a page of two-word slots (where lists live),
** whose cells are sound when they start a live slot made by
** heap_alloc_words; or a block (a message received, sent on), whose
** every word after the header may be a cell (object_fits). */
enum { CELL_SLOT_BYTES = 2 * sizeof(Term), CELL_SLOT_SHIFT = 4 };

typedef struct CellPage {
    uintptr_t lo;
    size_t slots; /* 0 for another page */
    uint64_t cells[4];
    uintptr_t block_lo; /* a block's words after its header: [block_lo, block_lo + block_span) */
    size_t block_span;
} CellPage;

static inline void cell_page(CellPage *cp, const HeapPageView *v)
{
    cp->slots = (size_t)8 << v->shift == CELL_SLOT_BYTES ? v->span / CELL_SLOT_BYTES : 0;
    cp->lo = v->lo;
    for (int k = 0; k < 4; k++)
        cp->cells[k] = v->live[k] & v->words[k];
    const Term *obj = (const Term *)v->lo;
    cp->block_span = 0;
    if (!v->shift && !(v->words[0] & 1) && (obj[0] & 0xff) == TERM_BOX_BLOCK &&
        (obj[0] >> 8) < v->span / sizeof(Term)) {
        cp->block_lo = (uintptr_t)(obj + 1);
        cp->block_span = (obj[0] >> 8) * sizeof(Term);
    }
}

/* Whether the cell at c is sound by cp alone (false: ask view_ok). The
** offset rotated right by the slot's bits is the slot's index when c
** starts a slot, and past every slot when it does not (or is outside). */
static inline __attribute__((always_inline)) bool cell_fast(const CellPage *cp, const Term *c)
{
    uintptr_t off = (uintptr_t)c - cp->lo;
    size_t i = off >> CELL_SLOT_SHIFT | off << (64 - CELL_SLOT_SHIFT);
    return (i < cp->slots && (cp->cells[i >> 6] >> (i & 63) & 1)) ||
           (uintptr_t)c - cp->block_lo < cp->block_span;
}

/* How many of the bits i, i + 1, ... (below n) of w are set before the
** first that is not (bit i is set). */
static inline size_t ones_up(const uint64_t *w, size_t i, size_t n)
{
    size_t k = i;
    while (k < n) {
        uint64_t zeros = ~w[k >> 6] >> (k & 63);
        if (zeros) {
            k += (size_t)__builtin_ctzll(zeros);
            break;
        }
        k = (k | 63) + 1;
    }
    return (k < n ? k : n) - i;
}

/* How many of the bits i, i - 1, ..., 0 of w are set before the first that
** is not (bit i is set). */
static inline size_t ones_down(const uint64_t *w, size_t i)
{
    size_t k = i;
    for (;;) {
        uint64_t zeros = ~w[k >> 6] << (63 - (k & 63));
        if (zeros)
            return i - (k - (size_t)__builtin_clzll(zeros));
        if (k < 64)
            return i + 1;
        k = (k & ~(size_t)63) - 1;
    }
}

/* Along a list the next cell usually lies a fixed stride from the one
** before (lists are built, and blocks filled, a cell after another): a
** walk guesses that the tail points there, and when it does, goes on from
** the guess rather than from the tail just loaded. The guess does not wait
** for the load, so cells are read as fast as the processor can stream
** them instead of one cache latency after another. *c becomes the cell
** tl points to; *stride learns the distance when the guess was wrong. */
static inline __attribute__((always_inline)) void next_cell(Term **c, ptrdiff_t *stride, Term tl)
{
    Term *guess = *c + *stride;
    if (__builtin_expect(tl == cons_term(guess), 1)) {
        __asm__("" : "+r"(guess)); /* keep the guess: not tl, which it equals */
        *c = guess;
    } else {
        if (cons_ptr(tl) != *c) /* the stride is never 0 (see walk_sized) */
            *stride = cons_ptr(tl) - *c;
        *c = cons_ptr(tl);
    }
}

/* Runs of list cells the sizing walk found, for the fill to copy without
** reading their tails: n cells from 'start', each 'stride' words after the
** one before, every head a sound immediate and every tail the next cell.
** Listed in the order the walk met them, which is the order the fill meets
** them in (the two walks take objects in the same order). A run is only a
** promise about memory that does not change between the walks: the fill
** may take one up wherever its start comes, the copy is the same. */
typedef struct Run {
    Term *start;
    ptrdiff_t stride;
    size_t n;
} Run;

enum { RUN_MIN = 16, RUNS_LOCAL = 32 };

/* Invariant: r is local or malloc'd (owned); r[0..len) are the runs. */
typedef struct Runs {
    Run *r;
    size_t len, cap;
    Run local[RUNS_LOCAL];
} Runs;

static void runs_init(Runs *rs)
{
    rs->r = rs->local;
    rs->len = 0;
    rs->cap = RUNS_LOCAL;
}

static void runs_free(Runs *rs)
{
    if (rs->r != rs->local)
        free(rs->r);
}

static void runs_add(Runs *rs, Term *start, ptrdiff_t stride, size_t n)
{
    if (rs->len == rs->cap) {
        Run *r = xmalloc(2 * rs->cap * sizeof *r);
        memcpy(r, rs->r, rs->len * sizeof *r);
        runs_free(rs);
        rs->r = r;
        rs->cap *= 2;
    }
    rs->r[rs->len++] = (Run){start, stride, n};
}

/* Words the objects of t (a cons cell or a boxed term) take in a block
** (each path to a subterm counts, as in term_size). With 'check', t is
** checked on the way, as a term of heap 'from': term_check's rules in term_check's order: objects
** against 'from' (view_ok), words (word_ok), paths (cycle_bound); the
** first bad one stops the walk: SIZE_MAX with *bad set (the bad word, or
** the atom cycle). With 'block', a fun stops it too (SIZE_MAX, *bad left
** ERL_NONE: funs get no block); without, funs are walked (term_check).
** Each object is read once: checked, counted, and its term words queued.
** The first term word of each object is followed at once, the others wait
** in the work stack (with their path lengths, when checking); a list is
** followed along its tail in a loop of its own. */
static inline __attribute__((always_inline)) size_t walk_sized(Heap *from, Term t, Term *bad, bool block, bool check,
                                                               Runs *runs)
{
    size_t words = 0, bound = check ? cycle_bound(from->used) : 0, path = 0, natoms = check ? atom_count() : 0;
    HeapPageView v;
    v.lo = 0;
    v.span = 0;
    CellPage cp = {0};
    ptrdiff_t stride = 2;
    Work k;
    work_init(&k);
    for (;;) {
        if (erl_is_cons(t)) {
            Term *c = cons_ptr(t);
            for (;;) { /* along the list */
                /* The common cell first, in a loop of its own: one of the
                ** page in cp (checking), its head a sound immediate and its
                ** tail a cell. Whatever else is met is left to the code
                ** after it, the cell included. */
                size_t run = 0, room = !check ? SIZE_MAX : path <= bound ? bound - path + 1 : 0;
                Term *start = c; /* the cells from here to c, passed, each followed by the next at 'stride' */
                if (room)
                    for (;;) {
                        if (check && !cell_fast(&cp, c))
                            break;
                        if (check && (stride == 2 || stride == -2) && cp.slots) {
                            /* a list laid out one slot after another: the slots
                            ** from c on that are live cells, found in the page's
                            ** bits at once, are read with no test of each */
                            size_t i0 = ((uintptr_t)c - cp.lo) >> CELL_SLOT_SHIFT;
                            size_t n = stride > 0 ? ones_up(cp.cells, i0, cp.slots) : ones_down(cp.cells, i0);
                            Term *last = c + (ptrdiff_t)(n - 1) * stride;
                            while (c != last) {
                                Term hd = c[0], tl = c[1], *guess = c + stride;
                                if (!immediate_ok(hd, natoms) || tl != cons_term(guess))
                                    break;
                                __asm__("" : "+r"(guess));
                                c = guess;
                            }
                        }
                        Term hd = c[0], tl = c[1];
                        if (!(check ? immediate_ok(hd, natoms) : !is_pointer(hd)))
                            break;
                        Term *guess = c + stride;
                        if (__builtin_expect(tl == cons_term(guess), 1)) { /* next_cell, start kept */
                            __asm__("" : "+r"(guess));
                            c = guess;
                            continue;
                        }
                        if (!erl_is_cons(tl))
                            break;
                        /* counted here, not per cell: a stride that is never 0 takes
                        ** the walk to new cells only, so a cycle comes this way */
                        size_t chain = c != start ? (size_t)((c - start) / stride) : 0;
                        if (runs && chain >= RUN_MIN)
                            runs_add(runs, start, stride, chain);
                        run += chain + 1;
                        Term *next = cons_ptr(tl);
                        if (next != c)
                            stride = next - c;
                        c = start = next;
                        if (run >= room)
                            break;
                    }
                size_t chain = c != start ? (size_t)((c - start) / stride) : 0;
                if (runs && chain >= RUN_MIN)
                    runs_add(runs, start, stride, chain);
                run += chain;
                words += 2 * run;
                path += run;
                if (check && path > bound) {
                    *bad = erl_atom("cycle");
                    goto fail;
                }
                if (check && !cell_fast(&cp, c)) {
                    if (!view_ok(from, &v, cons_term(c))) {
                        *bad = bad_word(cons_term(c));
                        goto fail;
                    }
                    cell_page(&cp, &v);
                }
                Term hd = c[0], tl = c[1];
                words += 2;
                path++;
                if (!is_pointer(tl)) { /* the last cell */
                    if (check && !word_ok(tl)) {
                        *bad = bad_word(tl);
                        goto fail;
                    }
                    if (is_pointer(hd)) {
                        t = hd;
                        goto again;
                    }
                    if (check && !word_ok(hd)) {
                        *bad = bad_word(hd);
                        goto fail;
                    }
                    goto next;
                }
                if (is_pointer(hd)) {
                    work_push(&k, tl);
                    if (check)
                        work_push(&k, path);
                    t = hd;
                    goto again;
                }
                if (check && !word_ok(hd)) {
                    *bad = bad_word(hd);
                    goto fail;
                }
                if (!erl_is_cons(tl)) { /* an improper list: its tail is boxed */
                    t = tl;
                    goto again;
                }
                next_cell(&c, &stride, tl);
            }
        }
        if (check && path > bound) {
            *bad = erl_atom("cycle");
            goto fail;
        }
        if (check && !view_ok(from, &v, t)) {
            *bad = bad_word(t);
            goto fail;
        }
        if (block && erl_box_kind(t) == ERL_BOX_FUN)
            goto fail;
        if (block)
            words += boxed_words(t);
        size_t n;
        Term *f = term_fields(t, &n), first = ERL_NONE;
        for (size_t i = n; i-- > 0;) {
            Term w = f[i];
            if (is_pointer(w)) {
                if (first != ERL_NONE) {
                    work_push(&k, first);
                    if (check)
                        work_push(&k, path + 1);
                }
                first = w;
            } else if (check && !word_ok(w)) {
                *bad = bad_word(w);
                goto fail;
            }
        }
        if (first != ERL_NONE) {
            t = first;
            path++;
            goto again;
        }
    next:
        if (!k.len)
            break;
        if (check)
            path = k.w[--k.len];
        t = k.w[--k.len];
    again:;
    }
    work_free(&k);
    return words;
fail:
    work_free(&k);
    return SIZE_MAX;
}

static size_t check_walk(Heap *from, Term t, Term *bad)
{
    return walk_sized(from, t, bad, false, true, NULL);
}

/* The two walks blocks use: sizing and checking, sizing only. */
static size_t block_words_checked(Heap *from, Term t, Term *bad, Runs *runs)
{
    return walk_sized(from, t, bad, true, true, runs);
}

static size_t block_words(Term t, Runs *runs)
{
    Term bad;
    return walk_sized(NULL, t, &bad, true, false, runs);
}

/* Copies the objects of t (sound, sized by walk_sized) one after another
** from 'top', and returns the copy. The work stack holds the addresses of
** copied words that still hold a pointer to an object of t. Along a list,
** an element that is an object is copied first, its tail waiting: a list of
** tuples or of strings keeps the stack short; the cells of a list of
** immediates follow one another, each written once, its tail pointing at
** the next. */
static Term block_fill(Heap *h, Term t, Term *top, Term *end, const Runs *runs)
{
    Term root = t, *slot = &root;
    ptrdiff_t stride = 2;
    const Run *run = runs->r, *runs_end = runs->r + runs->len;
    Term *run_start = run < runs_end ? run->start : NULL;
    Work k;
    work_init(&k);
    for (;;) {
        Term w = *slot;
        for (;;) {
            if (erl_is_cons(w)) {
                Term *src = cons_ptr(w);
                *slot = cons_term(top);
                for (;;) { /* along the list */
                    if (src == run_start) { /* a run: heads copied, tails made, none read */
                        ptrdiff_t rs = run->stride;
                        size_t n = run->n;
                        Term *cell = top;
                        for (size_t i = 0; i < n; i++, src += rs, cell += 2) {
                            cell[0] = src[0];
                            cell[1] = cons_term(cell + 2);
                        }
                        top = cell;
                        run++;
                        run_start = run < runs_end ? run->start : NULL;
                        continue;
                    }
                    Term hd = src[0], tl = src[1], *cell = top;
                    top += 2;
                    cell[0] = hd;
                    if (is_pointer(hd)) {
                        cell[1] = tl;
                        if (is_pointer(tl))
                            work_push(&k, (Term)(uintptr_t)&cell[1]);
                        slot = &cell[0];
                        w = hd;
                        break;
                    }
                    if (!erl_is_cons(tl)) {
                        cell[1] = tl;
                        if (!is_pointer(tl))
                            goto done;
                        slot = &cell[1];
                        w = tl;
                        break;
                    }
                    cell[1] = cons_term(top);
                    next_cell(&src, &stride, tl);
                }
                continue;
            }
            Term *src = erl_box_ptr(w), *dst = top;
            size_t words = boxed_words(w);
            unsigned kind = erl_box_kind(w);
            top += words;
            memcpy(dst, src, words * sizeof(Term));
            *slot = (Term)(uintptr_t)dst;
            if (box_holds_terms(kind)) {
                for (size_t i = words - 1; i >= 1; i--) /* pushed last first: the first is copied first */
                    if (is_pointer(dst[i]))
                        work_push(&k, (Term)(uintptr_t)&dst[i]);
            } else if (kind == ERL_BOX_BINARY && bits_is_handle(w)) {
                bits_adopt(h, dst);
            }
            break;
        }
    done:
        if (!k.len)
            break;
        slot = (Term *)(uintptr_t)k.w[--k.len];
    }
    work_free(&k);
    if (top != end) { /* the sizing walk and this one disagree: a runtime bug */
        fprintf(stderr, "cerl: a block copy ended %td words from its end\n", end - top);
        abort();
    }
    return root;
}

Term term_copy_block(Heap *h, Heap *from, Term t, Term *bad)
{
    *bad = ERL_NONE;
    Runs runs;
    runs_init(&runs);
    size_t words = from ? block_words_checked(from, t, bad, &runs) : block_words(t, &runs);
    if (words == SIZE_MAX) {
        runs_free(&runs);
        return ERL_NONE;
    }
    Term *b = heap_alloc(h, 1 + words);
    b[0] = box_header(words, TERM_BOX_BLOCK);
    Term copy = block_fill(h, t, b + 1, b + 1 + words, &runs);
    runs_free(&runs);
    return copy;
}

/* ============================================================ lists */

long term_list_length(Term t)
{
    long n = 0;
    while (erl_is_cons(t)) {
        n++;
        t = erl_tl(t);
    }
    return t == ERL_NIL ? n : -1;
}

static bool printable_char(int64_t c)
{
    return (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || (c >= 8 && c <= 13) || c == 27;
}

bool term_is_printable_string(Term t)
{
    if (!erl_is_cons(t))
        return false;
    while (erl_is_cons(t)) {
        Term c = erl_hd(t);
        if (!erl_is_int(c) || !printable_char(erl_int_value(c)))
            return false;
        t = erl_tl(t);
    }
    return t == ERL_NIL;
}

/* ========================================================= term order */

/* number < atom < reference < fun < pid < tuple < map < nil < list < binary */
static int type_rank(Term t)
{
    if (erl_is_int(t))
        return 0;
    if (erl_is_atom(t))
        return 1;
    if (pid_is_local(t))
        return 4;
    if (t == ERL_NIL)
        return 7;
    if (erl_is_cons(t))
        return 8;
    switch (erl_box_kind(t)) {
    case ERL_BOX_FLOAT:
    case ERL_BOX_BIGNUM:
        return 0;
    case ERL_BOX_REF:
    case ERL_BOX_EXTREF:
        return 2;
    case ERL_BOX_EXTPID:
        return 4;
    case ERL_BOX_FUN:
        return 3;
    case ERL_BOX_TUPLE:
        return 5;
    case ERL_BOX_MAP:
    case ERL_BOX_MAPNODE:
        return 6;
    default:
        return 9;
    }
}

static int compare_numbers(Term a, Term b)
{
    return num_compare(a, b);
}

/* a and b of the same rank, neither a list nor a tuple. */
static int compare_flat(int rank, Term a, Term b)
{
    switch (rank) {
    case 0:
        return compare_numbers(a, b);
    case 1: {
        int c = strcmp(erl_atom_name(a), erl_atom_name(b));
        return c < 0 ? -1 : c > 0;
    }
    case 2:
        return node_compare_refs(a, b);
    case 3:
        return fun_compare(a, b);
    case 4:
        return node_compare_pids(a, b);
    case 6:
        return map_compare(a, b, false);
    case 9: {
        if (erl_box_kind(a) != ERL_BOX_BINARY || erl_box_kind(b) != ERL_BOX_BINARY)
            return a < b ? -1 : 1;
        return bits_compare(a, b);
    }
    default:
        return a < b ? -1 : 1;
    }
}

/* Pairs still to compare wait in a work stack (a, b, path), so nesting
** costs memory, not C stack; a path longer than any acyclic one means a
** term contains itself, which ends the calling process. */
int erl_compare(Term a, Term b)
{
    if (erl_is_int(a) && erl_is_int(b)) /* the common case, without a walk */
        return (erl_int_value(a) > erl_int_value(b)) - (erl_int_value(a) < erl_int_value(b));
    Work k;
    work_init(&k);
    size_t path = 0, bound = cycle_bound(heap_total_bytes() / sizeof(Term));
    int c = 0;
    for (;;) {
        if (path > bound) {
            work_free(&k);
            exc_badterm(erl_atom("erl_compare"), erl_atom("cycle"));
        }
        if (a != b) {
            int ra = type_rank(a), rb = type_rank(b);
            if (ra != rb) {
                c = ra < rb ? -1 : 1;
                break;
            }
            if (ra == 8) { /* the head now, the tail after it */
                work_push(&k, erl_tl(a));
                work_push(&k, erl_tl(b));
                work_push(&k, ++path);
                a = erl_hd(a);
                b = erl_hd(b);
                continue;
            }
            if (ra == 5) {
                uint64_t na = erl_tuple_size(a), nb = erl_tuple_size(b);
                if (na != nb) {
                    c = na < nb ? -1 : 1;
                    break;
                }
                path++;
                for (uint64_t i = na; i >= 1; i--) {
                    work_push(&k, erl_element(a, i));
                    work_push(&k, erl_element(b, i));
                    work_push(&k, path);
                }
            } else if ((c = compare_flat(ra, a, b)) != 0) {
                break;
            }
        }
        if (!k.len)
            break;
        path = k.w[--k.len];
        b = k.w[--k.len];
        a = k.w[--k.len];
    }
    work_free(&k);
    return c;
}

int erl_eq(Term a, Term b)
{
    /* =:= is equality in map key order, where 1 and 1.0 differ at any depth */
    return a == b || map_key_compare(a, b) == 0;
}
