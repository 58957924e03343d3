/*
** bignum.c
** Integers of any size: bignum terms to and from GMP, conversions to C
** integers, floats and digits, and the exact comparison of numbers.
*/
#include "bignum.h"
#include "buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

Term big_from_mpz(Heap *h, mpz_srcptr z)
{
    if (mpz_fits_slong_p(z)) {
        long v = mpz_get_si(z);
        if (v >= ERL_SMALL_MIN && v <= ERL_SMALL_MAX)
            return erl_mk_int(v);
    }
    size_t n = mpz_size(z);
    if (n > BIG_MAX_LIMBS)
        return ERL_NONE;
    Term *p = heap_alloc(h, 2 + n);
    p[0] = box_header(1 + n, ERL_BOX_BIGNUM);
    p[1] = mpz_sgn(z) < 0;
    memcpy(p + 2, mpz_limbs_read(z), n * sizeof(mp_limb_t));
    return (Term)(uintptr_t)p;
}

mpz_srcptr big_view(Term t, mpz_t view)
{
    size_t n = big_limbs(t);
    return mpz_roinit_n(view, big_limb_ptr(t), big_negative(t) ? -(mp_size_t)n : (mp_size_t)n);
}

void int_get_mpz(Term t, mpz_t z)
{
    if (erl_is_int(t)) {
        mpz_set_si(z, erl_int_value(t));
    } else {
        mpz_t view;
        mpz_set(z, big_view(t, view));
    }
}

Term int_from_i64(Heap *h, int64_t v)
{
    if (v >= ERL_SMALL_MIN && v <= ERL_SMALL_MAX)
        return erl_mk_int(v);
    /* beyond the small range, one limb holds the magnitude */
    Term *p = heap_alloc(h, 3);
    p[0] = box_header(2, ERL_BOX_BIGNUM);
    p[1] = v < 0;
    p[2] = v < 0 ? -(uint64_t)v : (uint64_t)v;
    return (Term)(uintptr_t)p;
}

Term int_from_u64(Heap *h, uint64_t v)
{
    if (v <= (uint64_t)ERL_SMALL_MAX)
        return erl_mk_int((long)v);
    Term *p = heap_alloc(h, 3);
    p[0] = box_header(2, ERL_BOX_BIGNUM);
    p[1] = 0;
    p[2] = v;
    return (Term)(uintptr_t)p;
}

bool int_get_i64(Term t, int64_t *v)
{
    if (erl_is_int(t)) {
        *v = erl_int_value(t);
        return true;
    }
    if (big_limbs(t) != 1)
        return false;
    uint64_t m = big_limb_ptr(t)[0];
    if (big_negative(t)) {
        if (m > (uint64_t)INT64_MAX + 1)
            return false;
        *v = (int64_t)(0 - m);
    } else {
        if (m > (uint64_t)INT64_MAX)
            return false;
        *v = (int64_t)m;
    }
    return true;
}

bool int_get_u64(Term t, uint64_t *v)
{
    if (erl_is_int(t)) {
        if (erl_int_value(t) < 0)
            return false;
        *v = (uint64_t)erl_int_value(t);
        return true;
    }
    if (big_negative(t) || big_limbs(t) != 1)
        return false;
    *v = big_limb_ptr(t)[0];
    return true;
}

int int_sign(Term t)
{
    if (erl_is_int(t)) {
        long v = erl_int_value(t);
        return (v > 0) - (v < 0);
    }
    return big_negative(t) ? -1 : 1;
}

bool int_to_double(Term t, double *d)
{
    if (erl_is_int(t)) {
        *d = (double)erl_int_value(t);
        return true;
    }
    /* erl's own rounding: Horner's rule over the limbs, most significant
    ** first, each step rounded (not always the nearest double; faithful to
    ** erl is what matters here) */
    const mp_limb_t *l = big_limb_ptr(t);
    double r = 0.0, base = 18446744073709551616.0; /* 2^64 */
    for (size_t i = big_limbs(t); i-- > 0;) {
        r = r * base + (double)l[i];
        if (!isfinite(r))
            return false;
    }
    *d = big_negative(t) ? -r : r;
    return true;
}

static int cmp3(long c)
{
    return (c > 0) - (c < 0);
}

/* Integer a against float f, exactly. */
static int int_float_compare(Term a, double f)
{
    if (erl_is_int(a)) {
        long v = erl_int_value(a);
        /* doubles hold every integer up to 2^53 exactly */
        if (v >= -(1L << 53) && v <= (1L << 53))
            return cmp3(((double)v > f) - ((double)v < f));
    }
    mpz_t z;
    mpz_init(z);
    int_get_mpz(a, z);
    int c = cmp3(mpz_cmp_d(z, f));
    mpz_clear(z);
    return c;
}

int num_compare(Term a, Term b)
{
    if (erl_is_int(a) && erl_is_int(b))
        return cmp3((erl_int_value(a) > erl_int_value(b)) - (erl_int_value(a) < erl_int_value(b)));
    if (erl_is_float(a) && erl_is_float(b)) {
        double x = erl_float_value(a), y = erl_float_value(b);
        return (x > y) - (x < y);
    }
    if (erl_is_float(a))
        return -int_float_compare(b, erl_float_value(a));
    if (erl_is_float(b))
        return int_float_compare(a, erl_float_value(b));
    /* at least one bignum: a bignum lies beyond every small integer */
    if (erl_is_int(a))
        return big_negative(b) ? 1 : -1;
    if (erl_is_int(b))
        return big_negative(a) ? -1 : 1;
    mpz_t va, vb;
    return cmp3(mpz_cmp(big_view(a, va), big_view(b, vb)));
}

char *int_to_chars(Term t, int base)
{
    mpz_t z;
    mpz_init(z);
    int_get_mpz(t, z);
    char *s = xmalloc(mpz_sizeinbase(z, base) + 2);
    mpz_get_str(s, -base, z); /* negative base: upper-case letters */
    mpz_clear(z);
    return s;
}

/* The value of digit c in bases up to 36, or 99 for a character that is
** no digit. */
static int digit_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

Term int_from_chars(Heap *h, const char *s, size_t len, int base)
{
    if (base < 2 || base > 36)
        return ERL_NONE;
    bool negative = false;
    if (len > 0 && (s[0] == '+' || s[0] == '-')) {
        negative = s[0] == '-';
        s++;
        len--;
    }
    if (len == 0)
        return ERL_NONE;
    for (size_t i = 0; i < len; i++)
        if (digit_value((unsigned char)s[i]) >= base)
            return ERL_NONE;
    /* the common case: few enough digits to stay a small integer
    ** (36^11 and 10^18 are below 2^62) */
    if (len <= 11 || (base <= 10 && len <= 18)) {
        long v = 0;
        for (size_t i = 0; i < len; i++)
            v = v * base + digit_value((unsigned char)s[i]);
        return erl_mk_int(negative ? -v : v);
    }
    char *digits = xmalloc(len + 1);
    memcpy(digits, s, len);
    digits[len] = '\0';
    mpz_t z;
    mpz_init(z);
    Term r = ERL_NONE;
    if (mpz_set_str(z, digits, base) == 0) {
        if (negative)
            mpz_neg(z, z);
        r = big_from_mpz(h, z);
    }
    mpz_clear(z);
    free(digits);
    return r;
}

/* ====================================================== the C module API */

Term erl_mk_uint64(unsigned long u)
{
    return int_from_u64(heap_current(), u);
}

int erl_get_long(Term t, long *v)
{
    int64_t x;
    if (!int_is(t) || !int_get_i64(t, &x))
        return 0;
    *v = x;
    return 1;
}

int erl_get_ulong(Term t, unsigned long *v)
{
    uint64_t x;
    if (!int_is(t) || !int_get_u64(t, &x))
        return 0;
    *v = x;
    return 1;
}
