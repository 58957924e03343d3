/*
** bif_io.c
** The io module: format/fwrite, put_chars, nl and write on the standard
** output (standard_io, user) or standard_error, and erl's explanations
** when a call is wrong ("*** argument 1: wrong number of arguments").
*/
#include "bif.h"
#include "buf.h"
#include "error.h"
#include "export.h"
#include "print.h"
#include "sched.h"
#include "term.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ============================================================ devices */

typedef enum Device { DEV_STDOUT, DEV_STDERR } Device;

static void put_device(Device d, const char *s, size_t n)
{
    if (d == DEV_STDOUT) {
        bif_output(s, n);
        return;
    }
    fflush(stdout);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* The device argv[0] names, or raises as erl does for one it cannot use. */
static Device device_of(const char *name, int argc, const Term *argv)
{
    Term dev = argv[0];
    if (dev == erl_atom("standard_io") || dev == erl_atom("user"))
        return DEV_STDOUT;
    if (dev == erl_atom("standard_error"))
        return DEV_STDERR;
    Proc *self = proc_current();
    if (self && dev == self->pid)
        exc_raise_in(erl_atom("calling_self"), name, argc, argv,
                     "argument 1: the device is not allowed to be the current process");
    /* cerl has no io servers of its own to send io requests to */
    exc_raise_in(AM_badarg, name, argc, argv, "argument 1: the device does not exist");
}

/* ======================================================= format checks */

/* What an argument of a control must be (erl_lint:check_format_string). */
typedef enum ArgType { T_TERM, T_INT, T_FLOAT, T_STRING } ArgType;

enum { MAX_CONTROLS = 256 };

/* Past a field's number at f[i]: '*' (an argument) or digits. */
static size_t past_number(const char *f, size_t i, size_t n)
{
    if (i < n && f[i] == '*')
        return i + 1;
    while (i < n && f[i] >= '0' && f[i] <= '9')
        i++;
    return i;
}

/* The argument types the format f[0..n) needs, in order, into types
** (*count of them); or the reason it is invalid ("truncated", "invalid
** control ~q") in why. Returns whether it is valid. */
static bool format_types(const char *f, size_t n, ArgType *types, int *count, Buf *why)
{
    int k = 0;
    for (size_t i = 0; i < n;) {
        if (f[i++] != '~')
            continue;
#define NEED(t) do { if (k < MAX_CONTROLS) types[k] = (t); k++; } while (0)
        /* field width: digits, -digits, * or -* */
        if (i < n && f[i] == '-' && i + 1 < n && (f[i + 1] == '*' || (f[i + 1] >= '0' && f[i + 1] <= '9')))
            i++;
        if (i < n && f[i] == '*')
            NEED(T_INT);
        i = past_number(f, i, n);
        /* precision: .digits or .* */
        if (i < n && f[i] == '.') {
            if (i + 1 < n && f[i + 1] == '*')
                NEED(T_INT);
            i = past_number(f, i + 1, n);
            /* pad character: .C or .* */
            if (i < n && f[i] == '.') {
                if (i + 1 < n && f[i + 1] == '*')
                    NEED(T_INT);
                i += 2;
            }
        }
        while (i < n && (f[i] == 't' || f[i] == 'l')) /* modifiers */
            i++;
        if (i >= n) {
            buf_puts(why, "truncated");
            return false;
        }
        char c = f[i++];
        switch (c) {
        case '~': case 'n': break;
        case 'c': NEED(T_INT); break;
        case 'f': case 'e': case 'g': NEED(T_FLOAT); break;
        case 's': NEED(T_STRING); break;
        case 'w': case 'p': case 'b': case 'B': case '+': case '#': case 'i': NEED(T_TERM); break;
        case 'W': case 'P': NEED(T_TERM); NEED(T_INT); break;
        case 'x': case 'X': NEED(T_TERM); NEED(T_STRING); break;
        default:
            buf_printf(why, "invalid control ~%c", c);
            return false;
        }
#undef NEED
    }
    *count = k;
    return true;
}

/* Whether t is character data unicode:characters_to_binary takes: code
** points, binaries and lists of them, nested. */
static bool is_chardata(Term t, int depth)
{
    if (erl_is_binary(t))
        return true;
    if (erl_is_int(t))
        return depth > 0 && erl_int_value(t) >= 0 && erl_int_value(t) <= 0x10ffff &&
               !(erl_int_value(t) >= 0xd800 && erl_int_value(t) <= 0xdfff);
    if (!erl_is_list(t) || depth > 10000)
        return false;
    for (; erl_is_cons(t); t = erl_tl(t))
        if (!is_chardata(erl_hd(t), depth + 1))
            return false;
    return t == ERL_NIL || erl_is_binary(t);
}

/* Whether fmt is what io:format takes as a format: a list of integers, an
** atom or a binary. */
static bool is_format(Term fmt)
{
    if (erl_is_atom(fmt) || erl_is_binary(fmt))
        return true;
    for (; erl_is_cons(fmt); fmt = erl_tl(fmt))
        if (!erl_is_integer(erl_hd(fmt)))
            return false;
    return fmt == ERL_NIL;
}

/* The format's text, when its characters are bytes. */
static bool format_bytes(Term fmt, Buf *out)
{
    if (erl_is_atom(fmt)) {
        buf_puts(out, erl_atom_name(fmt));
        return true;
    }
    if (erl_is_binary(fmt)) {
        buf_put(out, (const char *)erl_binary_bytes(fmt), erl_binary_size(fmt));
        return true;
    }
    for (; erl_is_cons(fmt); fmt = erl_tl(fmt)) {
        Term c = erl_hd(fmt);
        if (!erl_is_int(c) || erl_int_value(c) < 0 || erl_int_value(c) > 255)
            return false;
        buf_putc(out, (char)erl_int_value(c));
    }
    return fmt == ERL_NIL;
}

/* erl's notes for a format call that failed: fmt and args are arguments
** first and first + 1. */
static void explain_format(Buf *note, Term fmt, Term args, int first)
{
    if (!is_format(fmt)) {
        buf_printf(note, "argument %d: not a valid format string", first);
        if (!erl_is_list(args))
            buf_printf(note, "\nargument %d: not a list", first + 1);
        else if (erl_is_pid(fmt) && is_format(args))
            buf_puts(note, "\npossibly missing argument list");
        return;
    }
    if (!erl_is_list(args)) {
        buf_printf(note, "argument %d: not a list", first + 1);
        return;
    }
    Buf text = {0}, why = {0};
    ArgType types[MAX_CONTROLS];
    int count = 0;
    if (!format_bytes(fmt, &text)) {
        buf_printf(note, "argument %d: failed to format string", first);
    } else if (!format_types(text.s ? text.s : "", text.len, types, &count, &why)) {
        buf_printf(note, "argument %d: format string invalid (%s)", first, buf_str(&why));
    } else if (count != term_list_length(args)) {
        buf_printf(note, "argument %d: wrong number of arguments", first);
        if (erl_is_atom(fmt))
            buf_puts(note, "\npossibly missing argument list");
    } else {
        static const char *const type_names[] = {"term", "integer", "float", "string"};
        int no = 1;
        size_t before = note->len;
        for (Term a = args; erl_is_cons(a) && no <= MAX_CONTROLS; a = erl_tl(a), no++) {
            Term x = erl_hd(a);
            ArgType t = types[no - 1];
            bool ok = t == T_TERM || (t == T_INT && erl_is_integer(x)) || (t == T_FLOAT && erl_is_float(x)) ||
                      (t == T_STRING && (erl_is_atom(x) || erl_is_binary(x) || is_chardata(x, 0)));
            if (!ok)
                buf_printf(note, "%sargument %d: element %d must be of type %s", note->len > before ? "\n" : "",
                           first + 1, no, type_names[t]);
        }
        if (note->len == before)
            buf_printf(note, "argument %d: failed to format string", first);
    }
    buf_free(&text);
    buf_free(&why);
}

/* ========================================================== functions */

/* io:format(Device, Format, Args) as 'name' with arity argc (the device
** is argv[0] only when argc is 3). */
static Term format_on(const char *name, int argc, const Term *argv)
{
    Device dev = argc == 3 ? device_of(name, argc, argv) : DEV_STDOUT;
    Term fmt = argv[argc == 3 ? 1 : 0];
    Term args = argc == 1 ? ERL_NIL : argv[argc == 3 ? 2 : 1];
    Buf text = {0}, out = {0};
    if (!format_bytes(fmt, &text) || !erl_is_list(args) || print_format(&out, buf_str(&text), args) != 0) {
        buf_free(&text);
        buf_free(&out);
        Buf note = {0};
        explain_format(&note, fmt, args, argc == 3 ? 2 : 1);
        char why[512];
        snprintf(why, sizeof why, "%s", buf_str(&note));
        buf_free(&note);
        exc_raise_in(AM_badarg, name, argc, argv, why);
    }
    put_device(dev, out.s ? out.s : "", out.len);
    buf_free(&text);
    buf_free(&out);
    return AM_ok;
}

static Term bif_format1(Term f) { return format_on("io:format", 1, (Term[]){f}); }
static Term bif_format2(Term f, Term a) { return format_on("io:format", 2, (Term[]){f, a}); }
static Term bif_format3(Term d, Term f, Term a) { return format_on("io:format", 3, (Term[]){d, f, a}); }
static Term bif_fwrite1(Term f) { return format_on("io:fwrite", 1, (Term[]){f}); }
static Term bif_fwrite2(Term f, Term a) { return format_on("io:fwrite", 2, (Term[]){f, a}); }
static Term bif_fwrite3(Term d, Term f, Term a) { return format_on("io:fwrite", 3, (Term[]){d, f, a}); }

/* The bytes of character data (code points up to 255, binaries), or false
** for anything else. */
static bool chardata_bytes(Buf *out, Term t, int depth)
{
    if (erl_is_binary(t)) {
        buf_put(out, (const char *)erl_binary_bytes(t), erl_binary_size(t));
        return true;
    }
    if (depth > 0 && erl_is_int(t) && erl_int_value(t) >= 0 && erl_int_value(t) <= 255) {
        buf_putc(out, (char)erl_int_value(t));
        return true;
    }
    if (!erl_is_list(t) || depth > 10000)
        return false;
    for (; erl_is_cons(t); t = erl_tl(t))
        if (!chardata_bytes(out, erl_hd(t), depth + 1))
            return false;
    return t == ERL_NIL || (erl_is_binary(t) && chardata_bytes(out, t, depth + 1));
}

/* io:put_chars([Device,] Chars). */
static Term put_chars_on(int argc, const Term *argv)
{
    Device dev = argc == 2 ? device_of("io:put_chars", argc, argv) : DEV_STDOUT;
    Buf out = {0};
    if (!chardata_bytes(&out, argv[argc - 1], 0)) {
        buf_free(&out);
        exc_raise_in(AM_badarg, "io:put_chars", argc, argv,
                     argc == 2 ? "argument 2: not valid character data (an iodata term)"
                               : "argument 1: not valid character data (an iodata term)");
    }
    put_device(dev, out.s ? out.s : "", out.len);
    buf_free(&out);
    return AM_ok;
}

static Term bif_put_chars1(Term c) { return put_chars_on(1, (Term[]){c}); }
static Term bif_put_chars2(Term d, Term c) { return put_chars_on(2, (Term[]){d, c}); }

static Term bif_nl0(void)
{
    put_device(DEV_STDOUT, "\n", 1);
    return AM_ok;
}

static Term bif_nl1(Term d)
{
    put_device(device_of("io:nl", 1, (Term[]){d}), "\n", 1);
    return AM_ok;
}

/* io:write([Device,] Term): Term as ~w writes it. */
static Term write_on(int argc, const Term *argv)
{
    Device dev = argc == 2 ? device_of("io:write", argc, argv) : DEV_STDOUT;
    Buf out = {0};
    print_write(&out, argv[argc - 1]);
    put_device(dev, out.s ? out.s : "", out.len);
    buf_free(&out);
    return AM_ok;
}

static Term bif_write1(Term t) { return write_on(1, (Term[]){t}); }
static Term bif_write2(Term d, Term t) { return write_on(2, (Term[]){d, t}); }

void bif_io_init(void)
{
    export_builtin("io", "format", 1, (void *)bif_format1);
    export_builtin("io", "format", 2, (void *)bif_format2);
    export_builtin("io", "format", 3, (void *)bif_format3);
    export_builtin("io", "fwrite", 1, (void *)bif_fwrite1);
    export_builtin("io", "fwrite", 2, (void *)bif_fwrite2);
    export_builtin("io", "fwrite", 3, (void *)bif_fwrite3);
    export_builtin("io", "put_chars", 1, (void *)bif_put_chars1);
    export_builtin("io", "put_chars", 2, (void *)bif_put_chars2);
    export_builtin("io", "nl", 0, (void *)bif_nl0);
    export_builtin("io", "nl", 1, (void *)bif_nl1);
    export_builtin("io", "write", 1, (void *)bif_write1);
    export_builtin("io", "write", 2, (void *)bif_write2);
}
