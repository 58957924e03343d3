/*
** cmdhist.c
** The shell's command history: the last commands (20, or what history/1
** set), printed back the way erl_pp prints expressions, and the values of
** the last ones (20, or what results/1 set) on a heap of their own (the
** evaluator's heap is replaced after every crash).
*/
#include "cmdhist.h"
#include "../runtime/bignum.h"
#include "../runtime/print.h"
#include "../runtime/stacktrace.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Invariant: ent[0..n) are the kept commands, oldest first, numbers
** ascending, n <= cap; each value lives on 'heap' (ERL_NONE until the
** command ends, or once results/1's limit dropped it: 'forgotten').
** While command c runs, the commands kept are those numbered c - keep and
** above, their values those numbered c - keep_results and above (both
** applied when c is added). 'dropped' counts values left on 'heap' by
** dropped entries: when it reaches CMDHIST_KEEP the live values move to a
** fresh heap. A zeroed struct is an empty history with erl's defaults. */
struct CmdHist {
    struct Entry {
        int n;
        char *text;  /* owned */
        Term value;
        bool forgotten; /* its value was dropped by results/1's limit */
    } *ent;
    int n, cap;
    Heap heap;
    bool heap_ready;
    int dropped;
    bool limits_set;        /* keep and keep_results hold history/results' numbers */
    int keep, keep_results; /* else CMDHIST_KEEP each */
};

static CmdHist first;      /* the history until cmdhist_use chooses another */
static CmdHist *H = &first; /* the history the functions use */

/* ====================================================== erl_pp, small */

/* Operator precedences as erl_pp has them: a binary operator's left and
** right operands need these at least; a prefix operator's operand 'right'. */
typedef struct OpPrec {
    const char *op;
    int left, prec, right;
} OpPrec;

static const OpPrec binops[] = {
    {"=", 150, 100, 100},    {"!", 150, 100, 100},   {"orelse", 160, 170, 170}, {"andalso", 200, 200, 300},
    {"==", 400, 300, 400},   {"/=", 400, 300, 400},  {"=<", 400, 300, 400},     {"<", 400, 300, 400},
    {">=", 400, 300, 400},   {">", 400, 300, 400},   {"=:=", 400, 300, 400},    {"=/=", 400, 300, 400},
    {"++", 500, 400, 400},   {"--", 500, 400, 400},  {"+", 400, 400, 500},      {"-", 400, 400, 500},
    {"bor", 400, 400, 500},  {"bxor", 400, 400, 500}, {"bsl", 400, 400, 500},   {"bsr", 400, 400, 500},
    {"or", 400, 400, 500},   {"xor", 400, 400, 500}, {"*", 500, 500, 600},      {"/", 500, 500, 600},
    {"div", 500, 500, 600},  {"rem", 500, 500, 600}, {"band", 500, 500, 600},   {"and", 500, 500, 600},
};

static const OpPrec *binop(const char *op)
{
    for (size_t i = 0; i < sizeof binops / sizeof *binops; i++)
        if (strcmp(binops[i].op, op) == 0)
            return &binops[i];
    return NULL;
}

typedef struct Pp {
    Buf *b;
    int current;   /* the number of the command being printed */
    char **err;
    bool failed;
} Pp;

static void expr(Pp *pp, const Ast *e, int prec);

static void exprs(Pp *pp, Ast *const *v, int n, const char *sep)
{
    for (int i = 0; i < n; i++) {
        if (i)
            buf_puts(pp->b, sep);
        expr(pp, v[i], 0);
    }
}

static void body(Pp *pp, const Ast *block)
{
    if (block && block->kind == AST_BLOCK)
        exprs(pp, block->elems, block->n, ", ");
    else if (block)
        expr(pp, block, 0);
}

static void string_lit(Buf *b, const uint32_t *s, size_t len)
{
    buf_putc(b, '"');
    for (size_t i = 0; i < len; i++) {
        uint32_t c = s[i];
        switch (c) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '\r': buf_puts(b, "\\r"); break;
        default:
            if (c >= 32 && c < 127)
                buf_putc(b, (char)c);
            else if (c < 256)
                buf_printf(b, "\\%03o", (unsigned)c);
            else
                buf_printf(b, "\\x{%X}", (unsigned)c);
        }
    }
    buf_putc(b, '"');
}

static void clauses(Pp *pp, const AstClause *c, int n, bool patterns)
{
    for (int i = 0; i < n; i++) {
        buf_puts(pp->b, i ? "; " : " ");
        if (patterns && c[i].pattern)
            expr(pp, c[i].pattern, 0);
        for (int g = 0; g < c[i].nguards; g++) {
            buf_puts(pp->b, g ? "; " : (patterns ? " when " : ""));
            body(pp, c[i].guards[g]);
        }
        if (!patterns && !c[i].nguards)
            buf_puts(pp->b, "true");
        buf_puts(pp->b, " -> ");
        body(pp, c[i].body);
    }
}

/* v(N) and e(N) with a literal N: erl checks them before the command runs
** and prints them resolved. Returns true when it printed the call itself. */
static bool history_call(Pp *pp, const Ast *e)
{
    if (e->kind != AST_CALL || e->mod || e->n != 1 || e->fun->kind != AST_ATOM)
        return false;
    const char *f = erl_atom_name(e->fun->name);
    bool is_v = strcmp(f, "v") == 0, is_e = strcmp(f, "e") == 0;
    if (!is_v && !is_e)
        return false;
    const Ast *a = e->elems[0];
    bool neg = a->kind == AST_OP && !a->left && a->right->kind == AST_INT &&
               strcmp(erl_atom_name(a->name), "-") == 0;
    if (a->kind != AST_INT && a->kind != AST_ATOM && !neg)
        return false; /* not a literal: resolved when it runs */
    int n = a->kind == AST_INT ? (int)a->ival : neg ? -(int)a->right->ival : 0;
    if (a->kind == AST_ATOM || !cmdhist_has(n, pp->current, is_v)) {
        if (!pp->failed && pp->err) {
            Buf m = {0};
            buf_puts(&m, "* ");
            if (a->kind == AST_ATOM)
                print_atom(&m, a->name);
            else
                buf_printf(&m, "%d", n);
            buf_puts(&m, ": command not found");
            *pp->err = buf_take(&m);
        }
        pp->failed = true;
        return true;
    }
    int abs = n > 0 ? n : pp->current + n;
    if (is_v)
        buf_printf(pp->b, "v(%d)", abs);
    else
        buf_puts(pp->b, cmdhist_command(abs, pp->current));
    return true;
}

static void expr(Pp *pp, const Ast *e, int prec)
{
    Buf *b = pp->b;
    if (!e)
        return;
    switch (e->kind) {
    case AST_INT:
        if (e->digits) {
            /* a literal beyond a small integer: shown in decimal, as erl does */
            Term t = int_from_chars(heap_current(), e->digits, strlen(e->digits), (int)e->ival);
            char *s = t != ERL_NONE ? int_to_chars(t, 10) : NULL;
            buf_puts(b, s ? s : e->digits);
            free(s);
            return;
        }
        buf_printf(b, "%lld", (long long)e->ival);
        return;
    case AST_FLOAT: print_float(b, e->fval); return;
    case AST_ATOM: print_atom(b, e->name); return;
    case AST_VAR: buf_puts(b, erl_atom_name(e->name)); return;
    case AST_STRING: string_lit(b, e->str, e->len); return;
    case AST_NIL: buf_puts(b, "[]"); return;
    case AST_TUPLE:
        buf_putc(b, '{');
        exprs(pp, e->elems, e->n, ", ");
        buf_putc(b, '}');
        return;
    case AST_CONS: {
        buf_putc(b, '[');
        const Ast *c = e;
        for (;;) {
            expr(pp, c->left, 0);
            c = c->right;
            if (c->kind == AST_CONS) {
                buf_puts(b, ", ");
                continue;
            }
            if (c->kind != AST_NIL) {
                buf_puts(b, " | ");
                expr(pp, c, 0);
            }
            break;
        }
        buf_putc(b, ']');
        return;
    }
    case AST_BIN:
        buf_puts(b, "<<");
        for (int i = 0; i < e->n; i++) {
            const Ast *el = e->elems[i];
            if (i)
                buf_putc(b, ',');
            expr(pp, el->left, 800);
            if (el->right) {
                buf_putc(b, ':');
                expr(pp, el->right, 800);
            }
            for (int t = 0; t < el->n; t++) {
                buf_putc(b, t ? '-' : '/');
                if (erl_is_int(el->types[t]))
                    buf_printf(b, "unit:%ld", erl_int_value(el->types[t]));
                else
                    print_atom(b, el->types[t]);
            }
        }
        buf_puts(b, ">>");
        return;
    case AST_MATCH:
    case AST_OP:
    case AST_ANDALSO:
    case AST_ORELSE: {
        const char *op = e->kind == AST_MATCH ? "=" : e->kind == AST_ANDALSO ? "andalso"
                         : e->kind == AST_ORELSE ? "orelse" : erl_atom_name(e->name);
        if (e->kind == AST_OP && !e->left) {
            bool word = isalpha((unsigned char)op[0]);
            if (prec > 600)
                buf_putc(b, '(');
            buf_puts(b, op);
            if (word)
                buf_putc(b, ' ');
            expr(pp, e->right, 700);
            if (prec > 600)
                buf_putc(b, ')');
            return;
        }
        const OpPrec *o = binop(op);
        int l = o ? o->left : 0, p = o ? o->prec : 0, r = o ? o->right : 0;
        if (p < prec)
            buf_putc(b, '(');
        expr(pp, e->left, l);
        buf_printf(b, " %s ", op);
        expr(pp, e->right, r);
        if (p < prec)
            buf_putc(b, ')');
        return;
    }
    case AST_CALL:
        if (history_call(pp, e))
            return;
        if (e->mod) {
            expr(pp, e->mod, 900);
            buf_putc(b, ':');
        }
        expr(pp, e->fun, 900);
        buf_putc(b, '(');
        exprs(pp, e->elems, e->n, ", ");
        buf_putc(b, ')');
        return;
    case AST_REMOTE:
        expr(pp, e->mod, 900);
        buf_putc(b, ':');
        expr(pp, e->fun, 900);
        return;
    case AST_CATCH:
        if (prec > 0)
            buf_putc(b, '(');
        buf_puts(b, "catch ");
        expr(pp, e->left, 0);
        if (prec > 0)
            buf_putc(b, ')');
        return;
    case AST_BLOCK:
        buf_puts(b, "begin ");
        body(pp, e);
        buf_puts(b, " end");
        return;
    case AST_CASE:
        buf_puts(b, "case ");
        expr(pp, e->left, 0);
        buf_puts(b, " of");
        clauses(pp, e->clauses, e->n, true);
        buf_puts(b, " end");
        return;
    case AST_IF:
        buf_puts(b, "if");
        clauses(pp, e->clauses, e->n, false);
        buf_puts(b, " end");
        return;
    case AST_RECEIVE:
        buf_puts(b, "receive");
        clauses(pp, e->clauses, e->n, true);
        if (e->after) {
            buf_puts(b, " after ");
            expr(pp, e->after, 0);
            buf_puts(b, " -> ");
            body(pp, e->after_body);
        }
        buf_puts(b, " end");
        return;
    case AST_TRY:
        buf_puts(b, "try ");
        body(pp, e->left);
        if (e->ival) {
            buf_puts(b, " of");
            clauses(pp, e->clauses, e->n, true);
        }
        if (e->ncatches) {
            buf_puts(b, " catch");
            for (int i = 0; i < e->ncatches; i++) {
                const AstClause *c = &e->catches[i];
                const Ast *t = c->pattern;
                buf_puts(b, i ? "; " : " ");
                expr(pp, t->elems[0], 0);
                buf_putc(b, ':');
                expr(pp, t->elems[1], 0);
                if (!(t->elems[2]->kind == AST_VAR && !strcmp(erl_atom_name(t->elems[2]->name), "_"))) {
                    buf_putc(b, ':');
                    expr(pp, t->elems[2], 0);
                }
                for (int g = 0; g < c->nguards; g++) {
                    buf_puts(b, g ? "; " : " when ");
                    body(pp, c->guards[g]);
                }
                buf_puts(b, " -> ");
                body(pp, c->body);
            }
        }
        if (e->after_body) {
            buf_puts(b, " after ");
            body(pp, e->after_body);
        }
        buf_puts(b, " end");
        return;
    case AST_FUN:
        if (e->n == 0 && e->fun) {
            buf_puts(b, "fun ");
            if (e->mod) {
                expr(pp, e->mod, 900);
                buf_putc(b, ':');
            }
            expr(pp, e->fun, 900);
            buf_printf(b, "/%lld", (long long)e->ival);
            return;
        }
        buf_puts(b, "fun");
        for (int i = 0; i < e->n; i++) {
            const AstClause *c = &e->clauses[i];
            buf_puts(b, i ? "; " : "");
            buf_putc(b, '(');
            if (c->pattern && c->pattern->kind == AST_TUPLE)
                exprs(pp, c->pattern->elems, c->pattern->n, ", ");
            buf_putc(b, ')');
            for (int g = 0; g < c->nguards; g++) {
                buf_puts(b, g ? "; " : " when ");
                body(pp, c->guards[g]);
            }
            buf_puts(b, " -> ");
            body(pp, c->body);
        }
        buf_puts(b, " end");
        return;
    case AST_LC:
        buf_puts(b, e->ival ? "<< " : "[");
        expr(pp, e->left, 0);
        buf_puts(b, " || ");
        exprs(pp, e->elems, e->n, ", ");
        buf_puts(b, e->ival ? " >>" : "]");
        return;
    case AST_GENERATE:
        expr(pp, e->left, 0);
        buf_puts(b, e->ival ? " <= " : " <- ");
        expr(pp, e->right, 0);
        return;
    case AST_MAP:
        if (e->left)
            expr(pp, e->left, 0);
        buf_puts(b, "#{");
        exprs(pp, e->elems, e->n, ", ");
        buf_putc(b, '}');
        return;
    case AST_MAP_FIELD:
        expr(pp, e->left, 0);
        buf_puts(b, e->ival ? " := " : " => ");
        expr(pp, e->right, 0);
        return;
    case AST_BIN_ELEM:
        expr(pp, e->left, 0);
        return;
    case AST_RECORD: /* erl_pp: '#' binds at 700, its left operand at 800 */
        if (prec > 700)
            buf_putc(b, '(');
        if (e->left)
            expr(pp, e->left, 800);
        buf_putc(b, '#');
        print_atom(b, e->name);
        buf_putc(b, '{');
        exprs(pp, e->elems, e->n, ", ");
        buf_putc(b, '}');
        if (prec > 700)
            buf_putc(b, ')');
        return;
    case AST_RECORD_FIELD:
        expr(pp, e->left, 0);
        buf_puts(b, " = ");
        expr(pp, e->right, 100);
        return;
    case AST_RECORD_GET:
    case AST_RECORD_INDEX:
        if (prec > 700)
            buf_putc(b, '(');
        if (e->left)
            expr(pp, e->left, 800);
        buf_putc(b, '#');
        print_atom(b, e->name);
        buf_putc(b, '.');
        expr(pp, e->right, 0);
        if (prec > 700)
            buf_putc(b, ')');
        return;
    }
}

bool cmdhist_text(Buf *out, const Ast *cmd, int n, char **err)
{
    Pp pp = {.b = out, .current = n, .err = err};
    if (err)
        *err = NULL;
    body(&pp, cmd);
    return !pp.failed;
}

void cmdhist_fun_layout(Buf *out, const Ast *e, int indent)
{
    Pp pp = {.b = out};
    int head = indent + (e->name ? 4 : 3); /* under the name, or the '(' */
    for (int i = 0; i < e->n; i++) {
        const AstClause *c = &e->clauses[i];
        if (i)
            buf_printf(out, ";\n%*s", head, "");
        else
            buf_puts(out, "fun");
        if (e->name) {
            if (!i)
                buf_putc(out, ' ');
            buf_puts(out, erl_atom_name(e->name));
        }
        buf_putc(out, '(');
        if (c->pattern && c->pattern->kind == AST_TUPLE)
            exprs(&pp, c->pattern->elems, c->pattern->n, ", ");
        buf_putc(out, ')');
        for (int g = 0; g < c->nguards; g++) {
            buf_puts(out, g ? "; " : " when ");
            body(&pp, c->guards[g]);
        }
        buf_puts(out, " ->");
        const Ast *b = c->body;
        int n = b && b->kind == AST_BLOCK ? b->n : 1;
        for (int k = 0; k < n; k++) {
            buf_printf(out, "\n%*s", head + 4, "");
            expr(&pp, b && b->kind == AST_BLOCK ? b->elems[k] : b, 0);
            if (k + 1 < n)
                buf_putc(out, ',');
        }
    }
    buf_printf(out, "\n%*send", indent, "");
}

/* ============================================================ records */

static struct Entry *entry(int n)
{
    for (int i = 0; i < H->n; i++)
        if (H->ent[i].n == n)
            return &H->ent[i];
    return NULL;
}

/* The command v(n) or e(n) means while command 'current' runs: an earlier
** one, never 'current' itself. */
static int keep_commands(void);
static int keep_results(void);

static struct Entry *find(int n, int current)
{
    if (n <= 0)
        n = current + n;
    return n < current && n >= current - keep_commands() ? entry(n) : NULL;
}

/* Its value, if command 'current' still sees it (results/1's limit). */
static Term value_of(const struct Entry *e, int current)
{
    return e && e->n >= current - keep_results() ? e->value : ERL_NONE;
}

/* Moves the live values to a fresh heap, leaving the dropped ones behind. */
static void compact(void)
{
    Heap fresh;
    heap_init(&fresh);
    for (int i = 0; i < H->n; i++)
        if (H->ent[i].value != ERL_NONE)
            H->ent[i].value = term_copy(&fresh, H->ent[i].value);
    heap_destroy(&H->heap);
    H->heap = fresh;
    H->dropped = 0;
}

static int keep_commands(void)
{
    return H->limits_set ? H->keep : CMDHIST_KEEP;
}

static int keep_results(void)
{
    return H->limits_set ? H->keep_results : CMDHIST_KEEP;
}

void cmdhist_add(int n, const char *text)
{
    if (!H->heap_ready) {
        heap_init(&H->heap);
        H->heap_ready = true;
    }
    int drop = 0;
    while (drop < H->n && H->ent[drop].n < n - keep_commands())
        free(H->ent[drop++].text);
    if (drop) {
        memmove(&H->ent[0], &H->ent[drop], (size_t)(H->n - drop) * sizeof H->ent[0]);
        H->n -= drop;
        H->dropped += drop;
    }
    for (int i = 0; i < H->n && H->ent[i].n < n - keep_results(); i++)
        if (!H->ent[i].forgotten) {
            H->ent[i].value = ERL_NONE;
            H->ent[i].forgotten = true;
            H->dropped++;
        }
    if (H->dropped >= CMDHIST_KEEP)
        compact();
    if (H->n == H->cap) {
        H->cap = H->cap ? 2 * H->cap : CMDHIST_KEEP + 1;
        H->ent = xrealloc(H->ent, (size_t)H->cap * sizeof *H->ent);
    }
    H->ent[H->n++] = (struct Entry){.n = n, .text = xstrdup(text), .value = ERL_NONE};
}

int cmdhist_set_history(int n)
{
    int was = keep_commands();
    H->keep_results = keep_results();
    H->keep = n;
    H->limits_set = true;
    return was;
}

int cmdhist_set_results(int n)
{
    int was = keep_results();
    H->keep = keep_commands();
    H->keep_results = n;
    H->limits_set = true;
    return was;
}

void cmdhist_set_value(int n, Term v)
{
    struct Entry *e = entry(n);
    if (e && H->heap_ready)
        e->value = term_copy(&H->heap, v);
}

void cmdhist_set_exception(int n, const ErlException *x)
{
    Heap *h = &H->heap;
    struct Entry *e = entry(n);
    if (!e || !H->heap_ready)
        return;
    /* the reason lives on the dying evaluator's heap: copy it off */
    Term reason = term_copy(h, x->reason);
    if (x->cls == AM_throw)
        reason = term_tuple(h, 2, (Term[]){erl_atom("nocatch"), reason});
    Term stack = term_copy(h, stacktrace_build(heap_current(), x));
    e->value = term_tuple(h, 2, (Term[]){AM_EXIT, term_tuple(h, 2, (Term[]){reason, stack})});
}

void cmdhist_set_exit(int n, Term reason)
{
    struct Entry *e = entry(n);
    if (e && H->heap_ready)
        e->value = term_tuple(&H->heap, 2, (Term[]){AM_EXIT, term_copy(&H->heap, reason)});
}

void cmdhist_set_check_failure(int n, const char *msg)
{
    struct Entry *e = entry(n);
    if (!e || !H->heap_ready)
        return;
    Heap *h = &H->heap;
    const char *q = strstr(msg, "variable '");
    Term why;
    if (q && strstr(msg, "' is unbound")) {
        q += strlen("variable '");
        why = term_tuple(h, 2, (Term[]){erl_atom("unbound_var"), atom_from(q, strcspn(q, "'"))});
    } else {
        const char *m = strstr(msg, ": ") ? strstr(msg, ": ") + 2 : msg;
        m = strstr(m, ": ") ? strstr(m, ": ") + 2 : m;
        why = term_string(h, m, strlen(m));
    }
    e->value = term_tuple(h, 2, (Term[]){AM_EXIT, why});
}

bool cmdhist_has(int n, int current, bool need_value)
{
    struct Entry *e = find(n, current);
    return e && (!need_value || value_of(e, current) != ERL_NONE);
}

Term cmdhist_value(int n, int current, Heap *h)
{
    struct Entry *e = find(n, current);
    return value_of(e, current) != ERL_NONE ? term_copy(h, e->value) : ERL_NONE;
}

const char *cmdhist_command(int n, int current)
{
    struct Entry *e = find(n, current);
    return e ? e->text : NULL;
}

void cmdhist_list(Buf *out, int current)
{
    for (int i = 0; i < H->n && H->ent[i].n < current; i++) {
        if (H->ent[i].n < current - keep_commands())
            continue;
        buf_printf(out, "%d: %s\n", H->ent[i].n, H->ent[i].text);
        if (H->ent[i].forgotten || H->ent[i].n < current - keep_results())
            continue; /* erl shows no "->" line for it */
        buf_puts(out, "-> ");
        if (H->ent[i].value != ERL_NONE)
            print_pretty_shell(out, H->ent[i].value, 4, 30); /* shell:pp */
        buf_putc(out, '\n');
    }
}

void cmdhist_reset(void)
{
    for (int i = 0; i < H->n; i++)
        free(H->ent[i].text);
    free(H->ent);
    H->ent = NULL;
    H->n = H->cap = 0;
    H->limits_set = false;
    if (H->heap_ready)
        heap_destroy(&H->heap);
    H->heap_ready = false;
    H->dropped = 0;
}

/* ======================================================== shell jobs */

CmdHist *cmdhist_new(void)
{
    return xcalloc(1, sizeof(CmdHist));
}

void cmdhist_delete(CmdHist *h)
{
    if (!h || h == &first)
        return;
    CmdHist *was = H;
    H = h;
    cmdhist_reset();
    H = was == h ? &first : was;
    free(h);
}

void cmdhist_use(CmdHist *h)
{
    H = h ? h : &first;
}
