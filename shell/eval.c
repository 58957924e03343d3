/*
** eval.c
** The shell's evaluator: bindings, erl's unbound-variable check, pattern
** matching and the evaluation of expressions, raising what erl raises.
*/
#include "eval.h"
#include "eval_hooks.h"
#include "lint.h"
#include "records.h"
#include "../runtime/arith.h"
#include "../runtime/bignum.h"
#include "../runtime/bits.h"
#include "../runtime/print.h"
#include "../runtime/fun.h"
#include "../runtime/map.h"
#include "../runtime/stacktrace.h"

#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* ============================================================ bindings */

void bindings_init(Bindings *b)
{
    memset(b, 0, sizeof *b);
}

void bindings_destroy(Bindings *b)
{
    if (!b->heap)
        free(b->v);
    memset(b, 0, sizeof *b);
}

/* Room for at least 'want' bindings. A heap array is replaced by a larger
** one (the old one is garbage); the values stay reachable throughout. */
static void reserve(Bindings *b, size_t want)
{
    if (want <= b->cap)
        return;
    size_t cap = b->cap ? 2 * b->cap : 16;
    while (cap < want)
        cap *= 2;
    if (!b->heap) {
        b->v = xrealloc(b->v, cap * sizeof *b->v);
    } else {
        Binding *v = (Binding *)heap_alloc_words(b->heap, cap * (sizeof *v / sizeof(Term)));
        if (b->n)
            memcpy(v, b->v, b->n * sizeof *v);
        b->v = v;
    }
    b->cap = cap;
}

static Binding *find_binding(const Bindings *b, Term name)
{
    for (size_t i = b->n; i > 0; i--)
        if (b->v[i - 1].name == name)
            return &b->v[i - 1];
    return NULL;
}

Term bindings_get(const Bindings *b, Term name)
{
    Binding *x = find_binding(b, name);
    return x ? x->value : ERL_NONE;
}

void bindings_set(Bindings *b, Term name, Term value)
{
    Binding *x = find_binding(b, name);
    if (x) {
        x->value = value;
        return;
    }
    reserve(b, b->n + 1);
    b->v[b->n].name = name;
    b->v[b->n].value = value;
    b->n++;
}

/* Adds a binding that hides any older one of the same name until the
** bindings are truncated back (a generator's variable). */
static void bind_shadowing(Bindings *b, Term name, Term value)
{
    reserve(b, b->n + 1);
    b->v[b->n].name = name;
    b->v[b->n].value = value;
    b->n++;
}

bool bindings_forget(Bindings *b, Term name)
{
    Binding *x = find_binding(b, name);
    if (!x)
        return false;
    memmove(x, x + 1, (size_t)(b->v + b->n - (x + 1)) * sizeof *x);
    b->n--;
    return true;
}

void bindings_clear(Bindings *b)
{
    b->n = 0;
}

static int by_name(const void *x, const void *y)
{
    return erl_compare(((const Binding *)x)->name, ((const Binding *)y)->name);
}

Binding *bindings_sorted(const Bindings *b, size_t *n)
{
    *n = b->n;
    if (!b->n)
        return NULL;
    Binding *v = xmalloc(b->n * sizeof *v);
    memcpy(v, b->v, b->n * sizeof *v);
    qsort(v, b->n, sizeof *v, by_name);
    return v;
}

void bindings_copy_to(Bindings *b, Heap *h)
{
    for (size_t i = 0; i < b->n; i++)
        b->v[i].value = term_copy(h, b->v[i].value);
}

/* Saved bindings, to put back when what follows raises. A snapshot of
** heap bindings is on the same heap, so the values it keeps stay alive; a
** pointer to it stays on the C stack while it is needed. */
typedef struct Snapshot {
    Binding *v;
    size_t n;
    bool on_heap;
} Snapshot;

static Snapshot snapshot(const Bindings *b)
{
    Snapshot s = {NULL, b->n, b->heap != NULL};
    size_t words = (b->n ? b->n : 1) * (sizeof *b->v / sizeof(Term));
    s.v = b->heap ? (Binding *)heap_alloc_words(b->heap, words) : xmalloc(words * sizeof(Term));
    if (b->n)
        memcpy(s.v, b->v, b->n * sizeof *b->v);
    return s;
}

static void restore(Bindings *b, Snapshot *s)
{
    reserve(b, s->n);
    if (s->n)
        memcpy(b->v, s->v, s->n * sizeof *b->v);
    b->n = s->n;
    if (!s->on_heap)
        free(s->v);
    s->v = NULL;
}

static void drop(Snapshot *s)
{
    if (!s->on_heap)
        free(s->v);
    s->v = NULL;
}

/* ======================================================= the check */

char *eval_check(Ast *cmd, const Bindings *b)
{
    return lint_run(cmd->elems, cmd->n, b, NULL);
}

static Term check_tag(void)
{
    return erl_atom("$cerl_check");
}

bool eval_check_failure(const ErlException *e, Buf *out)
{
    Term r = e->reason;
    if (e->cls != AM_error || !erl_is_tuple(r) || erl_tuple_size(r) != 2 || erl_element(r, 1) != check_tag())
        return false;
    for (Term s = erl_element(r, 2); erl_is_cons(s); s = erl_tl(s))
        buf_putc(out, (char)erl_int_value(erl_hd(s)));
    return true;
}

/* ======================================================== evaluation */

/* What one evaluation needs besides the expression. */
typedef struct Ev {
    Bindings *b;
    Records *rt;       /* the shell's record definitions (NULL: none) */
    bool guard;        /* inside a guard: calls to type tests are answered here */
    bool fresh;        /* matching a generator's pattern: its variables are new */
    size_t fresh_from; /* ...and only bindings from this index on are its own */
} Ev;

static Term eval(Ev *ev, Ast *e);
static bool match(Ev *ev, Ast *p, Term v);

static Term am(const char *name)
{
    return erl_atom(name);
}

static Term list2(Term a, Term b)
{
    Heap *h = heap_current();
    return term_cons(h, a, term_cons(h, b, ERL_NIL));
}

static Term operator_where(Term op, int argc, Term a, Term b)
{
    Heap *h = heap_current();
    Term args = argc == 1 ? term_cons(h, a, ERL_NIL) : list2(a, b);
    return term_tuple(h, 3, (Term[]){am("operator"), op, args});
}

static __attribute__((noreturn)) void badarith(Term op, int argc, Term a, Term b)
{
    exc_raise(AM_error, AM_badarith, operator_where(op, argc, a, b));
}

static __attribute__((noreturn)) void badarg_op(Term op, int argc, Term a, Term b)
{
    exc_raise(AM_error, AM_badarg, operator_where(op, argc, a, b));
}

static __attribute__((noreturn)) void error2(Term tag, Term v)
{
    exc_raise(AM_error, term_tuple(heap_current(), 2, (Term[]){tag, v}), ERL_NONE);
}

/* An integer literal beyond a small integer, as a term. */
static Term literal_int(const Ast *e)
{
    Term t = int_from_chars(heap_current(), e->digits, strlen(e->digits), (int)e->ival);
    if (t == ERL_NONE) /* beyond erl's limit for integers */
        exc_raise(AM_error, AM_system_limit, ERL_NONE);
    return t;
}

static bool is_number(Term t)
{
    return num_is(t);
}

static bool is_bool(Term t)
{
    return t == AM_true || t == AM_false;
}

static Term bool_term(bool b)
{
    return b ? AM_true : AM_false;
}

static Term list_append(Term op, Term a, Term b)
{
    if (term_list_length(a) < 0)
        badarg_op(op, 2, a, b);
    Heap *h = heap_current();
    Term result = b, *link = &result;
    for (; erl_is_cons(a); a = erl_tl(a)) {
        Term c = term_cons(h, erl_hd(a), b);
        *link = c;
        link = &cons_ptr(c)[1];
    }
    return result;
}

static Term list_subtract(Term op, Term a, Term b)
{
    long na = term_list_length(a);
    if (na < 0 || term_list_length(b) < 0)
        badarg_op(op, 2, a, b);
    Term *v = xmalloc((size_t)(na ? na : 1) * sizeof *v);
    long n = 0;
    for (Term t = a; erl_is_cons(t); t = erl_tl(t))
        v[n++] = erl_hd(t);
    for (Term t = b; erl_is_cons(t); t = erl_tl(t))
        for (long i = 0; i < n; i++)
            if (erl_eq(v[i], erl_hd(t))) {
                memmove(v + i, v + i + 1, (size_t)(n - i - 1) * sizeof *v);
                n--;
                break;
            }
    Term result = ERL_NIL;
    Heap *h = heap_current();
    for (long i = n; i > 0; i--)
        result = term_cons(h, v[i - 1], result);
    free(v);
    return result;
}

/* A binary operator on two values (not andalso/orelse, not '!'). */
static Term binary_op(Term op, Term a, Term b)
{
    const char *o = erl_atom_name(op);
    int c;
    /* comparisons: erl's term order, == compares numbers by value */
    if (!strcmp(o, "=:="))
        return bool_term(erl_eq(a, b));
    if (!strcmp(o, "=/="))
        return bool_term(!erl_eq(a, b));
    if (!strcmp(o, "==") || !strcmp(o, "/=") || !strcmp(o, "<") || !strcmp(o, ">") || !strcmp(o, "=<") ||
        !strcmp(o, ">=")) {
        c = erl_compare(a, b);
        switch (o[0]) {
        case '=': return bool_term(o[1] == '=' ? c == 0 : c <= 0);
        case '/': return bool_term(c != 0);
        case '<': return bool_term(c < 0);
        default: return bool_term(o[1] == '=' ? c >= 0 : c > 0);
        }
    }
    if (!strcmp(o, "++"))
        return list_append(op, a, b);
    if (!strcmp(o, "--"))
        return list_subtract(op, a, b);
    if (!strcmp(o, "and") || !strcmp(o, "or") || !strcmp(o, "xor")) {
        if (!is_bool(a) || !is_bool(b))
            badarg_op(op, 2, a, b);
        bool x = a == AM_true, y = b == AM_true;
        return bool_term(o[0] == 'a' ? x && y : o[0] == 'o' ? x || y : x != y);
    }
    static const struct {
        const char *name;
        ArithOp op;
    } ops[] = {
        {"+", ARITH_ADD},   {"-", ARITH_SUB},     {"*", ARITH_MUL},     {"/", ARITH_FDIV},
        {"div", ARITH_DIV}, {"rem", ARITH_REM},   {"band", ARITH_BAND}, {"bor", ARITH_BOR},
        {"bxor", ARITH_BXOR}, {"bsl", ARITH_BSL}, {"bsr", ARITH_BSR},
    };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (!strcmp(o, ops[i].name)) {
            Term error = ERL_NONE;
            Term r = arith_binary(heap_current(), ops[i].op, a, b, &error);
            if (r == ERL_NONE)
                exc_raise(AM_error, error, operator_where(op, 2, a, b));
            return r;
        }
    badarith(op, 2, a, b);
}

static Term unary_op(Term op, Term a)
{
    const char *o = erl_atom_name(op);
    if (!strcmp(o, "not")) {
        if (!is_bool(a))
            badarg_op(op, 1, a, ERL_NONE);
        return bool_term(a == AM_false);
    }
    Term error = ERL_NONE, r;
    if (!strcmp(o, "bnot"))
        r = arith_bnot(heap_current(), a, &error);
    else if (o[0] == '+')
        r = num_is(a) ? a : ERL_NONE, error = AM_badarith;
    else
        r = arith_negate(heap_current(), a, &error);
    if (r == ERL_NONE)
        exc_raise(AM_error, error, operator_where(op, 1, a, ERL_NONE));
    return r;
}

static Term string_term(const uint32_t *codes, size_t len)
{
    Heap *h = heap_current();
    Term list = ERL_NIL;
    for (size_t i = len; i > 0; i--)
        list = term_cons(h, erl_mk_int(codes[i - 1]), list);
    return list;
}

/* ---------------------------------------------------------- binaries */

/* The bit syntax: segments' type specifiers read here, the bits built and
** read by runtime/bits.c. */

static Term constant_value(Ev *ev, Ast *p);

/* One segment's specifiers. */
typedef struct Seg {
    BitsType type;
    unsigned flags;
    int64_t unit; /* 0: the type's default */
} Seg;

static const char *const seg_type_names[] = {"integer", "float", "binary", "bitstring", "utf8", "utf16", "utf32"};

/* Reads el's specifiers into *s; false for an unknown one. */
static bool segment_spec(Ast *el, Seg *s)
{
    s->type = BITS_INTEGER;
    s->flags = 0;
    s->unit = 0;
    for (int i = 0; i < el->n; i++) {
        Term ty = el->types[i];
        if (erl_is_int(ty)) {
            s->unit = erl_int_value(ty);
            continue;
        }
        const char *t = erl_atom_name(ty);
        if (!strcmp(t, "integer"))
            s->type = BITS_INTEGER;
        else if (!strcmp(t, "float"))
            s->type = BITS_FLOAT;
        else if (!strcmp(t, "binary") || !strcmp(t, "bytes"))
            s->type = BITS_BINARY;
        else if (!strcmp(t, "bitstring") || !strcmp(t, "bits"))
            s->type = BITS_BITSTRING;
        else if (!strcmp(t, "utf8"))
            s->type = BITS_UTF8;
        else if (!strcmp(t, "utf16"))
            s->type = BITS_UTF16;
        else if (!strcmp(t, "utf32"))
            s->type = BITS_UTF32;
        else if (!strcmp(t, "little") || !strcmp(t, "native"))
            s->flags |= BITS_LITTLE;
        else if (!strcmp(t, "big"))
            s->flags &= ~(unsigned)BITS_LITTLE;
        else if (!strcmp(t, "signed"))
            s->flags |= BITS_SIGNED;
        else if (!strcmp(t, "unsigned"))
            s->flags &= ~(unsigned)BITS_SIGNED;
        else
            return false;
    }
    return true;
}

/* The segment's size in bits from its size value (ERL_NONE: none given):
** -1 for "all" (binary and bitstring without size); -2 when the size is
** no non-negative integer; -3 when it is beyond BITS_MAX_BITS. */
static int64_t segment_bits(const Seg *s, Term size)
{
    int64_t unit = s->unit ? s->unit : s->type == BITS_BINARY ? 8 : 1;
    if (size == ERL_NONE) {
        switch (s->type) {
        case BITS_INTEGER: return 8;
        case BITS_FLOAT: return 64;
        case BITS_BINARY:
        case BITS_BITSTRING: return -1;
        default: return 0;
        }
    }
    if (erl_is_atom(size) && !strcmp(erl_atom_name(size), "all") && (s->type == BITS_BINARY || s->type == BITS_BITSTRING))
        return -1;
    if (!erl_is_int(size) || erl_int_value(size) < 0)
        return -2;
    if (erl_int_value(size) > BITS_MAX_BITS / unit)
        return -3;
    return erl_int_value(size) * unit;
}

/* Raises erl's error for segment i (from 1) that cannot be built: badarg
** reported as eval_bits reports it, at 'line' of eval_bits.erl, with a
** note made of fmt and v (~tp) unless fmt is NULL. */
static __attribute__((noreturn)) void bits_failed(int i, const Seg *s, int line, const char *what, Term v,
                                                   const char *after)
{
    Term note = erl_atom("none");
    if (what) {
        Buf b = {0};
        buf_printf(&b, "segment %d of type '%s': ", i, seg_type_names[s->type]);
        size_t at = b.len;
        buf_puts(&b, what);
        if (v != ERL_NONE) {
            Buf w = {0};
            print_format(&w, "~tp", erl_list(v));
            buf_puts(&b, buf_str(&w));
            buf_free(&w);
        }
        (void)at;
        buf_puts(&b, after);
        note = term_string(heap_current(), buf_str(&b), b.len);
        buf_free(&b);
    }
    exc_raise(AM_error, AM_badarg, erl_tuple(erl_atom("eval_bits"), erl_mk_int(line), note));
}

/* Appends one value; raises as erl does when it does not fit. */
static void put_segment(BitWriter *w, int i, const Seg *s, Term v, Term size, int64_t bits)
{
    if (bits == -2) {
        bits_writer_free(w);
        bits_failed(i, s, 143, "expected a non-negative integer as size but got: ", size, "");
    }
    if (bits == -3 || (bits > 0 && w->bits + (uint64_t)bits > BITS_MAX_BITS)) {
        bits_writer_free(w);
        exc_raise(AM_error, AM_system_limit, ERL_NONE);
    }
    if (bits_put(w, s->type, v, bits, s->flags))
        return;
    bits_writer_free(w);
    switch (s->type) {
    case BITS_INTEGER:
        bits_failed(i, s, 143, "expected an integer but got: ", v, "");
    case BITS_FLOAT:
        if (!is_number(v))
            bits_failed(i, s, 163, "expected a float or an integer but got: ", v, "");
        if (bits != 16 && bits != 32 && bits != 64)
            bits_failed(i, s, 163, "expected one of the supported sizes 16, 32, or 64 but got: ", erl_mk_int(bits), "");
        bits_failed(i, s, 163, "expected a float or an integer but got: ", v, "");
    case BITS_BINARY:
    case BITS_BITSTRING:
        if (!erl_is_bitstring(v) && bits < 0) {
            /* erl's eval_bits calls bit_size(V): its badarg, from inside eval_bits */
            Heap *h = heap_current();
            Term call = term_tuple(h, 4, (Term[]){erl_atom("function"), erl_atom("bit_size"), term_cons(h, v, ERL_NIL),
                                                  erl_mk_string("argument 1: not a bitstring")});
            exc_raise(AM_error, AM_badarg, erl_tuple(erl_atom("eval_bits"), erl_mk_int(0), call));
        }
        if (!erl_is_bitstring(v))
            bits_failed(i, s, 172, "expected a binary but got: ", v, "");
        if (bits < 0)
            bits_failed(i, s, 169, NULL, ERL_NONE, "");
        bits_failed(i, s, 172, "the value ", v, " is shorter than the size of the segment");
    case BITS_UTF8:
        bits_failed(i, s, 145, "expected a non-negative integer encodable as utf8 but got: ", v, "");
    case BITS_UTF16:
        bits_failed(i, s, 147, "expected a non-negative integer encodable as utf16 but got: ", v, "");
    case BITS_UTF32:
        bits_failed(i, s, 149, "expected a non-negative integer encodable as utf32 but got: ", v, "");
    }
    exc_raise(AM_error, AM_badarg, ERL_NONE);
}

static Term eval_binary(Ev *ev, Ast *e)
{
    /* evaluate everything first: nothing malloc'd is held while it may raise */
    Heap *h = heap_current();
    Term *vals = e->n ? heap_alloc_words(h, 2 * (size_t)e->n) : NULL;
    for (int i = 0; i < e->n; i++) {
        Ast *el = e->elems[i];
        vals[2 * i] = el->left->kind == AST_STRING ? ERL_NONE : eval(ev, el->left);
        vals[2 * i + 1] = el->right ? eval(ev, el->right) : ERL_NONE;
    }
    BitWriter w = {0};
    for (int i = 0; i < e->n; i++) {
        Ast *el = e->elems[i];
        Seg s;
        if (!segment_spec(el, &s))
            exc_raise(AM_error, AM_badarg, ERL_NONE);
        Term size = vals[2 * i + 1];
        int64_t bits = segment_bits(&s, size);
        if (el->left->kind == AST_STRING) {
            for (size_t k = 0; k < el->left->len; k++)
                put_segment(&w, i + 1, &s, erl_mk_int(el->left->str[k]), size, bits);
        } else {
            put_segment(&w, i + 1, &s, vals[2 * i], size, bits);
        }
    }
    Term bin = bits_writer_take(&w, h);
    return bin;
}

/* Matches the segments of binary pattern p against bitstring v from bit
** 'from', binding as it goes (a segment's size may be a variable an
** earlier segment bound); *end is the bit after the last segment. Without
** 'values' the segments' values are read but not matched (what a binary
** generator skips). */
static bool match_segments(Ev *ev, Ast *p, Term v, uint64_t from, uint64_t *end, bool values)
{
    BitReader r;
    bits_reader_init(&r, v);
    r.pos = from;
    Heap *h = heap_current();
    for (int i = 0; i < p->n; i++) {
        Ast *el = p->elems[i];
        Seg s;
        if (!segment_spec(el, &s))
            return false;
        Term size = ERL_NONE;
        if (el->right) {
            size = constant_value(ev, el->right);
            if (size == ERL_NONE)
                return false;
        }
        int64_t bits = segment_bits(&s, size);
        if (bits == -2 || bits == -3)
            return false;
        if (el->left->kind == AST_STRING) {
            for (size_t k = 0; k < el->left->len; k++) {
                Term part;
                if (!bits_get(&r, h, s.type, bits, s.flags, &part))
                    return false;
                if (values && !erl_eq(part, erl_mk_int(el->left->str[k])))
                    return false;
            }
            continue;
        }
        Term part;
        if (!bits_get(&r, h, s.type, bits, s.flags, &part))
            return false;
        if (values && !match(ev, el->left, part))
            return false;
    }
    *end = r.pos;
    return true;
}

static bool match_binary(Ev *ev, Ast *p, Term v)
{
    uint64_t end;
    return erl_is_bitstring(v) && match_segments(ev, p, v, 0, &end, true) && end == erl_bit_size(v);
}

/* ----------------------------------------------------------- matching */

/* Evaluates a constant pattern (1 + 2); ERL_NONE if it raises. */
static Term constant_value(Ev *ev, Ast *p)
{
    ErlCatch c;
    ErlException ex;
    if (exc_try(&c) == 0) {
        Term v = eval(ev, p);
        exc_end(&c);
        return v;
    }
    exc_caught(&c, &ex);
    return ERL_NONE;
}

/* Matches pattern p against v, binding new variables in ev->b. On false,
** some bindings may have been made: the caller restores. */
static bool match(Ev *ev, Ast *p, Term v)
{
    switch (p->kind) {
    case AST_VAR: {
        if (!strcmp(erl_atom_name(p->name), "_"))
            return true;
        Term old = ERL_NONE;
        if (!ev->fresh) {
            old = bindings_get(ev->b, p->name);
        } else {
            for (size_t i = ev->fresh_from; i < ev->b->n; i++)
                if (ev->b->v[i].name == p->name)
                    old = ev->b->v[i].value;
        }
        if (old != ERL_NONE)
            return erl_eq(old, v);
        if (ev->fresh)
            bind_shadowing(ev->b, p->name, v);
        else
            bindings_set(ev->b, p->name, v);
        return true;
    }
    case AST_INT:
        if (p->digits)
            return erl_eq(v, literal_int(p));
        return erl_is_int(v) && erl_int_value(v) == p->ival;
    case AST_FLOAT:
        return erl_is_float(v) && erl_float_value(v) == p->fval;
    case AST_ATOM:
        return v == p->name;
    case AST_NIL:
        return v == ERL_NIL;
    case AST_STRING:
        for (size_t i = 0; i < p->len; i++, v = erl_tl(v))
            if (!erl_is_cons(v) || !erl_is_int(erl_hd(v)) || erl_int_value(erl_hd(v)) != (int64_t)p->str[i])
                return false;
        return v == ERL_NIL;
    case AST_TUPLE:
        if (!erl_is_tuple(v) || erl_tuple_size(v) != (uint64_t)p->n)
            return false;
        for (int i = 0; i < p->n; i++)
            if (!match(ev, p->elems[i], erl_element(v, (uint64_t)i + 1)))
                return false;
        return true;
    case AST_CONS:
        return erl_is_cons(v) && match(ev, p->left, erl_hd(v)) && match(ev, p->right, erl_tl(v));
    case AST_MATCH:
        return match(ev, p->left, v) && match(ev, p->right, v);
    case AST_MAP:
        /* #{K := P, ...}: every key there, each value matching */
        if (!map_is(v))
            return false;
        for (int i = 0; i < p->n; i++) {
            Term x = map_get(v, eval(ev, p->elems[i]->left));
            if (x == ERL_NONE || !match(ev, p->elems[i]->right, x))
                return false;
        }
        return true;
    case AST_BIN:
        return match_binary(ev, p, v);
    case AST_OP:
        if (p->left && !strcmp(erl_atom_name(p->name), "++")) {
            /* "abc" ++ Rest, [a, b] ++ Rest */
            Ast *l = p->left;
            if (l->kind == AST_STRING) {
                for (size_t i = 0; i < l->len; i++, v = erl_tl(v))
                    if (!erl_is_cons(v) || !erl_is_int(erl_hd(v)) || erl_int_value(erl_hd(v)) != (int64_t)l->str[i])
                        return false;
            } else {
                for (; l->kind == AST_CONS; l = l->right, v = erl_tl(v))
                    if (!erl_is_cons(v) || !match(ev, l->left, erl_hd(v)))
                        return false;
            }
            return match(ev, p->right, v);
        }
        {
            Term c = constant_value(ev, p);
            return c != ERL_NONE && erl_eq(c, v);
        }
    default:
        return false;
    }
}

/* ------------------------------------------------------------- guards */

/* The type tests erl allows in guards, answered without a call. Returns
** ERL_NONE when name/argc is not one of them. */
static Term type_test(Term name, int argc, Term *argv)
{
    const char *n = erl_atom_name(name);
    if ((argc == 2 || argc == 3) && !strcmp(n, "is_record")) {
        /* is_record(T, Tag), is_record(T, Tag, Size): records_expand makes
        ** the first the second for a record the shell knows */
        Term t = argv[0];
        if (!erl_is_atom(argv[1])) /* erl blames argument 1 of is_record/2 */
            exc_badarg("is_record", argc, argv, argc == 2 ? "argument 1: not an atom" : "argument 2: not an atom");
        if (argc == 3 && !erl_is_int(argv[2]))
            exc_badarg("is_record", argc, argv, "argument 3: not an integer");
        if (!erl_is_tuple(t) || erl_tuple_size(t) < 1 || erl_element(t, 1) != argv[1])
            return AM_false;
        return bool_term(argc == 2 || (int64_t)erl_tuple_size(t) == erl_int_value(argv[2]));
    }
    if (argc != 1)
        return ERL_NONE;
    Term t = argv[0];
    if (!strcmp(n, "is_atom")) return bool_term(erl_is_atom(t));
    if (!strcmp(n, "is_integer")) return bool_term(int_is(t));
    if (!strcmp(n, "is_float")) return bool_term(erl_is_float(t));
    if (!strcmp(n, "is_number")) return bool_term(is_number(t));
    if (!strcmp(n, "is_list")) return bool_term(erl_is_list(t));
    if (!strcmp(n, "is_tuple")) return bool_term(erl_is_tuple(t));
    if (!strcmp(n, "is_map")) return bool_term(map_is(t));
    if (!strcmp(n, "is_binary")) return bool_term(erl_is_binary(t));
    if (!strcmp(n, "is_bitstring")) return bool_term(erl_is_bitstring(t));
    if (!strcmp(n, "is_pid")) return bool_term(erl_is_pid(t));
    if (!strcmp(n, "is_reference")) return bool_term(erl_is_ref(t));
    if (!strcmp(n, "is_boolean")) return bool_term(is_bool(t));
    if (!strcmp(n, "is_function")) return bool_term(erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_FUN);
    return ERL_NONE;
}

/* One guard test: true only when it evaluates to 'true'; an exception makes
** it false, as in erl. */
static bool guard_test(Ev *ev, Ast *test)
{
    ErlCatch c;
    ErlException ex;
    Ev g = {.b = ev->b, .guard = true};
    if (exc_try(&c) == 0) {
        Term v = eval(&g, test);
        exc_end(&c);
        return v == AM_true;
    }
    exc_caught(&c, &ex);
    return false;
}

static bool guard_true(Ev *ev, AstClause *c)
{
    if (c->nguards == 0)
        return true;
    for (int g = 0; g < c->nguards; g++) {
        Ast *alt = c->guards[g];
        bool all = true;
        for (int i = 0; i < alt->n && all; i++)
            all = guard_test(ev, alt->elems[i]);
        if (all)
            return true;
    }
    return false;
}

/* Tries clause c against v: on success its bindings stay made; on failure
** the bindings are as before. */
static bool clause_matches(Ev *ev, AstClause *c, Term v)
{
    size_t mark = ev->b->n;
    if ((!c->pattern || match(ev, c->pattern, v)) && guard_true(ev, c))
        return true;
    ev->b->n = mark;
    return false;
}

/* ------------------------------------------------------------ receive */

typedef struct RecvCtx {
    Ev *ev;
    Ast *recv;
} RecvCtx;

static bool receive_match(Term msg, void *ctx)
{
    RecvCtx *r = ctx;
    size_t mark = r->ev->b->n;
    for (int i = 0; i < r->recv->n; i++)
        if (clause_matches(r->ev, &r->recv->clauses[i], msg)) {
            r->ev->b->n = mark; /* matched again on the message handed back */
            return true;
        }
    return false;
}

static Term eval_receive(Ev *ev, Ast *e)
{
    long timeout = -1;
    if (e->after) {
        Term t = eval(ev, e->after);
        if (erl_is_int(t) && erl_int_value(t) >= 0 && erl_int_value(t) <= 4294967295LL)
            timeout = (long)erl_int_value(t);
        else if (t != AM_infinity)
            exc_raise(AM_error, am("timeout_value"), ERL_NONE);
    }
    RecvCtx ctx = {ev, e};
    Term msg = eval_hook_receive(receive_match, &ctx, timeout);
    if (msg == ERL_NONE)
        return eval(ev, e->after_body);
    for (int i = 0; i < e->n; i++)
        if (clause_matches(ev, &e->clauses[i], msg))
            return eval(ev, e->clauses[i].body);
    /* the hook handed back a message no clause takes */
    error2(AM_case_clause, msg);
}

/* --------------------------------------------------------------- funs */

/* What a fun keeps beyond its command: its clauses, cloned into an arena
** of their own. Made once per fun expression and never freed (a fun may be
** called, sent or spawned at any time after). */
typedef struct FunDef {
    FunInfo info; /* first: the printer reads it (term.h) */
    Ast *node; /* AST_FUN, in 'arena' */
    Arena arena;
    int arity;
    Records *rt; /* the shell's records, for rd/rf/rl/rp in its body */
} FunDef;

/* A fun term: [header][FunDef*][Arity][Name1][Value1]... with the bindings
** it closes over, or [header][NULL][Arity][Mod][Fun] for fun M:F/A. */
static Term make_fun(Ev *ev, Ast *e)
{
    Heap *h = heap_current();
    if (!e->mod && e->fun && e->n == 0) /* fun F/A: erl_eval knows no F */
        exc_raise(AM_error, AM_undef,
                  term_tuple(h, 3, (Term[]){erl_atom("erl_eval"), e->fun->name, erl_mk_int(e->ival)}));
    if (e->mod) {
        Term m = eval(ev, e->mod), f = eval(ev, e->fun);
        if (!erl_is_atom(m) || !erl_is_atom(f))
            exc_raise(AM_error, AM_badarg, ERL_NONE);
        Term *p = heap_alloc(h, 5);
        p[0] = box_header(4, ERL_BOX_FUN);
        p[1] = 0;
        p[2] = erl_mk_int(e->ival);
        p[3] = m;
        p[4] = f;
        return (Term)(uintptr_t)p;
    }
    FunDef *d = e->cache;
    if (!d) {
        d = xcalloc(1, sizeof *d);
        d->node = ast_clone(&d->arena, e);
        d->arity = e->n ? e->clauses[0].pattern->n : 0;
        /* erl_eval's funs: 43 - Arity, or 20 - Arity for a named one */
        d->info.number = (e->name ? 20 : 43) - d->arity;
        d->rt = ev->rt;
        e->cache = d;
    }
    /* close over every variable, each with its innermost value */
    const Bindings *b = ev->b;
    size_t k = 0;
    Term *p = heap_alloc(h, 3 + 2 * b->n);
    for (size_t i = 0; i < b->n; i++) {
        if (find_binding(b, b->v[i].name) != &b->v[i])
            continue; /* shadowed */
        p[3 + 2 * k] = b->v[i].name;
        p[4 + 2 * k] = b->v[i].value;
        k++;
    }
    p[0] = box_header(2 + 2 * k, ERL_BOX_FUN);
    p[1] = (Term)(uintptr_t)d;
    p[2] = erl_mk_int(d->arity);
    return (Term)(uintptr_t)p;
}

static bool is_fun(Term t)
{
    return erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_FUN;
}

/* ----- b()'s view of a fun (rest12) */
const Ast *eval_fun_source(Term t)
{
    if (!is_fun(t))
        return NULL;
    FunDef *d = (FunDef *)(uintptr_t)erl_box_ptr(t)[1];
    return d && d->info.kind == FUN_SHELL ? d->node : NULL;
}

Term eval_apply_fun(Term fun, int argc, const Term *argv)
{
    Heap *h = heap_current();
    Term *p = erl_box_ptr(fun);
    FunDef *d = (FunDef *)(uintptr_t)p[1];
    if (d && d->info.kind != FUN_SHELL)
        return fun_apply(fun, argc, argv); /* a fun made in C */
    int arity = (int)erl_int_value(p[2]);
    if (arity != argc) {
        Term list = ERL_NIL;
        for (int i = argc; i > 0; i--)
            list = term_cons(h, argv[i - 1], list);
        exc_raise(AM_error, term_tuple(h, 2, (Term[]){AM_badarity, term_tuple(h, 2, (Term[]){fun, list})}),
                  ERL_NONE);
    }
    if (!d)
        return eval_hook_remote_call(p[3], p[4], argc, (Term *)argv);
    Term args = term_tuple(h, argc, argv);
    Bindings b = {.heap = h};
    size_t k = (erl_box_size(fun) - 2) / 2;
    for (size_t i = 0; i < k; i++)
        bind_shadowing(&b, p[3 + 2 * i], p[4 + 2 * i]);
    if (d->node->name) /* fun Name(...): Name is this fun */
        bind_shadowing(&b, d->node->name, fun);
    Ev ev = {.b = &b, .rt = d->rt};
    ErlCatch c;
    ErlException ex;
    if (exc_try(&c) == 0) {
        for (int i = 0; i < d->node->n; i++) {
            AstClause *cl = &d->node->clauses[i];
            size_t mark = b.n;
            ev.fresh = true; /* the arguments shadow what the fun closed over */
            ev.fresh_from = mark;
            bool ok = cl->pattern->n == argc && match(&ev, cl->pattern, args);
            ev.fresh = false;
            if (ok && guard_true(&ev, cl)) {
                Term r = eval(&ev, cl->body);
                exc_end(&c);
                bindings_destroy(&b);
                return r;
            }
            b.n = mark;
        }
        Term list = ERL_NIL;
        for (int i = argc; i > 0; i--)
            list = term_cons(h, argv[i - 1], list);
        exc_raise(AM_error, AM_function_clause,
                  term_tuple(h, 3, (Term[]){erl_atom("erl_eval"), erl_atom("-inside-an-interpreted-fun-"), list}));
    }
    exc_caught(&c, &ex);
    bindings_destroy(&b);
    exc_reraise(&ex);
}

/* -------------------------------------------------------------- calls */

static Term eval_call(Ev *ev, Ast *e)
{
    if (lint_is_forget_call(e)) {
        /* f(X) names the variable: the shell command gets 'X', bound or not */
        Term name = e->elems[0]->name;
        return eval_hook_local_call(e->fun->name, 1, &name);
    }
    if (ev->rt && records_is_rd(e)) /* rd(Name, Definition) is not evaluated */
        return records_rd(ev->rt, e->elems[0], e->elems[1]);
    Term mod = ERL_NONE, fun = ERL_NONE;
    if (e->mod)
        mod = eval(ev, e->mod);
    if (e->mod || e->fun->kind != AST_ATOM)
        fun = eval(ev, e->fun);
    else
        fun = e->fun->name;
    Term *argv = e->n ? heap_alloc_words(heap_current(), (size_t)e->n) : NULL;
    for (int i = 0; i < e->n; i++)
        argv[i] = eval(ev, e->elems[i]);
    if (e->mod) {
        if (!erl_is_atom(mod) || !erl_is_atom(fun))
            exc_raise(AM_error, AM_badarg, ERL_NONE);
        return eval_hook_remote_call(mod, fun, e->n, argv);
    }
    if (is_fun(fun))
        return eval_apply_fun(fun, e->n, argv);
    if (!erl_is_atom(fun) || e->fun->kind != AST_ATOM)
        error2(AM_badfun, fun); /* F(Args) with F bound to an atom is no call */
    Term t = type_test(fun, e->n, argv);
    if (t != ERL_NONE)
        return t;
    if (ev->rt && records_command(ev->rt, fun, e->n, argv, &t))
        return t;
    return eval_hook_local_call(fun, e->n, argv);
}

/* ----------------------------------------------------------------- try */

/* The body and its of/catch clauses: only the body is protected. */
static Term try_clauses(Ev *ev, Ast *e)
{
    ErlCatch c;
    ErlException ex;
    size_t mark = ev->b->n;
    if (exc_try(&c) == 0) {
        Term v = eval(ev, e->left);
        exc_end(&c);
        if (!e->ival)
            return v;
        for (int i = 0; i < e->n; i++)
            if (clause_matches(ev, &e->clauses[i], v))
                return eval(ev, e->clauses[i].body);
        error2(am("try_clause"), v);
    }
    exc_caught(&c, &ex);
    ev->b->n = mark; /* what the body bound before it raised is gone */
    Heap *h = heap_current();
    Term raised = term_tuple(h, 3, (Term[]){ex.cls, ex.reason, stacktrace_build(h, &ex)});
    for (int i = 0; i < e->ncatches; i++)
        if (clause_matches(ev, &e->catches[i], raised))
            return eval(ev, e->catches[i].body);
    exc_reraise(&ex);
}

static Term eval_try(Ev *ev, Ast *e)
{
    if (!e->after_body)
        return try_clauses(ev, e);
    ErlCatch c;
    ErlException ex;
    if (exc_try(&c) != 0) {
        exc_caught(&c, &ex);
        eval(ev, e->after_body); /* after runs whatever happened */
        exc_reraise(&ex);
    }
    Term v = try_clauses(ev, e);
    exc_end(&c);
    eval(ev, e->after_body);
    return v;
}

/* --------------------------------------------------------------- catch */

static Term eval_catch(Ev *ev, Ast *e)
{
    ErlCatch c;
    ErlException ex;
    Snapshot saved = snapshot(ev->b);
    if (exc_try(&c) == 0) {
        Term v = eval(ev, e->left);
        exc_end(&c);
        drop(&saved);
        return v;
    }
    exc_caught(&c, &ex);
    restore(ev->b, &saved);
    Heap *h = heap_current();
    if (ex.cls == AM_throw)
        return ex.reason;
    if (ex.cls == AM_exit)
        return term_tuple(h, 2, (Term[]){AM_EXIT, ex.reason});
    Term inner = term_tuple(h, 2, (Term[]){ex.reason, stacktrace_build(h, &ex)});
    return term_tuple(h, 2, (Term[]){AM_EXIT, inner});
}

/* ------------------------------------------------------ comprehensions */

static bool is_guard_expr(Ast *e);

/* Could each of the n expressions of v stand in a guard? */
static bool all_guard_exprs(Ast **v, int n)
{
    for (int i = 0; i < n; i++)
        if (!is_guard_expr(v[i]))
            return false;
    return true;
}

/* Could e stand in a guard? (erl_lint:is_guard_test, roughly: no sends,
** matches, blocks or calls other than guard BIFs.) */
static bool is_guard_expr(Ast *e)
{
    static const char *const bifs[] = {
        "abs", "bit_size", "byte_size", "element", "float", "hd", "is_atom", "is_binary",
        "is_bitstring", "is_boolean", "is_float", "is_function", "is_integer", "is_list",
        "is_map", "is_number", "is_pid", "is_record", "is_reference", "is_tuple", "length", "map_size", "node",
        "round", "self",
        "size", "tl", "trunc", "tuple_size", "min", "max", NULL};
    switch (e->kind) {
    case AST_INT:
    case AST_FLOAT:
    case AST_ATOM:
    case AST_VAR:
    case AST_STRING:
    case AST_NIL:
        return true;
    case AST_TUPLE:
    case AST_BIN:
        return all_guard_exprs(e->elems, e->n);
    case AST_BIN_ELEM:
        return is_guard_expr(e->left) && (!e->right || is_guard_expr(e->right));
    case AST_MAP:
    case AST_RECORD: /* E#{...} and E#r{...}: E too */
        return (!e->left || is_guard_expr(e->left)) && all_guard_exprs(e->elems, e->n);
    case AST_MAP_FIELD:
    case AST_CONS:
    case AST_ANDALSO:
    case AST_ORELSE:
        return is_guard_expr(e->left) && is_guard_expr(e->right);
    case AST_RECORD_GET:
        return is_guard_expr(e->left);
    case AST_RECORD_FIELD:
        return is_guard_expr(e->right);
    case AST_OP:
        return strcmp(erl_atom_name(e->name), "!") && (!e->left || is_guard_expr(e->left)) &&
               is_guard_expr(e->right);
    case AST_CALL:
        if (e->mod || e->fun->kind != AST_ATOM)
            return false;
        for (int i = 0; bifs[i]; i++)
            if (!strcmp(bifs[i], erl_atom_name(e->fun->name)))
                return all_guard_exprs(e->elems, e->n);
        return false;
    default:
        return false;
    }
}

static void lc_run(Ev *ev, Ast *lc, int qi, Term **link);

/* A binary generator <<Segments>> <= Bin: runs the qualifiers after it
** once per stretch of Bin the segments match, from the start on; a
** stretch whose values do not match is skipped; the generator ends where
** the segments no longer fit. */
static void lc_bits(Ev *ev, Ast *lc, int qi, Term **link)
{
    Ast *q = lc->elems[qi];
    Term b = eval(ev, q->right);
    if (!erl_is_bitstring(b))
        error2(am("bad_generator"), b);
    uint64_t pos = 0;
    for (;;) {
        size_t mark = ev->b->n;
        uint64_t end = pos;
        ev->fresh = true;
        ev->fresh_from = mark;
        bool ok = match_segments(ev, q->left, b, pos, &end, true);
        ev->fresh = false;
        if (ok && end > pos)
            lc_run(ev, lc, qi + 1, link);
        ev->b->n = mark;
        if (!ok) {
            ev->fresh = true;
            ok = match_segments(ev, q->left, b, pos, &end, false);
            ev->fresh = false;
            ev->b->n = mark;
        }
        if (!ok || end <= pos)
            break;
        pos = end;
    }
}

/* Runs qualifiers qi.. of the comprehension, appending each value of the
** template at *link. */
static void lc_run(Ev *ev, Ast *lc, int qi, Term **link)
{
    if (qi == lc->n) {
        Term c = term_cons(heap_current(), eval(ev, lc->left), ERL_NIL);
        **link = c;
        *link = &cons_ptr(c)[1];
        return;
    }
    Ast *q = lc->elems[qi];
    if (q->kind != AST_GENERATE && is_guard_expr(q)) {
        /* a filter that is a guard test is evaluated as one */
        if (guard_test(ev, q))
            lc_run(ev, lc, qi + 1, link);
        return;
    }
    if (q->kind != AST_GENERATE) {
        Term v = eval(ev, q);
        if (v == AM_true)
            lc_run(ev, lc, qi + 1, link);
        else if (v != AM_false)
            error2(am("bad_filter"), v);
        return;
    }
    if (q->ival) {
        lc_bits(ev, lc, qi, link);
        return;
    }
    Term l = eval(ev, q->right);
    for (; erl_is_cons(l); l = erl_tl(l)) {
        size_t mark = ev->b->n;
        ev->fresh = true;
        ev->fresh_from = mark;
        bool ok = match(ev, q->left, erl_hd(l));
        ev->fresh = false;
        if (ok)
            lc_run(ev, lc, qi + 1, link);
        ev->b->n = mark;
    }
    if (l != ERL_NIL)
        error2(am("bad_generator"), l);
}

static Term eval_lc(Ev *ev, Ast *e)
{
    size_t mark = ev->b->n;
    Term result = ERL_NIL, *link = &result;
    lc_run(ev, e, 0, &link);
    ev->b->n = mark;
    if (!e->ival)
        return result;
    /* << Template || ... >>: the bitstrings the template made, joined */
    for (Term l = result; erl_is_cons(l); l = erl_tl(l))
        if (!erl_is_bitstring(erl_hd(l)))
            exc_raise(AM_error, AM_badarg, erl_tuple(erl_atom("eval_bits"), erl_mk_int(-1), erl_atom("none")));
    BitWriter w = {0};
    bits_put_iolist(&w, result, true);
    Term bin = bits_writer_take(&w, heap_current());
    return bin;
}

/* ---------------------------------------------------------------- eval */

static Term eval_clauses(Ev *ev, Ast *e, Term v)
{
    for (int i = 0; i < e->n; i++)
        if (clause_matches(ev, &e->clauses[i], v))
            return eval(ev, e->clauses[i].body);
    if (e->kind == AST_IF)
        exc_raise(AM_error, AM_if_clause, ERL_NONE);
    error2(AM_case_clause, v);
}

/* A function's error as erl_eval raises it for map expressions: in
** function Name (a "maps:F" string) called with args, with a note. */
static __attribute__((noreturn)) void map_error(Term reason, const char *name, Term k, Term v, Term m)
{
    Heap *h = heap_current();
    Term args = erl_list(k, v, m);
    Term where = erl_tuple(erl_atom("function"), term_string(h, name, strlen(name)), args,
                           erl_mk_string("argument 3: not a map"));
    exc_raise(AM_error, reason, where);
}

/* #{K => V, ...} and M#{K => V, K := V, ...}. */
static Term eval_map(Ev *ev, Ast *e)
{
    Heap *h = heap_current();
    Term m;
    if (e->left) {
        m = eval(ev, e->left);
        if (!map_is(m)) /* erl_eval names its placeholders k and v here */
            map_error(erl_tuple(erl_atom("badmap"), m), "maps:put", erl_atom("k"), erl_atom("v"), m);
    } else {
        m = map_new(h);
    }
    for (int i = 0; i < e->n; i++) {
        Ast *f = e->elems[i];
        Term k = eval(ev, f->left);
        Term v = eval(ev, f->right);
        if (f->ival && map_get(m, k) == ERL_NONE)
            map_error(erl_tuple(erl_atom("badkey"), k), "maps:update", k, v, m);
        m = map_put(h, m, k, v);
    }
    return m;
}

/* ------------------------------------------------------------ records */

/* Is v a record of the size and name of the expanded record node e? */
static bool is_record_of(Term v, const Ast *e)
{
    return erl_is_tuple(v) && (int64_t)erl_tuple_size(v) == e->ival && erl_element(v, 1) == e->name;
}

/* E#Name.F, expanded (ival: F's position, n: the size); {badrecord, V}
** when E's value V is no such record. */
static Term eval_record_get(Ev *ev, Ast *e)
{
    Term v = eval(ev, e->left);
    if (!erl_is_tuple(v) || (int64_t)erl_tuple_size(v) != e->n || erl_element(v, 1) != e->name)
        error2(am("badrecord"), v);
    return erl_element(v, (uint64_t)e->ival);
}

/* E#Name{F = V, ...}, expanded: the new values first, in the order
** written, then E, as erl_expand_records orders them. */
static Term eval_record_update(Ev *ev, Ast *e)
{
    if (e->ival <= 0 || !e->left) /* not expanded: the check reported it */
        exc_raise(AM_error, AM_badarg, ERL_NONE);
    Heap *h = heap_current();
    Term *vals = e->n ? heap_alloc_words(h, (size_t)e->n) : NULL;
    for (int i = 0; i < e->n; i++)
        vals[i] = ERL_NIL;
    for (int i = 0; i < e->n; i++)
        vals[i] = eval(ev, e->elems[i]->right);
    Term r = eval(ev, e->left);
    if (!is_record_of(r, e))
        error2(am("badrecord"), r);
    Term *p = heap_alloc(h, (size_t)e->ival + 1);
    p[0] = box_header((uint64_t)e->ival, ERL_BOX_TUPLE);
    for (int64_t i = 1; i <= e->ival; i++)
        p[i] = erl_element(r, (uint64_t)i);
    for (int i = 0; i < e->n; i++)
        p[e->elems[i]->ival] = vals[i];
    return (Term)(uintptr_t)p;
}

static Term eval(Ev *ev, Ast *e)
{
    switch (e->kind) {
    case AST_INT:
        return e->digits ? literal_int(e) : erl_mk_int(e->ival);
    case AST_FLOAT:
        return erl_mk_float(e->fval);
    case AST_ATOM:
        return e->name;
    case AST_VAR: {
        Term v = bindings_get(ev->b, e->name);
        if (v == ERL_NONE)
            error2(am("unbound"), e->name);
        return v;
    }
    case AST_STRING:
        return string_term(e->str, e->len);
    case AST_NIL:
        return ERL_NIL;
    case AST_TUPLE: {
        Term *p = heap_alloc(heap_current(), (size_t)e->n + 1);
        p[0] = box_header((uint64_t)e->n, ERL_BOX_TUPLE);
        for (int i = 0; i < e->n; i++)
            p[i + 1] = ERL_NIL; /* every word a valid term before anything can look */
        for (int i = 0; i < e->n; i++)
            p[i + 1] = eval(ev, e->elems[i]);
        return (Term)(uintptr_t)p;
    }
    case AST_MAP:
        return eval_map(ev, e);
    case AST_CONS: {
        Term hd = eval(ev, e->left);
        Term tl = eval(ev, e->right);
        return term_cons(heap_current(), hd, tl);
    }
    case AST_BIN:
        return eval_binary(ev, e);
    case AST_MATCH: {
        Term v = eval(ev, e->right);
        if (!match(ev, e->left, v))
            error2(AM_badmatch, v);
        return v;
    }
    case AST_OP: {
        if (!e->left)
            return unary_op(e->name, eval(ev, e->right));
        Term a = eval(ev, e->left);
        Term b = eval(ev, e->right);
        if (!strcmp(erl_atom_name(e->name), "!"))
            return eval_hook_send(a, b);
        return binary_op(e->name, a, b);
    }
    case AST_ANDALSO:
    case AST_ORELSE: {
        Term a = eval(ev, e->left);
        if (!is_bool(a))
            error2(AM_badarg, a);
        if ((e->kind == AST_ANDALSO) != (a == AM_true))
            return a;
        return eval(ev, e->right);
    }
    case AST_CALL:
        return eval_call(ev, e);
    case AST_REMOTE:
        exc_raise(AM_error, AM_badarg, ERL_NONE);
    case AST_CATCH:
        return eval_catch(ev, e);
    case AST_BLOCK: {
        Term v = ERL_NIL;
        for (int i = 0; i < e->n; i++)
            v = eval(ev, e->elems[i]);
        return v;
    }
    case AST_CASE:
        return eval_clauses(ev, e, eval(ev, e->left));
    case AST_IF:
        return eval_clauses(ev, e, ERL_NIL);
    case AST_RECEIVE:
        return eval_receive(ev, e);
    case AST_LC:
        return eval_lc(ev, e);
    case AST_FUN:
        return make_fun(ev, e);
    case AST_TRY:
        return eval_try(ev, e);
    case AST_RECORD:
        return eval_record_update(ev, e);
    case AST_RECORD_GET:
        if (e->ival <= 0) /* not expanded: the check reported it */
            break;
        return eval_record_get(ev, e);
    case AST_BIN_ELEM:
    case AST_GENERATE:
    case AST_MAP_FIELD:
    case AST_RECORD_FIELD:
    case AST_RECORD_INDEX:
        break;
    }
    exc_raise(AM_error, AM_badarg, ERL_NONE);
}

Term eval_command(Ast *cmd, Bindings *b)
{
    return eval_shell_command(cmd, b, NULL);
}

Term eval_shell_command(Ast *cmd, Bindings *b, Records *rt)
{
    ErlCatch c;
    ErlException ex;
    Snapshot saved = snapshot(b);
    Ev ev = {.b = b, .rt = rt};
    Arena expanded = {0}; /* what records_expand makes; funs copy what they keep */
    if (exc_try(&c) == 0) {
        Term v = ERL_NIL;
        for (int i = 0; i < cmd->n; i++) {
            char *msg = lint_run(&cmd->elems[i], 1, b, rt);
            if (msg) {
                Term text = term_string(heap_current(), msg, strlen(msg));
                free(msg);
                exc_raise(AM_error, term_tuple(heap_current(), 2, (Term[]){check_tag(), text}), ERL_NONE);
            }
            v = eval(&ev, records_expand(rt, cmd->elems[i], &expanded));
        }
        exc_end(&c);
        drop(&saved);
        arena_free(&expanded);
        return v;
    }
    exc_caught(&c, &ex);
    arena_free(&expanded);
    restore(b, &saved);
    exc_reraise(&ex);
}
