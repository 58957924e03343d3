/*
** map.h
** Maps. A map of up to MAP_FLAT_MAX keys is flat: its keys sorted in map
** key order, then its values. A larger map is a hash array mapped trie, so
** that get, put and remove stay O(log n). Maps are values: every change
** makes a new map sharing what it did not change.
*/
#ifndef CERL_MAP_H
#define CERL_MAP_H

#include "term.h"

enum { MAP_FLAT_MAX = 32 };

/* A flat map: header box_header(1 + 2n, ERL_BOX_MAP), n as a small
** integer, the keys k1..kn in map key order, then the values v1..vn.
** A trie node: header box_header(2 + c, ERL_BOX_MAPNODE), the number of
** pairs under it (a small integer), its bitmap (a small integer; -1 for a
** collision node), then its c children, each a node or a pair [K|V] (a cons
** cell). The map term of a trie is its root node.
** Invariants: every word after a header is a term (the collector and the
** copier treat both kinds as tuples); keys are unique under =:=; a trie
** holds more than MAP_FLAT_MAX pairs, a flat map at most that many; a
** collision node's pairs are in map key order, so that a trie's shape
** depends only on its keys, never on the order they were put in. */

static inline bool map_is(Term t)
{
    return erl_is_boxed(t) && (erl_box_kind(t) == ERL_BOX_MAP || erl_box_kind(t) == ERL_BOX_MAPNODE);
}

/* Number of pairs. */
size_t map_size(Term m);

/* #{} on h. */
Term map_new(Heap *h);

/* The value of key k, or ERL_NONE when m has no such key (=:=). */
Term map_get(Term m, Term k);

/* m#{k => v}: a map like m with k bound to v, on h. Cannot fail. */
Term map_put(Heap *h, Term m, Term k, Term v);

/* maps:remove(K, M): m without k (m itself when it has no k). */
Term map_remove(Heap *h, Term m, Term k);

/* A map of n pairs (a later key replaces an equal earlier one). */
Term map_from_pairs(Heap *h, size_t n, const Term *keys, const Term *values);

/* Walks the pairs: flat maps in key order; tries, whose keys erl's hash
** places as erl's own tries do, in the order erl's maps:to_list, keys,
** values and term_to_binary give them (the trie's last pair first).
** map_iter_init_print walks a trie first pair first, the order erl prints
** a large map in, and maps:fold and maps:iterator walk it in. The iterator holds only
** terms of m: keep m alive while using it. */
typedef struct MapIter {
    Term stack[18]; /* trie nodes being walked (16 levels and collisions) */
    unsigned index[18]; /* children of each done */
    int depth;
    Term flat;      /* a flat map being walked, or ERL_NONE */
    size_t i;
    bool forward;   /* a trie: first child first */
} MapIter;
void map_iter_init(MapIter *it, Term m);
void map_iter_init_print(MapIter *it, Term m);
/* The next pair in *k, *v; false when there is none. */
bool map_next(MapIter *it, Term *k, Term *v);

/* The pairs sorted by key in map key order, into keys[]/values[] (each
** map_size(m) long; either may be NULL). */
void map_sorted(Term m, Term *keys, Term *values);

/* Map key order: erl's term order, except that every integer comes before
** every float (2 < 1.0), at any depth, so that keys differ exactly when they
** are not =:=. -1, 0 or 1. */
int map_key_compare(Term a, Term b);

/* erl's term order of two maps: by size, then keys in map key order, then
** values in key order, compared as erl_compare does (1 == 1.0) or, when
** 'exact', in map key order (1 < 1.0). -1, 0 or 1. */
int map_compare(Term a, Term b, bool exact);

/* A 64-bit hash of t, equal for terms that are =:=; its low 32 bits are
** erl's hash (erl_hash.h), which orders a large map's keys as erl does. */
uint64_t term_hash(Term t);
/* A 64-bit hash of cerl's own, equal for terms that are =:=. */
uint64_t term_own_hash(Term t);

#endif
