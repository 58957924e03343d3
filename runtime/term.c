/*
** term.c
** Process heaps, term construction, deep copy, and Erlang's term order.
*/
#include "term.h"
#include "bignum.h"
#include "map.h"
#include "buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================== construction */

Term term_cons(Heap *h, Term hd, Term tl)
{
    Term *cell = heap_alloc_words(h, 2);
    cell[0] = hd;
    cell[1] = tl;
    return cons_term(cell);
}

Term term_tuple(Heap *h, int n, const Term *elems)
{
    Term *p = heap_alloc(h, (size_t)n + 1);
    p[0] = box_header((uint64_t)n, ERL_BOX_TUPLE);
    if (n)
        memcpy(p + 1, elems, (size_t)n * sizeof(Term));
    return (Term)(uintptr_t)p;
}

Term term_float(Heap *h, double d)
{
    Term *p = heap_alloc(h, 2);
    p[0] = box_header(1, ERL_BOX_FLOAT);
    memcpy(&p[1], &d, sizeof d);
    return (Term)(uintptr_t)p;
}

static size_t binary_words(size_t len)
{
    return 1 + (len + 7) / 8;
}

Term term_binary(Heap *h, const void *bytes, size_t len)
{
    Term *p = heap_alloc(h, binary_words(len));
    p[0] = box_header(len, ERL_BOX_BINARY);
    if (len) {
        p[binary_words(len) - 1] = 0;
        memcpy(p + 1, bytes, len);
    }
    return (Term)(uintptr_t)p;
}

Term term_string(Heap *h, const char *s, size_t len)
{
    Term list = ERL_NIL;
    for (size_t i = len; i > 0; i--)
        list = term_cons(h, ((Term)(unsigned char)s[i - 1] << 1) | 1, list);
    return list;
}

Term term_make_ref(Heap *h)
{
    static uint64_t counter = 40000;
    counter++;
    Term *p = heap_alloc(h, 4);
    p[0] = box_header(3, ERL_BOX_REF);
    p[1] = 2774508520u;
    p[2] = 1876688897u + (counter >> 32);
    p[3] = counter & 0xffffffffu;
    return (Term)(uintptr_t)p;
}

void term_ref_parts(Term r, uint32_t out[3])
{
    Term *p = erl_box_ptr(r);
    out[0] = (uint32_t)p[1];
    out[1] = (uint32_t)p[2];
    out[2] = (uint32_t)p[3];
}

/* The erl_ builders of cerl.h: on the current heap. */

Term erl_mk_int(int64_t v)
{
    if (v > ERL_SMALL_MAX || v < ERL_SMALL_MIN)
        return int_from_i64(heap_current(), v);
    return ((Term)v << 1) | 1;
}

Term erl_cons(Term head, Term tail)
{
    return term_cons(heap_current(), head, tail);
}

Term erl_tuple_n(int n, const Term *elems)
{
    return term_tuple(heap_current(), n, elems);
}

Term erl_list_n(int n, const Term *elems)
{
    Term list = ERL_NIL;
    for (int i = n; i > 0; i--)
        list = erl_cons(elems[i - 1], list);
    return list;
}

Term erl_mk_float(double d)
{
    return term_float(heap_current(), d);
}

double erl_float_value(Term t)
{
    double d;
    memcpy(&d, &erl_box_ptr(t)[1], sizeof d);
    return d;
}

Term erl_mk_binary(const void *bytes, size_t len)
{
    return term_binary(heap_current(), bytes, len);
}

const unsigned char *erl_binary_bytes(Term t)
{
    return (const unsigned char *)(erl_box_ptr(t) + 1);
}

Term erl_mk_string(const char *s)
{
    return term_string(heap_current(), s, strlen(s));
}

/* ============================================================ copying */

static size_t boxed_words(Term t)
{
    switch (erl_box_kind(t)) {
    case ERL_BOX_BINARY:
        return binary_words(erl_box_size(t));
    default:
        return 1 + erl_box_size(t);
    }
}

size_t term_size(Term t)
{
    size_t n = 0;
    for (;;) {
        if (erl_is_cons(t)) {
            n += 2 + term_size(erl_hd(t));
            t = erl_tl(t); /* iterate along the spine: long lists need no stack */
            continue;
        }
        if (erl_is_boxed(t)) {
            n += boxed_words(t);
            if (box_holds_terms(erl_box_kind(t)))
                for (uint64_t i = 1; i <= erl_box_size(t); i++)
                    n += term_size(erl_element(t, i));
            else if (erl_box_kind(t) == ERL_BOX_FUN) /* word 1 is C data */
                for (uint64_t i = 2; i <= erl_box_size(t); i++)
                    n += term_size(erl_element(t, i));
        }
        return n;
    }
}

Term term_copy(Heap *h, Term t)
{
    if (erl_is_cons(t)) {
        Term result = ERL_NIL, *link = &result;
        while (erl_is_cons(t)) {
            Term *cell = heap_alloc_words(h, 2);
            cell[0] = cell[1] = ERL_NIL; /* linked in before the next allocation */
            *link = cons_term(cell);
            cell[0] = term_copy(h, erl_hd(t));
            link = &cell[1];
            t = erl_tl(t);
        }
        *link = term_copy(h, t);
        return result;
    }
    if (!erl_is_boxed(t))
        return t;
    size_t words = boxed_words(t);
    Term *src = erl_box_ptr(t), *dst = heap_alloc(h, words);
    memcpy(dst, src, words * sizeof(Term));
    if (box_holds_terms(erl_box_kind(t)))
        for (uint64_t i = 1; i <= erl_box_size(t); i++)
            dst[i] = term_copy(h, src[i]);
    else if (erl_box_kind(t) == ERL_BOX_FUN) /* word 1 is C data */
        for (uint64_t i = 2; i <= erl_box_size(t); i++)
            dst[i] = term_copy(h, src[i]);
    return (Term)(uintptr_t)dst;
}

/* ============================================================ lists */

long term_list_length(Term t)
{
    long n = 0;
    while (erl_is_cons(t)) {
        n++;
        t = erl_tl(t);
    }
    return t == ERL_NIL ? n : -1;
}

static bool printable_char(int64_t c)
{
    return (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || (c >= 8 && c <= 13) || c == 27;
}

bool term_is_printable_string(Term t)
{
    if (!erl_is_cons(t))
        return false;
    while (erl_is_cons(t)) {
        Term c = erl_hd(t);
        if (!erl_is_int(c) || !printable_char(erl_int_value(c)))
            return false;
        t = erl_tl(t);
    }
    return t == ERL_NIL;
}

/* ========================================================= term order */

/* number < atom < reference < fun < pid < tuple < map < nil < list < binary */
static int type_rank(Term t)
{
    if (erl_is_int(t))
        return 0;
    if (erl_is_atom(t))
        return 1;
    if (erl_is_pid(t))
        return 4;
    if (t == ERL_NIL)
        return 7;
    if (erl_is_cons(t))
        return 8;
    switch (erl_box_kind(t)) {
    case ERL_BOX_FLOAT:
    case ERL_BOX_BIGNUM:
        return 0;
    case ERL_BOX_REF:
        return 2;
    case ERL_BOX_FUN:
        return 3;
    case ERL_BOX_TUPLE:
        return 5;
    case ERL_BOX_MAP:
    case ERL_BOX_MAPNODE:
        return 6;
    default:
        return 9;
    }
}

static int compare_numbers(Term a, Term b)
{
    return num_compare(a, b);
}

int erl_compare(Term a, Term b)
{
    for (;;) {
        if (a == b)
            return 0;
        int ra = type_rank(a), rb = type_rank(b);
        if (ra != rb)
            return ra < rb ? -1 : 1;
        switch (ra) {
        case 0:
            return compare_numbers(a, b);
        case 1: {
            int c = strcmp(erl_atom_name(a), erl_atom_name(b));
            return c < 0 ? -1 : c > 0;
        }
        case 2: {
            uint32_t x[3], y[3];
            term_ref_parts(a, x);
            term_ref_parts(b, y);
            for (int i = 2; i >= 0; i--)
                if (x[i] != y[i])
                    return x[i] < y[i] ? -1 : 1;
            return 0;
        }
        case 4:
            return pid_number(a) < pid_number(b) ? -1 : 1;
        case 5: {
            uint64_t na = erl_tuple_size(a), nb = erl_tuple_size(b);
            if (na != nb)
                return na < nb ? -1 : 1;
            for (uint64_t i = 1; i <= na; i++) {
                int c = erl_compare(erl_element(a, i), erl_element(b, i));
                if (c)
                    return c;
            }
            return 0;
        }
        case 6:
            return map_compare(a, b, false);
        case 8: {
            int c = erl_compare(erl_hd(a), erl_hd(b));
            if (c)
                return c;
            a = erl_tl(a);
            b = erl_tl(b);
            continue;
        }
        case 9: {
            if (erl_box_kind(a) != ERL_BOX_BINARY || erl_box_kind(b) != ERL_BOX_BINARY)
                return a < b ? -1 : 1;
            size_t na = erl_box_size(a), nb = erl_box_size(b);
            int c = memcmp(erl_binary_bytes(a), erl_binary_bytes(b), na < nb ? na : nb);
            if (c)
                return c < 0 ? -1 : 1;
            return na < nb ? -1 : na > nb;
        }
        default:
            return a < b ? -1 : 1;
        }
    }
}

int erl_eq(Term a, Term b)
{
    /* =:= is equality in map key order, where 1 and 1.0 differ at any depth */
    return a == b || map_key_compare(a, b) == 0;
}
