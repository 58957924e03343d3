/*
** stdlib.c
** What the standard library in modules/ needs from the runtime, declared in
** cerl.h for every module: errors that name the module function they come
** from (erlang:error/2), applying a fun to a C array of arguments, and
** io_lib:format on the printer io:format uses.
*/
#include "bif.h"
#include "buf.h"
#include "error.h"
#include "heap.h"
#include "print.h"
#include "term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void erl_error_in(Term reason, const char *note, const char *mod, const char *fun, int argc, const Term *argv)
{
    Heap *h = heap_current();
    Term args = ERL_NIL;
    for (int i = argc; i > 0; i--)
        args = term_cons(h, argv[i - 1], args);
    /* seq_2 serves seq/2: the C name's arity suffix is not the Erlang name's */
    size_t n = strlen(fun);
    char suffix[16];
    int sn = snprintf(suffix, sizeof suffix, "_%d", argc);
    if (n > (size_t)sn && strcmp(fun + n - (size_t)sn, suffix) == 0)
        n -= (size_t)sn;
    Buf name = {0};
    buf_printf(&name, "%s:%.*s", mod, (int)n, fun);
    Term fn = term_string(h, name.s, name.len);
    buf_free(&name);
    Term where = note ? term_tuple(h, 4, (Term[]){erl_atom("function"), fn, args, term_string(h, note, strlen(note))})
                      : term_tuple(h, 3, (Term[]){erl_atom("function"), fn, args});
    exc_raise(AM_error, reason, where);
}

Term erl_apply_n(Term fun, int argc, const Term *argv)
{
    if (!erl_is_function(fun) || !bif_apply_fun)
        exc_raise(AM_error, erl_tuple(AM_badfun, fun), ERL_NONE);
    if (argc < 0 || argc > 8) {
        Heap *h = heap_current();
        Term args = ERL_NIL;
        for (int i = argc; i > 0; i--)
            args = term_cons(h, argv[i - 1], args);
        exc_badarg("apply", 2, (Term[]){fun, args}, NULL);
    }
    return bif_apply_fun(fun, argc, argv);
}

/* The format as bytes: Latin-1 characters of a list, a binary's bytes or
** an atom's name. Returns false for anything else. */
static bool format_text(Buf *f, Term fmt)
{
    if (erl_is_atom(fmt)) {
        buf_puts(f, erl_atom_name(fmt));
        return true;
    }
    if (erl_is_binary(fmt)) {
        buf_put(f, (const char *)erl_binary_bytes(fmt), erl_box_size(fmt));
        return true;
    }
    for (; erl_is_cons(fmt); fmt = erl_tl(fmt)) {
        Term c = erl_hd(fmt);
        if (!erl_is_int(c) || erl_int_value(c) < 0 || erl_int_value(c) > 255)
            return false;
        buf_putc(f, (char)erl_int_value(c));
    }
    return fmt == ERL_NIL;
}

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

Term io_lib_format(Term fmt, Term args)
{
    Buf f = {0}, out = {0};
    Term a[2] = {fmt, args};
    if (!format_text(&f, fmt) || !erl_is_list(args) || print_format(&out, buf_str(&f), args) != 0) {
        buf_free(&f);
        buf_free(&out);
        exc_badarg("io_lib:format", 2, a, NULL);
    }
    buf_free(&f);
    /* the printer writes what it prints as UTF-8 (Latin-1 bytes pass through
    ** as they are); the result is its characters, back to front */
    Heap *h = heap_current();
    const unsigned char *s = (const unsigned char *)buf_str(&out);
    size_t n = out.len, count = 0;
    unsigned *cps = n ? malloc(n * sizeof *cps) : NULL;
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
    Term chars = ERL_NIL;
    while (count > 0)
        chars = term_cons(h, erl_mk_int((long)cps[--count]), chars);
    free(cps);
    buf_free(&out);
    return chars;
}
