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
/* Bytes the atom table takes (*total: names, lengths, hash slots) and the
** bytes of the names alone (*used), for erlang:memory. */
void atom_memory(size_t *total, size_t *used);

/* -------------------------------------------------------------- pids */

/* A pid of this node: an immediate holding serial << 32 | number (cerl's
** processes are numbered from 0 with serial 0; the serial is there for the
** pids list_to_pid and binary_to_term make). Pids of other nodes are boxed
** (node.h); erl_is_pid accepts both, pid_is_local only the immediate. */
static inline Term pid_make(uint64_t n) { return (n << 4) | 6; }
static inline uint64_t pid_number(Term p) { return p >> 4; }
static inline bool pid_is_local(Term t) { return (t & 15) == 6; }

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

/* The C data (word 1) of a fun that is not an export fun starts with this
** (fun.h has the layouts). A shell fun's (FUN_SHELL, the shell's FunDef,
** zeroed but for 'number') prints #Fun<erl_eval.Number.3316493>; a C
** closure's (FUN_C, made by fun.c, never freed) #Fun<Module.Number.Uniq>. */
enum { FUN_SHELL = 0, FUN_C = 1 };
typedef struct FunInfo {
    long number;   /* erl's index of the fun */
    int kind;      /* FUN_SHELL or FUN_C */
    void *fn;      /* FUN_C: Term fn(Arg1..ArgN, Env1..EnvK) */
    Term module;   /* FUN_C: the module and function fn is */
    Term name;
    uint32_t uniq; /* FUN_C: from the module version's md5 */
    unsigned char md5[16];
} FunInfo;

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

/* Every walk over a term below keeps its pending work in memory of its own,
** never on the C stack: a term's depth is limited by memory alone. */

/* Words a deep copy of t needs (SIZE_MAX if t contains itself), and the
** copy itself into 'h'. t must be sound (term_check): the copy trusts it.
** Immediates cost nothing and are returned as they are. Sharing inside t
** is not kept (as in erl, each path to a subterm gets its own copy). */
size_t term_size(Term t);
Term term_copy(Heap *h, Term t);

/* Is t a sound term of heap h? Every cons cell and boxed object in it must
** start a live object of h (h's page map says which addresses do) with a
** header of a known kind that fits its slot, every atom must exist, and no
** object may contain itself (a path through more objects than h holds has
** met one twice). Returns ERL_NONE when it is sound, else the first bad
** word as an integer term (its low 62 bits), or the atom cycle. Never
** dereferences a word that is not in h. */
Term term_check(Heap *h, Term t);

/* term_copy of a term not yet checked, that should be a term of heap
** 'from': checks it while it copies (one walk instead of two). Returns the
** copy; or ERL_NONE, with *bad set to what term_check(from, t) returns,
** when t is not sound (the part copied is left as garbage on h). */
Term term_copy_checked(Heap *h, Heap *from, Term t, Term *bad);

/* ------------------------------------------ term blocks (message copies) */

/* A block holds a whole copied term in one heap object (heap_alloc), so
** that a message costs one allocation and is never traced: word 0 is the
** header box_header(size, TERM_BOX_BLOCK) (a block is never a term itself);
** the objects of the copy follow one after another.
** Invariant: the objects point only into their own block or off the heap
** (off-heap binaries), so the collector marks a block whole (any pointer
** into it keeps all of it) and never scans it. A block is freed when
** nothing points into it: keeping any part of a message keeps all of it.
** A term in a block passes term_check (the runtime built it sound). */
enum { TERM_BOX_BLOCK = 14 };

/* Copies t (a cons cell or a boxed term) into one new block on h and
** returns the copy. The term is sized first (term_size's count: sharing is
** not kept, as in erl), then copied; off-heap binaries are shared, counted,
** as term_copy does. With 'from', t is checked as term_copy_checked does,
** before anything is allocated: a bad t returns ERL_NONE with *bad set.
** A t holding a fun gets no block (the purge finds funs as heap objects of
** their own: see fun.h): ERL_NONE with *bad ERL_NONE; use term_copy. */
Term term_copy_block(Heap *h, Heap *from, Term t, Term *bad);

/* Nesting depth of t: 0 for an immediate, 1 for a flat list or tuple, one
** more per level of elements inside elements (a list's tail does not
** count). SIZE_MAX if t contains itself. For walkers that recurse. */
size_t term_depth(Term t);

/* Length of a proper list, or -1 if t is not one. */
long term_list_length(Term t);
/* Is t a non-empty flat list of printable latin-1 codes (io_lib:printable_list)? */
bool term_is_printable_string(Term t);

#endif
