/*
** bits.c
** Binaries and bitstrings: heap binaries, reference-counted off-heap bytes
** with their handles, sub-binaries, and the bit syntax engine.
*/
#include "bits.h"
#include "bignum.h"
#include "buf.h"
#include "error.h"
#include "work.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ========================================================= representation */

static long refbins_alive; /* atomic */

static inline Term header(uint64_t bits, bool handle)
{
    return box_header((bits << 1) | handle, ERL_BOX_BINARY);
}

const unsigned char *bits_data(Term t)
{
    Term *p = erl_box_ptr(t);
    if (bits_is_handle(t))
        return bits_refbin(t)->data + p[2];
    return (const unsigned char *)(p + 1);
}

/* rb, of 'bytes' bytes, as a new off-heap bitstring of 'bits' bits on h:
** its one reference, counted among the refbins alive. */
static Term refbin_term(Heap *h, RefBin *rb, uint64_t bits, size_t bytes)
{
    rb->refc = 1;
    rb->size = bytes;
    __atomic_add_fetch(&refbins_alive, 1, __ATOMIC_RELAXED);
    Term *p = heap_alloc(h, 1 + BITS_HANDLE_WORDS);
    p[0] = header(bits, true);
    p[1] = (Term)(uintptr_t)rb;
    p[2] = 0;
    p[3] = 0;
    heap_offheap_add(h, p, bytes);
    return (Term)(uintptr_t)p;
}

Term bits_alloc(Heap *h, uint64_t bits, unsigned char **data)
{
    size_t bytes = (size_t)((bits + 7) / 8);
    if (bytes <= BITS_HEAP_MAX) {
        size_t words = bits_heap_words(bits);
        Term *p = heap_alloc(h, words);
        p[0] = header(bits, false);
        memset(p + 1, 0, (words - 1) * sizeof(Term));
        *data = (unsigned char *)(p + 1);
        return (Term)(uintptr_t)p;
    }
    heap_offheap_reserve(h, bytes);
    RefBin *rb = xmalloc(sizeof(RefBin) + bytes);
    rb->data[bytes - 1] = 0;
    *data = rb->data;
    return refbin_term(h, rb, bits, bytes);
}

/* Clears the unused bits of the last byte of a bitstring of 'bits' bits. */
static inline void clear_tail(unsigned char *data, uint64_t bits)
{
    if (bits & 7)
        data[bits / 8] &= (unsigned char)(0xff00 >> (bits & 7));
}

Term bits_make(Heap *h, const void *bytes, uint64_t bits)
{
    unsigned char *data;
    Term t = bits_alloc(h, bits, &data);
    if (bits) {
        memcpy(data, bytes, (size_t)((bits + 7) / 8));
        clear_tail(data, bits);
    }
    return t;
}

/* Copies n bits from src (starting 'soff' bits in) to dst ('doff' bits
** in), whose n bits there are zero. */
static void copy_bits(unsigned char *dst, uint64_t doff, const unsigned char *src, uint64_t soff, uint64_t n)
{
    if (!n)
        return;
    if (!(doff & 7) && !(soff & 7)) {
        memcpy(dst + doff / 8, src + soff / 8, (size_t)(n / 8));
        if (n & 7) {
            unsigned char last = src[(soff + n) / 8] & (unsigned char)(0xff00 >> (n & 7));
            dst[(doff + n) / 8] |= last;
        }
        return;
    }
    while (n) {
        unsigned s = (unsigned)(soff & 7);
        unsigned take = n < 8 ? (unsigned)n : 8;
        /* the next 'take' bits of src, at the top of b */
        unsigned b = (unsigned)src[soff / 8] << s & 0xff;
        if (s && s + take > 8)
            b |= src[soff / 8 + 1] >> (8 - s);
        b &= 0xff00u >> take & 0xff;
        unsigned d = (unsigned)(doff & 7);
        dst[doff / 8] |= (unsigned char)(b >> d);
        if (d && d + take > 8)
            dst[doff / 8 + 1] |= (unsigned char)(b << (8 - d));
        soff += take;
        doff += take;
        n -= take;
    }
}

Term bits_sub(Heap *h, Term t, uint64_t offset, uint64_t bits)
{
    if (bits_is_handle(t) && !(offset & 7) && !(bits & 7)) {
        Term *src = erl_box_ptr(t);
        Term *p = heap_alloc(h, 1 + BITS_HANDLE_WORDS);
        p[0] = header(bits, true);
        p[1] = src[1];
        p[2] = src[2] + offset / 8;
        p[3] = 0;
        bits_adopt(h, p);
        return (Term)(uintptr_t)p;
    }
    unsigned char *data;
    Term part = bits_alloc(h, bits, &data);
    copy_bits(data, 0, bits_data(t), offset, bits);
    return part;
}

void bits_adopt(Heap *h, Term *obj)
{
    RefBin *rb = (RefBin *)(uintptr_t)obj[1];
    __atomic_add_fetch(&rb->refc, 1, __ATOMIC_RELAXED);
    heap_offheap_add(h, obj, (size_t)((((obj[0] >> 8) >> 1) + 7) / 8));
}

void bits_drop(Term *obj)
{
    RefBin *rb = (RefBin *)(uintptr_t)obj[1];
    if (__atomic_sub_fetch(&rb->refc, 1, __ATOMIC_ACQ_REL) == 0) {
        free(rb);
        __atomic_sub_fetch(&refbins_alive, 1, __ATOMIC_RELAXED);
    }
}

long bits_refc(Term t)
{
    return bits_is_handle(t) ? __atomic_load_n(&bits_refbin(t)->refc, __ATOMIC_RELAXED) : 1;
}

long bits_refbins_alive(void)
{
    return __atomic_load_n(&refbins_alive, __ATOMIC_RELAXED);
}

int bits_compare(Term a, Term b)
{
    uint64_t na = erl_bit_size(a), nb = erl_bit_size(b), n = na < nb ? na : nb;
    const unsigned char *x = bits_data(a), *y = bits_data(b);
    int c = x == y ? 0 : memcmp(x, y, (size_t)(n / 8));
    if (c)
        return c < 0 ? -1 : 1;
    if (n & 7) {
        unsigned mask = 0xff00u >> (n & 7) & 0xff;
        unsigned p = x[n / 8] & mask, q = y[n / 8] & mask;
        if (p != q)
            return p < q ? -1 : 1;
    }
    return na < nb ? -1 : na > nb;
}

/* ============================================================ writing */

/* A writer's bytes follow room for a RefBin header in one malloc'd block,
** so that bits_writer_take can hand them over without a copy. */
#define WRITER_HEAD offsetof(RefBin, data)

static void reserve(BitWriter *w, uint64_t more)
{
    size_t need = (size_t)((w->bits + more + 7) / 8);
    if (need <= w->cap)
        return;
    size_t cap = w->cap ? w->cap * 2 : 64;
    while (cap < need)
        cap *= 2;
    unsigned char *block = xrealloc(w->buf ? w->buf - WRITER_HEAD : NULL, WRITER_HEAD + cap);
    w->buf = block + WRITER_HEAD;
    memset(w->buf + w->cap, 0, cap - w->cap);
    w->cap = cap;
}

static void append(BitWriter *w, const unsigned char *src, uint64_t soff, uint64_t n)
{
    reserve(w, n);
    copy_bits(w->buf, w->bits, src, soff, n);
    w->bits += n;
}

/* The integer v modulo 2^(8k), as k bytes, least significant first. */
static void int_bytes_le(Term v, unsigned char *out, size_t k)
{
    memset(out, 0, k);
    if (erl_is_int(v)) {
        int64_t x = erl_int_value(v);
        for (size_t i = 0; i < k; i++)
            out[i] = i < 8 ? (unsigned char)((uint64_t)x >> (8 * i)) : (x < 0 ? 0xff : 0);
        return;
    }
    mpz_t z, r;
    mpz_init(z);
    mpz_init(r);
    int_get_mpz(v, z);
    mpz_fdiv_r_2exp(r, z, (mp_bitcnt_t)(8 * k)); /* two's complement */
    size_t count;
    mpz_export(out, &count, -1, 1, 0, 0, r);
    mpz_clear(z);
    mpz_clear(r);
}

/* Appends the low n bits of the integer whose k = ceil(n/8) bytes are le. */
static void put_int_le_bytes(BitWriter *w, unsigned char *le, uint64_t n, unsigned flags)
{
    size_t k = (size_t)((n + 7) / 8);
    if (flags & BITS_LITTLE) {
        size_t full = (size_t)(n / 8);
        append(w, le, 0, 8 * (uint64_t)full);
        if (n & 7)
            append(w, le + full, 8 - (n & 7), n & 7);
        return;
    }
    for (size_t i = 0; i < k / 2; i++) { /* to big endian */
        unsigned char c = le[i];
        le[i] = le[k - 1 - i];
        le[k - 1 - i] = c;
    }
    append(w, le, 8 * (uint64_t)k - n, n);
}

static bool put_int(BitWriter *w, Term v, uint64_t n, unsigned flags)
{
    if (!erl_is_integer(v))
        return false;
    size_t k = (size_t)((n + 7) / 8);
    unsigned char small[16], *le = k <= sizeof small ? small : xmalloc(k);
    int_bytes_le(v, le, k);
    put_int_le_bytes(w, le, n, flags);
    if (le != small)
        free(le);
    return true;
}


/* IEEE 754 half precision, written out (clang has no half-float type on
** x86-64): a double rounded to the nearest half, ties to even, whatever the
** process's rounding mode; too large for a half: infinity, as a cast. */
static double round_half_even(double x)
{
    double r = floor(x), diff = x - r;
    if (diff > 0.5 || (diff == 0.5 && fmod(r, 2.0) != 0.0))
        r += 1.0;
    return r;
}

static uint16_t half_from_double(double d)
{
    uint16_t sign = signbit(d) ? 0x8000 : 0;
    double a = fabs(d);
    if (isnan(d))
        return sign | 0x7e00;
    if (a < 0x1p-14) /* subnormal: units of 2^-24 (1024 of them is the least normal) */
        return sign | (uint16_t)round_half_even(a * 0x1p24);
    int k;
    frexp(a, &k); /* a = f * 2^k, f in [0.5, 1) */
    int e = k - 1;
    double m = round_half_even(ldexp(a, 10 - e)); /* in [1024, 2048] */
    if (m == 2048.0) {
        m = 1024.0;
        e++;
    }
    if (e + 15 >= 31)
        return sign | 0x7c00;
    return sign | (uint16_t)((e + 15) << 10) | (uint16_t)(m - 1024.0);
}

static double half_to_double(uint16_t x)
{
    int e = (x >> 10) & 31, m = x & 1023;
    double d = e == 0 ? ldexp(m, -24) : e == 31 ? (m ? NAN : INFINITY) : ldexp(m + 1024, e - 25);
    return x & 0x8000 ? -d : d;
}

static bool put_float(BitWriter *w, Term v, uint64_t n, unsigned flags)
{
    double d;
    if (erl_is_float(v))
        d = erl_float_value(v);
    else if (!erl_is_integer(v) || !int_to_double(v, &d))
        return false;
    uint64_t u;
    if (n == 64) {
        memcpy(&u, &d, 8);
    } else if (n == 32) {
        float f = (float)d; /* out of range: infinity, as erl makes it */
        uint32_t x;
        memcpy(&x, &f, 4);
        u = x;
    } else if (n == 16) {
        u = half_from_double(d);
    } else {
        return false;
    }
    unsigned char le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (unsigned char)(u >> (8 * i));
    put_int_le_bytes(w, le, n, flags);
    return true;
}

static bool valid_code(Term v, uint32_t *c)
{
    if (!erl_is_int(v))
        return false;
    long x = erl_int_value(v);
    if (x < 0 || x > 0x10FFFF || (x >= 0xD800 && x <= 0xDFFF))
        return false;
    *c = (uint32_t)x;
    return true;
}

static void put_unit(BitWriter *w, uint32_t x, unsigned bytes, unsigned flags)
{
    unsigned char le[4];
    for (unsigned i = 0; i < 4; i++)
        le[i] = (unsigned char)(x >> (8 * i));
    put_int_le_bytes(w, le, 8 * bytes, flags);
}

static bool put_utf(BitWriter *w, BitsType type, Term v, unsigned flags)
{
    uint32_t c;
    if (!valid_code(v, &c))
        return false;
    if (type == BITS_UTF8) {
        unsigned char b[4];
        int n;
        if (c < 0x80) {
            b[0] = (unsigned char)c;
            n = 1;
        } else if (c < 0x800) {
            b[0] = (unsigned char)(0xC0 | c >> 6);
            b[1] = (unsigned char)(0x80 | (c & 0x3F));
            n = 2;
        } else if (c < 0x10000) {
            b[0] = (unsigned char)(0xE0 | c >> 12);
            b[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            b[2] = (unsigned char)(0x80 | (c & 0x3F));
            n = 3;
        } else {
            b[0] = (unsigned char)(0xF0 | c >> 18);
            b[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
            b[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
            b[3] = (unsigned char)(0x80 | (c & 0x3F));
            n = 4;
        }
        append(w, b, 0, 8 * (uint64_t)n);
    } else if (type == BITS_UTF16) {
        if (c < 0x10000) {
            put_unit(w, c, 2, flags);
        } else {
            c -= 0x10000;
            put_unit(w, 0xD800 | c >> 10, 2, flags);
            put_unit(w, 0xDC00 | (c & 0x3FF), 2, flags);
        }
    } else {
        put_unit(w, c, 4, flags);
    }
    return true;
}

bool bits_put(BitWriter *w, BitsType type, Term v, int64_t bits, unsigned flags)
{
    switch (type) {
    case BITS_INTEGER:
        return bits >= 0 && put_int(w, v, (uint64_t)bits, flags);
    case BITS_FLOAT:
        return bits >= 0 && put_float(w, v, (uint64_t)bits, flags);
    case BITS_BINARY:
    case BITS_BITSTRING: {
        if (!erl_is_bitstring(v))
            return false;
        uint64_t have = erl_bit_size(v);
        if (bits < 0) {
            if (type == BITS_BINARY && (have & 7))
                return false;
            bits = (int64_t)have;
        } else if ((uint64_t)bits > have) {
            return false;
        }
        append(w, bits_data(v), 0, (uint64_t)bits);
        return true;
    }
    case BITS_UTF8:
    case BITS_UTF16:
    case BITS_UTF32:
        return put_utf(w, type, v, flags);
    }
    return false;
}

Term bits_writer_term(const BitWriter *w, Heap *h)
{
    return bits_make(h, w->buf ? w->buf : (const unsigned char *)"", w->bits);
}

Term bits_writer_take(BitWriter *w, Heap *h)
{
    size_t bytes = (size_t)((w->bits + 7) / 8);
    if (bytes <= BITS_HEAP_MAX) {
        Term t = bits_writer_term(w, h);
        bits_writer_free(w);
        return t;
    }
    heap_offheap_reserve(h, bytes);
    RefBin *rb = xrealloc(w->buf - WRITER_HEAD, WRITER_HEAD + bytes);
    uint64_t bits = w->bits;
    memset(w, 0, sizeof *w);
    return refbin_term(h, rb, bits, bytes);
}

void bits_writer_free(BitWriter *w)
{
    if (w->buf)
        free(w->buf - WRITER_HEAD);
    memset(w, 0, sizeof *w);
}

/* ============================================================ reading */

void bits_reader_init(BitReader *r, Term t)
{
    r->src = t;
    r->data = bits_data(t);
    r->pos = 0;
    r->size = erl_bit_size(t);
}

/* The n bits at pos as k = ceil(n/8) bytes of an unsigned integer, least
** significant first, read in the given byte order. */
static void get_le_bytes(const BitReader *r, uint64_t n, unsigned flags, unsigned char *le)
{
    size_t k = (size_t)((n + 7) / 8);
    memset(le, 0, k);
    if (flags & BITS_LITTLE) {
        size_t full = (size_t)(n / 8);
        copy_bits(le, 0, r->data, r->pos, 8 * (uint64_t)full);
        if (n & 7)
            copy_bits(le + full, 8 - (n & 7), r->data, r->pos + 8 * (uint64_t)full, n & 7);
        return;
    }
    copy_bits(le, 8 * (uint64_t)k - n, r->data, r->pos, n); /* big endian, right-aligned */
    for (size_t i = 0; i < k / 2; i++) {
        unsigned char c = le[i];
        le[i] = le[k - 1 - i];
        le[k - 1 - i] = c;
    }
}

static Term get_int(const BitReader *r, Heap *h, uint64_t n, unsigned flags)
{
    size_t k = (size_t)((n + 7) / 8);
    if (n <= 64) {
        unsigned char le[8];
        get_le_bytes(r, n, flags, le);
        uint64_t u = 0;
        for (size_t i = 0; i < k; i++)
            u |= (uint64_t)le[i] << (8 * i);
        if ((flags & BITS_SIGNED) && n && (u >> (n - 1) & 1)) {
            int64_t s = n == 64 ? (int64_t)u : (int64_t)(u | ~(uint64_t)0 << n);
            return int_from_i64(h, s);
        }
        return int_from_u64(h, u);
    }
    unsigned char *le = xmalloc(k);
    get_le_bytes(r, n, flags, le);
    mpz_t z;
    mpz_init(z);
    mpz_import(z, k, -1, 1, 0, 0, le);
    free(le);
    if ((flags & BITS_SIGNED) && mpz_tstbit(z, (mp_bitcnt_t)(n - 1))) {
        mpz_t m;
        mpz_init(m);
        mpz_setbit(m, (mp_bitcnt_t)n);
        mpz_sub(z, z, m);
        mpz_clear(m);
    }
    Term t = big_from_mpz(h, z);
    mpz_clear(z);
    return t;
}

static bool get_float(const BitReader *r, Heap *h, uint64_t n, unsigned flags, Term *out)
{
    if (n != 16 && n != 32 && n != 64)
        return false;
    unsigned char le[8];
    get_le_bytes(r, n, flags, le);
    uint64_t u = 0;
    for (size_t i = 0; i < n / 8; i++)
        u |= (uint64_t)le[i] << (8 * i);
    double d;
    if (n == 64) {
        memcpy(&d, &u, 8);
    } else if (n == 32) {
        uint32_t x = (uint32_t)u;
        float f;
        memcpy(&f, &x, 4);
        d = f;
    } else {
        d = half_to_double((uint16_t)u);
    }
    if (!isfinite(d))
        return false;
    *out = term_float(h, d);
    return true;
}

/* The unsigned n-bit (multiple of 8) unit at bit p, in the byte order of flags. */
static uint32_t unit_at(const BitReader *r, uint64_t p, unsigned n, unsigned flags)
{
    BitReader at = *r;
    at.pos = p;
    unsigned char le[4];
    get_le_bytes(&at, n, flags, le);
    uint32_t x = 0;
    for (unsigned i = 0; i < n / 8; i++)
        x |= (uint32_t)le[i] << (8 * i);
    return x;
}

/* Decodes one code point at the reader; its length in bits, or 0. */
static uint64_t get_utf(const BitReader *r, BitsType type, unsigned flags, uint32_t *c)
{
    uint64_t left = r->size - r->pos;
    if (type == BITS_UTF32) {
        if (left < 32)
            return 0;
        *c = unit_at(r, r->pos, 32, flags);
        return *c <= 0x10FFFF && (*c < 0xD800 || *c > 0xDFFF) ? 32 : 0;
    }
    if (type == BITS_UTF16) {
        if (left < 16)
            return 0;
        uint32_t a = unit_at(r, r->pos, 16, flags);
        if (a < 0xD800 || a > 0xDFFF) {
            *c = a;
            return 16;
        }
        if (a > 0xDBFF || left < 32)
            return 0;
        uint32_t b = unit_at(r, r->pos + 16, 16, flags);
        if (b < 0xDC00 || b > 0xDFFF)
            return 0;
        *c = 0x10000 + ((a - 0xD800) << 10) + (b - 0xDC00);
        return 32;
    }
    if (left < 8)
        return 0;
    uint32_t b0 = unit_at(r, r->pos, 8, 0);
    unsigned n;
    uint32_t x, min;
    if (b0 < 0x80)
        return *c = b0, 8;
    if ((b0 & 0xE0) == 0xC0)
        n = 2, x = b0 & 0x1F, min = 0x80;
    else if ((b0 & 0xF0) == 0xE0)
        n = 3, x = b0 & 0x0F, min = 0x800;
    else if ((b0 & 0xF8) == 0xF0)
        n = 4, x = b0 & 0x07, min = 0x10000;
    else
        return 0;
    if (left < 8 * (uint64_t)n)
        return 0;
    for (unsigned i = 1; i < n; i++) {
        uint32_t b = unit_at(r, r->pos + 8 * i, 8, 0);
        if ((b & 0xC0) != 0x80)
            return 0;
        x = x << 6 | (b & 0x3F);
    }
    if (x < min || x > 0x10FFFF || (x >= 0xD800 && x <= 0xDFFF))
        return 0;
    *c = x;
    return 8 * (uint64_t)n;
}

bool bits_get(BitReader *r, Heap *h, BitsType type, int64_t bits, unsigned flags, Term *out)
{
    uint64_t left = r->size - r->pos;
    switch (type) {
    case BITS_INTEGER:
        if (bits < 0 || (uint64_t)bits > left)
            return false;
        *out = get_int(r, h, (uint64_t)bits, flags);
        if (*out == ERL_NONE)
            return false;
        break;
    case BITS_FLOAT:
        if (bits < 0 || (uint64_t)bits > left || !get_float(r, h, (uint64_t)bits, flags, out))
            return false;
        break;
    case BITS_BINARY:
    case BITS_BITSTRING:
        if (bits < 0) {
            if (type == BITS_BINARY && (left & 7))
                return false;
            bits = (int64_t)left;
        } else if ((uint64_t)bits > left) {
            return false;
        }
        if (r->pos == 0 && (uint64_t)bits == r->size)
            *out = r->src;
        else
            *out = bits_sub(h, r->src, r->pos, (uint64_t)bits);
        break;
    case BITS_UTF8:
    case BITS_UTF16:
    case BITS_UTF32: {
        uint32_t c;
        uint64_t n = get_utf(r, type, flags, &c);
        if (!n)
            return false;
        *out = erl_mk_int(c);
        r->pos += n;
        return true;
    }
    }
    r->pos += (uint64_t)bits;
    return true;
}

/* ========================================================== iolists */

bool bits_put_iolist(BitWriter *w, Term t, bool bitstrings)
{
    Work k;
    work_init(&k);
    work_push(&k, t);
    bool ok = true;
    while (ok && k.len) {
        t = k.w[--k.len];
        if (erl_is_bitstring(t)) {
            /* a bitstring after a non-byte-aligned one is fine in list_to_bitstring */
            if (!bitstrings && (erl_bit_size(t) & 7)) {
                ok = false;
                break;
            }
            append(w, bits_data(t), 0, erl_bit_size(t));
            continue;
        }
        if (t == ERL_NIL)
            continue;
        if (!erl_is_cons(t)) {
            ok = false;
            break;
        }
        Term hd = erl_hd(t), tl = erl_tl(t);
        if (!erl_is_list(tl) && !erl_is_bitstring(tl)) {
            ok = false;
            break;
        }
        work_push(&k, tl);
        if (erl_is_int(hd)) {
            long c = erl_int_value(hd);
            if (c < 0 || c > 255) {
                ok = false;
                break;
            }
            unsigned char b = (unsigned char)c;
            append(w, &b, 0, 8);
        } else if (erl_is_list(hd) || erl_is_bitstring(hd)) {
            work_push(&k, hd);
        } else {
            ok = false;
        }
    }
    work_free(&k);
    return ok;
}
