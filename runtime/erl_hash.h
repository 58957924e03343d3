/*
** erl_hash.h
** erl's internal hash of a term (make_internal_hash with salt 0, OTP 25 on
** 64-bit), which places the keys of erl's large maps in its hash trie and
** so decides the order erl prints them and lists them in.
*/
#ifndef CERL_ERL_HASH_H
#define CERL_ERL_HASH_H

#include "term.h"

/* The 32-bit hash erl gives t: the same value as erl's for integers of any
** size, floats, binaries, lists and tuples of these, and []; for a term
** holding an atom, pid, reference, fun or map a value of cerl's own (erl
** hashes those by the index of an atom in its own table or by addresses of
** its own), equal for terms that are =:=. The walk keeps its pending work
** in memory of its own, so any nesting is fine. */
uint32_t erl_hash(Term t);

/* erlang:phash2(T) before its range is applied (make_hash2, OTP 25): the
** same value as erl's for every term but local funs (erl hashes its own
** fun table's entries; cerl gives a value of its own, equal for =:= funs). */
uint32_t erl_phash2(Term t);

#endif
