/*
** map.c
** Maps: flat maps of up to MAP_FLAT_MAX keys, hash array mapped tries
** beyond, map key order, and the hash of a term.
*/
#include "map.h"
#include "bignum.h"
#include "erl_hash.h"
#include "buf.h"
#include "work.h"

#include <stdlib.h>
#include <string.h>

/* ============================================================== hashing */

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
    return h ^ (h >> 33);
}

/* Visits at most this many subterms: equal terms have equal shapes, so a
** bounded walk in a fixed order still gives them equal hashes. */
enum { HASH_NODES = 128 };

uint64_t term_hash(Term t)
{
    /* the low 32 bits, which place a key in the first 8 levels of a trie,
    ** are erl's: a large map then holds its keys in erl's order */
    return (term_own_hash(t) & ~(uint64_t)0xffffffff) | erl_hash(t);
}

uint64_t term_own_hash(Term t)
{
    Term todo[HASH_NODES];
    size_t n = 0, visited = 0;
    uint64_t h = 0x51ed270b27a5c1f3ull;
    todo[n++] = t;
    while (n && visited++ < HASH_NODES) {
        t = todo[--n];
        if (erl_is_cons(t)) {
            h = mix(h, 2);
            if (n + 2 <= HASH_NODES) {
                todo[n++] = erl_tl(t);
                todo[n++] = erl_hd(t);
            }
        } else if (!erl_is_boxed(t)) {
            h = mix(h, t); /* small integers, atoms, pids, [] */
        } else {
            unsigned kind = erl_box_kind(t);
            const Term *p = erl_box_ptr(t);
            h = mix(h, kind);
            switch (kind) {
            case ERL_BOX_FLOAT: {
                double d = erl_float_value(t);
                uint64_t bits;
                if (d == 0.0)
                    d = 0.0; /* 0.0 =:= -0.0 */
                memcpy(&bits, &d, sizeof bits);
                h = mix(h, bits);
                break;
            }
            case ERL_BOX_BINARY: {
                const unsigned char *b = erl_binary_bytes(t);
                size_t len = erl_binary_size(t);
                h = mix(h, erl_bit_size(t));
                for (size_t i = 0; i < len && i < 256; i++)
                    h = mix(h, b[i]);
                break;
            }
            case ERL_BOX_TUPLE:
                h = mix(h, erl_box_size(t));
                for (size_t i = erl_box_size(t); i >= 1 && n < HASH_NODES; i--)
                    todo[n++] = p[i];
                break;
            case ERL_BOX_MAP:
            case ERL_BOX_MAPNODE:
                /* equal maps may differ in shape: their size is enough */
                h = mix(h, map_size(t));
                break;
            case ERL_BOX_FUN:
                /* equal funs share their code word; captured terms may be
                ** copies: the arity (and an export fun's names) is enough */
                h = mix(h, p[1]);
                h = mix(h, p[2]);
                if (!p[1])
                    h = mix(mix(h, p[3]), p[4]);
                break;
            default: /* bignums, refs: their words */
                for (size_t i = 1; i <= erl_box_size(t) && i < 64; i++)
                    h = mix(h, p[i]);
                break;
            }
        }
    }
    return h;
}

/* ============================================================ key order */

/* Map key order walks both terms side by side, left to right, with a stack
** of its own (keys may nest deeply); a pair that is not two numbers, two
** tuples, two lists or two maps is ordered as erl_compare orders it. */
int map_key_compare(Term a, Term b)
{
    if (a == b)
        return 0;
    Work todo;
    int result = 0;
    work_init(&todo);
    work_push(&todo, a);
    work_push(&todo, b);
    while (todo.len && !result) {
        Term y = todo.w[--todo.len], x = todo.w[--todo.len];
        if (x == y)
            continue;
        if (num_is(x) && num_is(y)) {
            bool fx = erl_is_float(x), fy = erl_is_float(y);
            result = fx != fy ? (fx ? 1 : -1) : num_compare(x, y);
        } else if (erl_is_tuple(x) && erl_is_tuple(y)) {
            size_t nx = erl_tuple_size(x), ny = erl_tuple_size(y);
            if (nx != ny) {
                result = nx < ny ? -1 : 1;
                continue;
            }
            for (size_t i = nx; i >= 1; i--) {
                work_push(&todo, erl_element(x, i));
                work_push(&todo, erl_element(y, i));
            }
        } else if (erl_is_cons(x) && erl_is_cons(y)) {
            work_push(&todo, erl_tl(x));
            work_push(&todo, erl_tl(y));
            work_push(&todo, erl_hd(x));
            work_push(&todo, erl_hd(y));
        } else if (map_is(x) && map_is(y)) {
            result = map_compare(x, y, true);
        } else {
            result = erl_compare(x, y);
        }
    }
    work_free(&todo);
    return result;
}

/* ============================================================ flat maps */

static size_t flat_size(Term m)
{
    return (size_t)erl_int_value(erl_box_ptr(m)[1]);
}

static const Term *flat_keys(Term m)
{
    return erl_box_ptr(m) + 2;
}

static const Term *flat_values(Term m)
{
    return erl_box_ptr(m) + 2 + flat_size(m);
}

/* A flat map of n pairs, its words to be filled by the caller. */
static Term *flat_alloc(Heap *h, size_t n)
{
    Term *p = heap_alloc(h, 2 + 2 * n);
    p[0] = box_header(1 + 2 * n, ERL_BOX_MAP);
    p[1] = erl_mk_int((long)n);
    return p;
}

/* Where key k is, or where it would go: true when found. */
static bool flat_find(Term m, Term k, size_t *at)
{
    const Term *keys = flat_keys(m);
    size_t lo = 0, hi = flat_size(m);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = map_key_compare(keys[mid], k);
        if (c == 0) {
            *at = mid;
            return true;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *at = lo;
    return false;
}

Term map_new(Heap *h)
{
    return (Term)(uintptr_t)flat_alloc(h, 0);
}

/* ============================================================ hash tries */

/* 16 children at most per node (as BEAM's tries): a full node is 19 words,
** which fits the heap's 32-word slots; wider nodes would each take a page. */
enum { BITS = 4, FANOUT = 1 << BITS, LEVELS = (64 + BITS - 1) / BITS };

static size_t node_count(Term n)
{
    return (size_t)erl_int_value(erl_box_ptr(n)[1]);
}

static long node_bitmap(Term n)
{
    return erl_int_value(erl_box_ptr(n)[2]);
}

static size_t node_children(Term n)
{
    return erl_box_size(n) - 2;
}

static Term *node_child_ptr(Term n)
{
    return erl_box_ptr(n) + 3;
}

static Term node_make(Heap *h, size_t count, long bitmap, size_t c, const Term *children)
{
    Term *p = heap_alloc(h, 3 + c);
    p[0] = box_header(2 + c, ERL_BOX_MAPNODE);
    p[1] = erl_mk_int((long)count);
    p[2] = erl_mk_int(bitmap);
    memcpy(p + 3, children, c * sizeof(Term));
    return (Term)(uintptr_t)p;
}

/* A node of count + 1 pairs and bitmap 'bitmap': the c children, with the
** pair k => v put in before children[at]. */
static Term node_grown(Heap *h, size_t count, long bitmap, size_t c, const Term *children, size_t at, Term k,
                       Term v)
{
    Term *p = heap_alloc(h, 4 + c);
    p[0] = box_header(3 + c, ERL_BOX_MAPNODE);
    p[1] = erl_mk_int((long)count + 1);
    p[2] = erl_mk_int(bitmap);
    memcpy(p + 3, children, at * sizeof(Term));
    p[3 + at] = ERL_NIL;
    memcpy(p + 4 + at, children + at, (c - at) * sizeof(Term));
    Term grown = (Term)(uintptr_t)p;
    p[3 + at] = term_cons(h, k, v);
    return grown;
}

static unsigned slot_of(uint64_t hash, int depth)
{
    return (unsigned)(hash >> (BITS * depth)) & (FANOUT - 1);
}

static bool is_node(Term t)
{
    return erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_MAPNODE;
}

/* A node at 'depth' holding the two pairs a and b of different keys. */
static Term node_of_two(Heap *h, int depth, Term a, uint64_t ha, Term b, uint64_t hb)
{
    if (depth >= LEVELS) { /* a collision node keeps its pairs in key order */
        bool a_first = map_key_compare(erl_hd(a), erl_hd(b)) < 0;
        return node_make(h, 2, -1, 2, (Term[]){a_first ? a : b, a_first ? b : a});
    }
    unsigned sa = slot_of(ha, depth), sb = slot_of(hb, depth);
    if (sa == sb) {
        Term sub = node_of_two(h, depth + 1, a, ha, b, hb);
        return node_make(h, 2, 1L << sa, 1, &sub);
    }
    Term kids[2] = {sa < sb ? a : b, sa < sb ? b : a};
    return node_make(h, 2, (1L << sa) | (1L << sb), 2, kids);
}

static Term trie_get(Term node, Term k, uint64_t hash)
{
    for (int depth = 0;; depth++) {
        long bm = node_bitmap(node);
        const Term *kids = node_child_ptr(node);
        if (bm == -1) {
            for (size_t i = 0; i < node_children(node); i++)
                if (erl_eq(erl_hd(kids[i]), k))
                    return erl_tl(kids[i]);
            return ERL_NONE;
        }
        unsigned s = slot_of(hash, depth);
        if (!(bm & (1L << s)))
            return ERL_NONE;
        Term c = kids[__builtin_popcountl((unsigned long)bm & ((1UL << s) - 1))];
        if (!is_node(c))
            return erl_eq(erl_hd(c), k) ? erl_tl(c) : ERL_NONE;
        node = c;
    }
}

/* node with k => v; *added tells whether the key is new. */
static Term trie_put(Heap *h, Term node, int depth, Term k, uint64_t hash, Term v, bool *added)
{
    long bm = node_bitmap(node);
    size_t c = node_children(node);
    Term *kids = node_child_ptr(node);
    if (bm == -1) {
        for (size_t i = 0; i < c; i++)
            if (erl_eq(erl_hd(kids[i]), k)) {
                Term copy = node_make(h, node_count(node), -1, c, kids);
                node_child_ptr(copy)[i] = term_cons(h, k, v);
                *added = false;
                return copy;
            }
        /* a new pair goes where key order puts it: a trie's shape (and so
        ** the order it is walked in) depends only on its keys */
        size_t at = 0;
        while (at < c && map_key_compare(erl_hd(kids[at]), k) < 0)
            at++;
        *added = true;
        return node_grown(h, node_count(node), -1, c, kids, at, k, v);
    }
    unsigned s = slot_of(hash, depth);
    size_t pos = (size_t)__builtin_popcountl((unsigned long)bm & ((1UL << s) - 1));
    if (!(bm & (1L << s))) {
        *added = true;
        return node_grown(h, node_count(node), bm | (1L << s), c, kids, pos, k, v);
    }
    Term child = kids[pos], repl;
    if (is_node(child)) {
        repl = trie_put(h, child, depth + 1, k, hash, v, added);
    } else if (erl_eq(erl_hd(child), k)) {
        repl = term_cons(h, k, v);
        *added = false;
    } else {
        Term pair = term_cons(h, k, v);
        repl = node_of_two(h, depth + 1, child, term_hash(erl_hd(child)), pair, hash);
        *added = true;
    }
    Term copy = node_make(h, node_count(node) + (*added ? 1 : 0), bm, c, node_child_ptr(node));
    node_child_ptr(copy)[pos] = repl;
    return copy;
}

/* node without k, or node itself when k is not there; ERL_NIL when nothing
** is left. A node left with a single pair becomes that pair. */
static Term trie_remove(Heap *h, Term node, int depth, Term k, uint64_t hash, bool *removed)
{
    long bm = node_bitmap(node);
    size_t c = node_children(node);
    const Term *kids = node_child_ptr(node);
    size_t pos;
    Term repl;
    *removed = false;
    if (bm == -1) {
        for (pos = 0; pos < c && !erl_eq(erl_hd(kids[pos]), k); pos++)
            ;
        if (pos == c)
            return node;
        *removed = true;
        repl = ERL_NIL;
    } else {
        unsigned s = slot_of(hash, depth);
        if (!(bm & (1L << s)))
            return node;
        pos = (size_t)__builtin_popcountl((unsigned long)bm & ((1UL << s) - 1));
        Term child = kids[pos];
        if (is_node(child)) {
            repl = trie_remove(h, child, depth + 1, k, hash, removed);
        } else if (erl_eq(erl_hd(child), k)) {
            repl = ERL_NIL;
            *removed = true;
        } else {
            return node;
        }
        if (!*removed)
            return node;
        if (repl == ERL_NIL)
            bm &= ~(1L << s);
    }
    size_t count = node_count(node) - 1;
    if (repl != ERL_NIL) {
        Term copy = node_make(h, count, bm, c, kids);
        node_child_ptr(copy)[pos] = repl;
        return copy;
    }
    if (c == 1)
        return ERL_NIL;
    if (c == 2 && !is_node(kids[1 - pos]))
        return kids[1 - pos]; /* the one pair left moves up */
    Term *p = heap_alloc(h, 2 + c);
    p[0] = box_header(1 + c, ERL_BOX_MAPNODE);
    p[1] = erl_mk_int((long)count);
    p[2] = erl_mk_int(bm);
    memcpy(p + 3, kids, pos * sizeof(Term));
    memcpy(p + 3 + pos, kids + pos + 1, (c - pos - 1) * sizeof(Term));
    return (Term)(uintptr_t)p;
}

/* ========================================================= the map API */

size_t map_size(Term m)
{
    return erl_box_kind(m) == ERL_BOX_MAP ? flat_size(m) : node_count(m);
}

Term map_get(Term m, Term k)
{
    if (erl_box_kind(m) == ERL_BOX_MAPNODE)
        return trie_get(m, k, term_hash(k));
    size_t at;
    return flat_find(m, k, &at) ? flat_values(m)[at] : ERL_NONE;
}

/* A trie of the pairs of a full flat map plus k => v. */
static Term trie_from_flat(Heap *h, Term m, Term k, Term v)
{
    size_t n = flat_size(m);
    /* the root: one pair, then the rest put in (the root is a node at
    ** every step, since a pair is never a whole trie) */
    Term root = node_make(h, 1, 1L << slot_of(term_hash(k), 0), 1, (Term[]){term_cons(h, k, v)});
    bool added;
    for (size_t i = 0; i < n; i++)
        root = trie_put(h, root, 0, flat_keys(m)[i], term_hash(flat_keys(m)[i]), flat_values(m)[i], &added);
    return root;
}

Term map_put(Heap *h, Term m, Term k, Term v)
{
    if (erl_box_kind(m) == ERL_BOX_MAPNODE) {
        bool added;
        return trie_put(h, m, 0, k, term_hash(k), v, &added);
    }
    size_t n = flat_size(m), at;
    if (flat_find(m, k, &at)) {
        if (flat_values(m)[at] == v)
            return m;
        Term *p = flat_alloc(h, n);
        memcpy(p + 2, flat_keys(m), 2 * n * sizeof(Term));
        p[2 + n + at] = v;
        return (Term)(uintptr_t)p;
    }
    if (n == MAP_FLAT_MAX)
        return trie_from_flat(h, m, k, v);
    Term *p = flat_alloc(h, n + 1);
    const Term *keys = flat_keys(m), *values = flat_values(m);
    Term *nk = p + 2, *nv = p + 2 + n + 1;
    memcpy(nk, keys, at * sizeof(Term));
    nk[at] = k;
    memcpy(nk + at + 1, keys + at, (n - at) * sizeof(Term));
    memcpy(nv, values, at * sizeof(Term));
    nv[at] = v;
    memcpy(nv + at + 1, values + at, (n - at) * sizeof(Term));
    return (Term)(uintptr_t)p;
}

Term map_remove(Heap *h, Term m, Term k)
{
    if (erl_box_kind(m) == ERL_BOX_MAPNODE) {
        bool removed;
        Term r = trie_remove(h, m, 0, k, term_hash(k), &removed);
        if (!removed)
            return m;
        /* the root stays a node; small enough, the map becomes flat again */
        if (r == ERL_NIL || !is_node(r) || node_count(r) <= MAP_FLAT_MAX) {
            size_t n = is_node(r) ? node_count(r) : r == ERL_NIL ? 0 : 1;
            Term *keys = xmalloc((n ? n : 1) * 2 * sizeof(Term));
            if (is_node(r)) {
                map_sorted(r, keys, keys + n);
            } else if (n == 1) {
                keys[0] = erl_hd(r);
                keys[1] = erl_tl(r);
            }
            Term *p = flat_alloc(h, n);
            memcpy(p + 2, keys, 2 * n * sizeof(Term));
            free(keys);
            return (Term)(uintptr_t)p;
        }
        return r;
    }
    size_t n = flat_size(m), at;
    if (!flat_find(m, k, &at))
        return m;
    Term *p = flat_alloc(h, n - 1);
    const Term *keys = flat_keys(m), *values = flat_values(m);
    Term *nk = p + 2, *nv = p + 2 + n - 1;
    memcpy(nk, keys, at * sizeof(Term));
    memcpy(nk + at, keys + at + 1, (n - at - 1) * sizeof(Term));
    memcpy(nv, values, at * sizeof(Term));
    memcpy(nv + at, values + at + 1, (n - at - 1) * sizeof(Term));
    return (Term)(uintptr_t)p;
}

Term map_from_pairs(Heap *h, size_t n, const Term *keys, const Term *values)
{
    Term m = map_new(h);
    for (size_t i = 0; i < n; i++)
        m = map_put(h, m, keys[i], values[i]);
    return m;
}

/* ============================================================ iteration */

void map_iter_init_print(MapIter *it, Term m)
{
    map_iter_init(it, m);
    it->forward = true;
}

void map_iter_init(MapIter *it, Term m)
{
    it->forward = false;
    it->depth = -1;
    it->flat = ERL_NONE;
    it->i = 0;
    if (erl_box_kind(m) == ERL_BOX_MAP) {
        it->flat = m;
    } else {
        it->depth = 0;
        it->stack[0] = m;
        it->index[0] = 0;
    }
}

bool map_next(MapIter *it, Term *k, Term *v)
{
    if (it->flat != ERL_NONE) {
        if (it->i >= flat_size(it->flat))
            return false;
        *k = flat_keys(it->flat)[it->i];
        *v = flat_values(it->flat)[it->i];
        it->i++;
        return true;
    }
    while (it->depth >= 0) {
        Term node = it->stack[it->depth];
        unsigned i = it->index[it->depth];
        if (i >= node_children(node)) {
            it->depth--;
            continue;
        }
        it->index[it->depth]++;
        Term c = node_child_ptr(node)[it->forward ? i : node_children(node) - 1 - i];
        if (is_node(c)) {
            it->depth++;
            it->stack[it->depth] = c;
            it->index[it->depth] = 0;
            continue;
        }
        *k = erl_hd(c);
        *v = erl_tl(c);
        return true;
    }
    return false;
}

/* ============================================================== order */

typedef struct Pair {
    Term k, v;
} Pair;

static int pair_order(const void *a, const void *b)
{
    return map_key_compare(((const Pair *)a)->k, ((const Pair *)b)->k);
}

void map_sorted(Term m, Term *keys, Term *values)
{
    size_t n = map_size(m);
    if (erl_box_kind(m) == ERL_BOX_MAP) {
        if (keys)
            memcpy(keys, flat_keys(m), n * sizeof(Term));
        if (values)
            memcpy(values, flat_values(m), n * sizeof(Term));
        return;
    }
    Pair *pairs = xmalloc((n ? n : 1) * sizeof *pairs);
    MapIter it;
    size_t i = 0;
    map_iter_init(&it, m);
    while (i < n && map_next(&it, &pairs[i].k, &pairs[i].v))
        i++;
    qsort(pairs, n, sizeof *pairs, pair_order);
    for (i = 0; i < n; i++) {
        if (keys)
            keys[i] = pairs[i].k;
        if (values)
            values[i] = pairs[i].v;
    }
    free(pairs);
}

int map_compare(Term a, Term b, bool exact)
{
    size_t na = map_size(a), nb = map_size(b);
    if (na != nb)
        return na < nb ? -1 : 1;
    Term *ka = xmalloc((na ? na : 1) * 4 * sizeof(Term));
    Term *va = ka + na, *kb = ka + 2 * na, *vb = ka + 3 * na;
    map_sorted(a, ka, va);
    map_sorted(b, kb, vb);
    int c = 0;
    for (size_t i = 0; i < na && !c; i++)
        c = map_key_compare(ka[i], kb[i]);
    for (size_t i = 0; i < na && !c; i++)
        c = exact ? map_key_compare(va[i], vb[i]) : erl_compare(va[i], vb[i]);
    free(ka);
    return c;
}

/* ====================================================== the C module API */

Term erl_map_new(void)
{
    return map_new(heap_current());
}

Term erl_map_put(Term m, Term k, Term v)
{
    return map_put(heap_current(), m, k, v);
}

Term erl_map_get(Term m, Term k)
{
    return map_get(m, k);
}

unsigned long erl_map_size(Term m)
{
    return map_size(m);
}

void erl_map_foreach(Term m, void (*fn)(Term k, Term v, void *ctx), void *ctx)
{
    MapIter it;
    Term k, v;
    map_iter_init_print(&it, m); /* as maps:fold walks it */
    while (map_next(&it, &k, &v))
        fn(k, v, ctx);
}
