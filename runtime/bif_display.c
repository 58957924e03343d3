/*
** bif_display.c
** erlang:display/1: a term written as the emulator writes it (erts's own
** printer, not io_lib's), straight to the output, ending in "\r\n" as erl's.
*/
#include "bif.h"
#include "bignum.h"
#include "buf.h"
#include "export.h"
#include "print.h"

#include <stdlib.h>

/* erts prints a list or binary as a string when every element is a
** character it counts as printable: \t, \n, \r, ' '..'~' and Latin-1 from
** 160. */
static bool printable_char(int64_t v)
{
    return v == '\t' || v == '\n' || v == '\r' || (v >= 32 && v <= 126) || (v >= 160 && v <= 255);
}

static bool display_printable(Term l)
{
    if (!erl_is_cons(l))
        return false;
    for (; erl_is_cons(l); l = erl_tl(l))
        if (!erl_is_int(erl_hd(l)) || !printable_char(erl_int_value(erl_hd(l))))
            return false;
    return l == ERL_NIL;
}

static void put_char(Buf *b, int c)
{
    if (c == '\n')
        buf_puts(b, "\\n");
    else if (c == '"')
        buf_puts(b, "\\\"");
    else
        buf_putc(b, (char)c);
}

/* <<"abc">> for a binary of printable bytes, else ~w's <<1,2,3>>. */
static void display_binary(Buf *b, Term t)
{
    const unsigned char *s = erl_binary_bytes(t);
    size_t n = erl_binary_size(t);
    bool text = n > 0;
    for (size_t i = 0; text && i < n; i++)
        text = printable_char(s[i]);
    if (!text) {
        print_write(b, t);
        return;
    }
    buf_puts(b, "<<\"");
    for (size_t i = 0; i < n; i++)
        put_char(b, s[i]);
    buf_puts(b, "\">>");
}

static void display(Buf *b, Term t);

static void display_pair(Term k, Term v, void *ctx)
{
    Buf *b = ctx;
    if (b->s[b->len - 1] != '{')
        buf_putc(b, ',');
    display(b, k);
    buf_puts(b, "=>");
    display(b, v);
}

static void display(Buf *b, Term t)
{
    if (erl_is_float(t)) {
        buf_printf(b, "%e", erl_float_value(t));
    } else if (erl_is_tuple(t)) {
        buf_putc(b, '{');
        for (uint64_t i = 1; i <= erl_tuple_size(t); i++) {
            if (i > 1)
                buf_putc(b, ',');
            display(b, erl_element(t, i));
        }
        buf_putc(b, '}');
    } else if (erl_is_map(t)) {
        buf_puts(b, "#{");
        erl_map_foreach(t, display_pair, b);
        buf_putc(b, '}');
    } else if (display_printable(t)) {
        buf_putc(b, '"');
        for (; erl_is_cons(t); t = erl_tl(t))
            put_char(b, (int)erl_int_value(erl_hd(t)));
        buf_putc(b, '"');
    } else if (erl_is_binary(t)) {
        display_binary(b, t);
    } else if (erl_is_cons(t)) {
        buf_putc(b, '[');
        for (bool first = true; erl_is_cons(t); t = erl_tl(t), first = false) {
            if (!first)
                buf_putc(b, ',');
            display(b, erl_hd(t));
        }
        if (t != ERL_NIL) {
            buf_putc(b, '|');
            display(b, t);
        }
        buf_putc(b, ']');
    } else {
        print_write(b, t);
    }
}

Term erl_display(Term t)
{
    Buf b = {0};
    display(&b, t);
    buf_puts(&b, "\r\n");
    bif_output(b.s, b.len);
    buf_free(&b);
    return AM_true;
}

void bif_display_init(void)
{
    export_builtin("erlang", "display", 1, (void *)erl_display);
}
