/*
** iolib_deep.c
** Rebuilds the nesting erl gives io_lib:format's ~w ~p ~s elements around
** the flat text cerl's printer wrote: io_lib:write's [$[, [E1,$,,E2], $]]
** lists, {..} tuples, <<..>> binaries and #{K => V} maps, io_lib_pretty's
** one-line shapes (a printable string as one quoted string, an improper
** tail spliced), and io_lib_format's field padding ([Pad|Text], [Text|Pad],
** its chars/2 runs of pad characters). Every shape is checked against the
** flat text before it is used.
*/
#include "iolib_deep.h"

#include "buf.h"
#include "heap.h"
#include "map.h"
#include "print.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Terms nested deeper than this keep their flat text. */
#define DEEP_MAX 400

/* The length of the UTF-8 sequence at s (at most n bytes) and its code point
** in *cp, or 0 when it is not one. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    size_t len = s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
    if (len == 0 || len > n)
        return 0;
    unsigned c = s[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)))
        return 0;
    *cp = c;
    return len;
}

Term iolib_chars_onto(Heap *h, const unsigned char *s, size_t n, Term tail)
{
    unsigned *cps = n ? malloc(n * sizeof *cps) : NULL;
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = s[i] >= 0x80 ? utf8_decode(s + i, n - i, &cp) : 0;
        if (len == 0) {
            cp = s[i];
            len = 1;
        }
        cps[count++] = cp;
        i += len;
    }
    while (count > 0)
        tail = term_cons(h, erl_mk_int((long)cps[--count]), tail);
    free(cps);
    return tail;
}

/* The text in b as a flat character list; frees b. */
static Term buf_chars(Heap *h, Buf *b)
{
    Term t = iolib_chars_onto(h, (const unsigned char *)b->s, b->len, ERL_NIL);
    buf_free(b);
    return t;
}

static Term str(Heap *h, const char *s)
{
    return iolib_chars_onto(h, (const unsigned char *)s, strlen(s), ERL_NIL);
}

static Term ch(long c) { return erl_mk_int(c); }

/* [a, b, c] of three terms. */
static Term list3(Heap *h, Term a, Term b, Term c)
{
    return term_cons(h, a, term_cons(h, b, term_cons(h, c, ERL_NIL)));
}

/* An accumulator of a list built front to back. */
typedef struct Acc {
    Term *v;
    size_t n, cap;
} Acc;

static void acc_push(Acc *a, Term t)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 16;
        a->v = realloc(a->v, a->cap * sizeof *a->v);
    }
    a->v[a->n++] = t;
}

/* The accumulated terms consed in front of tail; frees the accumulator. */
static Term acc_list(Heap *h, Acc *a, Term tail)
{
    for (size_t i = a->n; i > 0; i--)
        tail = term_cons(h, a->v[i - 1], tail);
    free(a->v);
    return tail;
}

static Term build(Heap *h, Term t, bool pretty, int depth);

/* The wrapped shape [Open..., Body, Close...]: "[" Body "]" and the like. */
static Term wrap(Heap *h, const char *open, Term body, const char *close)
{
    Term tail = str(h, close);
    tail = term_cons(h, body, tail);
    return iolib_chars_onto(h, (const unsigned char *)open, strlen(open), tail);
}

static Term build_list(Heap *h, Term t, bool pretty, int depth)
{
    if (t == ERL_NIL)
        return str(h, "[]");
    if (pretty && term_is_printable_string(t)) {
        Buf b = {0};
        print_pretty(&b, t, 1, 80, -1);
        return buf_chars(h, &b);
    }
    Acc a = {0};
    Term e = ERL_NONE;
    for (; erl_is_cons(t); t = erl_tl(t)) {
        if (a.n > 0)
            acc_push(&a, ch(','));
        if ((e = build(h, erl_hd(t), pretty, depth + 1)) == ERL_NONE)
            break;
        acc_push(&a, e);
    }
    Term tail = ERL_NIL;
    if (e != ERL_NONE && t != ERL_NIL) {
        acc_push(&a, ch('|'));
        e = build(h, t, pretty, depth + 1);
        if (pretty) /* io_lib_pretty splices the tail's text in */
            tail = e;
        else if (e != ERL_NONE)
            acc_push(&a, e);
    }
    if (e == ERL_NONE) {
        free(a.v);
        return ERL_NONE;
    }
    return wrap(h, "[", acc_list(h, &a, tail), "]");
}

static Term build_tuple(Heap *h, Term t, bool pretty, int depth)
{
    unsigned long size = erl_tuple_size(t);
    if (size == 0)
        return str(h, "{}");
    Acc a = {0};
    for (unsigned long i = 1; i <= size; i++) {
        if (i > 1)
            acc_push(&a, ch(','));
        Term e = build(h, erl_element(t, i), pretty, depth + 1);
        if (e == ERL_NONE) {
            free(a.v);
            return ERL_NONE;
        }
        acc_push(&a, e);
    }
    return wrap(h, "{", acc_list(h, &a, ERL_NIL), "}");
}

static Term build_bits(Heap *h, Term t, bool pretty)
{
    unsigned long bits = erl_bit_size(t), size = bits / 8;
    unsigned tail = (unsigned)(bits & 7);
    const unsigned char *s = erl_binary_bytes(t);
    if (pretty) {
        Buf b = {0};
        print_pretty(&b, t, 1, 80, -1);
        if (bits == 0)
            return buf_chars(h, &b);
        if (b.len > 4 && b.s[2] == '"') { /* <<"text">> */
            Term body = iolib_chars_onto(h, (const unsigned char *)b.s + 2, b.len - 4, ERL_NIL);
            buf_free(&b);
            return wrap(h, "<<", body, ">>");
        }
        buf_free(&b);
    }
    Acc a = {0};
    char num[32];
    for (unsigned long i = 0; i < size; i++) {
        if (i > 0)
            acc_push(&a, ch(','));
        snprintf(num, sizeof num, "%u", s[i]);
        acc_push(&a, str(h, num));
    }
    if (tail) {
        if (size > 0)
            acc_push(&a, ch(','));
        snprintf(num, sizeof num, "%u", (unsigned)s[size] >> (8 - tail));
        acc_push(&a, str(h, num));
        acc_push(&a, ch(':'));
        snprintf(num, sizeof num, "%u", tail);
        acc_push(&a, str(h, num));
    }
    return wrap(h, "<<", acc_list(h, &a, ERL_NIL), ">>");
}

static Term build_map(Heap *h, Term t, bool pretty, int depth)
{
    size_t size = map_size(t);
    if (size == 0)
        return str(h, "#{}");
    MapIter it;
    map_iter_init_print(&it, t);
    Acc a = {0};
    Term k, v;
    for (size_t i = 0; i < size && map_next(&it, &k, &v); i++) {
        if (i > 0)
            acc_push(&a, ch(','));
        Term bk = build(h, k, pretty, depth + 1), bv = build(h, v, pretty, depth + 1);
        if (bk == ERL_NONE || bv == ERL_NONE) {
            free(a.v);
            return ERL_NONE;
        }
        acc_push(&a, list3(h, bk, str(h, " => "), bv));
    }
    return wrap(h, "#{", acc_list(h, &a, ERL_NIL), "}");
}

/* t as io_lib:write (pretty: io_lib_pretty on one line) nests it, or
** ERL_NONE when it is nested too deep. */
static Term build(Heap *h, Term t, bool pretty, int depth)
{
    if (depth > DEEP_MAX)
        return ERL_NONE;
    if (erl_is_list(t))
        return build_list(h, t, pretty, depth);
    if (erl_is_tuple(t))
        return build_tuple(h, t, pretty, depth);
    if (erl_is_bitstring(t))
        return build_bits(h, t, pretty);
    if (map_is(t))
        return build_map(h, t, pretty, depth);
    Buf b = {0};
    print_write(&b, t);
    return buf_chars(h, &b);
}

/* ------------------------------------------------------------ fields */

/* io_lib_format's chars(C, N): N copies of C, nested as erl nests them. */
static Term chars(Heap *h, long c, long n)
{
    if (n <= 0)
        return ERL_NIL;
    if (n <= 3) {
        Term l = ERL_NIL;
        for (long i = 0; i < n; i++)
            l = term_cons(h, ch(c), l);
        return l;
    }
    Term s = chars(h, c, n >> 1);
    Term l = term_cons(h, s, s);
    return n & 1 ? term_cons(h, ch(c), l) : l;
}

/* io_lib_format's adjust: Data with Pad before (right) or after (left). */
static Term adjust(Heap *h, Term data, Term pad, bool left)
{
    if (pad == ERL_NIL)
        return data;
    return left ? term_cons(h, data, pad) : term_cons(h, pad, data);
}

/* The number of characters in the deep list t. */
static long deep_len(Term t)
{
    long n = 0;
    for (; erl_is_cons(t); t = erl_tl(t))
        n += erl_is_int(erl_hd(t)) ? 1 : deep_len(erl_hd(t));
    return n;
}

/* Pushes the first *n characters of the deep list l onto a. */
static void take_deep(Acc *a, Term l, long *n)
{
    for (; erl_is_cons(l) && *n > 0; l = erl_tl(l)) {
        if (erl_is_int(erl_hd(l))) {
            acc_push(a, erl_hd(l));
            (*n)--;
        } else {
            take_deep(a, erl_hd(l), n);
        }
    }
}

/* io_lib_format's flat_trunc: the first n characters of the deep list l,
** flat. */
static Term take(Heap *h, Term l, long n)
{
    Acc a = {0};
    take_deep(&a, l, &n);
    return acc_list(h, &a, ERL_NIL);
}

/* A directive's fields: width and precision (-1: none), left adjustment,
** pad character, control character; 'arg' its (first) data argument. */
typedef struct Field {
    long width, prec, pad;
    bool left, unicode;
    char ctl;
    Term arg;
} Field;

/* Reads a width or precision at *s: '*' takes an argument. */
static bool field_value(const char **s, Term *args, long *v)
{
    if (**s == '*') {
        (*s)++;
        if (!erl_is_cons(*args) || !erl_is_int(erl_hd(*args)))
            return false;
        *v = erl_int_value(erl_hd(*args));
        *args = erl_tl(*args);
        return true;
    }
    if (**s < '0' || **s > '9')
        return true;
    *v = 0;
    while (**s >= '0' && **s <= '9')
        *v = *v * 10 + *(*s)++ - '0';
    return true;
}

static bool parse(const char *d, Term args, Field *f)
{
    *f = (Field){-1, -1, ' ', false, false, 0, ERL_NONE};
    const char *s = d;
    if (*s == '-') {
        f->left = true;
        s++;
    }
    if (!field_value(&s, &args, &f->width))
        return false;
    if (f->width < -1 || (f->width < 0 && s[-1] == '*')) {
        f->left = true;
        f->width = -f->width;
    }
    if (*s == '.') {
        s++;
        if (!field_value(&s, &args, &f->prec))
            return false;
        if (*s == '.' && s[1]) {
            if (s[1] == '*') {
                if (!erl_is_cons(args) || !erl_is_int(erl_hd(args)))
                    return false;
                f->pad = erl_int_value(erl_hd(args));
                args = erl_tl(args);
            } else {
                f->pad = (unsigned char)s[1];
            }
            s += 2;
        }
    }
    for (; *s == 't' || *s == 'l'; s++)
        f->unicode |= *s == 't';
    f->ctl = *s;
    if (!erl_is_cons(args))
        return false;
    f->arg = erl_hd(args);
    return true;
}

/* io_lib_format's term/6: the written term T (of flat length len) in its
** field. */
static Term term_field(Heap *h, Term t, long len, const Field *f)
{
    long F = f->width, P0 = f->prec;
    if (F < 0 && P0 < 0)
        return t;
    if (F < 0)
        F = P0;
    long P = P0 < 0 ? F : (P0 < F ? P0 : F);
    if (len < P)
        P = len;
    if (len > P)
        return adjust(h, chars(h, '*', P), chars(h, f->pad, F - P), f->left);
    return adjust(h, t, chars(h, f->pad, F - len), f->left);
}

/* io_lib_format's string_field. */
static Term string_field(Heap *h, Term s, long F, bool left, long n, long pad)
{
    if (n > F)
        return take(h, s, F);
    if (n < F)
        return adjust(h, s, chars(h, pad, F - n), left);
    return s;
}

/* ~s's characters of an iolist: its nesting kept, binaries as lists. */
static Term iolist_chars(Heap *h, Term l, bool unicode, int depth)
{
    if (depth > DEEP_MAX)
        return ERL_NONE;
    if (erl_is_binary(l)) {
        if (unicode)
            return iolib_chars_onto(h, erl_binary_bytes(l), erl_binary_size(l), ERL_NIL);
        Acc a = {0};
        const unsigned char *s = erl_binary_bytes(l);
        for (unsigned long i = 0; i < erl_binary_size(l); i++)
            acc_push(&a, ch(s[i]));
        return acc_list(h, &a, ERL_NIL);
    }
    Acc a = {0};
    for (; erl_is_cons(l); l = erl_tl(l)) {
        Term e = erl_hd(l);
        if (!erl_is_int(e) && (e = iolist_chars(h, e, unicode, depth + 1)) == ERL_NONE) {
            free(a.v);
            return ERL_NONE;
        }
        acc_push(&a, e);
    }
    return acc_list(h, &a, ERL_NIL);
}

/* io_lib_format's string/6 for ~s. */
static Term string_shape(Heap *h, Term s, const Field *f)
{
    long F = f->width, P = f->prec, n = deep_len(s);
    if (F < 0 && P < 0)
        return s;
    if (P < 0)
        return string_field(h, s, F, f->left, n, f->pad);
    if (F < 0)
        return string_field(h, s, P, true, n, f->pad);
    if (F < P)
        return ERL_NONE;
    if (F == P)
        return string_field(h, s, F, f->left, n, f->pad);
    if (n > P)
        return adjust(h, take(h, s, P), chars(h, f->pad, F - P), f->left);
    if (n < P)
        return adjust(h, term_cons(h, s, chars(h, f->pad, P - n)), chars(h, f->pad, F - P), f->left);
    return adjust(h, s, chars(h, f->pad, F - P), f->left);
}

/* Does the deep list t flatten to the characters at *flat (advanced past
** them)? */
static bool flattens_to(Term t, Term *flat, int depth)
{
    if (depth > 2 * DEEP_MAX + 8)
        return false;
    for (; erl_is_cons(t); t = erl_tl(t)) {
        Term e = erl_hd(t);
        if (erl_is_int(e)) {
            if (!erl_is_cons(*flat) || erl_hd(*flat) != e)
                return false;
            *flat = erl_tl(*flat);
        } else if (!flattens_to(e, flat, depth + 1)) {
            return false;
        }
    }
    return t == ERL_NIL;
}

Term iolib_deep_element(const char *d, size_t dlen, Term args, Term flat)
{
    (void)dlen;
    Field f;
    if (!parse(d, args, &f))
        return flat;
    Heap *h = heap_current();
    Term deep = ERL_NONE;
    switch (f.ctl) {
    case 'w':
    case 'W': /* a depth that cuts the term leaves text no shape matches */
        deep = build(h, f.arg, false, 0);
        if (deep != ERL_NONE)
            deep = term_field(h, deep, deep_len(deep), &f);
        break;
    case 'p':
    case 'P':
        deep = build(h, f.arg, true, 0);
        break;
    case 's':
        if (erl_is_atom(f.arg))
            return ERL_NONE;
        deep = iolist_chars(h, f.arg, f.unicode, 0);
        if (deep != ERL_NONE)
            deep = string_shape(h, deep, &f);
        break;
    default:
        break;
    }
    if (deep == ERL_NONE)
        return flat;
    Term rest = flat;
    if (!flattens_to(deep, &rest, 0) || rest != ERL_NIL)
        return flat;
    return deep;
}
