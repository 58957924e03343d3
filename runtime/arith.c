/*
** arith.c
** Erlang's arithmetic and bitwise operators on integers of any size and on
** floats. Two small integers take a path of plain machine arithmetic; the
** rest goes through GMP (bignum.h).
*/
#include "arith.h"
#include "bignum.h"
#include "error.h"

#include <limits.h>
#include <math.h>

static Term fail(Term *error, Term reason)
{
    *error = reason;
    return ERL_NONE;
}

/* A float result, or badarith when it is not finite. */
static Term float_result(Heap *h, double r, Term *error)
{
    if (!isfinite(r))
        return fail(error, AM_badarith);
    return term_float(h, r);
}

/* A number as a double for float arithmetic; false when it is no number or
** an integer too large for a double. */
static bool as_double(Term t, double *d)
{
    if (erl_is_float(t)) {
        *d = erl_float_value(t);
        return true;
    }
    return int_is(t) && int_to_double(t, d);
}

static Term float_op(Heap *h, ArithOp op, Term a, Term b, Term *error)
{
    double x, y;
    if (!as_double(a, &x) || !as_double(b, &y))
        return fail(error, AM_badarith);
    switch (op) {
    case ARITH_ADD: return float_result(h, x + y, error);
    case ARITH_SUB: return float_result(h, x - y, error);
    case ARITH_MUL: return float_result(h, x * y, error);
    default:
        if (y == 0.0)
            return fail(error, AM_badarith);
        return float_result(h, x / y, error);
    }
}

/* A GMP result as a term, or system_limit when it is beyond erl's size. */
static Term big_result(Heap *h, mpz_t r, Term *error)
{
    Term t = big_from_mpz(h, r);
    mpz_clear(r);
    return t != ERL_NONE ? t : fail(error, AM_system_limit);
}

/* The bits erl allows an integer (BIG_MAX_LIMBS limbs). */
static const uint64_t max_bits = (uint64_t)BIG_MAX_LIMBS * 64;

/* x bsl s (s < 0: bsr), x an integer, s a small integer. */
static Term shift(Heap *h, Term x, long s, Term *error)
{
    if (erl_is_int(x)) {
        long v = erl_int_value(x);
        if (v == 0)
            return x;
        if (s <= 0)
            return erl_mk_int(s <= -63 ? (v < 0 ? -1 : 0) : v >> -s);
        if (s < 62) {
            __int128 r = (__int128)v * ((__int128)1 << s); /* not v << s: v may be negative */
            if (r >= INT64_MIN && r <= INT64_MAX)
                return int_from_i64(h, (int64_t)r);
        }
    }
    mpz_t z;
    mpz_init(z);
    int_get_mpz(x, z);
    if (s >= 0) {
        if ((uint64_t)s + mpz_sizeinbase(z, 2) > max_bits) {
            mpz_clear(z);
            return fail(error, AM_system_limit);
        }
        mpz_mul_2exp(z, z, (mp_bitcnt_t)s);
    } else {
        /* floor division by 2^-s: an arithmetic shift */
        mpz_fdiv_q_2exp(z, z, s == LONG_MIN ? ~(mp_bitcnt_t)0 : (mp_bitcnt_t)-s);
    }
    return big_result(h, z, error);
}

/* x bsl y / x bsr y where y may be a bignum: shifting a non-zero integer
** left by a bignum is beyond any size; right by one leaves 0 or -1. */
static Term shift_by(Heap *h, ArithOp op, Term x, Term y, Term *error)
{
    if (erl_is_int(y)) {
        long s = erl_int_value(y);
        return shift(h, x, op == ARITH_BSL ? s : -s, error);
    }
    bool left = (op == ARITH_BSL) != big_negative(y);
    if (left)
        return int_sign(x) == 0 ? x : fail(error, AM_system_limit);
    return erl_mk_int(int_sign(x) < 0 ? -1 : 0);
}

static Term small_op(Heap *h, ArithOp op, long x, long y, Term *error)
{
    int64_t r;
    switch (op) {
    case ARITH_ADD: return int_from_i64(h, x + y); /* two 62-bit values cannot overflow */
    case ARITH_SUB: return int_from_i64(h, x - y);
    case ARITH_MUL:
        if (!__builtin_mul_overflow(x, y, &r))
            return int_from_i64(h, r);
        break;
    case ARITH_DIV:
        if (y == 0)
            return fail(error, AM_badarith);
        return int_from_i64(h, x / y); /* ERL_SMALL_MIN / -1 still fits in 64 bits */
    case ARITH_REM:
        if (y == 0)
            return fail(error, AM_badarith);
        return erl_mk_int(x % y);
    case ARITH_BAND: return erl_mk_int(x & y);
    case ARITH_BOR: return erl_mk_int(x | y);
    case ARITH_BXOR: return erl_mk_int(x ^ y);
    default: break;
    }
    /* a product beyond 64 bits */
    __int128 p = (__int128)x * y;
    mpz_t z;
    mpz_init(z);
    unsigned __int128 m = p < 0 ? -(unsigned __int128)p : (unsigned __int128)p;
    mpz_import(z, 2, -1, sizeof(uint64_t), 0, 0, (uint64_t[]){(uint64_t)m, (uint64_t)(m >> 64)});
    if (p < 0)
        mpz_neg(z, z);
    return big_result(h, z, error);
}

static Term big_op(Heap *h, ArithOp op, Term a, Term b, Term *error)
{
    mpz_t x, y, r;
    mpz_inits(x, y, r, NULL);
    int_get_mpz(a, x);
    int_get_mpz(b, y);
    bool zero_divisor = (op == ARITH_DIV || op == ARITH_REM) && mpz_sgn(y) == 0;
    if (!zero_divisor) {
        switch (op) {
        case ARITH_ADD: mpz_add(r, x, y); break;
        case ARITH_SUB: mpz_sub(r, x, y); break;
        case ARITH_MUL:
            if (mpz_sizeinbase(x, 2) + mpz_sizeinbase(y, 2) > max_bits + 1) {
                mpz_clears(x, y, r, NULL);
                return fail(error, AM_system_limit);
            }
            mpz_mul(r, x, y);
            break;
        case ARITH_DIV: mpz_tdiv_q(r, x, y); break;
        case ARITH_REM: mpz_tdiv_r(r, x, y); break;
        case ARITH_BAND: mpz_and(r, x, y); break;
        case ARITH_BOR: mpz_ior(r, x, y); break;
        default: mpz_xor(r, x, y); break;
        }
    }
    mpz_clears(x, y, NULL);
    if (zero_divisor) {
        mpz_clear(r);
        return fail(error, AM_badarith);
    }
    return big_result(h, r, error);
}

Term arith_binary(Heap *h, ArithOp op, Term a, Term b, Term *error)
{
    if (erl_is_int(a) && erl_is_int(b) && op != ARITH_FDIV && op != ARITH_BSL && op != ARITH_BSR)
        return small_op(h, op, erl_int_value(a), erl_int_value(b), error);
    if (op == ARITH_FDIV || ((op == ARITH_ADD || op == ARITH_SUB || op == ARITH_MUL) &&
                             (erl_is_float(a) || erl_is_float(b))))
        return float_op(h, op, a, b, error);
    if (!int_is(a) || !int_is(b))
        return fail(error, AM_badarith);
    if (op == ARITH_BSL || op == ARITH_BSR)
        return shift_by(h, op, a, b, error);
    return big_op(h, op, a, b, error);
}

Term arith_negate(Heap *h, Term a, Term *error)
{
    if (erl_is_int(a))
        return int_from_i64(h, -erl_int_value(a));
    if (erl_is_float(a))
        return term_float(h, -erl_float_value(a));
    if (!big_is(a))
        return fail(error, AM_badarith);
    mpz_t z;
    mpz_init(z);
    int_get_mpz(a, z);
    mpz_neg(z, z);
    return big_result(h, z, error);
}

Term arith_bnot(Heap *h, Term a, Term *error)
{
    if (erl_is_int(a))
        return erl_mk_int(~erl_int_value(a));
    if (!big_is(a))
        return fail(error, AM_badarith);
    mpz_t z;
    mpz_init(z);
    int_get_mpz(a, z);
    mpz_com(z, z);
    return big_result(h, z, error);
}

Term arith_abs(Heap *h, Term a)
{
    Term error;
    if (erl_is_float(a))
        return erl_float_value(a) < 0 ? term_float(h, -erl_float_value(a)) : a;
    if (!int_is(a))
        return ERL_NONE;
    return int_sign(a) < 0 ? arith_negate(h, a, &error) : a;
}

/* ====================================================== the C module API */

/* r, or the error the operation 'op' on args a (and b, unless ERL_NONE)
** failed with, raised as erl raises it: badarith (or system_limit) "in
** operator", for the stack trace. The error is read only after the
** operation ran (arith_binary sets it). */
static Term checked(Term r, const Term *error, const char *op, Term a, Term b)
{
    if (r != ERL_NONE)
        return r;
    Heap *h = heap_current();
    Term args = term_cons(h, a, b == ERL_NONE ? ERL_NIL : term_cons(h, b, ERL_NIL));
    exc_raise(AM_error, *error, term_tuple(h, 3, (Term[]){erl_atom("operator"), erl_atom(op), args}));
}

#define BINARY_API(name, op, text) \
    Term name(Term a, Term b) \
    { \
        Term error = ERL_NONE; \
        Term r = arith_binary(heap_current(), op, a, b, &error); \
        return checked(r, &error, text, a, b); \
    }
/* erl_add and erl_sub of two small integers, the common case, return
** without the heap or arith_binary's dispatch: on tagged words (2x+1),
** a + (b - 1) is 2(x+y)+1, and it overflows 64 bits exactly when x+y
** leaves the small range (ERL_SMALL_MAX is 2^62-1). The fast path has no
** frame to set up: the rest is a separate function (lists:foldl's fun
** spends most of its time here). */
#define SMALL_API(name, op, text, tagged) \
    static __attribute__((noinline)) Term name##_general(Term a, Term b) \
    { \
        Term error = ERL_NONE; \
        Term r = arith_binary(heap_current(), op, a, b, &error); \
        return checked(r, &error, text, a, b); \
    } \
    Term name(Term a, Term b) \
    { \
        long r; \
        if ((a & b & 1) && !tagged) \
            return (Term)r; \
        return name##_general(a, b); \
    }
SMALL_API(erl_add, ARITH_ADD, "+", __builtin_add_overflow((long)a, (long)(b - 1), &r))
SMALL_API(erl_sub, ARITH_SUB, "-", __builtin_sub_overflow((long)a, (long)(b - 1), &r))
BINARY_API(erl_mul, ARITH_MUL, "*")
BINARY_API(erl_div, ARITH_DIV, "div")
BINARY_API(erl_rem, ARITH_REM, "rem")
BINARY_API(erl_fdiv, ARITH_FDIV, "/")
BINARY_API(erl_band, ARITH_BAND, "band")
BINARY_API(erl_bor, ARITH_BOR, "bor")
BINARY_API(erl_bxor, ARITH_BXOR, "bxor")
BINARY_API(erl_bsl, ARITH_BSL, "bsl")
BINARY_API(erl_bsr, ARITH_BSR, "bsr")

Term erl_neg(Term a)
{
    Term error = ERL_NONE;
    Term r = arith_negate(heap_current(), a, &error);
    return checked(r, &error, "-", a, ERL_NONE);
}
