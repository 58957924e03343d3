/*
** bif_binary.c
** The erlang module's BIFs on binaries and iolists: byte_size, bit_size,
** size, binary_part, split_binary, binary_to_list, list_to_binary,
** iolist_to_binary, iolist_size, list_to_bitstring, bitstring_to_list,
** is_bitstring, is_binary, atom_to_binary, binary_to_atom,
** binary_to_existing_atom; with erl's error notes. Parts are sub-binaries
** (bits.h): a part of an off-heap binary shares its bytes.
*/
#include "bif.h"
#include "bignum.h"
#include "bits.h"
#include "buf.h"
#include "error.h"
#include "export.h"
#include "text.h"
#include "work.h"

#include <stdlib.h>
#include <string.h>

static Term bin_of(const void *bytes, size_t n)
{
    return term_binary(heap_current(), bytes, n);
}

/* ============================================================= sizes */

static Term bif_byte_size(Term b)
{
    if (!erl_is_bitstring(b))
        BADARG("byte_size", "argument 1: not a bitstring", b);
    return erl_mk_int((long)erl_binary_size(b));
}

static Term bif_bit_size(Term b)
{
    if (!erl_is_bitstring(b))
        BADARG("bit_size", "argument 1: not a bitstring", b);
    return erl_mk_int((long)erl_bit_size(b));
}

static Term bif_size(Term t)
{
    if (erl_is_tuple(t))
        return erl_mk_int((long)erl_box_size(t));
    if (erl_is_bitstring(t))
        return erl_mk_int((long)(erl_bit_size(t) / 8));
    BADARG("size", "argument 1: not tuple or binary", t);
}

/* ============================================================= parts */

/* binary_part(Bin, Pos, Len): Len may be negative (the bytes before Pos). */
static Term part(const char *name, Term b, Term pos, Term len, Term *argv, int argc)
{
    const char *range = argc == 3 ? "argument 3: out of range" : "argument 2: out of range";
    if (!erl_is_bitstring(b))
        exc_badarg(name, argc, argv, "argument 1: not a binary");
    long p, l;
    if (!erl_get_long(pos, &p))
        exc_badarg(name, argc, argv, argc == 3 ? "argument 2: not an integer" : "argument 2: not a valid {Pos,Length} tuple");
    if (!erl_get_long(len, &l))
        exc_badarg(name, argc, argv, argc == 3 ? "argument 3: not an integer" : "argument 2: not a valid {Pos,Length} tuple");
    long size = (long)(erl_bit_size(b) / 8);
    if (p < 0 || p > size)
        exc_badarg(name, argc, argv, "argument 2: out of range");
    long from = l < 0 ? p + l : p, to = l < 0 ? p : p + l;
    if (from < 0 || to > size)
        exc_badarg(name, argc, argv, range);
    return bits_sub(heap_current(), b, 8 * (uint64_t)from, 8 * (uint64_t)(to - from));
}

static Term bif_binary_part3(Term b, Term pos, Term len)
{
    return part("binary_part", b, pos, len, (Term[]){b, pos, len}, 3);
}

static Term bif_binary_part2(Term b, Term pl)
{
    if (!erl_is_tuple(pl) || erl_tuple_size(pl) != 2) {
        if (!erl_is_bitstring(b))
            BADARG("binary_part", "argument 1: not a binary", b, pl);
        BADARG("binary_part", "argument 2: not a valid {Pos,Length} tuple", b, pl);
    }
    return part("binary_part", b, erl_element(pl, 1), erl_element(pl, 2), (Term[]){b, pl}, 2);
}

static Term bif_split_binary(Term b, Term pos)
{
    if (!erl_is_bitstring(b))
        BADARG("split_binary", "argument 1: not a binary", b, pos);
    long p;
    if (!erl_get_long(pos, &p))
        BADARG("split_binary", "argument 2: not an integer", b, pos);
    uint64_t size = erl_bit_size(b);
    if (p < 0 || (uint64_t)p > size / 8)
        BADARG("split_binary", "argument 2: out of range", b, pos);
    Heap *h = heap_current();
    Term left = bits_sub(h, b, 0, 8 * (uint64_t)p);
    Term right = bits_sub(h, b, 8 * (uint64_t)p, size - 8 * (uint64_t)p);
    return term_tuple(h, 2, (Term[]){left, right});
}

static Term bytes_list(const unsigned char *s, size_t n)
{
    Heap *h = heap_current();
    Term l = ERL_NIL;
    for (size_t i = n; i > 0; i--)
        l = term_cons(h, erl_mk_int(s[i - 1]), l);
    return l;
}

static Term bif_binary_to_list1(Term b)
{
    if (!erl_is_binary(b))
        BADARG("binary_to_list", "argument 1: not a binary", b);
    return bytes_list(erl_binary_bytes(b), erl_binary_size(b));
}

/* binary_to_list(Bin, Start, Stop): bytes Start..Stop, counting from 1. */
static Term bif_binary_to_list3(Term b, Term start, Term stop)
{
    if (!erl_is_binary(b))
        BADARG("binary_to_list", "argument 1: not a binary", b, start, stop);
    long from, to, size = (long)erl_binary_size(b);
    if (!erl_get_long(start, &from))
        BADARG("binary_to_list", "argument 2: not an integer", b, start, stop);
    if (!erl_get_long(stop, &to))
        BADARG("binary_to_list", "argument 3: not an integer", b, start, stop);
    if (from < 1 || from > size)
        BADARG("binary_to_list", "argument 2: out of range", b, start, stop);
    if (to < 1 || to > size)
        BADARG("binary_to_list", "argument 3: out of range", b, start, stop);
    if (from > to)
        BADARG("binary_to_list", "argument 2: start position greater than stop position", b, start, stop);
    return bytes_list(erl_binary_bytes(b) + from - 1, (size_t)(to - from + 1));
}

/* =========================================================== iolists */

/* The bytes of iolist t appended to out (NULL: only counted into *n).
** Iolists nest as deep as they like: the walk keeps its own stack. A
** binary may stand as a list's tail. False when t is no iolist. */
static bool iolist_bytes(Term t, Buf *out, size_t *n)
{
    Work tails; /* the tails of the lists we are inside */
    bool ok = true;
    work_init(&tails);
    *n = 0;
    for (;;) {
        if (erl_is_binary(t)) {
            if (out)
                buf_put(out, (const char *)erl_binary_bytes(t), erl_binary_size(t));
            *n += erl_binary_size(t);
        } else if (erl_is_cons(t)) {
            Term hd = erl_hd(t);
            if (erl_is_int(hd)) {
                long c = erl_int_value(hd);
                if (c < 0 || c > 255) {
                    ok = false;
                    break;
                }
                if (out)
                    buf_putc(out, (char)c);
                (*n)++;
                t = erl_tl(t);
                continue;
            }
            work_push(&tails, erl_tl(t));
            t = hd;
            continue;
        } else if (t != ERL_NIL) {
            ok = false;
            break;
        }
        if (!tails.len)
            break;
        t = tails.w[--tails.len];
    }
    work_free(&tails);
    return ok;
}

/* The binary of the bytes of iolist l; badarg (name, note) for a non-iolist. */
static Term iolist_bits(const char *name, const char *note, Term l)
{
    BitWriter w = {0};
    if (!erl_is_list(l) || !bits_put_iolist(&w, l, false)) {
        bits_writer_free(&w);
        BADARG(name, note, l);
    }
    Term bin = bits_writer_take(&w, heap_current());
    return bin;
}

/* As iolist_bits, and a binary is its own. */
static Term iolist_binary(const char *name, const char *note, Term l)
{
    return erl_is_binary(l) ? l : iolist_bits(name, note, l);
}

static Term bif_list_to_binary(Term l)
{
    if (!erl_is_list(l))
        BADARG("list_to_binary", "argument 1: not an iolist term", l);
    return iolist_bits("list_to_binary", "argument 1: not an iolist term", l);
}

static Term bif_iolist_to_binary(Term l)
{
    return iolist_binary("iolist_to_binary", "argument 1: not an iodata term", l);
}

static Term bif_iolist_size(Term l)
{
    size_t n;
    if ((!erl_is_list(l) && !erl_is_binary(l)) || !iolist_bytes(l, NULL, &n))
        BADARG("iolist_size", "argument 1: not an iodata term", l);
    return int_from_u64(heap_current(), n);
}

unsigned long erl_iolist_to_cstring(Term t, char *buf, unsigned long size)
{
    Buf b = {0};
    size_t n;
    if ((!erl_is_list(t) && !erl_is_binary(t)) || !iolist_bytes(t, &b, &n)) {
        buf_free(&b);
        BADARG("iolist_to_binary", "argument 1: not an iodata term", t);
    }
    if (size > 0) {
        size_t k = n < size ? n : size - 1;
        if (k)
            memcpy(buf, b.s, k);
        buf[k] = '\0';
    }
    buf_free(&b);
    return n;
}

/* ======================================================== bitstrings */

static Term bif_list_to_bitstring(Term l)
{
    BitWriter w = {0};
    if (!erl_is_list(l) || !bits_put_iolist(&w, l, true)) {
        bits_writer_free(&w);
        BADARG("list_to_bitstring", "argument 1: not a bitstring list", l);
    }
    Term bin = bits_writer_take(&w, heap_current());
    return bin;
}

/* bitstring_to_list(<<1,2,3:2>>) -> [1,2,<<3:2>>]. */
static Term bif_bitstring_to_list(Term b)
{
    if (!erl_is_bitstring(b))
        BADARG("bitstring_to_list", "argument 1: not a bitstring", b);
    Heap *h = heap_current();
    uint64_t bits = erl_bit_size(b);
    Term l = bits & 7 ? term_cons(h, bits_sub(h, b, bits & ~(uint64_t)7, bits & 7), ERL_NIL) : ERL_NIL;
    const unsigned char *s = erl_binary_bytes(b); /* after the allocation above: a handle's bytes do not move */
    for (size_t i = (size_t)(bits / 8); i > 0; i--)
        l = term_cons(h, erl_mk_int(s[i - 1]), l);
    return l;
}

static Term bif_is_bitstring(Term t)
{
    return erl_is_bitstring(t) ? AM_true : AM_false;
}

static Term bif_is_binary(Term t)
{
    return erl_is_binary(t) ? AM_true : AM_false;
}

/* ============================================================= atoms */

static bool encoding_of(Term enc, bool *utf8)
{
    if (enc == erl_atom("latin1")) {
        *utf8 = false;
        return true;
    }
    if (enc == erl_atom("utf8") || enc == erl_atom("unicode")) {
        *utf8 = true;
        return true;
    }
    return false;
}

/* An atom's name as a binary: UTF-8 as it is kept, or latin-1 (false when
** a character is beyond 255). */
static bool atom_bytes(Term a, bool utf8, Buf *b)
{
    const char *s = erl_atom_name(a);
    size_t n = atom_len(a);
    if (utf8) {
        buf_put(b, s, n);
        return true;
    }
    char latin[4 * 256];
    long len = text_utf8_to_latin1(s, n, latin);
    if (len < 0)
        return false;
    buf_put(b, latin, (size_t)len);
    return true;
}

static Term atom_to_binary(Term a, Term enc, int argc)
{
    Term argv[2] = {a, enc};
    bool utf8 = true;
    if (!erl_is_atom(a))
        exc_badarg("atom_to_binary", argc, argv, "argument 1: not an atom");
    if (argc == 2 && !encoding_of(enc, &utf8))
        exc_badarg("atom_to_binary", argc, argv, "argument 2: is an invalid encoding option");
    Buf b = {0};
    if (!atom_bytes(a, utf8, &b)) {
        buf_free(&b);
        exc_badarg("atom_to_binary", argc, argv, "argument 1: contains a character not expressible in latin1");
    }
    Term bin = bin_of(b.s ? b.s : "", b.len);
    buf_free(&b);
    return bin;
}

static Term bif_atom_to_binary1(Term a)
{
    return atom_to_binary(a, ERL_NONE, 1);
}

static Term bif_atom_to_binary2(Term a, Term enc)
{
    return atom_to_binary(a, enc, 2);
}

static Term binary_to_atom(const char *name, Term b, Term enc, int argc, bool existing)
{
    Term argv[2] = {b, enc};
    bool utf8 = true;
    if (!erl_is_binary(b))
        exc_badarg(name, argc, argv, "argument 1: not a binary");
    if (argc == 2 && !encoding_of(enc, &utf8))
        exc_badarg(name, argc, argv, "argument 2: not one of the atoms: latin1, utf8, or unicode");
    const unsigned char *s = erl_binary_bytes(b);
    size_t n = erl_binary_size(b), chars;
    Buf name8 = {0};
    bool ok = true;
    if (!utf8) {
        char *u = xmalloc(2 * n + 1);
        buf_put(&name8, u, text_latin1_to_utf8(s, n, u));
        free(u);
    } else if ((ok = text_utf8_valid(s, n, &chars))) {
        buf_put(&name8, (const char *)s, n);
    }
    Term a = ERL_NONE;
    if (ok)
        a = existing ? atom_lookup(name8.s ? name8.s : "", name8.len) : atom_from(name8.s ? name8.s : "", name8.len);
    buf_free(&name8);
    if (a == ERL_NONE) {
        if (!ok)
            exc_badarg(name, argc, argv, "argument 1: invalid UTF-8 encoding");
        if (existing)
            exc_badarg(name, argc, argv, "argument 1: not an already existing atom");
        exc_raise(AM_error, AM_system_limit, ERL_NONE);
    }
    return a;
}

static Term bif_binary_to_atom1(Term b)
{
    return binary_to_atom("binary_to_atom", b, ERL_NONE, 1, false);
}

static Term bif_binary_to_atom2(Term b, Term enc)
{
    return binary_to_atom("binary_to_atom", b, enc, 2, false);
}

static Term bif_binary_to_existing_atom1(Term b)
{
    return binary_to_atom("binary_to_existing_atom", b, ERL_NONE, 1, true);
}

static Term bif_binary_to_existing_atom2(Term b, Term enc)
{
    return binary_to_atom("binary_to_existing_atom", b, enc, 2, true);
}

/* ====================================================== registration */

void bif_binary_init(void)
{
    static const struct {
        const char *name;
        int arity;
        void *fn;
    } bifs[] = {
        {"byte_size", 1, (void *)bif_byte_size},
        {"bit_size", 1, (void *)bif_bit_size},
        {"size", 1, (void *)bif_size},
        {"binary_part", 2, (void *)bif_binary_part2},
        {"binary_part", 3, (void *)bif_binary_part3},
        {"split_binary", 2, (void *)bif_split_binary},
        {"binary_to_list", 1, (void *)bif_binary_to_list1},
        {"binary_to_list", 3, (void *)bif_binary_to_list3},
        {"list_to_binary", 1, (void *)bif_list_to_binary},
        {"iolist_to_binary", 1, (void *)bif_iolist_to_binary},
        {"iolist_size", 1, (void *)bif_iolist_size},
        {"list_to_bitstring", 1, (void *)bif_list_to_bitstring},
        {"bitstring_to_list", 1, (void *)bif_bitstring_to_list},
        {"is_bitstring", 1, (void *)bif_is_bitstring},
        {"is_binary", 1, (void *)bif_is_binary},
        {"atom_to_binary", 1, (void *)bif_atom_to_binary1},
        {"atom_to_binary", 2, (void *)bif_atom_to_binary2},
        {"binary_to_atom", 1, (void *)bif_binary_to_atom1},
        {"binary_to_atom", 2, (void *)bif_binary_to_atom2},
        {"binary_to_existing_atom", 1, (void *)bif_binary_to_existing_atom1},
        {"binary_to_existing_atom", 2, (void *)bif_binary_to_existing_atom2},
    };
    for (size_t i = 0; i < sizeof bifs / sizeof *bifs; i++)
        export_builtin("erlang", bifs[i].name, bifs[i].arity, bifs[i].fn)->autoimport = true;
}
