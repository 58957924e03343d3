/*
** print.c
** Terms as text the way erl writes them: ~w, ~p with io_lib_pretty's line
** breaking, the shell's result layout, atoms, floats and io:format.
*/
#include "print.h"
#include "bignum.h"
#include "buf.h"
#include "deep.h"
#include "map.h"
#include "fun.h"
#include "node.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ============================================================ atoms */

static const char *const reserved_words[] = {
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor",
    "case", "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or",
    "orelse", "receive", "rem", "try", "when", "xor", NULL,
};

static bool is_lower(unsigned c)
{
    return (c >= 'a' && c <= 'z') || (c >= 223 && c <= 255 && c != 247);
}

static bool is_name_char(unsigned c)
{
    return is_lower(c) || (c >= 'A' && c <= 'Z') || (c >= 192 && c <= 222 && c != 215) ||
           (c >= '0' && c <= '9') || c == '_' || c == '@';
}

static bool atom_needs_quotes(const char *s, size_t n)
{
    if (n == 0 || !is_lower((unsigned char)s[0]))
        return true;
    for (size_t i = 1; i < n; i++)
        if (!is_name_char((unsigned char)s[i]))
            return true;
    for (int i = 0; reserved_words[i]; i++)
        if (strlen(reserved_words[i]) == n && memcmp(reserved_words[i], s, n) == 0)
            return true;
    return false;
}

/* One character of a quoted string or atom, escaped as io_lib does;
** latin-1 characters 160..255 go out as single raw bytes. */
bool print_char_escape(Buf *b, unsigned c)
{
    switch (c) {
    case '\\': buf_puts(b, "\\\\"); return true;
    case '\n': buf_puts(b, "\\n"); return true;
    case '\r': buf_puts(b, "\\r"); return true;
    case '\t': buf_puts(b, "\\t"); return true;
    case '\v': buf_puts(b, "\\v"); return true;
    case '\b': buf_puts(b, "\\b"); return true;
    case '\f': buf_puts(b, "\\f"); return true;
    case 27: buf_puts(b, "\\e"); return true;
    case 127: buf_puts(b, "\\d"); return true;
    }
    return false;
}

static void put_quoted_char(Buf *b, unsigned c, char quote)
{
    if (print_char_escape(b, c))
        return;
    if (c == (unsigned char)quote) {
        buf_putc(b, '\\');
        buf_putc(b, quote);
    } else if ((c >= 32 && c <= 126) || (c >= 160 && c <= 255)) {
        buf_putc(b, (char)c);
    } else {
        buf_printf(b, "\\%03o", c & 0xff);
    }
}

void print_atom(Buf *b, Term a)
{
    const char *s = erl_atom_name(a);
    size_t n = atom_len(a);
    if (!atom_needs_quotes(s, n)) {
        buf_put(b, s, n);
        return;
    }
    buf_putc(b, '\'');
    for (size_t i = 0; i < n; i++)
        put_quoted_char(b, (unsigned char)s[i], '\'');
    buf_putc(b, '\'');
}

/* fun M:F/A, or a local fun as erl prints one (fun.h). */
static void write_fun(Buf *b, Term t)
{
    fun_write(b, t);
}


/* ============================================================ floats */

/* The shortest digits that read back as d (d > 0): digits in ds (no
** trailing zeros), value 0.DS * 10^(exp+1), i.e. ds[0] is the 10^exp digit. */
/* Where the correctly rounded digits do not read back as d, a neighbour in
** the last digit may (the interval around a power of two is lopsided:
** 2^-24 is 5.960464477539063e-8, not ...062): tmp becomes that one. */
static bool neighbour_reads_back(double d, char *tmp, size_t size)
{
    char digits[24];
    int n = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
    digits[n] = '\0';
    int e = atoi(p + 1) - (n - 1); /* value = digits * 10^e */
    unsigned long long m = strtoull(digits, NULL, 10);
    for (int delta = -1; delta <= 1; delta += 2) {
        if (m == 0 && delta < 0)
            continue;
        char cand[48];
        snprintf(cand, sizeof cand, "%llue%d", m + (unsigned long long)(long long)delta, e);
        if (strtod(cand, NULL) == d) {
            /* tmp as "D.DDDeX": the candidate's digits (one more after a
            ** carry such as 99 + 1), trailing zeros dropped later */
            char nd[24];
            int len = snprintf(nd, sizeof nd, "%llu", m + (unsigned long long)(long long)delta);
            snprintf(tmp, size, "%c.%se%d", nd[0], nd + 1, e + len - 1);
            return true;
        }
    }
    return false;
}

static void shortest_digits(double d, char ds[24], int *exp)
{
    char tmp[40];
    for (int prec = 0; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec, d);
        if (strtod(tmp, NULL) == d || prec == 17)
            break;
        if (prec >= 1 && neighbour_reads_back(d, tmp, sizeof tmp))
            break;
    }
    /* tmp is "D.DDDDe+XX" or "De+XX" */
    int n = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            ds[n++] = *p;
    while (n > 1 && ds[n - 1] == '0')
        n--;
    ds[n] = '\0';
    *exp = atoi(p + 1);
}

void print_float(Buf *b, double d)
{
    if (signbit(d))
        buf_putc(b, '-');
    d = fabs(d);
    if (d == 0) {
        buf_puts(b, "0.0");
        return;
    }
    if (isnan(d) || isinf(d)) { /* cannot be an Erlang float; print something */
        buf_puts(b, isnan(d) ? "nan" : "inf");
        return;
    }
    char ds[24];
    int e;
    shortest_digits(d, ds, &e);
    int n = (int)strlen(ds);

    char sci[48];
    snprintf(sci, sizeof sci, "%c.%se%d", ds[0], n > 1 ? ds + 1 : "0", e);

    /* erl writes integers from 2^53 on in scientific form: their fixed
    ** form would show digits that the float does not hold */
    if (d < 9007199254740992.0) {
        Buf fx = {0};
        if (e < 0) {
            buf_puts(&fx, "0.");
            for (int i = 0; i < -e - 1; i++)
                buf_putc(&fx, '0');
            buf_puts(&fx, ds);
        } else if (n > e + 1) {
            buf_put(&fx, ds, (size_t)e + 1);
            buf_putc(&fx, '.');
            buf_puts(&fx, ds + e + 1);
        } else {
            buf_puts(&fx, ds);
            for (int i = n; i < e + 1; i++)
                buf_putc(&fx, '0');
            buf_puts(&fx, ".0");
        }
        bool fixed = fx.len <= strlen(sci);
        if (fixed)
            buf_put(b, fx.s, fx.len);
        buf_free(&fx);
        if (fixed)
            return;
    }
    buf_puts(b, sci);
}

/* ======================================================= layout tree */

/* A term prepared for layout, as io_lib_pretty prepares it: every node
** knows the length of its one-line form. Text nodes (atoms, numbers,
** strings, pids, "[]", "{...}") are the "simple" elements that may share
** a line; lists, tuples and non-text binaries can be broken. */
enum { N_TEXT, N_DOTS, N_LIST, N_TUPLE, N_BIN, N_MAP, N_PAIR, N_RECORD, N_FIELD };

typedef struct Node Node;
struct Node {
    unsigned char kind;
    bool tagged;     /* tuple of 2+ elements whose first is an atom */
    long len;        /* characters on one line */
    size_t off, tlen; /* N_TEXT, N_BIN: the text, in the layout's text buffer;
                     ** N_RECORD: "#name"; N_FIELD: the field's name */
    Node **el;       /* N_LIST, N_TUPLE, N_MAP: the elements (N_MAP: its
                     ** N_PAIRs); N_PAIR: the key and the value; N_RECORD:
                     ** its N_FIELDs; N_FIELD: the value */
    size_t n;
    Node *tail;      /* N_LIST: improper tail or N_DOTS; N_TUPLE, N_RECORD:
                     ** N_DOTS; else NULL */
};

typedef struct Block {
    struct Block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
} Block;

/* One layout job: the tree's memory, its text, and the page geometry. */
typedef struct Layout {
    Block *blocks;  /* arena for nodes and element arrays; owned */
    Buf text;       /* the text of all text nodes */
    bool strings;   /* print printable lists and binaries as strings */
    bool records;   /* print tuples print_record_fun names as records */
    long ll;        /* line length */
    long m;         /* line_max_chars: most characters of content per line */
    bool bad;       /* cind found that an indentation does not work */
    Buf *out;
} Layout;

static void *arena_alloc(Layout *lay, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    Block *bk = lay->blocks;
    if (!bk || bk->size - bk->used < n) {
        size_t size = n > 65536 ? n : 65536;
        bk = xmalloc(sizeof *bk + size);
        bk->next = lay->blocks;
        bk->used = 0;
        bk->size = size;
        lay->blocks = bk;
    }
    void *p = bk->data + bk->used;
    bk->used += n;
    return p;
}

static void layout_free(Layout *lay)
{
    while (lay->blocks) {
        Block *next = lay->blocks->next;
        free(lay->blocks);
        lay->blocks = next;
    }
    buf_free(&lay->text);
}

static Node *new_node(Layout *lay, int kind)
{
    Node *n = arena_alloc(lay, sizeof *n);
    memset(n, 0, sizeof *n);
    n->kind = (unsigned char)kind;
    return n;
}

/* Starts a text node; append its text to lay->text, then end_text. */
static Node *begin_text(Layout *lay, int kind)
{
    Node *n = new_node(lay, kind);
    n->off = lay->text.len;
    return n;
}

static Node *end_text(Layout *lay, Node *n)
{
    n->tlen = lay->text.len - n->off;
    n->len = (long)n->tlen;
    return n;
}

static Node *text_node(Layout *lay, const char *s)
{
    Node *n = begin_text(lay, N_TEXT);
    buf_puts(&lay->text, s);
    return end_text(lay, n);
}

static Node *dots_node(Layout *lay)
{
    Node *n = begin_text(lay, N_DOTS);
    buf_puts(&lay->text, "...");
    return end_text(lay, n);
}

static void write_pid(Buf *b, Term t)
{
    node_write_pid(b, t);
}

static void write_ref(Buf *b, Term t)
{
    node_write_ref(b, t);
}

static void write_bignum(Buf *b, Term t)
{
    char *digits = int_to_chars(t, 10);
    buf_puts(b, digits);
    free(digits);
}

/* Terms that are never broken or cut: numbers, atoms, pids, refs, funs. */
static void write_simple(Buf *b, Term t)
{
    if (erl_is_int(t))
        buf_printf(b, "%lld", (long long)erl_int_value(t));
    else if (erl_is_atom(t))
        print_atom(b, t);
    else if (erl_is_pid(t))
        write_pid(b, t);
    else if (t == ERL_NIL)
        buf_puts(b, "[]");
    else if (erl_is_float(t))
        print_float(b, erl_float_value(t));
    else if (big_is(t))
        write_bignum(b, t);
    else if (erl_is_ref(t))
        write_ref(b, t);
    else if (erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_FUN)
        write_fun(b, t);
    else
        buf_puts(b, "'$unknown_term'");
}

static bool printable_byte(unsigned c)
{
    return (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || (c >= 8 && c <= 13) || c == 27;
}

static void put_string_bytes(Buf *b, const unsigned char *s, size_t n)
{
    buf_putc(b, '"');
    for (size_t i = 0; i < n; i++)
        put_quoted_char(b, s[i], '"');
    buf_putc(b, '"');
}

/* How many leading bytes of a binary print as a string (io_lib_pretty's
** printable_bin for latin-1), or -1 when it prints as numbers. d1 is the
** depth left for the contents (negative: unlimited). *cut says whether
** the string is only a prefix (then printed as <<"..."...>>). */
static long printable_prefix(const unsigned char *s, size_t size, long d1, bool *cut)
{
    size_t len = d1 >= 0 ? (4 * (size_t)d1 < size ? 4 * (size_t)d1 : size) : size;
    *cut = false;
    if (len == 0)
        return -1;
    size_t n = len < 20 ? len : 20, i = 0;
    while (i < n && printable_byte(s[i]))
        i++;
    if (i == n) {
        if (n == size)
            return (long)n;
        if (n == len) {
            *cut = true;
            return (long)n;
        }
        size_t k = n;
        while (k < len && printable_byte(s[k]))
            k++;
        if (k == len && size == len)
            return (long)size;
        if (d1 > 0 && (long)k >= d1) {
            *cut = true;
            return (long)k;
        }
        return -1;
    }
    if (d1 > 0 && (long)i >= d1) {
        *cut = true;
        return (long)i;
    }
    return -1;
}

static Node *build(Layout *lay, Term t, long depth);

/* A binary or bitstring: <<"abc">>, <<1,2,3>>, <<97,98,3:2>> (erl never
** shows a bitstring's bytes as a string). */
static Node *build_binary(Layout *lay, Term t, long depth)
{
    uint64_t bits = erl_bit_size(t);
    size_t size = (size_t)(bits / 8);
    unsigned tail = (unsigned)(bits & 7);
    const unsigned char *s = erl_binary_bytes(t);
    Node *n;
    if (bits == 0)
        return text_node(lay, "<<>>");
    if (depth == 1)
        return text_node(lay, "<<...>>");
    if (lay->strings && !tail) {
        bool cut;
        long k = printable_prefix(s, size, depth - 1, &cut);
        if (k >= 0) {
            n = begin_text(lay, N_TEXT);
            buf_puts(&lay->text, "<<");
            put_string_bytes(&lay->text, s, (size_t)k);
            buf_puts(&lay->text, cut ? "...>>" : ">>");
            return end_text(lay, n);
        }
    }
    n = begin_text(lay, N_BIN);
    buf_puts(&lay->text, "<<");
    long d = depth;
    for (size_t i = 0; i < size; i++, d--) {
        if (d == 1) {
            buf_puts(&lay->text, "...");
            break;
        }
        buf_printf(&lay->text, i + 1 < size || tail ? "%u," : "%u", s[i]);
    }
    if (tail && d == 1 && (size == 0 || lay->text.s[lay->text.len - 1] == ','))
        buf_puts(&lay->text, "...");
    else if (tail && d != 1)
        buf_printf(&lay->text, "%u:%u", (unsigned)s[size] >> (8 - tail), tail);
    buf_puts(&lay->text, ">>");
    return end_text(lay, n);
}

/* io_lib_pretty's list_length: brackets, elements, separators, tail. */
static long compound_len(const Node *n)
{
    long len = 2;
    for (size_t i = 0; i < n->n; i++)
        len += n->el[i]->len + (i > 0);
    if (n->tail)
        len += n->tail->len + (n->n > 0);
    return len;
}

static Node *build_list(Layout *lay, Term t, long depth)
{
    if (lay->strings && depth != 1 && term_is_printable_string(t)) {
        Node *n = begin_text(lay, N_TEXT);
        buf_putc(&lay->text, '"');
        for (; erl_is_cons(t); t = erl_tl(t))
            put_quoted_char(&lay->text, (unsigned)erl_int_value(erl_hd(t)), '"');
        buf_putc(&lay->text, '"');
        return end_text(lay, n);
    }
    size_t count = 0;
    long d = depth;
    for (Term l = t; erl_is_cons(l) && d != 1; l = erl_tl(l), d--)
        count++;
    Node *n = new_node(lay, N_LIST);
    n->el = arena_alloc(lay, (count ? count : 1) * sizeof *n->el);
    d = depth;
    for (; erl_is_cons(t) && d != 1; t = erl_tl(t), d--)
        n->el[n->n++] = build(lay, erl_hd(t), d - 1);
    if (erl_is_cons(t) || (t != ERL_NIL && d == 1))
        n->tail = dots_node(lay);
    else if (t != ERL_NIL)
        n->tail = build(lay, t, d - 1);
    n->len = compound_len(n);
    return n;
}

static Node *build_tuple(Layout *lay, Term t, long depth)
{
    uint64_t size = erl_tuple_size(t);
    if (size == 0)
        return text_node(lay, "{}");
    if (depth == 1)
        return text_node(lay, "{...}");
    Node *n = new_node(lay, N_TUPLE);
    n->el = arena_alloc(lay, size * sizeof *n->el);
    long d = depth;
    for (uint64_t i = 1; i <= size; i++, d--) {
        if (d == 1) {
            n->tail = dots_node(lay);
            break;
        }
        n->el[n->n++] = build(lay, erl_element(t, i), d - 1);
    }
    n->tagged = size > 1 && erl_is_atom(erl_element(t, 1));
    n->len = compound_len(n);
    return n;
}

/* A map: #{K => V,...} with its pairs in map key order, or a large map's
** in its trie's order, which is erl's (map.h). */
static Node *build_map(Layout *lay, Term t, long depth)
{
    size_t size = map_size(t);
    if (size == 0)
        return text_node(lay, "#{}");
    if (depth == 1)
        return text_node(lay, "#{...}");
    Term *kv = xmalloc(2 * size * sizeof *kv);
    MapIter it;
    map_iter_init_print(&it, t);
    for (size_t i = 0; i < size && map_next(&it, &kv[i], &kv[size + i]); i++)
        ;
    Node *n = new_node(lay, N_MAP);
    n->el = arena_alloc(lay, size * sizeof *n->el);
    long d = depth;
    n->len = 3;
    for (size_t i = 0; i < size; i++, d--) {
        if (d == 1) {
            n->tail = dots_node(lay);
            n->len += 3 + (i > 0);
            break;
        }
        Node *p = new_node(lay, N_PAIR);
        p->el = arena_alloc(lay, 2 * sizeof *p->el);
        p->el[0] = build(lay, kv[i], d - 1);
        p->el[1] = build(lay, kv[size + i], d - 1);
        p->n = 2;
        p->len = p->el[0]->len + 4 + p->el[1]->len;
        n->el[n->n++] = p;
        n->len += p->len + (i > 0);
    }
    free(kv);
    return n;
}

/* A tuple print_record_fun names: #name{f = v,...}, its fields cut at the
** depth a tuple's elements would be (the tag takes the first level). */
static Node *build_record(Layout *lay, Term t, long depth, const Term *fields)
{
    if (depth == 1)
        return text_node(lay, "{...}");
    uint64_t nf = erl_tuple_size(t) - 1;
    Node *n = new_node(lay, N_RECORD);
    n->off = lay->text.len;
    buf_putc(&lay->text, '#');
    print_atom(&lay->text, erl_element(t, 1));
    n->tlen = lay->text.len - n->off;
    n->el = arena_alloc(lay, (nf ? nf : 1) * sizeof *n->el);
    long d = depth - 1;
    for (uint64_t i = 0; i < nf; i++, d--) {
        if (d == 1) {
            n->tail = dots_node(lay);
            break;
        }
        Node *f = new_node(lay, N_FIELD);
        f->off = lay->text.len;
        print_atom(&lay->text, fields[i]);
        f->tlen = lay->text.len - f->off;
        f->el = arena_alloc(lay, sizeof *f->el);
        f->el[0] = build(lay, erl_element(t, i + 2), d - 1);
        f->n = 1;
        f->len = (long)f->tlen + 3 + f->el[0]->len;
        n->el[n->n++] = f;
    }
    n->len = (long)n->tlen + 2;
    for (size_t i = 0; i < n->n; i++)
        n->len += n->el[i]->len + (i > 0);
    if (n->tail)
        n->len += n->tail->len + (n->n > 0);
    return n;
}

/* The layout tree of t; depth as io_lib's (-1: unlimited). */
static Node *build(Layout *lay, Term t, long depth)
{
    if (lay->records && print_record_fun && erl_is_tuple(t) && erl_tuple_size(t) >= 1 &&
        erl_is_atom(erl_element(t, 1))) {
        const Term *fields = print_record_fun(erl_element(t, 1), erl_tuple_size(t) - 1);
        if (fields)
            return build_record(lay, t, depth, fields);
    }
    if (map_is(t))
        return build_map(lay, t, depth);
    if (erl_is_cons(t))
        return build_list(lay, t, depth);
    if (erl_is_tuple(t))
        return build_tuple(lay, t, depth);
    if (erl_is_bitstring(t))
        return build_binary(lay, t, depth);
    Node *n = begin_text(lay, N_TEXT);
    write_simple(&lay->text, t);
    return end_text(lay, n);
}

/* ===================================================== one-line form */

static void put_text(Layout *lay, const Node *n)
{
    buf_put(lay->out, lay->text.s + n->off, n->tlen);
}

static void write_node(Layout *lay, const Node *n);

/* n's elements, comma-separated, then its tail (if any) after 'tail_sep'
** (a comma for a map's and a record's last element, '|' for a list's). */
static void write_elements(Layout *lay, const Node *n, char tail_sep)
{
    for (size_t i = 0; i < n->n; i++) {
        if (i)
            buf_putc(lay->out, ',');
        write_node(lay, n->el[i]);
    }
    if (n->tail) {
        if (n->n)
            buf_putc(lay->out, tail_sep);
        write_node(lay, n->tail);
    }
}

static void write_node(Layout *lay, const Node *n)
{
    switch (n->kind) {
    case N_MAP:
        buf_puts(lay->out, "#{");
        write_elements(lay, n, ',');
        buf_putc(lay->out, '}');
        return;
    case N_PAIR:
        write_node(lay, n->el[0]);
        buf_puts(lay->out, " => ");
        write_node(lay, n->el[1]);
        return;
    case N_RECORD:
        put_text(lay, n);
        buf_putc(lay->out, '{');
        write_elements(lay, n, ',');
        buf_putc(lay->out, '}');
        return;
    case N_FIELD:
        put_text(lay, n);
        buf_puts(lay->out, " = ");
        write_node(lay, n->el[0]);
        return;
    case N_LIST:
    case N_TUPLE:
        buf_putc(lay->out, n->kind == N_LIST ? '[' : '{');
        write_elements(lay, n, n->kind == N_LIST ? '|' : ',');
        buf_putc(lay->out, n->kind == N_LIST ? ']' : '}');
        return;
    default:
        put_text(lay, n);
    }
}

/* ===================================================== line breaking */

/* io_lib_pretty's rules, with the same names for the same quantities:
** col is the 1-based column, ld the characters that must still follow on
** the last line (closing brackets), w the characters already on the line,
** tind the indentation of tagged tuples (-1: after the tag). A "simple"
** element is a text node (io_lib_pretty's ?ATM). */

static bool simple(const Node *n)
{
    return n->kind == N_TEXT || n->kind == N_DOTS;
}

static bool fits(const Layout *lay, const Node *n, long col, long ld, long w)
{
    return n->len < lay->ll - col - ld && n->len + w + ld <= lay->m;
}

/* ld of element i of n: 0 when more elements follow, else one more than
** the enclosing ld (for the closing bracket). */
static long last_depth(const Node *n, size_t i, long ld)
{
    return i + 1 < n->n ? 0 : ld + 1;
}

/* Does the element after a comma stay on the current line? */
static bool tail_fits(const Layout *lay, const Node *e, long col, long ld1, long w)
{
    long elen = 1 + e->len;
    if (!simple(e))
        return false;
    if (ld1 == 0)
        return elen + 1 < lay->ll - col && w + elen + 1 <= lay->m;
    return elen < lay->ll - col - ld1 && w + elen + ld1 <= lay->m;
}

static bool improper_tail_fits(const Layout *lay, const Node *e, long col, long ld, long w)
{
    return simple(e) && e->len + 1 < lay->ll - col - (ld + 1) && e->len + 1 + w + (ld + 1) <= lay->m;
}

static long cind(Layout *lay, const Node *n, long col, long ind, long ld, long w);

static long cind_element(Layout *lay, const Node *e, long col, long ind, long ld, long w)
{
    if (simple(e) && fits(lay, e, col, ld, w))
        return e->len;
    cind(lay, e, col, ind, ld, w);
    return lay->ll;
}

static long cind_tail(Layout *lay, const Node *n, size_t i, long col0, long col, long ind, long ld, long w)
{
    for (; i < n->n && !lay->bad; i++) {
        const Node *e = n->el[i];
        long ld1 = last_depth(n, i, ld);
        if (tail_fits(lay, e, col, ld1, w)) {
            col += 1 + e->len;
            w += 1 + e->len;
        } else {
            long we = cind_element(lay, e, col0, ind, ld1, 0);
            col = col0 + we;
            w = we;
        }
    }
    if (lay->bad || !n->tail || n->tail->kind == N_DOTS)
        return ind;
    if (improper_tail_fits(lay, n->tail, col, ld, w))
        return ind;
    return cind(lay, n->tail, col, ind, ld + 1, 0);
}

static long cind_list(Layout *lay, const Node *n, size_t i, long col0, long ind, long ld, long w)
{
    if (i >= n->n)
        return ind;
    long we = cind_element(lay, n->el[i], col0, ind, last_depth(n, i, ld), w);
    return cind_tail(lay, n, i + 1, col0, col0 + we, ind, ld, w + we);
}

static long cind_tag_tuple(Layout *lay, const Node *n, long col, long ind, long ld, long w)
{
    long tlen = n->el[0]->len, tagind = tlen + 2, tcol = col + tagind;
    if (ind > 0 && tagind > ind) {
        long col1 = col + ind;
        if (lay->m + col1 <= lay->ll || col1 <= lay->ll / 2)
            return cind_tail(lay, n, 1, col1, tcol, ind, ld, w + tlen);
    } else if (lay->m + tcol < lay->ll || tcol < lay->ll / 2) {
        return cind_list(lay, n, 1, tcol, ind, ld, w + tlen + 1);
    }
    lay->bad = true;
    return ind;
}

/* A record's fields and a field's value (io_lib_pretty's ?ATM_FLD: the
** value is simple; rec_indent, cind_rec: where the fields or the value go). */
static bool simple_field(const Node *f)
{
    return simple(f->el[0]);
}

/* Does a field of length len stay on the line after a comma? */
static bool field_fits(const Layout *lay, long len, long col, long ld1, long w)
{
    long elen = 1 + len;
    if (ld1 == 0)
        return elen + 1 < lay->ll - col && w + elen + 1 <= lay->m;
    return elen < lay->ll - col - ld1 && w + elen + ld1 <= lay->m;
}

/* The column (and width so far) of what goes rind columns into a record or
** field at col0: on a new line 'ind' in when rind exceeds ind > 0. */
static bool rec_indent(long rind, long ind, long col0, long w0, long *col, long *w)
{
    bool nl = ind > 0 && rind > ind;
    *col = col0 + (nl ? ind : rind);
    *w = nl ? 0 : w0;
    return nl;
}

static long cind_field(Layout *lay, const Node *f, long col0, long ind, long ld, long w0)
{
    if (fits(lay, f, col0, ld, w0))
        return simple_field(f) ? f->len : lay->ll;
    long namel = (long)f->tlen + 3, col, w;
    rec_indent(namel, ind, col0, w0 + namel, &col, &w);
    if (!(lay->m + col <= lay->ll || col <= lay->ll / 2)) {
        lay->bad = true;
        return lay->ll;
    }
    cind(lay, f->el[0], col, ind, ld, w);
    return lay->ll;
}

static long cind_record(Layout *lay, const Node *n, long col0, long ind, long ld, long w0)
{
    if (n->n == 0)
        return ind;
    long col, w;
    rec_indent((long)n->tlen + 1, ind, col0, w0, &col, &w);
    if (!(lay->m + col <= lay->ll || col <= lay->ll / 2)) {
        lay->bad = true;
        return ind;
    }
    long fw = cind_field(lay, n->el[0], col, ind, last_depth(n, 0, ld), w);
    long c = col + fw;
    w += fw;
    for (size_t i = 1; i < n->n && !lay->bad; i++) {
        const Node *f = n->el[i];
        long ld1 = last_depth(n, i, ld);
        if (simple_field(f) && field_fits(lay, f->len, c, ld1, w)) {
            c += 1 + f->len;
            w += 1 + f->len;
        } else {
            fw = cind_field(lay, f, col, ind, ld1, 0);
            c += fw; /* io_lib_pretty's cind_fields_tail adds to Col, not Col0 */
            w = fw;
        }
    }
    return ind;
}

static long cind(Layout *lay, const Node *n, long col, long ind, long ld, long w)
{
    if (lay->bad || fits(lay, n, col, ld, w))
        return ind;
    switch (n->kind) {
    case N_LIST:
        return cind_list(lay, n, 0, col + 1, ind, ld, w + 1);
    case N_TUPLE:
        if (n->tagged)
            return cind_tag_tuple(lay, n, col, ind, ld, w + 1);
        return cind_list(lay, n, 0, col + 1, ind, ld, w + 1);
    case N_RECORD:
        return cind_record(lay, n, col, ind, ld, w + (long)n->tlen + 1);
    default:
        return ind;
    }
}

static void put_newline(Layout *lay, long col)
{
    buf_putc(lay->out, '\n');
    for (long i = 1; i < col; i++)
        buf_putc(lay->out, ' ');
}

static void pp(Layout *lay, const Node *n, long col, long tind, long ld, long w);

/* Prints element e starting at col; returns the width it takes, or ll
** when it was broken (so that nothing more goes on its last line). */
static long pp_element(Layout *lay, const Node *e, long col, long tind, long ld, long w)
{
    if (simple(e) && fits(lay, e, col, ld, w)) {
        put_text(lay, e);
        return e->len;
    }
    pp(lay, e, col, tind, ld, w);
    return lay->ll;
}

static void pp_tail(Layout *lay, const Node *n, size_t i, long col0, long col, long tind, long ld,
                    char sep, long w)
{
    for (; i < n->n; i++) {
        const Node *e = n->el[i];
        long ld1 = last_depth(n, i, ld);
        buf_putc(lay->out, ',');
        if (tail_fits(lay, e, col, ld1, w)) {
            put_text(lay, e);
            col += 1 + e->len;
            w += 1 + e->len;
        } else {
            put_newline(lay, col0);
            long we = pp_element(lay, e, col0, tind, ld1, 0);
            col = col0 + we;
            w = we;
        }
    }
    const Node *t = n->tail;
    if (!t)
        return;
    buf_putc(lay->out, sep);
    if (t->kind == N_DOTS || improper_tail_fits(lay, t, col, ld, w)) {
        put_text(lay, t);
        return;
    }
    put_newline(lay, col0);
    pp(lay, t, col0, tind, ld + 1, 0);
}

static void pp_list(Layout *lay, const Node *n, size_t i, long col0, long tind, long ld, char sep,
                    long w)
{
    if (i >= n->n) {
        if (n->tail)
            put_text(lay, n->tail); /* only "..." can stand alone */
        return;
    }
    long we = pp_element(lay, n->el[i], col0, tind, last_depth(n, i, ld), w);
    pp_tail(lay, n, i + 1, col0, col0 + we, tind, ld, sep, w + we);
}

static void pp_tag_tuple(Layout *lay, const Node *n, long col, long tind, long ld, long w)
{
    const Node *tag = n->el[0];
    long tlen = tag->len, tagind = tlen + 2, tcol = col + tagind;
    put_text(lay, tag);
    if (tind > 0 && tagind > tind) {
        pp_tail(lay, n, 1, col + tind, tcol, tind, ld, ',', w + tlen);
    } else {
        buf_putc(lay->out, ',');
        pp_list(lay, n, 1, tcol, tind, ld, ',', w + tlen + 1);
    }
}

/* A binary of numbers broken into lines of at most about ll - col
** characters, continuation lines indented under the first number. */
static void pp_binary(Layout *lay, const Node *n, long col, long ld, long w)
{
    long lim = lay->ll - col < lay->m - 4 - w ? lay->ll - col : lay->m - 4 - w;
    lim -= ld;
    if (lim < 8)
        lim = 8;
    const char *s = lay->text.s + n->off + 2, *end = lay->text.s + n->off + n->tlen - 2;
    long left = lim;
    buf_puts(lay->out, "<<");
    while (s < end) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        long len = comma ? (long)(comma - s) + 1 : (long)(end - s);
        if (comma ? left - len < 0 : len > left) {
            put_newline(lay, col);
            left = lim;
        }
        buf_put(lay->out, s, (size_t)len);
        left -= len;
        s += len;
    }
    buf_puts(lay->out, ">>");
}

/* A pair that does not fit: the key, " =>", and the value on a line of its
** own, four columns in. */
static void pp_pair(Layout *lay, const Node *n, long col, long tind, long ld, long w)
{
    pp(lay, n->el[0], col, tind, 0, w);
    buf_puts(lay->out, " =>");
    put_newline(lay, col + 4);
    pp(lay, n->el[1], col + 4, tind, ld, 0);
}

/* A map's pairs at col0: each that fits stays on the line, as a list's
** simple elements do; one that does not starts a line of its own. */
static void pp_map(Layout *lay, const Node *n, long col0, long tind, long ld, long w)
{
    long col = col0;
    for (size_t i = 0; i < n->n; i++) {
        const Node *p = n->el[i];
        long ld1 = last_depth(n, i, ld);
        bool atomic = simple(p->el[0]) && simple(p->el[1]);
        if (i > 0) {
            buf_putc(lay->out, ',');
            if (atomic && tail_fits(lay, &(Node){.kind = N_TEXT, .len = p->len}, col, ld1, w)) {
                write_node(lay, p);
                col += 1 + p->len;
                w += 1 + p->len;
                continue;
            }
            put_newline(lay, col0);
            col = col0;
            w = 0;
        }
        if (fits(lay, p, col, ld1, w)) {
            write_node(lay, p);
            col += p->len;
            w += p->len;
            if (!atomic)
                col = w = lay->ll;
        } else {
            pp_pair(lay, p, col, tind, ld1, w);
            col = w = lay->ll;
        }
    }
    if (n->tail) {
        buf_putc(lay->out, ',');
        put_text(lay, n->tail);
    }
}

/* A field at col0; returns its width, or ll when it was broken. */
static long pp_field(Layout *lay, const Node *f, long col0, long tind, long ld, long w0)
{
    if (fits(lay, f, col0, ld, w0)) {
        write_node(lay, f);
        return simple_field(f) ? f->len : lay->ll;
    }
    long namel = (long)f->tlen + 3, col, w;
    bool nl = rec_indent(namel, tind, col0, w0 + namel, &col, &w);
    put_text(lay, f);
    buf_puts(lay->out, nl ? " =" : " = ");
    if (nl)
        put_newline(lay, col);
    pp(lay, f->el[0], col, tind, ld, w);
    return lay->ll;
}

/* The fields of a record that does not fit, after its "#name{". */
static void pp_record(Layout *lay, const Node *n, long col0, long tind, long ld, long w0)
{
    if (n->n == 0) {
        if (n->tail)
            put_text(lay, n->tail);
        return;
    }
    long col, w;
    if (rec_indent((long)n->tlen + 1, tind, col0, w0, &col, &w))
        put_newline(lay, col);
    long fw = pp_field(lay, n->el[0], col, tind, last_depth(n, 0, ld), w);
    long c = col + fw;
    w += fw;
    for (size_t i = 1; i < n->n; i++) {
        const Node *f = n->el[i];
        long ld1 = last_depth(n, i, ld);
        buf_putc(lay->out, ',');
        if (simple_field(f) && field_fits(lay, f->len, c, ld1, w)) {
            write_node(lay, f);
            c += 1 + f->len;
            w += 1 + f->len;
        } else {
            put_newline(lay, col);
            fw = pp_field(lay, f, col, tind, ld1, 0);
            c = col + fw;
            w = fw;
        }
    }
    if (n->tail) {
        buf_putc(lay->out, ',');
        put_text(lay, n->tail);
    }
}

static void pp(Layout *lay, const Node *n, long col, long tind, long ld, long w)
{
    if (fits(lay, n, col, ld, w)) {
        write_node(lay, n);
        return;
    }
    switch (n->kind) {
    case N_MAP:
        buf_puts(lay->out, "#{");
        pp_map(lay, n, col + 2, tind, ld, w + 2);
        buf_putc(lay->out, '}');
        return;
    case N_PAIR:
        pp_pair(lay, n, col, tind, ld, w);
        return;
    case N_LIST:
        buf_putc(lay->out, '[');
        pp_list(lay, n, 0, col + 1, tind, ld, '|', w + 1);
        buf_putc(lay->out, ']');
        return;
    case N_TUPLE:
        buf_putc(lay->out, '{');
        if (n->tagged)
            pp_tag_tuple(lay, n, col, tind, ld, w + 1);
        else
            pp_list(lay, n, 0, col + 1, tind, ld, ',', w + 1);
        buf_putc(lay->out, '}');
        return;
    case N_BIN:
        pp_binary(lay, n, col + 2, ld, w);
        return;
    case N_RECORD:
        put_text(lay, n);
        buf_putc(lay->out, '{');
        pp_record(lay, n, col, tind, ld, w + (long)n->tlen + 1);
        buf_putc(lay->out, '}');
        return;
    case N_FIELD:
        pp_field(lay, n, col, tind, ld, w);
        return;
    default:
        put_text(lay, n);
    }
}

/* io_lib_pretty:print with line_max_chars 'max_chars' (-1: no limit), for a
** list, tuple or binary t. */
static void pretty_compound(Buf *b, Term t, int column, int line_length, int depth, int max_chars,
                            bool records)
{
    Layout lay = {.strings = true, .records = records, .ll = line_length, .out = b};
    Node *root = build(&lay, t, depth);
    lay.m = max_chars < 0 ? root->len : max_chars;
    if (line_length == 0 || (root->len < lay.ll - column && root->len <= lay.m)) {
        write_node(&lay, root);
    } else {
        long tind = -1;
        static const long tries[] = {-1, 4};
        for (int i = 0;; i++) {
            if (i == 2) {
                tind = 1;
                break;
            }
            lay.bad = false;
            cind(&lay, root, column, tries[i], 0, 0);
            if (!lay.bad) {
                tind = tries[i];
                break;
            }
        }
        pp(&lay, root, column, tind, 0, 0);
    }
    layout_free(&lay);
}

static void write_compound(Buf *b, Term t)
{
    Layout lay = {.strings = false, .out = b};
    write_node(&lay, build(&lay, t, -1));
    layout_free(&lay);
}

/* ==================================================== deep terms */

/* The layout tree and its walks (build, write_node, cind, pp) recurse once
** per level of nesting; a term nested deeper than the caller's stack allows
** is laid out on a stack of its own (deep.h). Stack per level, with room
** to spare: pp -> pp_list -> pp_tail -> pp_element -> pp is under 600 bytes. */
enum { PRINT_LEVEL_BYTES = 1024 * DEEP_FRAME_SCALE };

typedef struct PrintJob {
    Buf *b;
    Term t;
    int column, line_length, depth, max_chars;
    bool pretty;
    bool records;
} PrintJob;

static void run_job(void *v)
{
    PrintJob *j = v;
    if (j->pretty)
        pretty_compound(j->b, j->t, j->column, j->line_length, j->depth, j->max_chars, j->records);
    else
        write_compound(j->b, j->t);
}

/* Runs job j, whose term is a list, tuple or binary, on a stack that fits
** it. The layout goes no deeper than j->depth levels when that is set. A
** term that contains itself (only a module breaking cerl.h's rules makes
** one) prints as '$cyclic_term' rather than for ever. */
static void print_job(PrintJob *j)
{
    size_t levels = j->pretty && j->depth > 0 ? (size_t)j->depth : 0;
    if (!levels || levels > 64) {
        size_t d = term_depth(j->t);
        if (d == SIZE_MAX) {
            buf_puts(j->b, "'$cyclic_term'");
            return;
        }
        if (!levels || d < levels)
            levels = d;
    }
    deep_call((levels + 1) * PRINT_LEVEL_BYTES, run_job, j);
}

static bool compound(Term t)
{
    return erl_is_cons(t) || erl_is_tuple(t) || erl_is_bitstring(t) || map_is(t);
}

static void pretty(Buf *b, Term t, int column, int line_length, int depth, int max_chars, bool records)
{
    if (column < 1)
        column = 1;
    if (!compound(t)) {
        write_simple(b, t);
        return;
    }
    PrintJob j = {b, t, column, line_length, depth, max_chars, true, records};
    print_job(&j);
}

/* ========================================================= exported */

void print_write(Buf *b, Term t)
{
    if (!compound(t)) {
        write_simple(b, t);
        return;
    }
    PrintJob j = {.b = b, .t = t, .pretty = false};
    print_job(&j);
}

void print_pretty(Buf *b, Term t, int column, int line_length, int depth)
{
    pretty(b, t, column, line_length, depth, -1, false);
}

void print_pretty_limited(Buf *b, Term t, int column)
{
    pretty(b, t, column, 80, 30, 60, true);
}

PrintRecordFun print_record_fun;

void print_pretty_shell(Buf *b, Term t, int column, int depth)
{
    pretty(b, t, column, 80, depth, 60, true);
}

void print_shell_result(Buf *b, Term t)
{
    print_pretty_limited(b, t, 1);
}

/* ========================================================= io:format */

/* Digits of a float as io_lib_format takes them: 21 significant digits
** of the exact value (float_to_list's default), ds[0] the 10^exp digit. */
static void exact_digits(double a, char ds[22], int *exp)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.20e", a);
    int n = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            ds[n++] = *p;
    ds[n] = '\0';
    *exp = atoi(p + 1);
}

/* Adds one to the decimal digit string s (n digits); returns true when
** it overflowed (s is then all zeros and a leading 1 is missing). */
static bool increment(char *s, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        if (s[i] < '9') {
            s[i]++;
            return false;
        }
        s[i] = '0';
    }
    return true;
}

/* ~e: p significant digits, rounded half up; exponent without padding. */
static void format_e(Buf *b, double d, int p)
{
    if (signbit(d))
        buf_putc(b, '-');
    char ds[22], r[24];
    int e;
    exact_digits(fabs(d), ds, &e);
    memcpy(r, ds, (size_t)p);
    if (p < 21 && ds[p] >= '5' && increment(r, p)) {
        r[0] = '1';
        e++;
    }
    if (fabs(d) == 0)
        e = 0;
    buf_putc(b, r[0]);
    buf_putc(b, '.');
    buf_put(b, r + 1, (size_t)p - 1);
    buf_printf(b, "e%c%d", e < 0 ? '-' : '+', abs(e));
}

/* ~f: p digits after the point, rounded half up. */
static void format_f(Buf *b, double d, int p)
{
    if (signbit(d))
        buf_putc(b, '-');
    char ds[22];
    int e;
    exact_digits(fabs(d), ds, &e);
    if (fabs(d) == 0)
        e = 0;
    /* digits of round(|d| * 10^p): the first e + p + 1 of ds */
    int keep = e + p + 1;
    Buf digits = {0};
    if (keep > 21) {
        buf_puts(&digits, ds);
        for (int i = 21; i < keep; i++)
            buf_putc(&digits, '0');
    } else if (keep > 0) {
        buf_put(&digits, ds, (size_t)keep);
        if (keep < 21 && ds[keep] >= '5' && increment(digits.s, keep)) {
            buf_free(&digits);
            buf_putc(&digits, '1');
            for (int i = 0; i < keep; i++)
                buf_putc(&digits, '0');
        }
    } else {
        buf_putc(&digits, keep == 0 && ds[0] >= '5' ? '1' : '0');
    }
    /* at least one digit before the point */
    Buf full = {0};
    for (long i = (long)digits.len; i < p + 1; i++)
        buf_putc(&full, '0');
    buf_put(&full, digits.s, digits.len);
    buf_put(b, full.s, full.len - (size_t)p);
    buf_putc(b, '.');
    buf_put(b, full.s + full.len - p, (size_t)p);
    buf_free(&digits);
    buf_free(&full);
}

/* ~g: ~f for 0.1 <= |d| < 10^4 when it keeps p significant digits, else ~e. */
static void format_g(Buf *b, double d, int p)
{
    double a = fabs(d);
    int e = a < 0.1 ? -2 : a < 1 ? -1 : a < 10 ? 0 : a < 100 ? 1 : a < 1000 ? 2 : a < 10000 ? 3 : 1000;
    if ((p <= 1 && e == -1) || (p - 1 > e && e >= -1))
        format_f(b, d, p - 1 - e);
    else
        format_e(b, d, p <= 1 ? 2 : p);
}

/* Appends a string argument (~s): atom, binary, or a deep list of
** latin-1 characters and binaries. Returns false on anything else. */
static bool put_chars(Buf *b, Term t, int nesting)
{
    if (erl_is_atom(t)) {
        buf_puts(b, erl_atom_name(t));
        return true;
    }
    if (erl_is_binary(t)) {
        buf_put(b, (const char *)erl_binary_bytes(t), erl_binary_size(t));
        return true;
    }
    if (nesting > 0 && erl_is_int(t)) {
        int64_t c = erl_int_value(t);
        if (c < 0 || c > 255)
            return false;
        buf_putc(b, (char)c);
        return true;
    }
    if (!erl_is_list(t) || nesting > 1000)
        return false;
    for (; erl_is_cons(t); t = erl_tl(t)) {
        Term h = erl_hd(t);
        if (erl_is_atom(h) || !put_chars(b, h, nesting + 1))
            return false;
    }
    return t == ERL_NIL || (erl_is_binary(t) && put_chars(b, t, nesting + 1));
}

/* io_lib_format's term/5: fit text into field width f (-1: none) with
** precision p (-1: none): too long becomes '*'s; shorter is padded. */
static void put_field(Buf *b, const char *s, long len, long f, long p, bool left, char pad)
{
    if (f < 0 && p < 0) {
        buf_put(b, s, (size_t)len);
        return;
    }
    if (f < 0)
        f = p;
    long lim = p < 0 ? f : (p < f ? p : f);
    if (lim > len)
        lim = len;
    long padn;
    if (len > lim) {
        if (!left)
            for (long i = 0; i < f - lim; i++)
                buf_putc(b, pad);
        for (long i = 0; i < lim; i++)
            buf_putc(b, '*');
        padn = left ? f - lim : 0;
    } else {
        if (!left)
            for (long i = 0; i < f - len; i++)
                buf_putc(b, pad);
        buf_put(b, s, (size_t)len);
        padn = left ? f - len : 0;
    }
    for (long i = 0; i < padn; i++)
        buf_putc(b, pad);
}

static void put_adjusted(Buf *b, const char *s, long len, long f, bool left, char pad)
{
    if (!left)
        for (long i = len; i < f; i++)
            buf_putc(b, pad);
    buf_put(b, s, (size_t)len);
    if (left)
        for (long i = len; i < f; i++)
            buf_putc(b, pad);
}

/* io_lib_format's string/5: ~s with width f and precision p. */
static bool put_string_field(Buf *b, const char *s, long len, long f, long p, bool left, char pad)
{
    if (f >= 0 && p >= 0 && f < p)
        return false;
    if (p >= 0 && f == p) { /* cut to the field, then adjusted in it */
        put_adjusted(b, s, len < p ? len : p, f, left, pad);
        return true;
    }
    if (p >= 0) {
        long n = len < p ? len : p;
        Buf tmp = {0};
        put_adjusted(&tmp, s, n, p, true, pad);
        put_adjusted(b, tmp.s ? tmp.s : "", (long)tmp.len, f, left, pad);
        buf_free(&tmp);
        return true;
    }
    if (f >= 0 && len > f)
        len = f;
    put_adjusted(b, s, len, f, left, pad);
    return true;
}

/* Column (1-based) where the next character goes: after the last newline
** written by this call, tabs to multiples of 8. */
static int current_column(const Buf *b, size_t start)
{
    size_t i = b->len;
    while (i > start && b->s[i - 1] != '\n')
        i--;
    int col = 0;
    for (; i < b->len; i++)
        col = b->s[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
    return col + 1;
}

static bool next_arg(Term *args, Term *out)
{
    if (!erl_is_cons(*args))
        return false;
    *out = erl_hd(*args);
    *args = erl_tl(*args);
    return true;
}

static bool int_arg(Term *args, long *out)
{
    Term a;
    if (!next_arg(args, &a) || !erl_is_int(a))
        return false;
    *out = (long)erl_int_value(a);
    return true;
}

static void integer_in_base(Buf *b, int64_t v, int base, bool upper)
{
    char tmp[80];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        int dgt = (int)(u % (uint64_t)base);
        tmp[n++] = (char)(dgt < 10 ? '0' + dgt : (upper ? 'A' : 'a') + dgt - 10);
        u /= (uint64_t)base;
    } while (u);
    if (v < 0)
        buf_putc(b, '-');
    while (n)
        buf_putc(b, tmp[--n]);
}

/* Field widths and precisions above this make io:format fail (badarg)
** rather than fill memory. */
enum { PRINT_MAX_FIELD = 1 << 20 };

/* One control sequence, after its "~F.P.Pad" fields. Returns false when
** it does not fit its argument. */
/* Code point cp of a ~ts or ~tc: up to 255 a byte; above, for a device
** (Latin-1, as erl's standard_io when not at a UTF-8 terminal) erl's
** escape \x{41A}, for io_lib (characters) its UTF-8 bytes, which
** io_lib:format reads back as the code point. */
static void put_code_point(Buf *b, uint32_t cp, PrintChars how)
{
    if (cp <= 255)
        buf_putc(b, (char)cp);
    else if (how == PRINT_DEVICE)
        buf_printf(b, "\\x{%X}", cp);
    else if (cp < 0x800)
        buf_printf(b, "%c%c", 0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000)
        buf_printf(b, "%c%c%c", 0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else
        buf_printf(b, "%c%c%c%c", 0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63),
                   0x80 | (cp & 63));
}

/* The characters of UTF-8 text s[0..n) through put_code_point; false when
** it is not UTF-8. */
static bool put_utf8_text(Buf *b, const unsigned char *s, size_t n, PrintChars how)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xc2 && c < 0xe0 ? 2 : c >= 0xe0 && c < 0xf0 ? 3 : c >= 0xf0 && c < 0xf5 ? 4 : 0;
        if (len == 0 || i + len > n)
            return false;
        uint32_t cp = len == 1 ? c : len == 2 ? (c & 31u) : len == 3 ? (c & 15u) : (c & 7u);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 63u);
        }
        put_code_point(b, cp, how);
        i += len;
    }
    return true;
}

/* A ~ts argument: an atom, UTF-8 binaries, code points, nested in lists.
** Returns false on anything else. */
static bool put_unicode_chars(Buf *b, Term t, int nesting, PrintChars how)
{
    if (erl_is_atom(t)) {
        const char *name = erl_atom_name(t);
        return put_utf8_text(b, (const unsigned char *)name, strlen(name), how);
    }
    if (erl_is_binary(t)) {
        /* a binary that is not UTF-8 is taken as Latin-1, as erl takes it */
        size_t at = b->len;
        if (!put_utf8_text(b, erl_binary_bytes(t), erl_binary_size(t), how)) {
            b->len = at;
            buf_put(b, (const char *)erl_binary_bytes(t), erl_binary_size(t));
        }
        return true;
    }
    if (nesting > 0 && erl_is_int(t)) {
        int64_t c = erl_int_value(t);
        if (c < 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return false;
        put_code_point(b, (uint32_t)c, how);
        return true;
    }
    if (!erl_is_list(t) || nesting > 1000)
        return false;
    for (; erl_is_cons(t); t = erl_tl(t)) {
        Term h = erl_hd(t);
        if (erl_is_atom(h) || !put_unicode_chars(b, h, nesting + 1, how))
            return false;
    }
    return t == ERL_NIL || (erl_is_binary(t) && put_unicode_chars(b, t, nesting + 1, how));
}

static bool format_one(Buf *b, size_t start, char c, long f, long p, bool left, char pad, Term *args, bool tmod,
                       PrintChars how)
{
    Term a;
    Buf tmp = {0};
    bool ok = true;
    switch (c) {
    case 'n':
        buf_putc(b, '\n');
        return true;
    case '~':
        buf_putc(b, '~');
        return true;
    case 'i':
        return next_arg(args, &a);
    case 'c': {
        if (!next_arg(args, &a) || !erl_is_int(a) || (f >= 0 && p >= 0 && f < p))
            return false;
        long reps = p >= 0 ? p : f >= 0 ? f : 1;
        int64_t cp = erl_int_value(a);
        for (long i = 0; i < reps; i++) {
            if (tmod && cp > 255 && cp <= 0x10ffff)
                put_code_point(&tmp, (uint32_t)cp, how);
            else
                buf_putc(&tmp, (char)(cp & 255));
        }
        put_adjusted(b, tmp.s ? tmp.s : "", (long)tmp.len, f, left, pad);
        break;
    }
    case 'w':
    case 'W':
    case 'p':
    case 'P': {
        long depth = -1;
        if (!next_arg(args, &a))
            return false;
        if ((c == 'W' || c == 'P') && !int_arg(args, &depth))
            return false;
        if (c == 'p' || c == 'P') {
            pretty(b, a, current_column(b, start), f >= 0 ? (int)f : 80, (int)depth, -1, false);
            return true;
        }
        if (depth < 0) {
            print_write(&tmp, a);
        } else {
            Layout lay = {.strings = false, .out = &tmp};
            write_node(&lay, build(&lay, a, depth));
            layout_free(&lay);
        }
        put_field(b, tmp.s ? tmp.s : "", (long)tmp.len, f, p, left, pad);
        break;
    }
    case 's':
        if (!next_arg(args, &a) || !(tmod ? put_unicode_chars(&tmp, a, 0, how) : put_chars(&tmp, a, 0))) {
            ok = false;
            break;
        }
        ok = put_string_field(b, tmp.s ? tmp.s : "", (long)tmp.len, f, p, left, pad);
        break;
    case 'b':
    case 'B': {
        if (!next_arg(args, &a) || !erl_is_int(a) || (p >= 0 && (p < 2 || p > 36))) {
            ok = false;
            break;
        }
        integer_in_base(&tmp, erl_int_value(a), p >= 0 ? (int)p : 10, c == 'B');
        put_field(b, tmp.s, (long)tmp.len, f, -1, left, pad);
        break;
    }
    case 'e':
    case 'f':
    case 'g': {
        if (!next_arg(args, &a) || !erl_is_float(a)) {
            ok = false;
            break;
        }
        double d = erl_float_value(a);
        long prec = p >= 0 ? p : 6;
        if (c == 'e') {
            if (prec < 2) {
                ok = false;
                break;
            }
            format_e(&tmp, d, (int)(prec > 21 ? 21 : prec));
        } else if (c == 'f') {
            if (prec < 1) {
                ok = false;
                break;
            }
            format_f(&tmp, d, (int)prec);
        } else {
            if (prec < 1) {
                ok = false;
                break;
            }
            format_g(&tmp, d, (int)(prec > 21 ? 21 : prec));
        }
        put_field(b, tmp.s, (long)tmp.len, f, -1, left, pad);
        break;
    }
    default:
        ok = false;
    }
    buf_free(&tmp);
    return ok;
}

int print_format(Buf *b, const char *fmt, Term args)
{
    return print_format_as(b, fmt, args, PRINT_DEVICE);
}

int print_format_as(Buf *b, const char *fmt, Term args, PrintChars how)
{
    size_t start = b->len;
    const char *s = fmt;
    while (*s) {
        if (*s != '~') {
            buf_putc(b, *s++);
            continue;
        }
        s++;
        long f = -1, p = -1;
        bool left = false;
        char pad = ' ';
        /* field width */
        if (*s == '-') {
            left = true;
            s++;
        }
        if (*s == '*') {
            if (!int_arg(&args, &f))
                goto fail;
            if (f < 0) {
                left = true;
                f = -f;
            }
            s++;
        } else if (*s >= '0' && *s <= '9') {
            f = strtol(s, (char **)&s, 10);
        }
        /* precision, then padding character */
        if (*s == '.') {
            s++;
            if (*s == '*') {
                if (!int_arg(&args, &p))
                    goto fail;
                s++;
            } else if (*s >= '0' && *s <= '9') {
                p = strtol(s, (char **)&s, 10);
            }
            if (*s == '.') {
                s++;
                if (*s == '*') {
                    long pc;
                    if (!int_arg(&args, &pc))
                        goto fail;
                    pad = (char)pc;
                    s++;
                } else if (*s) {
                    pad = *s++;
                } else {
                    goto fail;
                }
            }
        }
        bool tmod = false;
        for (; *s == 't' || *s == 'l'; s++)
            tmod = tmod || *s == 't';
        /* a width like ~5555555555555555p would pad until memory runs out */
        if (f > PRINT_MAX_FIELD || p > PRINT_MAX_FIELD)
            goto fail;
        if (!*s || !format_one(b, start, *s, f, p, left, pad, &args, tmod, how))
            goto fail;
        s++;
    }
    if (args != ERL_NIL)
        goto fail;
    return 0;

fail:
    b->len = start;
    if (b->s)
        b->s[start] = '\0';
    return -1;
}
