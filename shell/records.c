/*
** records.c
** Records at the shell prompt: the shell's table of definitions, the
** expansion of record syntax (erl_expand_records), and rd/rf/rl/rp.
*/
#include "records.h"
#include "cmdhist.h"
#include "lint.h"
#include "shell.h"
#include "../runtime/print.h"

#include <stdlib.h>
#include <string.h>

/* ============================================================= table */

static void def_free(RecordDef *d)
{
    if (!d)
        return;
    free(d->fields);
    free(d->defaults);
    arena_free(&d->arena);
    free(d);
}

void records_destroy(Records *rt)
{
    for (size_t i = 0; i < rt->n; i++)
        def_free(rt->v[i]);
    free(rt->v);
    memset(rt, 0, sizeof *rt);
}

/* The index where 'name' is or would go (by atom text, as erl orders atoms). */
static size_t slot(const Records *rt, Term name, bool *found)
{
    const char *s = erl_atom_name(name);
    size_t lo = 0, hi = rt->n;
    *found = false;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(erl_atom_name(rt->v[mid]->name), s);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const RecordDef *records_find(const Records *rt, Term name)
{
    if (!rt || !erl_is_atom(name))
        return NULL;
    bool found;
    size_t i = slot(rt, name, &found);
    return found ? rt->v[i] : NULL;
}

int records_field_pos(const RecordDef *def, Term f)
{
    for (int i = 0; i < def->nfields; i++)
        if (def->fields[i] == f)
            return i + 2;
    return 0;
}

const Term *records_print_fields(const Records *rt, Term tag, size_t nfields)
{
    const RecordDef *d = records_find(rt, tag);
    return d && (size_t)d->nfields == nfields ? d->fields : NULL;
}

/* Puts d in the table, replacing a definition of the same name. */
static void records_put(Records *rt, RecordDef *d)
{
    bool found;
    size_t i = slot(rt, d->name, &found);
    if (found) {
        def_free(rt->v[i]);
        rt->v[i] = d;
        return;
    }
    if (rt->n == rt->cap) {
        rt->cap = rt->cap ? 2 * rt->cap : 8;
        rt->v = xrealloc(rt->v, rt->cap * sizeof *rt->v);
    }
    memmove(rt->v + i + 1, rt->v + i, (rt->n - i) * sizeof *rt->v);
    rt->v[i] = d;
    rt->n++;
}

static void records_forget(Records *rt, Term name)
{
    bool found;
    size_t i = erl_is_atom(name) ? slot(rt, name, &found) : (found = false, 0);
    if (!found)
        return;
    def_free(rt->v[i]);
    memmove(rt->v + i, rt->v + i + 1, (rt->n - i - 1) * sizeof *rt->v);
    rt->n--;
}

/* ========================================================= expansion */

typedef struct Expand {
    const Records *rt;
    Arena *a;
} Expand;

static Ast *expand(Expand *x, Ast *e, bool pattern);

static Ast *copy_node(Expand *x, const Ast *e)
{
    Ast *c = arena_alloc(x->a, sizeof *c);
    *c = *e;
    c->cache = NULL;
    return c;
}

static Ast *new_node(Expand *x, AstKind kind, const Ast *at)
{
    Ast *c = arena_alloc(x->a, sizeof *c);
    c->kind = kind;
    c->line = at->line;
    c->col = at->col;
    return c;
}

static Ast *atom_node(Expand *x, Term name, const Ast *at)
{
    Ast *c = new_node(x, AST_ATOM, at);
    c->name = name;
    return c;
}

static Ast *int_node(Expand *x, int64_t v, const Ast *at)
{
    Ast *c = new_node(x, AST_INT, at);
    c->ival = v;
    return c;
}

static bool is_underscore(const Ast *e)
{
    return e->kind == AST_VAR && !strcmp(erl_atom_name(e->name), "_");
}

/* An array of n expanded nodes: NULL when none changed (then v stands). */
static Ast **expand_list(Expand *x, Ast **v, int n, bool pattern)
{
    Ast **out = NULL;
    for (int i = 0; i < n; i++) {
        Ast *c = expand(x, v[i], pattern);
        if (c != v[i] && !out) {
            out = arena_alloc(x->a, (size_t)n * sizeof *out);
            memcpy(out, v, (size_t)n * sizeof *out);
        }
        if (out)
            out[i] = c;
    }
    return out;
}

/* The same for clauses: patterns are patterns, guards and bodies are not. */
static AstClause *expand_clauses(Expand *x, AstClause *v, int n)
{
    AstClause *out = NULL;
    for (int i = 0; i < n; i++) {
        AstClause c = v[i];
        c.pattern = c.pattern ? expand(x, c.pattern, true) : NULL;
        Ast **g = expand_list(x, c.guards, c.nguards, false);
        if (g)
            c.guards = g;
        c.body = c.body ? expand(x, c.body, false) : NULL;
        if (c.pattern == v[i].pattern && c.guards == v[i].guards && c.body == v[i].body && !out)
            continue;
        if (!out) {
            out = arena_alloc(x->a, (size_t)n * sizeof *out);
            memcpy(out, v, (size_t)n * sizeof *out);
        }
        out[i] = c;
    }
    return out;
}

/* #Name{...} as a tuple: the fields named, then '_ = V' for the others,
** then (outside patterns) their defaults. In a pattern an unnamed field is
** '_'. Each field's value is a node of its own: '_ = V' and a default are
** evaluated once per field, as erl does. */
static Ast *new_record(Expand *x, Ast *e, const RecordDef *d, bool pattern)
{
    Ast *t = new_node(x, AST_TUPLE, e);
    t->n = d->nfields + 1;
    t->elems = arena_alloc(x->a, (size_t)t->n * sizeof *t->elems);
    t->elems[0] = atom_node(x, d->name, e);
    Ast *rest = NULL;
    for (int k = 0; k < e->n; k++)
        if (is_underscore(e->elems[k]->left))
            rest = e->elems[k]->right;
    for (int i = 0; i < d->nfields; i++) {
        Ast *v = NULL;
        for (int k = 0; k < e->n; k++)
            if (e->elems[k]->left->kind == AST_ATOM && e->elems[k]->left->name == d->fields[i])
                v = e->elems[k]->right;
        if (v)
            v = expand(x, v, pattern);
        else if (rest)
            v = expand(x, ast_clone(x->a, rest), pattern);
        else if (pattern)
            (v = new_node(x, AST_VAR, e))->name = erl_atom("_");
        else if (d->defaults[i])
            v = ast_clone(x->a, d->defaults[i]);
        else
            v = atom_node(x, AM_undefined, e);
        t->elems[i + 1] = v;
    }
    return t;
}

/* E#Name{F = V, ...}: each field's position in ival, the size in ival. */
static Ast *update_record(Expand *x, Ast *e, const RecordDef *d)
{
    Ast *u = copy_node(x, e);
    u->ival = d->nfields + 1;
    u->left = expand(x, e->left, false);
    u->elems = arena_alloc(x->a, (size_t)(e->n ? e->n : 1) * sizeof *u->elems);
    for (int k = 0; k < e->n; k++) {
        Ast *f = copy_node(x, e->elems[k]);
        f->ival = f->left->kind == AST_ATOM ? records_field_pos(d, f->left->name) : 0;
        f->right = expand(x, f->right, false);
        u->elems[k] = f;
    }
    return u;
}

/* is_record(X, Name) and erlang:is_record(X, Name[, Size]) as the local
** is_record(X, Name, Size) the evaluator answers; record_info(fields |
** size, Name) as its value. NULL when e is no such call. */
static Ast *record_call(Expand *x, Ast *e)
{
    if (e->fun->kind != AST_ATOM)
        return NULL;
    const char *f = erl_atom_name(e->fun->name);
    bool local = !e->mod;
    bool erlang = e->mod && e->mod->kind == AST_ATOM && e->mod->name == AM_erlang;
    if (!strcmp(f, "record_info") && local && e->n == 2 && e->elems[0]->kind == AST_ATOM &&
        e->elems[1]->kind == AST_ATOM) {
        const RecordDef *d = records_find(x->rt, e->elems[1]->name);
        const char *what = erl_atom_name(e->elems[0]->name);
        if (!d)
            return NULL;
        if (!strcmp(what, "size"))
            return int_node(x, d->nfields + 1, e);
        if (strcmp(what, "fields"))
            return NULL;
        Ast *list = new_node(x, AST_NIL, e);
        for (int i = d->nfields; i > 0; i--) {
            Ast *c = new_node(x, AST_CONS, e);
            c->left = atom_node(x, d->fields[i - 1], e);
            c->right = list;
            list = c;
        }
        return list;
    }
    if (strcmp(f, "is_record") || !(local || erlang) || (e->n != 2 && e->n != 3))
        return NULL;
    Ast *c = copy_node(x, e);
    c->mod = NULL;
    Ast **args = expand_list(x, e->elems, e->n, false);
    c->elems = args ? args : e->elems;
    if (e->n == 2 && e->elems[1]->kind == AST_ATOM) {
        const RecordDef *d = records_find(x->rt, e->elems[1]->name);
        if (d) {
            Ast **three = arena_alloc(x->a, 3 * sizeof *three);
            three[0] = c->elems[0];
            three[1] = c->elems[1];
            three[2] = int_node(x, d->nfields + 1, e->elems[1]);
            c->elems = three;
            c->n = 3;
        }
    }
    return c;
}

static Ast *expand(Expand *x, Ast *e, bool pattern)
{
    if (!e)
        return NULL;
    const RecordDef *d;
    switch (e->kind) {
    case AST_RECORD:
        if (!(d = records_find(x->rt, e->name)))
            return e;
        return e->left ? update_record(x, e, d) : new_record(x, e, d, pattern);
    case AST_RECORD_INDEX:
        if (!(d = records_find(x->rt, e->name)))
            return e;
        return int_node(x, records_field_pos(d, e->right->name), e);
    case AST_RECORD_GET: {
        if (!(d = records_find(x->rt, e->name)))
            return e;
        Ast *g = copy_node(x, e);
        g->left = expand(x, e->left, false);
        g->ival = records_field_pos(d, e->right->name);
        g->n = d->nfields + 1;
        return g;
    }
    case AST_CALL: {
        Ast *r = record_call(x, e);
        if (r)
            return r;
        break;
    }
    default:
        break;
    }
    /* any other node: expanded children, copied only when one changed */
    bool lpat = pattern, rpat = pattern;
    if (e->kind == AST_MATCH || e->kind == AST_GENERATE)
        lpat = true; /* Pattern = Expr, Pattern <- List */
    if (e->kind == AST_GENERATE || e->kind == AST_BIN_ELEM)
        rpat = false; /* the list; a segment's size */
    Ast *left = expand(x, e->left, lpat);
    Ast *right = expand(x, e->right, rpat);
    Ast *mod = expand(x, e->mod, false), *fun = expand(x, e->fun, false);
    Ast *after = expand(x, e->after, false), *after_body = expand(x, e->after_body, false);
    Ast **elems = NULL;
    AstClause *clauses = NULL, *catches = NULL;
    switch (e->kind) {
    case AST_CASE:
    case AST_IF:
    case AST_RECEIVE:
    case AST_FUN:
    case AST_TRY:
        clauses = expand_clauses(x, e->clauses, e->n);
        catches = expand_clauses(x, e->catches, e->ncatches);
        break;
    case AST_BIN_ELEM:
        break;
    default:
        if (e->elems)
            elems = expand_list(x, e->elems, e->n, pattern);
        break;
    }
    if (left == e->left && right == e->right && mod == e->mod && fun == e->fun && after == e->after &&
        after_body == e->after_body && !elems && !clauses && !catches)
        return e;
    Ast *c = copy_node(x, e);
    c->left = left, c->right = right, c->mod = mod, c->fun = fun;
    c->after = after, c->after_body = after_body;
    if (elems)
        c->elems = elems;
    if (clauses)
        c->clauses = clauses;
    if (catches)
        c->catches = catches;
    return c;
}

Ast *records_expand(const Records *rt, Ast *e, Arena *a)
{
    Expand x = {rt, a};
    return expand(&x, e, false);
}

/* ============================================================ commands */

bool records_is_rd(const Ast *e)
{
    return e->kind == AST_CALL && !e->mod && e->fun->kind == AST_ATOM && !strcmp(erl_atom_name(e->fun->name), "rd") &&
           e->n == 2;
}

static __attribute__((noreturn)) void rd_exit(const char *why)
{
    exc_raise(AM_exit, term_string(heap_current(), why, strlen(why)), ERL_NONE);
}

Term records_rd(Records *rt, const Ast *name, const Ast *def)
{
    if (name->kind != AST_ATOM) {
        Heap *h = heap_current();
        Term where = term_tuple(h, 3, (Term[]){AM_shell, erl_atom("rd"), erl_mk_int(2)});
        exc_raise(AM_error, AM_function_clause, where);
    }
    if (def->kind != AST_TUPLE)
        rd_exit("bad record declaration");
    for (int i = 0; i < def->n; i++) {
        const Ast *f = def->elems[i];
        if (f->kind != AST_ATOM && !(f->kind == AST_MATCH && f->left->kind == AST_ATOM))
            rd_exit("bad record field");
    }
    RecordDef *d = xcalloc(1, sizeof *d);
    d->name = name->name;
    d->nfields = def->n;
    d->fields = xmalloc((size_t)(def->n ? def->n : 1) * sizeof *d->fields);
    d->defaults = xcalloc((size_t)(def->n ? def->n : 1), sizeof *d->defaults);
    Bindings none;
    bindings_init(&none);
    for (int i = 0; i < def->n; i++) {
        const Ast *f = def->elems[i];
        Term fname = f->kind == AST_ATOM ? f->name : f->left->name;
        char *msg = NULL;
        for (int k = 0; k < i && !msg; k++)
            if (d->fields[k] == fname) {
                Buf b = {0};
                buf_puts(&b, "field ");
                print_atom(&b, fname);
                buf_puts(&b, " already defined in record ");
                print_atom(&b, d->name);
                msg = buf_take(&b);
            }
        if (!msg && f->kind == AST_MATCH) {
            /* a default sees no variables: erl checks it as a module's */
            Ast *v = f->right;
            char *m = lint_run(&v, 1, &none, rt);
            if (m) {
                const char *text = strstr(m, ": "); /* after "* L:C" */
                msg = xstrdup(text ? text + 2 : m);
                free(m);
            }
        }
        if (msg) {
            def_free(d);
            Term why = term_string(heap_current(), msg, strlen(msg));
            free(msg);
            exc_raise(AM_exit, why, ERL_NONE);
        }
        d->fields[i] = fname;
        if (f->kind == AST_MATCH)
            d->defaults[i] = ast_clone(&d->arena, f->right);
    }
    records_put(rt, d);
    return d->name;
}

/* erl_pp's -record(Name,{...}). on one line when it fits in 72 columns,
** else the fields under the first: one with a default on a line of its
** own, the others filling the lines as far as they go. */
static void put_definition(Buf *out, const RecordDef *d)
{
    size_t start = out->len;
    buf_puts(out, "-record(");
    print_atom(out, d->name);
    buf_puts(out, ",{");
    size_t indent = out->len - start, col = indent, total = indent + 1;
    char **text = xmalloc((size_t)(d->nfields ? d->nfields : 1) * sizeof *text);
    for (int i = 0; i < d->nfields; i++) {
        Buf f = {0};
        print_atom(&f, d->fields[i]);
        if (d->defaults[i]) {
            /* as one expression of a command, so a block prints as begin ... end */
            Ast one = {.kind = AST_BLOCK, .n = 1, .elems = &d->defaults[i]};
            buf_puts(&f, " = ");
            cmdhist_text(&f, &one, 0, NULL);
        }
        text[i] = buf_take(&f);
        total += strlen(text[i]) + (i ? 2 : 0);
    }
    for (int i = 0; i < d->nfields; i++) {
        size_t len = strlen(text[i]) + 1; /* with its ',' or '}' */
        if (i > 0) {
            bool plain = !d->defaults[i] && !d->defaults[i - 1];
            buf_putc(out, ',');
            if (total <= 72 || (plain && col + 1 + len <= 72)) {
                buf_putc(out, ' ');
                col += 1;
            } else {
                buf_printf(out, "\n%*s", (int)indent, "");
                col = indent;
            }
        }
        buf_puts(out, text[i]);
        col += len;
        free(text[i]);
    }
    buf_puts(out, "}).\n");
    free(text);
}

static void list_definitions(Records *rt, Term names)
{
    Buf out = {0};
    if (names == ERL_NONE) {
        for (size_t i = 0; rt && i < rt->n; i++)
            put_definition(&out, rt->v[i]);
    } else {
        Term l = erl_is_list(names) ? names : erl_cons(names, ERL_NIL);
        for (; erl_is_cons(l); l = erl_tl(l)) {
            const RecordDef *d = records_find(rt, erl_hd(l));
            if (d)
                put_definition(&out, d);
        }
    }
    shell_print(buf_str(&out));
    buf_free(&out);
}

bool records_command(Records *rt, Term name, int argc, const Term *argv, Term *out)
{
    const char *n = erl_atom_name(name);
    if (!strcmp(n, "rf") && argc <= 1) {
        if (argc == 0 || argv[0] == erl_atom("_")) {
            if (rt)
                records_destroy(rt);
        } else if (rt) {
            Term l = erl_is_list(argv[0]) ? argv[0] : erl_cons(argv[0], ERL_NIL);
            for (; erl_is_cons(l); l = erl_tl(l))
                records_forget(rt, erl_hd(l));
        }
        *out = argc == 0 ? ERL_NIL : AM_ok;
        return true;
    }
    if (!strcmp(n, "rl") && argc <= 1) {
        list_definitions(rt, argc ? argv[0] : ERL_NONE);
        *out = AM_ok;
        return true;
    }
    if (!strcmp(n, "rp") && argc == 1) {
        Buf b = {0};
        print_pretty_shell(&b, argv[0], 1, -1);
        buf_putc(&b, '\n');
        shell_print(buf_str(&b));
        buf_free(&b);
        *out = AM_ok;
        return true;
    }
    return false;
}
