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
#include "iolib_deep.h"
#include "print.h"
#include "term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void erl_error_in(Term reason, const char *note, const char *mod, const char *fun, int argc, const Term *argv)
{
    /* seq_2 serves seq/2: the C name's arity suffix is not the Erlang name's */
    size_t n = strlen(fun);
    char suffix[16];
    int sn = snprintf(suffix, sizeof suffix, "_%d", argc);
    if (n > (size_t)sn && strcmp(fun + n - (size_t)sn, suffix) == 0)
        n -= (size_t)sn;
    char name[strlen(mod) + 1 + n + 1];
    snprintf(name, sizeof name, "%s:%.*s", mod, (int)n, fun);
    exc_raise_in(reason, name, argc, argv, note);
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
        buf_put(f, (const char *)erl_binary_bytes(fmt), erl_binary_size(fmt));
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

/* Past a field width or precision at s: a '*' (which takes an argument,
** counted in *nargs) or digits. */
static const char *skip_field(const char *s, int *nargs)
{
    if (*s == '*') {
        (*nargs)++;
        return s + 1;
    }
    while (*s >= '0' && *s <= '9')
        s++;
    return s;
}

/* The directive at f (just after its '~'): its length, in *nargs how many
** arguments it takes, in *big whether erl keeps its text as a list of its
** own (~p ~P ~w ~W ~s) rather than spliced into the result. */
static size_t directive(const char *f, int *nargs, bool *big)
{
    const char *s = f;
    *nargs = 0;
    if (*s == '-')
        s++;
    s = skip_field(s, nargs);
    if (*s == '.') {
        s = skip_field(s + 1, nargs);
        if (*s == '.' && s[1]) {
            if (s[1] == '*')
                (*nargs)++;
            s += 2;
        }
    }
    while (*s == 't' || *s == 'l')
        s++;
    *nargs += strchr("WPxX", *s) ? 2 : strchr("n~", *s) ? 0 : 1;
    *big = *s && strchr("pPwWs", *s);
    return (size_t)(s - f) + (*s != '\0');
}

/* The output of the format f[0..flen) with the first n arguments of args:
** the length of the text print_format appends for it. */
static size_t rendered_length(const char *f, size_t flen, Term args, int n)
{
    Heap *h = heap_current();
    Term reversed = ERL_NIL, list = ERL_NIL;
    for (int k = 0; k < n && erl_is_cons(args); k++, args = erl_tl(args))
        reversed = term_cons(h, erl_hd(args), reversed);
    for (; erl_is_cons(reversed); reversed = erl_tl(reversed))
        list = term_cons(h, erl_hd(reversed), list);
    char *prefix = strndup(f, flen);
    Buf b = {0};
    size_t len = print_format_as(&b, prefix, list, PRINT_CHARS) == 0 ? b.len : 0;
    buf_free(&b);
    free(prefix);
    return len;
}

/* A piece of io_lib:format's result: out[from, to) of the full text,
** nested as one element of the result or spliced into it. */
typedef struct Piece {
    size_t from, to;
    bool nested;
    size_t dir;  /* nested: where its directive starts, after the '~' */
    int arg;     /* nested: the index of its first argument */
} Piece;

Term io_lib_format(Term fmt, Term args)
{
    Buf f = {0}, out = {0};
    Term a[2] = {fmt, args};
    if (!format_text(&f, fmt) || !erl_is_list(args) || print_format_as(&out, buf_str(&f), args, PRINT_CHARS) != 0) {
        buf_free(&f);
        buf_free(&out);
        exc_badarg("io_lib:format", 2, a, NULL);
    }
    /* erl's result is a list of the format's characters and of each
    ** directive's text, spliced in, except that the text of ~p ~w ~s (and
    ** ~P ~W) is a list of its own. Where a directive's text ends is found by
    ** printing the format up to it: the printer goes left to right, so that
    ** is where the whole text has it. */
    const char *fs = buf_str(&f);
    Piece *pieces = malloc((f.len + 1) * sizeof *pieces);
    size_t npieces = 0, pos = 0;
    int used = 0;
    for (size_t i = 0; i < f.len;) {
        if (fs[i] != '~') {
            pieces[npieces++] = (Piece){pos, pos + 1, false, 0, 0};
            pos++, i++;
            continue;
        }
        int nargs;
        bool big;
        size_t dir = i + 1;
        i += 1 + directive(fs + i + 1, &nargs, &big);
        int first = used;
        used += nargs;
        size_t end = rendered_length(fs, i, args, used);
        pieces[npieces++] = (Piece){pos, end, big, dir, first};
        pos = end;
    }
    Heap *h = heap_current();
    const unsigned char *s = (const unsigned char *)buf_str(&out);
    Term result = ERL_NIL;
    for (size_t k = npieces; k > 0; k--) {
        Piece *p = &pieces[k - 1];
        Term nest = ERL_NONE;
        if (p->nested) {
            Term from = args;
            for (int n = 0; n < p->arg && erl_is_cons(from); n++)
                from = erl_tl(from);
            Term flat = iolib_chars_onto(h, s + p->from, p->to - p->from, ERL_NIL);
            nest = iolib_deep_element(fs + p->dir, 0, from, flat);
        }
        if (nest != ERL_NONE)
            result = term_cons(h, nest, result);
        else
            result = iolib_chars_onto(h, s + p->from, p->to - p->from, result);
    }
    free(pieces);
    buf_free(&f);
    buf_free(&out);
    return result;
}
