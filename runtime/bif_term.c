/*
** bif_term.c
** The erlang module's BIFs on numbers and on the external term format:
** term_to_binary, binary_to_term, integer_to_list, list_to_integer, abs,
** float, list_to_tuple, tuple_to_list.
*/
#include "arith.h"
#include "bif.h"
#include "bignum.h"
#include "buf.h"
#include "error.h"
#include "erl_hash.h"
#include "etf.h"
#include "export.h"

#include <stdlib.h>

/* ================================================= external term format */

static bool is_tagged(Term t, const char *tag, unsigned long size)
{
    return erl_is_tuple(t) && erl_tuple_size(t) == size && erl_element(t, 1) == erl_atom(tag);
}

/* The options of term_to_binary/2; false for one that erl 25 refuses. */
static bool encode_options(Term list, EtfOptions *opt)
{
    for (; erl_is_cons(list); list = erl_tl(list)) {
        Term o = erl_hd(list);
        int64_t v;
        if (o == erl_atom("compressed"))
            opt->compressed = 6;
        else if (o == erl_atom("deterministic"))
            continue; /* cerl's encoding is deterministic already */
        else if (is_tagged(o, "compressed", 2) && int_get_i64(erl_element(o, 2), &v) && v >= 0 && v <= 9)
            opt->compressed = (int)v;
        else if (is_tagged(o, "minor_version", 2) && int_get_i64(erl_element(o, 2), &v) && v >= 0 && v <= 2)
            opt->minor_version = (int)v;
        else
            return false;
    }
    return list == ERL_NIL;
}

static Term encode(const char *name, Term t, const EtfOptions *opt, Term opts)
{
    Term bin = etf_encode(heap_current(), t, opt);
    if (bin == ERL_NONE) {
        if (opts == ERL_NONE)
            BADARG(name, "argument 1: a term cerl cannot encode yet", t);
        BADARG(name, "argument 1: a term cerl cannot encode yet", t, opts);
    }
    return bin;
}

static Term bif_term_to_binary1(Term t)
{
    EtfOptions opt = {1, 0};
    return encode("term_to_binary", t, &opt, ERL_NONE);
}

static Term bif_term_to_binary2(Term t, Term opts)
{
    EtfOptions opt = {1, 0};
    if (!encode_options(opts, &opt))
        BADARG("term_to_binary", "argument 2: invalid option in list", t, opts);
    return encode("term_to_binary", t, &opt, opts);
}

static Term bif_binary_to_term1(Term bin)
{
    if (!erl_is_binary(bin))
        BADARG("binary_to_term", "argument 1: not a binary", bin);
    Term t = etf_decode(heap_current(), erl_binary_bytes(bin), erl_binary_size(bin), false, NULL);
    if (t == ERL_NONE)
        BADARG("binary_to_term", "argument 1: invalid external representation of a term", bin);
    return t;
}

static Term bif_binary_to_term2(Term bin, Term opts)
{
    bool safe = false, used = false;
    Term l = opts;
    for (; erl_is_cons(l); l = erl_tl(l)) {
        if (erl_hd(l) == erl_atom("safe"))
            safe = true;
        else if (erl_hd(l) == erl_atom("used"))
            used = true;
        else
            break;
    }
    if (l != ERL_NIL)
        BADARG("binary_to_term", "argument 2: invalid option in list", bin, opts);
    if (!erl_is_binary(bin))
        BADARG("binary_to_term", "argument 1: not a binary", bin, opts);
    size_t n = 0;
    Term t = etf_decode(heap_current(), erl_binary_bytes(bin), erl_binary_size(bin), safe, &n);
    if (t == ERL_NONE)
        BADARG("binary_to_term", safe ? "argument 1: invalid or unsafe external representation of a term"
                                      : "argument 1: invalid external representation of a term",
               bin, opts);
    return used ? erl_tuple(t, int_from_u64(heap_current(), n)) : t;
}

/* ============================================================ numbers */

static Term digits_list(Term n, int base)
{
    char *s = int_to_chars(n, base);
    Term l = erl_mk_string(s);
    free(s);
    return l;
}

static Term bif_integer_to_list1(Term n)
{
    if (!int_is(n))
        BADARG("integer_to_list", "argument 1: not an integer", n);
    return digits_list(n, 10);
}

static Term bif_integer_to_list2(Term n, Term base)
{
    if (!int_is(n))
        BADARG("integer_to_list", "argument 1: not an integer", n, base);
    if (!erl_is_int(base) || erl_int_value(base) < 2 || erl_int_value(base) > 36)
        BADARG("integer_to_list", "argument 2: not an integer in the range 2 through 36", n, base);
    return digits_list(n, (int)erl_int_value(base));
}

/* The characters of a list as bytes; false when it is not a proper list
** of characters below 256 (then no character can be a digit anyway). */
static bool list_chars(Term l, Buf *b)
{
    for (; erl_is_cons(l); l = erl_tl(l)) {
        Term c = erl_hd(l);
        if (!erl_is_int(c) || erl_int_value(c) < 0 || erl_int_value(c) > 255)
            return false;
        buf_putc(b, (char)erl_int_value(c));
    }
    return l == ERL_NIL;
}

static Term list_to_integer(Term l, int base, Term base_arg)
{
    Buf b = {0};
    bool chars = list_chars(l, &b);
    bool proper = term_list_length(l) >= 0;
    Term n = chars ? int_from_chars(heap_current(), buf_str(&b), b.len, base) : ERL_NONE;
    buf_free(&b);
    if (n != ERL_NONE)
        return n;
    const char *note = proper ? "argument 1: not a textual representation of an integer" : "argument 1: not a list";
    if (base_arg == ERL_NONE)
        BADARG("list_to_integer", note, l);
    BADARG("list_to_integer", note, l, base_arg);
}

static Term bif_list_to_integer1(Term l)
{
    return list_to_integer(l, 10, ERL_NONE);
}

static Term bif_list_to_integer2(Term l, Term base)
{
    if (!erl_is_int(base) || erl_int_value(base) < 2 || erl_int_value(base) > 36)
        BADARG("list_to_integer", "argument 2: not an integer in the range 2 through 36", l, base);
    return list_to_integer(l, (int)erl_int_value(base), base);
}

static Term bif_abs(Term n)
{
    Term r = arith_abs(heap_current(), n);
    if (r == ERL_NONE)
        BADARG("abs", "argument 1: not a number", n);
    return r;
}

static Term bif_float(Term n)
{
    double d;
    if (erl_is_float(n))
        return n;
    if (!int_is(n) || !int_to_double(n, &d))
        BADARG("float", "argument 1: not a number", n);
    return erl_mk_float(d);
}

/* ============================================================ tuples */

static Term bif_list_to_tuple(Term l)
{
    long n = term_list_length(l);
    if (n < 0)
        BADARG("list_to_tuple", "argument 1: not a list", l);
    Term *p = heap_alloc(heap_current(), (size_t)n + 1);
    p[0] = box_header((uint64_t)n, ERL_BOX_TUPLE);
    for (long i = 1; i <= n; i++, l = erl_tl(l))
        p[i] = erl_hd(l);
    return (Term)(uintptr_t)p;
}

static Term bif_tuple_to_list(Term t)
{
    if (!erl_is_tuple(t))
        BADARG("tuple_to_list", "argument 1: not a tuple", t);
    Heap *h = heap_current();
    Term l = ERL_NIL;
    for (uint64_t i = erl_tuple_size(t); i >= 1; i--)
        l = term_cons(h, erl_element(t, i), l);
    return l;
}

/* erlang:phash2(Term): erl's portable hash, in 0..2^27-1. */
static Term bif_phash2_1(Term t)
{
    return erl_mk_int(erl_phash2(t) & ((1u << 27) - 1));
}

/* erlang:phash2(Term, Range): in 0..Range-1, Range in 1..2^32. */
static Term bif_phash2_2(Term t, Term range)
{
    /* erl's notes say argument 1, of the range */
    if (!erl_is_integer(range))
        BADARG("erlang:phash2", "argument 1: not an integer", t, range);
    if (!erl_is_int(range) || erl_int_value(range) > (1LL << 32))
        BADARG("erlang:phash2", erl_is_int(range) || !big_negative(range) ? NULL : "argument 1: out of range", t, range);
    if (erl_int_value(range) < 1)
        BADARG("erlang:phash2", "argument 1: out of range", t, range);
    uint64_t r = (uint64_t)erl_int_value(range);
    uint32_t h = erl_phash2(t);
    if (r == (1ULL << 32))
        return erl_mk_int(h);
    return erl_mk_int((r & (r - 1)) ? h % r : h & (r - 1));
}

/* ====================================================== registration */

void bif_term_init(void)
{
    static const struct {
        const char *name;
        int arity;
        void *fn;
    } bifs[] = {
        {"term_to_binary", 1, (void *)bif_term_to_binary1},
        {"term_to_binary", 2, (void *)bif_term_to_binary2},
        {"binary_to_term", 1, (void *)bif_binary_to_term1},
        {"binary_to_term", 2, (void *)bif_binary_to_term2},
        {"integer_to_list", 1, (void *)bif_integer_to_list1},
        {"integer_to_list", 2, (void *)bif_integer_to_list2},
        {"list_to_integer", 1, (void *)bif_list_to_integer1},
        {"list_to_integer", 2, (void *)bif_list_to_integer2},
        {"abs", 1, (void *)bif_abs},
        {"float", 1, (void *)bif_float},
        {"list_to_tuple", 1, (void *)bif_list_to_tuple},
        {"tuple_to_list", 1, (void *)bif_tuple_to_list},
    };
    for (size_t i = 0; i < sizeof bifs / sizeof *bifs; i++)
        export_builtin("erlang", bifs[i].name, bifs[i].arity, bifs[i].fn)->autoimport = true;
    export_builtin("erlang", "phash2", 1, (void *)bif_phash2_1);
    export_builtin("erlang", "phash2", 2, (void *)bif_phash2_2);
}
