/*
** etf.c
** Erlang's external term format, both ways.
**
** Why not erl_interface's ei_encode and ei_decode functions: ei writes every atom as
** UTF-8 (erl 25's term_to_binary writes ATOM_EXT), so its bytes differ from
** erl's; and ei's decoders take no buffer length, so they cannot refuse
** garbage safely. The format itself is small and fixed; both directions
** are here, written from its specification.
**
** Both directions work without recursion (nesting is bounded by memory, not
** by the C stack). The decoder builds top-down: a container is allocated,
** filled with [] and linked into its parent before its elements are read,
** so everything built so far is reachable from the root local and a
** collection triggered by an allocation midway keeps all of it.
*/
#include "etf.h"
#include "bignum.h"
#include "bits.h"
#include "buf.h"
#include "fun.h"
#include "map.h"
#include "node.h"
#include "text.h"
#include "work.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <zlib.h>

enum {
    VERSION = 131,
    NEW_FLOAT_EXT = 70,
    BIT_BINARY_EXT = 77,
    COMPRESSED = 80,
    NEW_PID_EXT = 88,
    NEWER_REFERENCE_EXT = 90,
    SMALL_INTEGER_EXT = 97,
    INTEGER_EXT = 98,
    FLOAT_EXT = 99,
    ATOM_EXT = 100,
    REFERENCE_EXT = 101,
    PID_EXT = 103,
    SMALL_TUPLE_EXT = 104,
    LARGE_TUPLE_EXT = 105,
    NIL_EXT = 106,
    STRING_EXT = 107,
    LIST_EXT = 108,
    BINARY_EXT = 109,
    SMALL_BIG_EXT = 110,
    LARGE_BIG_EXT = 111,
    NEW_FUN_EXT = 112,
    EXPORT_EXT = 113,
    NEW_REFERENCE_EXT = 114,
    SMALL_ATOM_EXT = 115,
    MAP_EXT = 116,
    ATOM_UTF8_EXT = 118,
    SMALL_ATOM_UTF8_EXT = 119,
};


/* ============================================================ encoding */

static void put8(Buf *b, unsigned v)
{
    buf_putc(b, (char)(v & 0xff));
}

static void put16(Buf *b, unsigned v)
{
    put8(b, v >> 8);
    put8(b, v);
}

static void put32(Buf *b, uint32_t v)
{
    put16(b, v >> 16);
    put16(b, v & 0xffff);
}

/* An atom named by UTF-8 bytes: ATOM_EXT in latin-1 when every character
** fits (erl 25's default), else, or with minor_version 2, UTF-8. */
static void put_atom_name(Buf *b, const char *name, size_t len, int minor)
{
    char latin[4 * 256];
    long n = minor < 2 && len <= sizeof latin ? text_utf8_to_latin1(name, len, latin) : -1;
    bool latin1 = n >= 0;
    if (latin1) {
        put8(b, ATOM_EXT);
        put16(b, (unsigned)n);
        buf_put(b, latin, (size_t)n);
    } else if (len < 256) {
        put8(b, SMALL_ATOM_UTF8_EXT);
        put8(b, (unsigned)len);
        buf_put(b, name, len);
    } else {
        put8(b, ATOM_UTF8_EXT);
        put16(b, (unsigned)len);
        buf_put(b, name, len);
    }
}

static void put_atom(Buf *b, Term a, int minor)
{
    put_atom_name(b, erl_atom_name(a), atom_len(a), minor);
}

static void put_integer(Buf *b, Term t)
{
    int64_t v;
    if (erl_is_int(t) && (v = erl_int_value(t)) >= 0 && v <= 255) {
        put8(b, SMALL_INTEGER_EXT);
        put8(b, (unsigned)v);
        return;
    }
    if (erl_is_int(t) && v >= INT32_MIN && v <= INT32_MAX) {
        put8(b, INTEGER_EXT);
        put32(b, (uint32_t)v);
        return;
    }
    /* the magnitude in little-endian bytes, as few as it needs */
    mpz_t z;
    mpz_init(z);
    int_get_mpz(t, z);
    size_t n = (mpz_sizeinbase(z, 2) + 7) / 8;
    unsigned char *bytes = xmalloc(n);
    mpz_export(bytes, &n, -1, 1, 0, 0, z);
    if (n < 256) {
        put8(b, SMALL_BIG_EXT);
        put8(b, (unsigned)n);
    } else {
        put8(b, LARGE_BIG_EXT);
        put32(b, (uint32_t)n);
    }
    put8(b, mpz_sgn(z) < 0);
    buf_put(b, (const char *)bytes, n);
    free(bytes);
    mpz_clear(z);
}

static void put_float(Buf *b, double d, int minor)
{
    if (minor == 0) {
        char text[32] = {0};
        snprintf(text, sizeof text, "%.20e", d);
        put8(b, FLOAT_EXT);
        buf_put(b, text, 31);
        return;
    }
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    put8(b, NEW_FLOAT_EXT);
    put32(b, (uint32_t)(bits >> 32));
    put32(b, (uint32_t)bits);
}

/* A list of bytes short enough for STRING_EXT: length, or -1. */
static long byte_string_length(Term t)
{
    long n = 0;
    for (; erl_is_cons(t); t = erl_tl(t), n++) {
        Term c = erl_hd(t);
        if (!erl_is_int(c) || erl_int_value(c) < 0 || erl_int_value(c) > 255 || n >= 65535)
            return -1;
    }
    return t == ERL_NIL ? n : -1;
}

/* Encodes t after the version byte; false for a term with no encoding. */
static bool encode(Buf *b, Term t, int minor)
{
    Work todo;
    bool ok = true;
    work_init(&todo);
    work_push(&todo, t);
    while (todo.len && ok) {
        t = todo.w[--todo.len];
        if (int_is(t)) {
            put_integer(b, t);
        } else if (erl_is_atom(t)) {
            put_atom(b, t, minor);
        } else if (t == ERL_NIL) {
            put8(b, NIL_EXT);
        } else if (erl_is_cons(t)) {
            long n = byte_string_length(t);
            if (n >= 0) {
                put8(b, STRING_EXT);
                put16(b, (unsigned)n);
                for (; erl_is_cons(t); t = erl_tl(t))
                    put8(b, (unsigned)erl_int_value(erl_hd(t)));
                continue;
            }
            size_t count = 0;
            Term tail = t;
            for (; erl_is_cons(tail); tail = erl_tl(tail))
                count++;
            put8(b, LIST_EXT);
            put32(b, (uint32_t)count);
            /* pushed last-first, so they come out in order */
            work_push(&todo, tail);
            size_t at = todo.len;
            for (size_t i = 0; i < count; i++)
                work_push(&todo, ERL_NIL);
            for (size_t i = count; erl_is_cons(t); t = erl_tl(t))
                todo.w[at + --i] = erl_hd(t);
        } else if (erl_is_pid(t)) {
            Term node;
            uint32_t number, serial, creation;
            node_pid_parts(t, &node, &number, &serial, &creation);
            put8(b, NEW_PID_EXT);
            put_atom(b, node, minor);
            put32(b, number);
            put32(b, serial);
            put32(b, creation);
        } else if (erl_is_float(t)) {
            put_float(b, erl_float_value(t), minor);
        } else if (erl_is_tuple(t)) {
            uint64_t n = erl_tuple_size(t);
            if (n < 256) {
                put8(b, SMALL_TUPLE_EXT);
                put8(b, (unsigned)n);
            } else {
                put8(b, LARGE_TUPLE_EXT);
                put32(b, (uint32_t)n);
            }
            for (uint64_t i = n; i >= 1; i--)
                work_push(&todo, erl_element(t, i));
        } else if (erl_is_bitstring(t)) {
            uint64_t bits = erl_bit_size(t);
            put8(b, bits & 7 ? BIT_BINARY_EXT : BINARY_EXT);
            put32(b, (uint32_t)erl_binary_size(t));
            if (bits & 7)
                put8(b, (unsigned)(bits & 7));
            buf_put(b, (const char *)erl_binary_bytes(t), erl_binary_size(t));
        } else if (map_is(t)) {
            /* pairs in the map's own order: key order for a flat map, as
            ** erl writes one */
            size_t n = map_size(t);
            put8(b, MAP_EXT);
            put32(b, (uint32_t)n);
            size_t at = todo.len;
            for (size_t i = 0; i < 2 * n; i++)
                work_push(&todo, ERL_NIL);
            MapIter it;
            Term k, v;
            size_t i = 2 * n;
            map_iter_init(&it, t);
            while (map_next(&it, &k, &v)) {
                todo.w[at + --i] = k;
                todo.w[at + --i] = v;
            }
        } else if (erl_is_ref(t)) {
            Term node;
            uint32_t creation, words[NODE_REF_WORDS_MAX];
            int n = node_ref_parts(t, &node, &creation, words);
            put8(b, NEWER_REFERENCE_EXT);
            put16(b, (unsigned)n);
            put_atom(b, node, minor);
            put32(b, creation);
            /* printed #Ref<N.A.B.C>, encoded C, B, A */
            for (int i = 0; i < n; i++)
                put32(b, words[i]);
        } else if (fun_is_export(t)) {
            Term m, f;
            int arity;
            fun_export_parts(t, &m, &f, &arity);
            put8(b, EXPORT_EXT);
            put_atom(b, m, minor);
            put_atom(b, f, minor);
            put8(b, SMALL_INTEGER_EXT);
            put8(b, (unsigned)arity);
        } else {
            ok = false;
        }
    }
    work_free(&todo);
    return ok;
}

Term etf_encode(Heap *h, Term t, const EtfOptions *opt)
{
    Buf b = {0};
    put8(&b, VERSION);
    if (!encode(&b, t, opt->minor_version)) {
        buf_free(&b);
        return ERL_NONE;
    }
    Term result = ERL_NONE;
    if (opt->compressed > 0) {
        /* erl keeps the compressed form only when it is smaller */
        uLongf zlen = compressBound(b.len - 1);
        unsigned char *z = xmalloc(6 + zlen);
        if (compress2(z + 6, &zlen, (const Bytef *)b.s + 1, b.len - 1, opt->compressed) == Z_OK &&
            zlen + 6 < b.len) {
            size_t raw = b.len - 1;
            z[0] = VERSION;
            z[1] = COMPRESSED;
            z[2] = (unsigned char)(raw >> 24);
            z[3] = (unsigned char)(raw >> 16);
            z[4] = (unsigned char)(raw >> 8);
            z[5] = (unsigned char)raw;
            result = term_binary(h, z, zlen + 6);
        }
        free(z);
    }
    if (result == ERL_NONE)
        result = term_binary(h, b.s, b.len);
    buf_free(&b);
    return result;
}

/* ============================================================ decoding */

typedef struct Reader {
    const unsigned char *p, *end;
} Reader;

static bool need(const Reader *r, size_t n)
{
    return (size_t)(r->end - r->p) >= n;
}

static unsigned get8(Reader *r)
{
    return *r->p++;
}

static unsigned get16(Reader *r)
{
    unsigned v = (unsigned)r->p[0] << 8 | r->p[1];
    r->p += 2;
    return v;
}

static uint32_t get32(Reader *r)
{
    uint32_t v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
    r->p += 4;
    return v;
}

/* A length of 'bytes' bytes (1, 2 or 4), big-endian, in *n; false when
** the input ends first. */
static bool get_length(Reader *r, unsigned bytes, size_t *n)
{
    if (!need(r, bytes))
        return false;
    *n = bytes == 1 ? get8(r) : bytes == 2 ? get16(r) : get32(r);
    return true;
}

/* An atom of any of the four atom encodings; ERL_NONE when malformed, too
** long (over 255 characters) or, when safe, not existing yet. */
static Term get_atom(Reader *r, bool safe)
{
    if (!need(r, 1))
        return ERL_NONE;
    unsigned tag = get8(r);
    size_t n;
    if (tag == ATOM_EXT || tag == ATOM_UTF8_EXT) {
        if (!get_length(r, 2, &n))
            return ERL_NONE;
    } else if (tag == SMALL_ATOM_EXT || tag == SMALL_ATOM_UTF8_EXT) {
        if (!get_length(r, 1, &n))
            return ERL_NONE;
    } else {
        return ERL_NONE;
    }
    if (!need(r, n))
        return ERL_NONE;
    char name[4 * 256];
    size_t len, chars;
    if (tag == ATOM_EXT || tag == SMALL_ATOM_EXT) {
        /* latin-1: one character per byte */
        if (2 * (size_t)n > sizeof name)
            return ERL_NONE;
        len = text_latin1_to_utf8(r->p, n, name);
        chars = n;
    } else {
        if (n > sizeof name || !text_utf8_valid(r->p, n, &chars))
            return ERL_NONE;
        memcpy(name, r->p, n);
        len = n;
    }
    r->p += n;
    if (chars > 255)
        return ERL_NONE;
    return safe ? atom_lookup(name, len) : atom_from(name, len);
}

/* The creation after a node name (4 bytes, or 1 in the older encodings)
** into *creation; false past the end. */
static bool get_creation(Reader *r, unsigned bytes, uint32_t *creation)
{
    if (!need(r, bytes))
        return false;
    *creation = bytes == 4 ? get32(r) : get8(r);
    return true;
}

/* Where the next decoded terms go. A tuple's frame hands out its slots in
** order; a list's frame hands out the head of its current cell, then adds
** a cell for each further element, and last hands out the final tail. */
typedef struct Frame {
    Term *slot;   /* tuple: the next slot; list: the current cell */
    size_t left;  /* elements still to hand out (for a list: heads) */
    bool list;
    bool started; /* list: the current cell's head has been handed out */
    Term *map;    /* a map's pairs, read into a scratch tuple that stands
                  ** in the map's place (*map) until the map is built */
} Frame;

/* Frame.map of a map whose place is not known yet (decode_one's caller
** fills it in). */
#define MAP_PENDING ((Term *)1)

typedef struct Frames {
    Frame *items;
    size_t len, cap;
} Frames;

static void frame_push(Frames *s, Frame f)
{
    if (s->len == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 32;
        s->items = xrealloc(s->items, s->cap * sizeof *s->items);
    }
    s->items[s->len++] = f;
}

/* One term's encoding with its children left to the caller: returns the
** term (containers with their elements still [] and a frame pushed to fill
** them), or ERL_NONE when malformed. */
static Term decode_one(Heap *h, Reader *r, bool safe, Frames *frames)
{
    if (!need(r, 1))
        return ERL_NONE;
    unsigned tag = *r->p;
    if (tag == ATOM_EXT || tag == ATOM_UTF8_EXT || tag == SMALL_ATOM_EXT || tag == SMALL_ATOM_UTF8_EXT)
        return get_atom(r, safe);
    r->p++;
    switch (tag) {
    case SMALL_INTEGER_EXT:
        return need(r, 1) ? erl_mk_int(get8(r)) : ERL_NONE;
    case INTEGER_EXT:
        return need(r, 4) ? erl_mk_int((int32_t)get32(r)) : ERL_NONE;
    case SMALL_BIG_EXT:
    case LARGE_BIG_EXT: {
        size_t n;
        if (!get_length(r, tag == SMALL_BIG_EXT ? 1 : 4, &n) || !need(r, 1 + n))
            return ERL_NONE;
        unsigned sign = get8(r);
        mpz_t z;
        mpz_init(z);
        mpz_import(z, n, -1, 1, 0, 0, r->p);
        r->p += n;
        if (sign)
            mpz_neg(z, z);
        Term t = sign > 1 ? ERL_NONE : big_from_mpz(h, z);
        mpz_clear(z);
        return t;
    }
    case NEW_FLOAT_EXT: {
        if (!need(r, 8))
            return ERL_NONE;
        uint64_t bits = (uint64_t)get32(r) << 32;
        bits |= get32(r);
        double d;
        memcpy(&d, &bits, sizeof d);
        return isfinite(d) ? term_float(h, d) : ERL_NONE;
    }
    case FLOAT_EXT: {
        if (!need(r, 31))
            return ERL_NONE;
        char text[32];
        memcpy(text, r->p, 31);
        text[31] = '\0';
        r->p += 31;
        char *end;
        double d = strtod(text, &end);
        return end != text && isfinite(d) ? term_float(h, d) : ERL_NONE;
    }
    case NIL_EXT:
        return ERL_NIL;
    case STRING_EXT: {
        size_t n;
        if (!get_length(r, 2, &n) || !need(r, n))
            return ERL_NONE;
        Term t = term_string(h, (const char *)r->p, n);
        r->p += n;
        return t;
    }
    case SMALL_TUPLE_EXT:
    case LARGE_TUPLE_EXT: {
        /* every element takes a byte at least: a claim beyond the input
        ** is refused before anything is allocated */
        size_t n;
        if (!get_length(r, tag == SMALL_TUPLE_EXT ? 1 : 4, &n) || !need(r, n))
            return ERL_NONE;
        Term *p = heap_alloc(h, 1 + n);
        p[0] = box_header(n, ERL_BOX_TUPLE);
        for (size_t i = 1; i <= n; i++)
            p[i] = ERL_NIL;
        if (n)
            frame_push(frames, (Frame){p + 1, n, false, false, NULL});
        return (Term)(uintptr_t)p;
    }
    case LIST_EXT: {
        size_t n;
        if (!get_length(r, 4, &n) || !need(r, n + 1))
            return ERL_NONE;
        if (n == 0) /* handled by decode: the tail alone */
            return ERL_NONE;
        Term cell = term_cons(h, ERL_NIL, ERL_NIL);
        frame_push(frames, (Frame){cons_ptr(cell), n, true, false, NULL});
        return cell;
    }
    case MAP_EXT: {
        size_t n;
        if (!get_length(r, 4, &n) || !need(r, 2 * n))
            return ERL_NONE;
        /* the pairs go into a scratch tuple first; decode() tells the
        ** frame where the map goes once the tuple is in place */
        Term *p = heap_alloc(h, 1 + 2 * n);
        p[0] = box_header(2 * n, ERL_BOX_TUPLE);
        for (size_t i = 1; i <= 2 * n; i++)
            p[i] = ERL_NIL;
        frame_push(frames, (Frame){p + 1, 2 * n, false, false, MAP_PENDING});
        return (Term)(uintptr_t)p;
    }
    case BINARY_EXT: {
        size_t n;
        if (!get_length(r, 4, &n) || !need(r, n))
            return ERL_NONE;
        Term t = term_binary(h, r->p, n);
        r->p += n;
        return t;
    }
    case BIT_BINARY_EXT: {
        if (!need(r, 5))
            return ERL_NONE;
        size_t n = get32(r);
        unsigned last = get8(r);
        if ((last == 0) != (n == 0) || last > 8 || !need(r, n))
            return ERL_NONE;
        Term t = bits_make(h, r->p, n ? 8 * ((uint64_t)n - 1) + last : 0);
        r->p += n;
        return t;
    }
    case NEW_PID_EXT:
    case PID_EXT: {
        /* this node's pids become local ones, any other node's stay as
        ** they came (node.h) */
        Term node = get_atom(r, safe);
        uint32_t creation;
        if (node == ERL_NONE || !need(r, 8))
            return ERL_NONE;
        uint32_t id = get32(r), serial = get32(r);
        if (!get_creation(r, tag == NEW_PID_EXT ? 4 : 1, &creation))
            return ERL_NONE;
        return node_pid(h, node, id, serial, creation);
    }
    case NEWER_REFERENCE_EXT:
    case NEW_REFERENCE_EXT: {
        if (!need(r, 2))
            return ERL_NONE;
        unsigned n = get16(r);
        Term node = get_atom(r, safe);
        uint32_t creation, words[NODE_REF_WORDS_MAX];
        if (node == ERL_NONE || n > NODE_REF_WORDS_MAX ||
            !get_creation(r, tag == NEWER_REFERENCE_EXT ? 4 : 1, &creation) || !need(r, 4 * (size_t)n))
            return ERL_NONE;
        for (unsigned i = 0; i < n; i++)
            words[i] = get32(r);
        if (tag == NEW_REFERENCE_EXT && n) /* 18 bits in the first word, as erl reads it */
            words[0] &= 0x3ffff;
        return node_ref(h, node, creation, (int)n, words);
    }
    case EXPORT_EXT: {
        Term m = get_atom(r, safe), f = m == ERL_NONE ? ERL_NONE : get_atom(r, safe);
        if (f == ERL_NONE || !need(r, 2) || get8(r) != SMALL_INTEGER_EXT)
            return ERL_NONE;
        unsigned arity = get8(r);
        return arity <= 255 ? fun_export(h, m, f, (int)arity) : ERL_NONE;
    }
    default:
        return ERL_NONE;
    }
}

/* Replaces the scratch tuple of a map whose pairs are all read by the
** map; false when two keys are equal (erl refuses such an encoding). */
static bool finish_map(Heap *h, Frame *f)
{
    Term pairs = *f->map;
    size_t n = erl_tuple_size(pairs) / 2;
    Term m = map_new(h);
    for (size_t i = 0; i < n; i++)
        m = map_put(h, m, erl_element(pairs, 2 * i + 1), erl_element(pairs, 2 * i + 2));
    if (map_size(m) != n)
        return false;
    *f->map = m;
    return true;
}

/* The next hole to fill, taken from the innermost unfinished container;
** a tuple or list whose last hole is handed out is finished, a map once
** its last value is read. NULL when the whole term is complete; *bad set
** when a map turns out malformed. */
static Term *next_hole(Heap *h, Frames *frames, bool *bad)
{
    Frame *f;
    for (;;) {
        if (!frames->len)
            return NULL;
        f = &frames->items[frames->len - 1];
        if (!f->map || f->left)
            break;
        if (!finish_map(h, f)) {
            *bad = true;
            return NULL;
        }
        frames->len--;
    }
    Term *hole;
    if (f->map) {
        f->left--;
        return f->slot++;
    }
    if (!f->list) {
        hole = f->slot++;
        if (--f->left == 0)
            frames->len--;
        return hole;
    }
    if (f->left == 0) {
        hole = &f->slot[1]; /* the tail */
        frames->len--;
        return hole;
    }
    if (f->started) {
        Term cell = term_cons(h, ERL_NIL, ERL_NIL);
        f->slot[1] = cell;
        f->slot = cons_ptr(cell);
    }
    f->started = true;
    f->left--;
    return &f->slot[0];
}

static Term decode(Heap *h, Reader *r, bool safe)
{
    Frames frames = {0};
    /* volatile: the root stays in memory the collector scans, and through
    ** it everything built so far */
    volatile Term root = ERL_NIL;
    Term *hole = (Term *)&root;
    Term result = ERL_NONE;
    while (hole) {
        /* a list of no elements is its tail alone: it goes in this hole */
        if (need(r, 5) && r->p[0] == LIST_EXT && !r->p[1] && !r->p[2] && !r->p[3] && !r->p[4]) {
            r->p += 5;
            continue;
        }
        Term t = decode_one(h, r, safe, &frames);
        if (t == ERL_NONE)
            goto out;
        *hole = t;
        if (frames.len && frames.items[frames.len - 1].map == MAP_PENDING)
            frames.items[frames.len - 1].map = hole;
        bool bad = false;
        hole = next_hole(h, &frames, &bad);
        if (bad)
            goto out;
    }
    result = root;
out:
    free(frames.items);
    return result;
}

Term etf_decode(Heap *h, const unsigned char *bytes, size_t len, bool safe, size_t *used)
{
    Reader r = {bytes, bytes + len};
    if (!need(&r, 1) || get8(&r) != VERSION)
        return ERL_NONE;
    Term t;
    if (need(&r, 1) && *r.p == COMPRESSED) {
        r.p++;
        if (!need(&r, 4))
            return ERL_NONE;
        uLongf size = get32(&r);
        /* deflate never shrinks data more than 1032 to 1: a larger claim
        ** is a lie, refused before it is allocated */
        if (size > 1032 * (uLongf)(r.end - r.p) + 64)
            return ERL_NONE;
        unsigned char *raw = malloc(size ? size : 1);
        if (!raw)
            return ERL_NONE;
        uLongf got = size;
        uLong in = (uLong)(r.end - r.p);
        if (uncompress2(raw, &got, r.p, &in) != Z_OK || got != size) {
            free(raw);
            return ERL_NONE;
        }
        Reader inner = {raw, raw + size};
        t = decode(h, &inner, safe);
        free(raw);
        r.p += in;
    } else {
        t = decode(h, &r, safe);
    }
    if (t != ERL_NONE && used)
        *used = (size_t)(r.p - bytes);
    return t;
}
