/*
** bignum.h
** Integers of any size. A small integer is immediate (cerl.h); any other
** integer is a boxed bignum holding the limbs of a GMP integer, read and
** built through mpz_t.
*/
#ifndef CERL_BIGNUM_H
#define CERL_BIGNUM_H

#include "term.h"

#include <gmp.h>

/* A bignum: header box_header(1 + n, ERL_BOX_BIGNUM), a sign word (0 for
** positive, 1 for negative), then the n limbs of the magnitude, least
** significant first.
** Invariants: the top limb is not zero, and the value lies outside
** [ERL_SMALL_MIN, ERL_SMALL_MAX]: an integer that fits is always small, so
** every integer has exactly one representation and erl_eq can compare
** words. n <= BIG_MAX_LIMBS. */
enum { BIG_MAX_LIMBS = (1 << 19) - 1 }; /* erl's limit: 33554368 bits */

static inline bool big_is(Term t) { return erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_BIGNUM; }
static inline bool int_is(Term t) { return erl_is_int(t) || big_is(t); }
static inline bool num_is(Term t) { return int_is(t) || erl_is_float(t); }
static inline bool big_negative(Term t) { return erl_box_ptr(t)[1] != 0; }
static inline size_t big_limbs(Term t) { return erl_box_size(t) - 1; }
static inline const mp_limb_t *big_limb_ptr(Term t) { return (const mp_limb_t *)(erl_box_ptr(t) + 2); }

/* The integer z as a term on h: a small integer when it fits, else a
** bignum. Returns ERL_NONE when z has more than BIG_MAX_LIMBS limbs (erl
** raises system_limit there). */
Term big_from_mpz(Heap *h, mpz_srcptr z);

/* A read-only mpz view of bignum t, valid while t lives; 'view' is the
** storage. Never hand it to a GMP function that writes its argument. */
mpz_srcptr big_view(Term t, mpz_t view);

/* Sets z (initialised by the caller) to the integer t, small or big. */
void int_get_mpz(Term t, mpz_t z);

/* Integer terms from C integers; cannot fail. */
Term int_from_i64(Heap *h, int64_t v);
Term int_from_u64(Heap *h, uint64_t v);

/* Whether the integer t fits in an int64_t (or uint64_t); if so stores it. */
bool int_get_i64(Term t, int64_t *v);
bool int_get_u64(Term t, uint64_t *v);

/* The sign of integer t: -1, 0 or 1. */
int int_sign(Term t);

/* The integer t as a float, rounded as erl rounds it. Returns false when it
** is too large for a double (erl: badarg from float/1, badarith in
** arithmetic). */
bool int_to_double(Term t, double *d);

/* Numbers in erl's term order: compares integers and floats by exact value
** (1 == 1.0, (1 bsl 53) + 1 > 9007199254740992.0). Returns -1, 0 or 1;
** 0 also for 1 and 1.0, which the caller orders when it must. */
int num_compare(Term a, Term b);

/* The digits of integer t in 'base' (2..36, letters upper-case, a leading
** '-' when negative), NUL-terminated; the caller frees. */
char *int_to_chars(Term t, int base);

/* The integer spelled by s[0..len) in 'base' (2..36, either case), with an
** optional leading '+' or '-'. Returns ERL_NONE when a character is not a
** digit of the base, there are no digits, or the value is beyond erl's
** limit. */
Term int_from_chars(Heap *h, const char *s, size_t len, int base);

#endif
