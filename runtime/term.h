/*
** term.h
** The runtime's view of terms: predefined atoms, heaps, copying and
** comparison. The representation itself is in include/cerl.h.
*/
#ifndef CERL_TERM_H
#define CERL_TERM_H

#include "../include/cerl.h"

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

/* ------------------------------------------------------------- atoms */

enum {
#define X(c, s) AMI_##c,
#include "atoms.def"
#undef X
    AMI_COUNT_
};

#define ATOM_OF_INDEX(i) (((Term)(i) << 3) | ERL_TAG_ATOM)
#define ATOM_INDEX(t) ((uint32_t)((t) >> 3))
#define X(c, s) static const Term AM_##c = ATOM_OF_INDEX(AMI_##c);
#include "atoms.def"
#undef X

/* Creates the table and the predefined atoms. Call once, before any atom. */
void atom_init(void);
/* The atom with this name (len bytes, need not be NUL-terminated), created
** if new. Returns ERL_NONE when the name has more than 255 characters
** (UTF-8). */
Term atom_from(const char *name, size_t len);
/* The atom with this name if it exists, else ERL_NONE. Never creates one. */
Term atom_lookup(const char *name, size_t len);
/* Length of the atom's name in bytes. */
size_t atom_len(Term a);
/* Number of atoms that exist. */
size_t atom_count(void);

/* -------------------------------------------------------------- pids */

static inline Term pid_make(uint64_t n) { return (n << 4) | 6; }
static inline uint64_t pid_number(Term p) { return p >> 4; }

/* -------------------------------------------------------------- heaps */

#include "heap.h"

/* ----------------------------------------------------- building terms */

static inline Term box_header(uint64_t size, unsigned kind) { return (size << 8) | kind; }
/* Whether every word after the header of a box of this kind is a term
** (tuples, and maps' flat and trie nodes). */
static inline bool box_holds_terms(unsigned kind)
{
    return kind == ERL_BOX_TUPLE || kind == ERL_BOX_MAP || kind == ERL_BOX_MAPNODE;
}
static inline Term cons_term(Term *cell) { return (Term)(uintptr_t)cell | ERL_TAG_CONS; }
static inline Term *cons_ptr(Term t) { return (Term *)(uintptr_t)(t - ERL_TAG_CONS); }

/* Builders taking an explicit heap; the erl_ versions in cerl.h use
** heap_current(). None can fail. */
Term term_cons(Heap *h, Term hd, Term tl);
Term term_tuple(Heap *h, int n, const Term *elems);
Term term_float(Heap *h, double d);
Term term_binary(Heap *h, const void *bytes, size_t len);
Term term_string(Heap *h, const char *s, size_t len);
/* A fresh reference, unique for the runtime's life. */
Term term_make_ref(Heap *h);
/* The three numbers printed as #Ref<0.A.B.C>. */
void term_ref_parts(Term r, uint32_t out[3]);

/* Words a deep copy of t needs, and the copy itself into 'h'. Immediates
** cost nothing and are returned as they are. */
size_t term_size(Term t);
Term term_copy(Heap *h, Term t);

/* Length of a proper list, or -1 if t is not one. */
long term_list_length(Term t);
/* Is t a non-empty flat list of printable latin-1 codes (io_lib:printable_list)? */
bool term_is_printable_string(Term t);

#endif
