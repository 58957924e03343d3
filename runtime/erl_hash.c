/*
** erl_hash.c
** erl's internal term hash, written from its published definition: Bob
** Jenkins' lookup2 mixing of 32-bit words, with a constant per kind of term,
** over erl's 64-bit representation of immediates.
*/
#include "erl_hash.h"
#include "bignum.h"
#include "fun.h"
#include "map.h"
#include "node.h"
#include "work.h"

#include <string.h>

enum { SALT = 3432918353u, GOLDEN = 0x9e3779b9u };

/* HCONST * k mod 2^32, the constant erl mixes in for each kind of term. */
#define HC(k) ((uint32_t)(GOLDEN * (uint32_t)(k)))

static inline void mix(uint32_t *pa, uint32_t *pb, uint32_t *pc)
{
    uint32_t a = *pa, b = *pb, c = *pc;
    a -= b; a -= c; a ^= c >> 13;
    b -= c; b -= a; b ^= a << 8;
    c -= a; c -= b; c ^= b >> 13;
    a -= b; a -= c; a ^= c >> 12;
    b -= c; b -= a; b ^= a << 16;
    c -= a; c -= b; c ^= b >> 5;
    a -= b; a -= c; a ^= c >> 3;
    b -= c; b -= a; b ^= a << 10;
    c -= a; c -= b; c ^= b >> 15;
    *pa = a;
    *pb = b;
    *pc = c;
}

static inline void hash2(uint32_t *h, uint32_t x, uint32_t y, uint32_t k)
{
    uint32_t a = k + x, b = k + y;
    mix(&a, &b, h);
}

static inline void hash_const(uint32_t *h, uint32_t k)
{
    *h ^= k;
    *h = (*h << 17) ^ (*h >> 15);
}

/* lookup2 over bytes, as erl hashes a binary. */
static uint32_t block_hash(const unsigned char *k, size_t length, uint32_t init)
{
    uint32_t a = GOLDEN, b = GOLDEN, c = init;
    size_t len = length;
    for (; len >= 12; k += 12, len -= 12) {
        a += k[0] + ((uint32_t)k[1] << 8) + ((uint32_t)k[2] << 16) + ((uint32_t)k[3] << 24);
        b += k[4] + ((uint32_t)k[5] << 8) + ((uint32_t)k[6] << 16) + ((uint32_t)k[7] << 24);
        c += k[8] + ((uint32_t)k[9] << 8) + ((uint32_t)k[10] << 16) + ((uint32_t)k[11] << 24);
        mix(&a, &b, &c);
    }
    c += (uint32_t)length;
    switch (len) {
    case 11: c += (uint32_t)k[10] << 24; /* fall through */
    case 10: c += (uint32_t)k[9] << 16; /* fall through */
    case 9: c += (uint32_t)k[8] << 8; /* fall through */
    case 8: b += (uint32_t)k[7] << 24; /* fall through */
    case 7: b += (uint32_t)k[6] << 16; /* fall through */
    case 6: b += (uint32_t)k[5] << 8; /* fall through */
    case 5: b += k[4]; /* fall through */
    case 4: a += (uint32_t)k[3] << 24; /* fall through */
    case 3: a += (uint32_t)k[2] << 16; /* fall through */
    case 2: a += (uint32_t)k[1] << 8; /* fall through */
    case 1: a += k[0]; /* fall through */
    default: break;
    }
    mix(&a, &b, &c);
    return c;
}

/* An immediate as erl's 64-bit word for it; atoms and pids by cerl's own
** numbers (erl's are indices into its own tables). */
static uint64_t erl_word(Term t)
{
    if (erl_is_int(t))
        return ((uint64_t)erl_int_value(t) << 4) | 0xf;
    if (t == ERL_NIL)
        return 0x3b; /* erl 25's NIL: its immediate tag alone */
    if (erl_is_atom(t))
        return ((uint64_t)ATOM_INDEX(t) << 6) | 0xb;
    return ((uint64_t)pid_number(t) << 4) | 0x3; /* a local pid */
}

static bool is_byte(Term t)
{
    return erl_is_int(t) && erl_int_value(t) >= 0 && erl_int_value(t) <= 255;
}

/* Leading bytes of a list four at a time, as erl hashes strings: mixes
** them into *h and returns the rest of the list (a cell whose head is no
** byte, or the tail). A last group of fewer than four goes in with
** 'partial_k', and with its count when 'with_count'. */
static Term hash_byte_run(uint32_t *h, Term t, uint32_t partial_k, bool with_count)
{
    int c = 0;
    uint32_t sh = 0;
    while (erl_is_cons(t) && is_byte(erl_hd(t))) {
        sh = (sh << 8) + (uint32_t)erl_int_value(erl_hd(t));
        if (c == 3) {
            hash2(h, sh, 0, HC(4));
            c = 0;
            sh = 0;
        } else {
            c++;
        }
        t = erl_tl(t);
    }
    if (c > 0)
        hash2(h, sh, with_count ? (uint32_t)c : 0, partial_k);
    return t;
}

/* A tuple's arity into *h, its elements 2..n onto s; returns element 1,
** the next term to hash (ERL_NONE for {}). */
static Term hash_tuple(uint32_t *h, Term t, Work *s)
{
    const Term *p = erl_box_ptr(t);
    size_t n = erl_tuple_size(t);
    hash2(h, (uint32_t)n, 0, HC(9));
    if (n == 0)
        return ERL_NONE;
    for (size_t i = n; i >= 2; i--)
        work_push(s, p[i]);
    return p[1];
}

static void hash_bignum(uint32_t *h, Term t)
{
    const mp_limb_t *l = big_limb_ptr(t);
    uint32_t k = big_negative(t) ? HC(10) : HC(11);
    for (size_t i = 0; i < big_limbs(t); i++)
        hash2(h, (uint32_t)l[i], (uint32_t)((uint64_t)l[i] >> 32), k);
}

/* A float's bits, -0.0 as 0.0. */
static uint64_t float_bits(Term t)
{
    double d = erl_float_value(t);
    uint64_t bits;
    if (d == 0.0)
        d = 0.0;
    memcpy(&bits, &d, sizeof bits);
    return bits;
}

/* Marks a list's tail in the work stack: a word no term has. */
#define CDR_MARK ((Term)0x1e)

uint32_t erl_hash(Term t)
{
    uint32_t h = SALT;
    Work s;
    work_init(&s);
    for (;;) {
        if (erl_is_cons(t)) {
            t = hash_byte_run(&h, t, HC(22), true);
            if (!erl_is_cons(t))
                continue; /* the tail, hashed as any term */
            hash_const(&h, HC(17));
            Term tail = erl_tl(t);
            work_push(&s, tail);
            if (!erl_is_cons(tail))
                work_push(&s, CDR_MARK);
            t = erl_hd(t);
            continue;
        }
        if (!erl_is_boxed(t)) {
            uint64_t w = erl_word(t);
            hash2(&h, (uint32_t)w, (uint32_t)(w >> 32), GOLDEN);
        } else {
            switch (erl_box_kind(t)) {
            case ERL_BOX_TUPLE:
                if ((t = hash_tuple(&h, t, &s)) == ERL_NONE)
                    break;
                continue;
            case ERL_BOX_BIGNUM:
                hash_bignum(&h, t);
                break;
            case ERL_BOX_FLOAT: {
                uint64_t bits = float_bits(t);
                hash2(&h, (uint32_t)bits, (uint32_t)(bits >> 32), HC(12));
                break;
            }
            case ERL_BOX_BINARY: {
                size_t n = erl_binary_size(t);
                uint32_t k = HC(13) + h;
                h = n ? block_hash(erl_binary_bytes(t), n, k) : k;
                break;
            }
            default: /* refs, remote pids, funs, maps: cerl's own hash */
                h ^= (uint32_t)term_own_hash(t);
                hash2(&h, (uint32_t)erl_box_kind(t), 0, HC(7));
                break;
            }
        }
        /* the next pending term */
        for (;;) {
            if (!s.len) {
                work_free(&s);
                return h;
            }
            t = s.w[--s.len];
            if (t != CDR_MARK)
                break;
            hash_const(&h, HC(18));
        }
    }
}

/* ============================================================= phash2 */

/* erl's hash of an atom's name (the value its atom table keeps): hashpjw
** over the UTF-8 bytes, a two-byte sequence of a Latin-1 character taken
** as that character. */
static uint32_t atom_name_hash(Term a)
{
    const unsigned char *p = (const unsigned char *)erl_atom_name(a);
    size_t len = strlen((const char *)p);
    uint32_t h = 0;
    while (len--) {
        uint32_t v = *p++;
        if (len && (v & 0xfe) == 0xc2 && (*p & 0xc0) == 0x80) {
            v = ((v << 6) | (*p & 0x3f)) & 0xff;
            p++;
            len--;
        }
        h = (h << 4) + v;
        uint32_t g = h & 0xf0000000u;
        if (g) {
            h ^= g >> 24;
            h ^= g;
        }
    }
    return h;
}

/* Markers in phash2's work stack (words no term has): the end of a map's
** pairs, and the end of one pair. */
#define MAP_TAIL ((Term)0x2e)
#define MAP_PAIR ((Term)0x3e)

/* An integer of up to 64 bits, as erl hashes a small or one-digit bignum. */
static void hash_int64(uint32_t *h, int64_t v)
{
    if (v >= -(1LL << 27) && v < (1LL << 27)) {
        int32_t y = (int32_t)v;
        if (y < 0)
            hash2(h, (uint32_t)-y, 0, GOLDEN); /* erl mixes a negative twice */
        hash2(h, (uint32_t)y, 0, GOLDEN);
        return;
    }
    uint64_t t = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    hash2(h, (uint32_t)t, (uint32_t)(t >> 32), v < 0 ? HC(10) : HC(11));
}

uint32_t erl_phash2(Term t)
{
    uint32_t h = 0, xor_pairs = 0;
    Work s;
    work_init(&s);
    for (;;) {
        if (erl_is_cons(t)) {
            t = hash_byte_run(&h, t, HC(4), false);
            if (!erl_is_cons(t))
                continue; /* the tail, hashed as any term */
            work_push(&s, erl_tl(t));
            t = erl_hd(t);
            continue;
        }
        if (erl_is_int(t)) {
            hash_int64(&h, erl_int_value(t));
        } else if (erl_is_atom(t)) {
            if (h == 0)
                h = atom_name_hash(t);
            else
                hash2(&h, atom_name_hash(t), 0, HC(3));
        } else if (t == ERL_NIL) {
            if (h == 0)
                h = 3468870702u;
            else
                hash2(&h, 2, 0, HC(2)); /* NIL_DEF, erl's number for the kind [] */
        } else if (erl_is_pid(t) && !erl_is_boxed(t)) {
            hash2(&h, (uint32_t)pid_number(t), 0, HC(5));
        } else if (erl_is_boxed(t)) {
            switch (erl_box_kind(t)) {
            case ERL_BOX_TUPLE:
                if ((t = hash_tuple(&h, t, &s)) == ERL_NONE)
                    break;
                continue;
            case ERL_BOX_BIGNUM:
                hash_bignum(&h, t);
                break;
            case ERL_BOX_FLOAT: {
                uint64_t bits = float_bits(t);
                hash2(&h, (uint32_t)(bits >> 32), (uint32_t)bits, HC(12));
                break;
            }
            case ERL_BOX_BINARY: {
                size_t n = erl_bit_size(t) / 8, bits = erl_bit_size(t) % 8;
                const unsigned char *b = erl_binary_bytes(t);
                uint32_t k = HC(13) + h;
                h = n || bits ? block_hash(b, n, k) : k;
                if (bits)
                    hash2(&h, (uint32_t)bits, (uint32_t)(b[n] >> (8 - bits)), HC(15));
                break;
            }
            case ERL_BOX_MAP:
            case ERL_BOX_MAPNODE: {
                size_t n = map_size(t);
                hash2(&h, (uint32_t)n, 0, HC(16));
                if (n == 0)
                    break;
                /* each pair hashed on its own from 0, the pairs xor'ed: the
                ** order they are walked in does not matter */
                work_push(&s, erl_mk_int(xor_pairs));
                work_push(&s, erl_mk_int(h));
                work_push(&s, MAP_TAIL);
                MapIter it;
                map_iter_init(&it, t);
                Term k, v;
                while (map_next(&it, &k, &v)) {
                    work_push(&s, MAP_PAIR);
                    work_push(&s, v);
                    work_push(&s, k);
                }
                h = 0;
                xor_pairs = 0;
                break;
            }
            default:
                if (fun_is_export(t)) {
                    Term m, f;
                    int arity;
                    fun_export_parts(t, &m, &f, &arity);
                    hash2(&h, (uint32_t)arity, atom_name_hash(m), GOLDEN);
                    hash2(&h, atom_name_hash(f), 0, HC(14));
                } else if (erl_is_pid(t)) {
                    Term node;
                    uint32_t number, serial, creation;
                    node_pid_parts(t, &node, &number, &serial, &creation);
                    hash2(&h, number, 0, HC(5));
                } else if (erl_is_ref(t)) {
                    Term node;
                    uint32_t creation, words[NODE_REF_WORDS_MAX];
                    node_ref_parts(t, &node, &creation, words);
                    hash2(&h, words[0], 0, HC(7));
                } else { /* a closure: cerl's own hash */
                    hash2(&h, (uint32_t)term_own_hash(t), 0, HC(20));
                }
                break;
            }
        }
        /* the next pending term */
        for (;;) {
            if (!s.len) {
                work_free(&s);
                return h;
            }
            t = s.w[--s.len];
            if (t == MAP_TAIL) {
                uint32_t pairs = xor_pairs;
                h = (uint32_t)erl_int_value(s.w[--s.len]);
                xor_pairs = (uint32_t)erl_int_value(s.w[--s.len]);
                hash2(&h, pairs, 0, HC(19));
            } else if (t == MAP_PAIR) {
                xor_pairs ^= h;
                h = 0;
            } else {
                break;
            }
        }
    }
}
