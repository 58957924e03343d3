/*
** bif_number.c
** The erlang module's number conversions: round, trunc, ceil, floor,
** float_to_list/binary, list/binary_to_float, integer_to_binary,
** binary_to_integer, max and min; with erl 25's error notes.
*/
#include "bif.h"
#include "bignum.h"
#include "buf.h"
#include "error.h"
#include "export.h"
#include "print.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ========================================================= rounding */

/* The integral double d as an integer term (a bignum when it is large). */
static Term integer_of_double(double d)
{
    if (d >= -4.0e18 && d <= 4.0e18)
        return int_from_i64(heap_current(), (int64_t)d);
    mpz_t z;
    mpz_init(z);
    mpz_set_d(z, d);
    Term t = big_from_mpz(heap_current(), z);
    mpz_clear(z);
    return t;
}

/* name(X) for the four rounding BIFs: integers pass, floats go through f. */
static Term rounded(const char *name, Term x, double (*f)(double))
{
    if (int_is(x))
        return x;
    if (!erl_is_float(x))
        BADARG(name, "argument 1: not a number", x);
    return integer_of_double(f(erl_float_value(x)));
}

static Term bif_round(Term x) { return rounded("round", x, round); }
static Term bif_trunc(Term x) { return rounded("trunc", x, trunc); }
static Term bif_ceil(Term x) { return rounded("ceil", x, ceil); }
static Term bif_floor(Term x) { return rounded("floor", x, floor); }

/* ================================================== float to text */

/* The text of float_to_list/float_to_binary: how to write it. */
typedef struct FloatFormat {
    enum { FMT_DEFAULT, FMT_DECIMALS, FMT_SCIENTIFIC, FMT_SHORT } kind;
    int digits;   /* decimals or scientific digits */
    bool compact; /* decimals: drop trailing zeros (keeping one) */
} FloatFormat;

/* Drops trailing zeros, keeping one right after a '.' (erl's compact). */
static void drop_trailing_zeros(Buf *b)
{
    while (b->len > 1 && b->s[b->len - 1] == '0')
        b->len--;
    if (b->len > 0 && b->s[b->len - 1] == '.')
        b->len++;
    b->s[b->len] = '\0';
}

/* {decimals, N} as erl 25 writes it: the fraction times 10^N, rounded half
** away from zero (not the exact decimal value: 0.015 gives "0.02"); values
** beyond 2^53 and N of 19 or more go through printf's %.*f, after which
** compact drops every trailing zero, even of an integral text ("1" for
** 1.0e20 with N = 0), as erl does. */
static void put_decimals(Buf *b, double f, int n, bool compact)
{
    double af = fabs(f);
    if (af > 9007199254740992.0 || n >= 19) {
        buf_printf(b, "%.*f", n, f);
        if (compact)
            drop_trailing_zeros(b);
        return;
    }
    const char *sign = f < 0 ? "-" : "";
    if (n == 0) {
        buf_printf(b, "%s%llu", sign, (unsigned long long)llround(af));
        return;
    }
    double scale = pow(10, n), ip = floor(af), fp = round((af - ip) * scale);
    if (fp >= scale) { /* the fraction rounded up to a whole one */
        ip += 1;
        fp = 0;
    }
    buf_printf(b, "%s%llu.%0*llu", sign, (unsigned long long)ip, n, (unsigned long long)fp);
    if (compact)
        drop_trailing_zeros(b);
}

static void put_float(Buf *b, double f, const FloatFormat *fmt)
{
    switch (fmt->kind) {
    case FMT_DEFAULT: buf_printf(b, "%.20e", f); break;
    case FMT_SCIENTIFIC: buf_printf(b, "%.*e", fmt->digits, f); break;
    case FMT_SHORT: print_float(b, f); break;
    case FMT_DECIMALS: put_decimals(b, f, fmt->digits, fmt->compact); break;
    }
}

static bool is_pair(Term t, const char *tag)
{
    return erl_is_tuple(t) && erl_tuple_size(t) == 2 && erl_element(t, 1) == erl_atom(tag);
}

/* Reads the options of float_to_list/2: the last of decimals, scientific
** and short wins. Returns NULL, or the note for a bad list. */
static const char *float_options(Term opts, FloatFormat *fmt)
{
    Term l = opts;
    for (; erl_is_cons(l); l = erl_tl(l)) {
        Term o = erl_hd(l);
        Term v = is_pair(o, "decimals") || is_pair(o, "scientific") ? erl_element(o, 2) : ERL_NONE;
        if (o == erl_atom("compact")) {
            fmt->compact = true;
        } else if (o == erl_atom("short")) {
            fmt->kind = FMT_SHORT;
        } else if (is_pair(o, "decimals") && erl_is_int(v) && erl_int_value(v) >= 0 && erl_int_value(v) <= 253) {
            fmt->kind = FMT_DECIMALS;
            fmt->digits = (int)erl_int_value(v);
        } else if (is_pair(o, "scientific") && erl_is_int(v) && erl_int_value(v) >= 0 &&
                   erl_int_value(v) <= 249) {
            fmt->kind = FMT_SCIENTIFIC;
            fmt->digits = (int)erl_int_value(v);
        } else {
            return "argument 2: invalid option in list";
        }
    }
    if (l != ERL_NIL)
        return erl_is_cons(opts) ? "argument 2: not a proper list" : "argument 2: not a list";
    return NULL;
}

/* float_to_list and float_to_binary; opts is ERL_NONE for arity 1. */
static Term float_text(const char *name, Term f, Term opts, bool binary)
{
    FloatFormat fmt = {FMT_DEFAULT, 0, false};
    if (!erl_is_float(f)) {
        if (opts == ERL_NONE)
            BADARG(name, "argument 1: not a float", f);
        BADARG(name, "argument 1: not a float", f, opts);
    }
    const char *note = opts == ERL_NONE ? NULL : float_options(opts, &fmt);
    if (note)
        BADARG(name, note, f, opts);
    Buf b = {0};
    put_float(&b, erl_float_value(f), &fmt);
    Term t = binary ? term_binary(heap_current(), b.s, b.len) : term_string(heap_current(), b.s, b.len);
    buf_free(&b);
    return t;
}

static Term bif_float_to_list1(Term f) { return float_text("float_to_list", f, ERL_NONE, false); }
static Term bif_float_to_list2(Term f, Term o) { return float_text("float_to_list", f, o, false); }
static Term bif_float_to_binary1(Term f) { return float_text("float_to_binary", f, ERL_NONE, true); }
static Term bif_float_to_binary2(Term f, Term o) { return float_text("float_to_binary", f, o, true); }

/* ================================================== text to float */

/* Whether s[0..n) is a float as erl reads one: [+-]digits.digits, then
** optionally [eE][+-]digits. */
static bool float_syntax(const char *s, size_t n)
{
    size_t i = 0, d;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        ;
    if (i == d || i == n || s[i++] != '.')
        return false;
    for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        ;
    if (i == d)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            ;
        if (i == d)
            return false;
    }
    return i == n;
}

/* The float spelled by s[0..n), or ERL_NONE. */
static Term parse_float(const char *s, size_t n)
{
    if (!float_syntax(s, n))
        return ERL_NONE;
    char *z = strndup(s, n);
    double d = strtod(z, NULL);
    free(z);
    if (!isfinite(d))
        return ERL_NONE;
    return erl_mk_float(d);
}

static Term bif_list_to_float(Term l)
{
    if (term_list_length(l) < 0)
        BADARG("list_to_float", "argument 1: not a list", l);
    Buf b = {0};
    bool chars = true;
    for (Term t = l; erl_is_cons(t); t = erl_tl(t)) {
        Term c = erl_hd(t);
        if (!erl_is_int(c) || erl_int_value(c) < 0 || erl_int_value(c) > 255) {
            chars = false;
            break;
        }
        buf_putc(&b, (char)erl_int_value(c));
    }
    Term f = chars ? parse_float(buf_str(&b), b.len) : ERL_NONE;
    buf_free(&b);
    if (f == ERL_NONE)
        BADARG("list_to_float", "argument 1: not a textual representation of a float", l);
    return f;
}

static Term bif_binary_to_float(Term bin)
{
    if (!erl_is_binary(bin))
        BADARG("binary_to_float", "argument 1: not a binary", bin);
    Term f = parse_float((const char *)erl_binary_bytes(bin), erl_binary_size(bin));
    if (f == ERL_NONE)
        BADARG("binary_to_float", "argument 1: not a textual representation of a float", bin);
    return f;
}

/* ======================================================== integers */

static const char *const BASE_NOTE = "argument 2: not an integer in the range 2 through 36";

static bool is_base(Term b)
{
    return erl_is_int(b) && erl_int_value(b) >= 2 && erl_int_value(b) <= 36;
}

static Term binary_digits(Term n, int base)
{
    char *s = int_to_chars(n, base);
    Term t = term_binary(heap_current(), s, strlen(s));
    free(s);
    return t;
}

static Term bif_integer_to_binary1(Term n)
{
    if (!int_is(n))
        BADARG("integer_to_binary", "argument 1: not an integer", n);
    return binary_digits(n, 10);
}

static Term bif_integer_to_binary2(Term n, Term base)
{
    if (!int_is(n))
        BADARG("integer_to_binary", "argument 1: not an integer", n, base);
    if (!is_base(base))
        BADARG("integer_to_binary", BASE_NOTE, n, base);
    return binary_digits(n, (int)erl_int_value(base));
}

/* binary_to_integer/1,2; base_arg is ERL_NONE for arity 1. */
static Term binary_to_integer(Term bin, Term base_arg)
{
    const char *note = NULL;
    Term n = ERL_NONE;
    if (!erl_is_binary(bin))
        note = "argument 1: not a binary";
    else if (base_arg != ERL_NONE && !is_base(base_arg))
        note = BASE_NOTE;
    else {
        int base = base_arg == ERL_NONE ? 10 : (int)erl_int_value(base_arg);
        n = int_from_chars(heap_current(), (const char *)erl_binary_bytes(bin), erl_binary_size(bin), base);
        if (n == ERL_NONE)
            note = "argument 1: not a textual representation of an integer";
    }
    if (!note)
        return n;
    if (base_arg == ERL_NONE)
        BADARG("binary_to_integer", note, bin);
    BADARG("binary_to_integer", note, bin, base_arg);
}

static Term bif_binary_to_integer1(Term bin) { return binary_to_integer(bin, ERL_NONE); }
static Term bif_binary_to_integer2(Term bin, Term base) { return binary_to_integer(bin, base); }

/* ================================================================ order */

/* max(A, B) when A < B -> B; max(A, _) -> A. */
static Term bif_max(Term a, Term b)
{
    return erl_compare(a, b) < 0 ? b : a;
}

/* min(A, B) when A > B -> B; min(A, _) -> A. */
static Term bif_min(Term a, Term b)
{
    return erl_compare(a, b) > 0 ? b : a;
}

/* ====================================================== registration */

void bif_number_init(void)
{
    static const struct {
        const char *name;
        int arity;
        void *fn;
    } bifs[] = {
        {"round", 1, (void *)bif_round},
        {"trunc", 1, (void *)bif_trunc},
        {"ceil", 1, (void *)bif_ceil},
        {"floor", 1, (void *)bif_floor},
        {"float_to_list", 1, (void *)bif_float_to_list1},
        {"float_to_list", 2, (void *)bif_float_to_list2},
        {"float_to_binary", 1, (void *)bif_float_to_binary1},
        {"float_to_binary", 2, (void *)bif_float_to_binary2},
        {"list_to_float", 1, (void *)bif_list_to_float},
        {"binary_to_float", 1, (void *)bif_binary_to_float},
        {"integer_to_binary", 1, (void *)bif_integer_to_binary1},
        {"integer_to_binary", 2, (void *)bif_integer_to_binary2},
        {"binary_to_integer", 1, (void *)bif_binary_to_integer1},
        {"binary_to_integer", 2, (void *)bif_binary_to_integer2},
        {"max", 2, (void *)bif_max},
        {"min", 2, (void *)bif_min},
    };
    for (size_t i = 0; i < sizeof bifs / sizeof *bifs; i++)
        export_builtin("erlang", bifs[i].name, bifs[i].arity, bifs[i].fn)->autoimport = true;
}
