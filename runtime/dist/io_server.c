/*
** io_server.c
** cerl's group leader for what it starts on other nodes: a process of
** cerl that answers the Erlang I/O protocol ({io_request, From, ReplyAs,
** Request} -> {io_reply, ReplyAs, Reply}), so that a process spawn/4 or
** rpc made on a BEAM node prints on cerl's terminal, as erl's group
** leader does. Output goes through the shell's path (bif_output), which
** keeps it apart from the prompt.
**
** The device is cerl's standard output, a Latin-1 device as erl's is when
** its input is not a terminal: a character up to 255 is its byte, one
** above is written \x{20AC}. Input is not offered: the shell owns it.
*/
#include "dist.h"
#include "conn.h"
#include "../bif.h"
#include "../buf.h"
#include "../error.h"
#include "../export.h"
#include "../print.h"
#include "../proc.h"
#include "../work.h"

#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* The options getopts reports and setopts changes. */
typedef struct IoOpts {
    bool binary; /* {binary, true}: get requests would answer binaries */
} IoOpts;

static Term error_reply(const char *why)
{
    return erl_tuple(AM_error, erl_atom(why));
}

/* ================================================ characters to bytes */

/* Character cp on the Latin-1 device. */
static void put_char(Buf *out, uint32_t cp)
{
    if (cp <= 255)
        buf_putc(out, (char)cp);
    else
        buf_printf(out, "\\x{%X}", (unsigned)cp);
}

/* The characters of the UTF-8 bytes s[0..n) onto out; false when they
** are not UTF-8. */
static bool put_utf8(Buf *out, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        int more = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
        if (more < 0 || i + (size_t)more >= n)
            return false;
        uint32_t cp = more == 0 ? c : c & (0x3f >> more);
        for (int k = 1; k <= more; k++) {
            if ((s[i + (size_t)k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + (size_t)k] & 0x3f);
        }
        static const uint32_t least[] = {0, 0x80, 0x800, 0x10000};
        if (cp < least[more] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        put_char(out, cp);
        i += (size_t)more + 1;
    }
    return true;
}

/* Character data t in encoding 'unicode' (else latin1) onto out: lists
** of characters and binaries, nested, as unicode:chardata() (latin1:
** characters up to 255, binaries of bytes). False for anything else.
** Walked with a work stack (work.h): a list nested as deep as erl takes
** it would overflow a process's stack. Allocates nothing on a heap, so no
** collection moves the terms kept on that stack. */
static bool put_chardata(Buf *out, Term t, bool unicode)
{
    if (!erl_is_list(t) && !erl_is_binary(t))
        return false;
    Work todo;
    work_init(&todo);
    work_push(&todo, t);
    bool ok = true;
    while (ok && todo.len > 0) {
        Term x = todo.w[--todo.len];
        if (erl_is_binary(x)) {
            const unsigned char *s = erl_binary_bytes(x);
            size_t len = erl_binary_size(x);
            if (unicode)
                ok = put_utf8(out, s, len);
            else
                buf_put(out, (const char *)s, len);
            continue;
        }
        if (x == ERL_NIL)
            continue;
        if (!erl_is_cons(x)) { /* an improper tail other than a binary */
            ok = false;
            continue;
        }
        Term h = erl_hd(x);
        if (erl_is_int(h)) {
            long c = erl_int_value(h);
            ok = c >= 0 && c <= (unicode ? 0x10ffff : 255);
            if (ok)
                put_char(out, (uint32_t)c);
        } else if (!erl_is_list(h) && !erl_is_binary(h)) {
            ok = false;
        }
        work_push(&todo, erl_tl(x)); /* after the head */
        if (!erl_is_int(h))
            work_push(&todo, h);
    }
    work_free(&todo);
    return ok;
}

/* A format string (an atom, a binary, a list of characters) as the bytes
** print_format reads: a character above 255 is already its escape, which
** print_format copies as any text. */
static bool format_string(Buf *out, Term f, bool unicode)
{
    if (erl_is_atom(f)) {
        buf_puts(out, erl_atom_name(f));
        return true;
    }
    return put_chardata(out, f, unicode);
}

/* ============================================================ requests */

typedef struct Apply {
    Term m, f, a;
} Apply;

static Term apply_mfa(void *ctx)
{
    const Apply *c = ctx;
    Term argv[8];
    int argc = bif_list_to_args(c->a, argv);
    return export_apply(c->m, c->f, argc, argv);
}

/* The characters of M:F(A...) onto out: io_lib's format/2, fwrite/2,
** write/1 and nl/0 (what BEAM's io module sends) done here, as cerl's
** io:format does them; any other function called, its value being
** character data. False when that fails. */
static bool put_mfa(Buf *out, Term m, Term f, Term a, bool unicode)
{
    if (!erl_is_atom(m) || !erl_is_atom(f) || erl_list_length(a) < 0)
        return false;
    long n = erl_list_length(a);
    if (m == erl_atom("io_lib")) {
        if ((f == erl_atom("format") || f == erl_atom("fwrite")) && n == 2) {
            Buf fmt = {0};
            Term args = erl_hd(erl_tl(a));
            bool ok = format_string(&fmt, erl_hd(a), unicode) && erl_is_list(args) &&
                      print_format(out, buf_str(&fmt), args) == 0;
            buf_free(&fmt);
            return ok;
        }
        if (f == erl_atom("write") && n == 1) {
            print_write(out, erl_hd(a));
            return true;
        }
        if (f == erl_atom("nl") && n == 0) {
            buf_putc(out, '\n');
            return true;
        }
    }
    if (n > 8)
        return false;
    Apply c = {m, f, a};
    Term value, cls;
    return erl_catch(apply_mfa, &c, &value, &cls) && put_chardata(out, value, unicode);
}

/* The encoding of a request: 1 unicode, 0 latin1, -1 neither. */
static int encoding(Term e)
{
    return e == erl_atom("unicode") ? 1 : e == erl_atom("latin1") ? 0 : -1;
}

static bool is_get(Term tag)
{
    return tag == erl_atom("get_line") || tag == erl_atom("get_chars") || tag == erl_atom("get_until") ||
           tag == erl_atom("get_password");
}

/* {setopts, Opts}: binary and list, {binary, Bool}, {encoding, latin1}. */
static Term setopts(IoOpts *o, Term opts)
{
    IoOpts next = *o;
    for (Term l = opts; erl_is_cons(l); l = erl_tl(l)) {
        Term x = erl_hd(l);
        if (x == erl_atom("binary") || x == erl_atom("list"))
            next.binary = x == erl_atom("binary");
        else if (erl_is_tuple(x) && erl_tuple_size(x) == 2 && erl_element(x, 1) == erl_atom("binary") &&
                 (erl_element(x, 2) == AM_true || erl_element(x, 2) == AM_false))
            next.binary = erl_element(x, 2) == AM_true;
        else if (!(erl_is_tuple(x) && erl_tuple_size(x) == 2 && erl_element(x, 1) == erl_atom("encoding") &&
                   erl_element(x, 2) == erl_atom("latin1")))
            return error_reply("enotsup");
    }
    if (!erl_is_list(opts))
        return error_reply("enotsup");
    *o = next;
    return AM_ok;
}

/* {get_geometry, columns | rows}: the terminal's, when the output is one. */
static Term geometry(Term what)
{
    struct winsize ws;
    if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
        return error_reply("enotsup");
    if (what == erl_atom("columns"))
        return erl_mk_int(ws.ws_col);
    if (what == erl_atom("rows"))
        return erl_mk_int(ws.ws_row);
    return error_reply("request");
}

/* The reply to one request (erl's group leader's where erl has one). */
static Term serve(IoOpts *o, Term req, int depth)
{
    if (req == erl_atom("getopts"))
        return erl_list(erl_tuple(erl_atom("binary"), o->binary ? AM_true : AM_false),
                        erl_tuple(erl_atom("encoding"), erl_atom("latin1")));
    if (!erl_is_tuple(req) || erl_tuple_size(req) < 2)
        return error_reply("request");
    Term tag = erl_element(req, 1);
    int n = (int)erl_tuple_size(req);
    if (tag == erl_atom("put_chars")) {
        /* {put_chars, Enc, Chars}, {put_chars, Enc, M, F, A}, and the
        ** forms without the encoding (Latin-1) of nodes before unicode io */
        int enc = n == 3 || n == 5 ? encoding(erl_element(req, 2)) : 0;
        int first = n == 3 || n == 5 ? 3 : 2;
        if (enc < 0 || n > 5)
            return error_reply("request");
        Buf out = {0};
        bool ok = n - first == 0 ? put_chardata(&out, erl_element(req, first), enc == 1)
                                 : put_mfa(&out, erl_element(req, first), erl_element(req, first + 1),
                                           erl_element(req, first + 2), enc == 1);
        if (ok && out.len)
            bif_output(out.s, out.len);
        buf_free(&out);
        if (ok)
            return AM_ok;
        /* erl's group leader: {error, F} when M:F(A...) failed */
        return n - first == 0 ? error_reply("put_chars") : erl_tuple(AM_error, erl_element(req, first + 1));
    }
    if (tag == erl_atom("requests") && n == 2 && depth < 8) {
        Term r = AM_ok;
        for (Term l = erl_element(req, 2); erl_is_cons(l); l = erl_tl(l)) {
            r = serve(o, erl_hd(l), depth + 1);
            if (erl_is_tuple(r) && erl_tuple_size(r) == 2 && erl_element(r, 1) == AM_error)
                break;
        }
        return r;
    }
    if (tag == erl_atom("setopts") && n == 2)
        return setopts(o, erl_element(req, 2));
    if (tag == erl_atom("get_geometry") && n == 2)
        return geometry(erl_element(req, 2));
    if (is_get(tag))
        return error_reply("enotsup"); /* the shell reads the terminal */
    return error_reply("request");
}

static bool is_request(Term m)
{
    return erl_is_tuple(m) && erl_tuple_size(m) == 4 && erl_element(m, 1) == erl_atom("io_request") &&
           erl_is_pid(erl_element(m, 2));
}

/* The server's process: every io request answered, anything else dropped. */
static Term io_server_loop(void)
{
    IoOpts o = {.binary = false};
    for (;;) {
        Term m = erl_receive();
        if (is_request(m)) {
            Term reply = serve(&o, erl_element(m, 4), 0);
            erl_send(erl_element(m, 2), erl_tuple(erl_atom("io_reply"), erl_element(m, 3), reply));
        }
    }
    return AM_ok; /* not reached */
}

Term dist_io_group_leader(void)
{
    Term pid = dist_ctrl_io_server();
    if (pid != ERL_NONE && proc_find(pid))
        return pid;
    Proc *p = proc_spawn((void *)io_server_loop, 0, NULL, 0);
    if (!p)
        erl_error(AM_system_limit);
    dist_ctrl_set_io_server(p->pid);
    return p->pid;
}
