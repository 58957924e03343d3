/*
** parser.c
** Recursive descent over one command's tokens, accepting exactly the
** prefixes erl's grammar accepts, so a syntax error names the same token.
*/
#include "parser.h"
#include "../runtime/buf.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct Parser {
    Token *toks;
    size_t n, pos;
    Arena *arena;
    Buf msg;        /* the error, once there is one */
    jmp_buf fail;   /* taken on the first error */
    long depth;     /* levels of the tree above the node being parsed */
    Term named;     /* the name of the named fun whose clauses are parsed */
} Parser;

/* A command whose tree is deeper than this is refused with a clear error
** (the lexer refuses most such commands before they are scanned whole).
** Nesting, each element of a list literal and each operator of a chain all
** count: each is one more level of the tree. */
enum { PARSE_MAX_DEPTH = LEXER_MAX_NESTING };

/* ============================================================ helpers */

static Token *cur(Parser *p)
{
    return &p->toks[p->pos];
}

static bool at(Parser *p, const char *sym)
{
    Token *t = cur(p);
    return t->kind == TOK_SYM && strcmp(t->sym, sym) == 0;
}

static __attribute__((noreturn)) void syntax_error(Parser *p)
{
    Token *t = cur(p);
    buf_printf(&p->msg, "* %d:%d: syntax error before: ", t->line, t->col);
    lexer_token_text(&p->msg, t);
    longjmp(p->fail, 1);
}

/* An error erl's parser reports with its own words at token t. */
static __attribute__((noreturn)) void fail_at(Parser *p, const Token *t, const char *what)
{
    buf_printf(&p->msg, "* %d:%d: %s", t->line, t->col, what);
    longjmp(p->fail, 1);
}

static __attribute__((noreturn)) void unsupported(Parser *p, const char *what)
{
    Token *t = cur(p);
    buf_printf(&p->msg, "* %d:%d: %s not supported by cerl", t->line, t->col, what);
    longjmp(p->fail, 1);
}

/* One more level of the tree; refuses the command past PARSE_MAX_DEPTH. */
static void deeper(Parser *p)
{
    if (++p->depth <= PARSE_MAX_DEPTH)
        return;
    Token *t = cur(p);
    buf_printf(&p->msg, "* %d:%d: expression nested too deeply (more than %d levels)", t->line, t->col,
               (int)PARSE_MAX_DEPTH);
    longjmp(p->fail, 1);
}

static void expect(Parser *p, const char *sym)
{
    if (!at(p, sym))
        syntax_error(p);
    p->pos++;
}

static Ast *node(Parser *p, AstKind kind, const Token *at_tok)
{
    Ast *a = arena_alloc(p->arena, sizeof *a);
    a->kind = kind;
    a->line = at_tok->line;
    a->col = at_tok->col;
    return a;
}

/* Growable array of nodes in the arena (a syntax error longjmps out of
** any number of these, so none may own malloc'd memory). */
typedef struct NodeList {
    Ast **v;
    int n, cap;
} NodeList;

static void push(Parser *p, NodeList *l, Ast *a)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 8;
        Ast **v = arena_alloc(p->arena, (size_t)cap * sizeof *v);
        if (l->n)
            memcpy(v, l->v, (size_t)l->n * sizeof *v);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = a;
}

/* ========================================================= operators */

enum Assoc { LEFT, RIGHT, NONASSOC };

typedef struct BinOp {
    const char *sym;
    int prec;
    enum Assoc assoc;
} BinOp;

/* erl_parse.yrl's precedence declarations. */
static const BinOp binops[] = {
    {"=", 100, RIGHT},     {"!", 100, RIGHT},       {"orelse", 150, RIGHT},
    {"andalso", 160, RIGHT}, {"==", 200, NONASSOC}, {"/=", 200, NONASSOC},
    {"=<", 200, NONASSOC}, {"<", 200, NONASSOC},    {">=", 200, NONASSOC},
    {">", 200, NONASSOC},  {"=:=", 200, NONASSOC},  {"=/=", 200, NONASSOC},
    {"++", 300, RIGHT},    {"--", 300, RIGHT},      {"+", 400, LEFT},
    {"-", 400, LEFT},      {"bor", 400, LEFT},      {"bxor", 400, LEFT},
    {"bsl", 400, LEFT},    {"bsr", 400, LEFT},      {"or", 400, LEFT},
    {"xor", 400, LEFT},    {"/", 500, LEFT},        {"*", 500, LEFT},
    {"div", 500, LEFT},    {"rem", 500, LEFT},      {"band", 500, LEFT},
    {"and", 500, LEFT},    {NULL, 0, LEFT}};

static const BinOp *binop(Parser *p)
{
    Token *t = cur(p);
    if (t->kind != TOK_SYM)
        return NULL;
    for (int i = 0; binops[i].sym; i++)
        if (strcmp(binops[i].sym, t->sym) == 0)
            return &binops[i];
    return NULL;
}

static bool at_prefix_op(Parser *p)
{
    return at(p, "-") || at(p, "+") || at(p, "not") || at(p, "bnot");
}

/* ======================================================= expressions */

static Ast *parse_expr(Parser *p);
static Ast *parse_max(Parser *p);

/* expr (',' expr)* as an AST_BLOCK positioned at its first expression. */
static Ast *parse_exprs(Parser *p)
{
    NodeList l = {0};
    Token *first = cur(p);
    push(p, &l, parse_expr(p));
    while (at(p, ",")) {
        p->pos++;
        push(p, &l, parse_expr(p));
    }
    Ast *b = node(p, AST_BLOCK, first);
    b->n = l.n;
    b->elems = l.v;
    return b;
}

/* [expr (',' expr)*] 'close', into a->n / a->elems (the opening token is
** already consumed). */
static void parse_seq(Parser *p, const char *close, Ast *a)
{
    NodeList l = {0};
    if (!at(p, close)) {
        push(p, &l, parse_expr(p));
        while (at(p, ",")) {
            p->pos++;
            push(p, &l, parse_expr(p));
        }
    }
    if (!at(p, close))
        syntax_error(p);
    p->pos++;
    a->n = l.n;
    a->elems = l.v;
}

/* '(' [expr (',' expr)*] ')' */
static void parse_args(Parser *p, Ast *call)
{
    expect(p, "(");
    parse_seq(p, ")", call);
}

/* '{' [K => V | K := V, ...] '}' after the '#' at 'hash': a new map (base
** NULL) or an update of base. */
static Ast *parse_map(Parser *p, Token *hash, Ast *base)
{
    Ast *m = node(p, AST_MAP, hash);
    m->left = base;
    p->pos++; /* '{' */
    if (at(p, "}")) {
        p->pos++;
        return m;
    }
    NodeList fields = {0};
    for (;;) {
        Ast *key = parse_expr(p);
        Token *op = cur(p);
        bool exact = at(p, ":=");
        if (!exact && !at(p, "=>"))
            syntax_error(p);
        p->pos++;
        Ast *f = node(p, AST_MAP_FIELD, op);
        f->left = key;
        f->right = parse_expr(p);
        f->ival = exact;
        push(p, &fields, f);
        if (at(p, "}"))
            break;
        if (!at(p, ","))
            syntax_error(p);
        p->pos++;
    }
    p->pos++;
    m->elems = fields.v;
    m->n = fields.n;
    return m;
}

/* After '#' Name at 'hash' (the '#' consumed, at Name): '.' Field, or
** '{' [F = V (',' F = V)*] '}' where F is an atom or a variable (the check
** refuses any but '_'). base is the record read or updated (NULL:
** #Name.Field, a new record). */
static Ast *parse_record(Parser *p, Token *hash, Ast *base)
{
    Token *name = cur(p);
    if (name->kind != TOK_ATOM)
        syntax_error(p);
    p->pos++;
    if (at(p, ".")) {
        p->pos++;
        Token *f = cur(p);
        if (f->kind != TOK_ATOM)
            syntax_error(p);
        p->pos++;
        Ast *r = node(p, base ? AST_RECORD_GET : AST_RECORD_INDEX, hash);
        r->name = name->atom;
        r->left = base;
        r->right = node(p, AST_ATOM, f);
        r->right->name = f->atom;
        return r;
    }
    expect(p, "{");
    Ast *r = node(p, AST_RECORD, hash);
    r->name = name->atom;
    r->left = base;
    NodeList fields = {0};
    while (!at(p, "}")) {
        if (fields.n)
            expect(p, ",");
        Token *ft = cur(p);
        if (ft->kind != TOK_ATOM && ft->kind != TOK_VAR)
            syntax_error(p);
        p->pos++;
        Token *eq = cur(p);
        expect(p, "=");
        Ast *f = node(p, AST_RECORD_FIELD, eq);
        f->left = node(p, ft->kind == TOK_VAR ? AST_VAR : AST_ATOM, ft);
        f->left->name = ft->atom;
        f->line = ft->line; /* erl places a field at its name */
        f->col = ft->col;
        f->right = parse_expr(p);
        push(p, &fields, f);
    }
    p->pos++;
    r->n = fields.n;
    r->elems = fields.v;
    return r;
}

/* erl's expr_700 and below it: a record expression (#Name{...}, #Name.F,
** E#Name{...}, E#Name.F, chained), a map expression (#{...}, E#{...},
** chained), or expr_remote [argument_list]. A call takes no '#' suffix. */
static Ast *parse_postfix(Parser *p)
{
    Token *first = cur(p);
    Ast *e;
    enum { CHAIN_ANY, CHAIN_MAP, CHAIN_RECORD } chain = CHAIN_ANY;
    if (at(p, "#") && p->toks[p->pos + 1].kind == TOK_ATOM) {
        p->pos++;
        e = parse_record(p, first, NULL);
        chain = CHAIN_RECORD;
    } else {
        e = parse_max(p);
        if (first->kind == TOK_SYM && !strcmp(first->sym, "#"))
            chain = CHAIN_MAP;
        if (at(p, ":")) {
            Token *colon = cur(p);
            p->pos++;
            Ast *r = node(p, AST_REMOTE, colon);
            r->mod = e;
            r->fun = parse_max(p);
            e = r;
        }
        if (at(p, "(")) {
            Ast *c = node(p, AST_CALL, first);
            if (e->kind == AST_REMOTE) {
                c->mod = e->mod;
                c->fun = e->fun;
            } else {
                c->fun = e;
            }
            parse_args(p, c);
            return c;
        }
        if (e->kind == AST_REMOTE)
            return e;
    }
    long depth0 = p->depth;
    while (at(p, "#")) {
        Token *hash = cur(p);
        p->pos++;
        deeper(p); /* each suffix is one more level */
        if (chain == CHAIN_ANY)
            chain = at(p, "{") ? CHAIN_MAP : CHAIN_RECORD;
        if (chain == CHAIN_MAP) {
            if (!at(p, "{"))
                syntax_error(p);
            e = parse_map(p, hash, e);
        } else {
            e = parse_record(p, hash, e);
        }
    }
    p->depth = depth0;
    return e;
}

/* catch expr | prefix_op operand | postfix */
static Ast *parse_unary_(Parser *p);

static Ast *parse_unary(Parser *p)
{
    deeper(p);
    Ast *e = parse_unary_(p);
    p->depth--;
    return e;
}

static Ast *parse_unary_(Parser *p)
{
    Token *t = cur(p);
    if (at(p, "catch")) {
        p->pos++;
        Ast *c = node(p, AST_CATCH, t);
        c->left = parse_expr(p);
        return c;
    }
    if (at_prefix_op(p)) {
        p->pos++;
        Ast *o = node(p, AST_OP, t);
        o->name = erl_atom(t->sym);
        o->right = parse_unary(p);
        return o;
    }
    return parse_postfix(p);
}

/* Precedence climbing over the binary operators of precedence >= min. */
static Ast *parse_binary(Parser *p, int min)
{
    Ast *left = parse_unary(p);
    long depth0 = p->depth;
    for (;;) {
        const BinOp *op = binop(p);
        if (!op || op->prec < min) {
            p->depth = depth0;
            return left;
        }
        Token *t = cur(p);
        p->pos++;
        deeper(p); /* a chain a + b + c nests to the left */
        Ast *right = parse_binary(p, op->assoc == RIGHT ? op->prec : op->prec + 1);
        Ast *o;
        if (op->prec == 100 && op->sym[0] == '=') {
            o = node(p, AST_MATCH, t);
            o->line = left->line; /* erl places a match at its pattern */
            o->col = left->col;
        } else if (op->prec == 150) {
            o = node(p, AST_ORELSE, t);
        } else if (op->prec == 160) {
            o = node(p, AST_ANDALSO, t);
        } else {
            o = node(p, AST_OP, t);
            o->name = erl_atom(op->sym);
        }
        o->left = left;
        o->right = right;
        left = o;
        if (op->assoc == NONASSOC) {
            const BinOp *next = binop(p);
            if (next && next->prec == op->prec)
                syntax_error(p);
        }
    }
}

static Ast *parse_expr(Parser *p)
{
    return parse_binary(p, 100);
}

/* ============================================================ clauses */

/* guard: exprs (';' exprs)* */
static void parse_guard(Parser *p, AstClause *c)
{
    NodeList l = {0};
    push(p, &l, parse_exprs(p));
    while (at(p, ";")) {
        p->pos++;
        push(p, &l, parse_exprs(p));
    }
    c->nguards = l.n;
    c->guards = l.v;
}

/* One clause: [pattern] ['when' guard] '->' exprs. An if clause has a
** guard and no pattern. */
static void parse_clause(Parser *p, AstClause *c, bool is_if)
{
    if (is_if) {
        parse_guard(p, c);
    } else {
        c->pattern = parse_expr(p);
        if (at(p, "when")) {
            p->pos++;
            parse_guard(p, c);
        }
    }
    expect(p, "->");
    c->body = parse_exprs(p);
}

/* How one kind of clause is read (case/if/receive, fun head, catch). */
typedef void (*ClauseParser)(Parser *p, AstClause *c, bool is_if);

/* clause (';' clause)*: the clauses, *n of them, in the command's arena. */
static AstClause *parse_clause_list(Parser *p, ClauseParser one, bool is_if, int *n)
{
    int cap = 0;
    AstClause *v = NULL;
    *n = 0;
    for (;;) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 4;
            AstClause *bigger = arena_alloc(p->arena, (size_t)cap * sizeof *v);
            if (*n)
                memcpy(bigger, v, (size_t)*n * sizeof *v);
            v = bigger;
        }
        memset(&v[*n], 0, sizeof *v);
        one(p, &v[(*n)++], is_if);
        if (!at(p, ";"))
            return v;
        p->pos++;
    }
}

/* clause (';' clause)* into node->clauses. */
static void parse_clauses(Parser *p, Ast *a, bool is_if)
{
    a->clauses = parse_clause_list(p, parse_clause, is_if, &a->n);
}

/* One fun clause: '(' args ')' ['when' guard] '->' exprs. Its pattern is
** the tuple of its argument patterns. */
static void parse_fun_clause(Parser *p, AstClause *c, bool unused)
{
    (void)unused;
    Ast *args = node(p, AST_TUPLE, &p->toks[p->pos]);
    expect(p, "(");
    parse_seq(p, ")", args);
    c->pattern = args;
    if (at(p, "when")) {
        p->pos++;
        parse_guard(p, c);
    }
    expect(p, "->");
    c->body = parse_exprs(p);
}

/* One clause of a named fun: Name '(' args ')' ... with the fun's own name
** (kept in the AST_FUN being built, p->named). */
static void parse_named_fun_clause(Parser *p, AstClause *c, bool unused)
{
    Token *name = cur(p);
    if (name->kind != TOK_VAR)
        syntax_error(p);
    if (name->atom != p->named)
        fail_at(p, name, "head mismatch");
    p->pos++;
    parse_fun_clause(p, c, unused);
}

/* One catch clause: [Class ':'] Reason [':' Stack] ['when' guard] -> body,
** its pattern made the tuple {Class, Reason, Stack} (Class throw and Stack
** _ when not written). */
static void parse_catch_clause(Parser *p, AstClause *c, bool unused)
{
    (void)unused;
    Token *t = cur(p);
    Ast *e = parse_expr(p);
    Ast *cls, *reason, *stack;
    if (e->kind == AST_REMOTE) {
        cls = e->mod;
        reason = e->fun;
    } else {
        cls = node(p, AST_ATOM, t);
        cls->name = erl_atom("throw");
        reason = e;
    }
    if (at(p, ":")) {
        p->pos++;
        stack = parse_max(p);
    } else {
        stack = node(p, AST_VAR, t);
        stack->name = erl_atom("_");
    }
    Ast *tuple = node(p, AST_TUPLE, t);
    tuple->n = 3;
    tuple->elems = arena_alloc(p->arena, 3 * sizeof *tuple->elems);
    tuple->elems[0] = cls;
    tuple->elems[1] = reason;
    tuple->elems[2] = stack;
    c->pattern = tuple;
    if (at(p, "when")) {
        p->pos++;
        parse_guard(p, c);
    }
    expect(p, "->");
    c->body = parse_exprs(p);
}

/* try Exprs [of Clauses] [catch CatchClauses] [after Exprs] end, with at
** least one of catch and after. */
static Ast *parse_try(Parser *p, Token *t)
{
    Ast *a = node(p, AST_TRY, t);
    a->left = parse_exprs(p);
    if (at(p, "of")) {
        p->pos++;
        a->ival = 1;
        parse_clauses(p, a, false);
    }
    if (at(p, "catch")) {
        p->pos++;
        a->catches = parse_clause_list(p, parse_catch_clause, false, &a->ncatches);
    }
    if (at(p, "after")) {
        p->pos++;
        a->after_body = parse_exprs(p);
    }
    if (!a->ncatches && !a->after_body)
        syntax_error(p);
    expect(p, "end");
    return a;
}

/* ========================================================== primaries */

/* [Head || Q1, Q2, ...] with '[' Head consumed, at '||'. A qualifier is a
** generator Pattern <- List or a filter expression. */
static Ast *parse_comprehension(Parser *p, Token *open, Ast *head)
{
    Ast *lc = node(p, AST_LC, open);
    lc->left = head;
    NodeList l = {0};
    do {
        p->pos++; /* '||' or ',' */
        Token *t = cur(p);
        Ast *q = parse_expr(p);
        if (at(p, "<-")) {
            Ast *g = node(p, AST_GENERATE, t);
            p->pos++;
            g->left = q;
            g->right = parse_expr(p);
            q = g;
        } else if (at(p, "<=")) {
            unsupported(p, "binary generators are");
        }
        push(p, &l, q);
    } while (at(p, ","));
    expect(p, "]");
    lc->n = l.n;
    lc->elems = l.v;
    return lc;
}

/* '[' already consumed: ']' | expr tail */
static Ast *parse_list(Parser *p, Token *open)
{
    if (at(p, "]")) {
        p->pos++;
        return node(p, AST_NIL, open);
    }
    Ast *head = parse_expr(p);
    if (at(p, "||"))
        return parse_comprehension(p, open, head);
    Ast *c = node(p, AST_CONS, open);
    c->left = head;
    Ast *last = c;
    long depth0 = p->depth;
    for (;;) {
        Token *t = cur(p);
        if (at(p, "]")) {
            p->pos++;
            last->right = node(p, AST_NIL, t);
            p->depth = depth0;
            return c;
        }
        if (at(p, "|")) {
            p->pos++;
            last->right = parse_expr(p);
            expect(p, "]");
            p->depth = depth0;
            return c;
        }
        if (!at(p, ","))
            syntax_error(p);
        p->pos++;
        deeper(p); /* each element is one more cons cell down */
        Ast *next = node(p, AST_CONS, cur(p));
        next->left = parse_expr(p);
        last->right = next;
        last = next;
    }
}

/* bin_element: [prefix_op] expr_max [':' expr_max] ['/' type ('-' type)*] */
static Ast *parse_bin_elem(Parser *p)
{
    Token *t = cur(p);
    Ast *e = node(p, AST_BIN_ELEM, t);
    if (at_prefix_op(p)) {
        p->pos++;
        Ast *o = node(p, AST_OP, t);
        o->name = erl_atom(t->sym);
        o->right = parse_max(p);
        e->left = o;
    } else {
        e->left = parse_max(p);
    }
    if (at(p, ":")) {
        p->pos++;
        e->right = parse_max(p);
    }
    if (at(p, "/")) {
        p->pos++;
        Term types[16];
        int n = 0;
        for (;;) {
            if (cur(p)->kind != TOK_ATOM)
                syntax_error(p);
            Term ty = cur(p)->atom;
            p->pos++;
            if (at(p, ":")) { /* unit:N */
                p->pos++;
                if (cur(p)->kind != TOK_INT)
                    syntax_error(p);
                p->pos++;
            }
            if (n < 16)
                types[n++] = ty;
            if (!at(p, "-"))
                break;
            p->pos++;
        }
        e->n = n;
        e->types = arena_alloc(p->arena, (size_t)n * sizeof(Term));
        memcpy(e->types, types, (size_t)n * sizeof(Term));
    }
    return e;
}

/* '<<' already consumed */
static Ast *parse_binary_lit(Parser *p, Token *open)
{
    Ast *b = node(p, AST_BIN, open);
    NodeList l = {0};
    if (!at(p, ">>")) {
        push(p, &l, parse_bin_elem(p));
        if (at(p, "||")) {
            unsupported(p, "binary comprehensions are");
        }
        while (at(p, ",")) {
            p->pos++;
            push(p, &l, parse_bin_elem(p));
        }
    }
    if (!at(p, ">>")) {
        syntax_error(p);
    }
    p->pos++;
    b->n = l.n;
    b->elems = l.v;
    return b;
}

/* Adjacent string literals, joined. */
static Ast *parse_strings(Parser *p)
{
    Token *first = cur(p);
    size_t total = 0, i = p->pos;
    for (; p->toks[i].kind == TOK_STRING; i++)
        total += p->toks[i].len;
    uint32_t *codes = arena_alloc(p->arena, (total ? total : 1) * sizeof *codes);
    size_t k = 0;
    for (; cur(p)->kind == TOK_STRING; p->pos++) {
        memcpy(codes + k, cur(p)->str, cur(p)->len * sizeof *codes);
        k += cur(p)->len;
    }
    Ast *s = node(p, AST_STRING, first);
    s->str = codes;
    s->len = total;
    return s;
}

static Ast *parse_max(Parser *p)
{
    Token *t = cur(p);
    Ast *a;
    switch (t->kind) {
    case TOK_VAR:
    case TOK_ATOM:
        a = node(p, t->kind == TOK_VAR ? AST_VAR : AST_ATOM, t);
        a->name = t->atom;
        p->pos++;
        return a;
    case TOK_INT:
    case TOK_CHAR:
        a = node(p, AST_INT, t);
        a->ival = t->ival;
        a->digits = t->digits;
        p->pos++;
        return a;
    case TOK_FLOAT:
        a = node(p, AST_FLOAT, t);
        a->fval = t->fval;
        p->pos++;
        return a;
    case TOK_STRING:
        return parse_strings(p);
    case TOK_SYM:
        break;
    default:
        syntax_error(p);
    }
    if (at(p, "(")) {
        p->pos++;
        a = parse_expr(p);
        expect(p, ")");
        return a;
    }
    if (at(p, "{")) {
        p->pos++;
        a = node(p, AST_TUPLE, t);
        parse_seq(p, "}", a);
        return a;
    }
    if (at(p, "[")) {
        p->pos++;
        return parse_list(p, t);
    }
    if (at(p, "<<")) {
        p->pos++;
        return parse_binary_lit(p, t);
    }
    if (at(p, "begin")) {
        p->pos++;
        a = parse_exprs(p);
        expect(p, "end");
        return a;
    }
    if (at(p, "case")) {
        p->pos++;
        a = node(p, AST_CASE, t);
        a->left = parse_expr(p);
        expect(p, "of");
        parse_clauses(p, a, false);
        expect(p, "end");
        return a;
    }
    if (at(p, "if")) {
        p->pos++;
        a = node(p, AST_IF, t);
        parse_clauses(p, a, true);
        expect(p, "end");
        return a;
    }
    if (at(p, "receive")) {
        p->pos++;
        a = node(p, AST_RECEIVE, t);
        if (!at(p, "after"))
            parse_clauses(p, a, false);
        if (at(p, "after")) {
            p->pos++;
            a->after = parse_expr(p);
            expect(p, "->");
            a->after_body = parse_exprs(p);
        }
        expect(p, "end");
        return a;
    }
    if (at(p, "fun") && p->toks[p->pos + 1].kind == TOK_SYM && !strcmp(p->toks[p->pos + 1].sym, "(")) {
        p->pos++;
        a = node(p, AST_FUN, t);
        a->clauses = parse_clause_list(p, parse_fun_clause, false, &a->n);
        expect(p, "end");
        return a;
    }
    if (at(p, "fun") && p->toks[p->pos + 1].kind == TOK_VAR && p->toks[p->pos + 2].kind == TOK_SYM &&
        !strcmp(p->toks[p->pos + 2].sym, "(")) {
        /* fun Name(Args) -> ...; Name(Args) -> ... end: Name is the fun
        ** itself inside its clauses */
        p->pos++;
        a = node(p, AST_FUN, t);
        a->name = cur(p)->atom;
        Term outer = p->named;
        p->named = a->name;
        a->clauses = parse_clause_list(p, parse_named_fun_clause, false, &a->n);
        p->named = outer;
        expect(p, "end");
        return a;
    }
    if (at(p, "fun") && (p->toks[p->pos + 1].kind == TOK_ATOM || p->toks[p->pos + 1].kind == TOK_VAR) &&
        p->toks[p->pos + 2].kind == TOK_SYM && !strcmp(p->toks[p->pos + 2].sym, ":")) {
        /* fun M:F/A */
        p->pos++;
        a = node(p, AST_FUN, t);
        a->mod = parse_max(p);
        expect(p, ":");
        a->fun = parse_max(p);
        expect(p, "/");
        Token *n = &p->toks[p->pos];
        if (n->kind != TOK_INT)
            syntax_error(p);
        p->pos++;
        a->ival = n->ival;
        return a;
    }
    if (at(p, "fun") && p->toks[p->pos + 1].kind == TOK_ATOM && p->toks[p->pos + 2].kind == TOK_SYM &&
        !strcmp(p->toks[p->pos + 2].sym, "/")) {
        /* fun F/A: fun, ival = arity, no mod (the shell has no local
        ** functions: evaluating it raises undef, as erl_eval does) */
        p->pos++;
        a = node(p, AST_FUN, t);
        a->fun = parse_max(p);
        expect(p, "/");
        Token *n = &p->toks[p->pos];
        if (n->kind != TOK_INT)
            syntax_error(p);
        p->pos++;
        a->ival = n->ival;
        return a;
    }
    if (at(p, "try") && p->toks[p->pos + 1].kind != TOK_DOT && p->toks[p->pos + 1].kind != TOK_EOF) {
        p->pos++;
        return parse_try(p, t);
    }
    if (at(p, "fun") || at(p, "try") || at(p, "maybe")) {
        /* report what erl would if the construct cannot even start */
        Token *next = &p->toks[p->pos + 1];
        bool starts = at(p, "fun") ? next->kind == TOK_ATOM || next->kind == TOK_VAR ||
                                         (next->kind == TOK_SYM && !strcmp(next->sym, "("))
                                   : next->kind != TOK_DOT && next->kind != TOK_EOF;
        if (!starts) {
            p->pos++;
            syntax_error(p);
        }
        unsupported(p, at(p, "fun") ? "fun expressions are" : at(p, "try") ? "try expressions are"
                                                                            : "maybe expressions are");
    }
    if (at(p, "#")) {
        p->pos++;
        if (!at(p, "{"))
            syntax_error(p);
        return parse_map(p, t, NULL);
    }
    syntax_error(p);
}

/* ============================================================ command */

ParseStatus parser_parse(const char *text, size_t len, Arena *a, Ast **out, char **msg)
{
    Token *toks;
    size_t n;
    if (!lexer_scan(text, len, a, &toks, &n, msg))
        return PARSE_ERROR;
    if (n == 1 && toks[0].kind == TOK_EOF)
        return PARSE_EMPTY;
    Parser p = {.toks = toks, .n = n, .arena = a};
    if (setjmp(p.fail)) {
        *msg = buf_take(&p.msg);
        return PARSE_ERROR;
    }
    Ast *cmd = parse_exprs(&p);
    if (cur(&p)->kind != TOK_DOT)
        syntax_error(&p);
    *out = cmd;
    return PARSE_OK;
}

/* ============================================================= cloning */

static Ast **clone_list(Arena *a, Ast *const *v, int n)
{
    if (!v || n <= 0)
        return NULL;
    Ast **out = arena_alloc(a, (size_t)n * sizeof *out);
    for (int i = 0; i < n; i++)
        out[i] = ast_clone(a, v[i]);
    return out;
}

static AstClause *clone_clauses(Arena *a, const AstClause *v, int n)
{
    if (!v || n <= 0)
        return NULL;
    AstClause *cl = arena_alloc(a, (size_t)n * sizeof *cl);
    for (int i = 0; i < n; i++) {
        cl[i].pattern = ast_clone(a, v[i].pattern);
        cl[i].nguards = v[i].nguards;
        cl[i].guards = clone_list(a, v[i].guards, v[i].nguards);
        cl[i].body = ast_clone(a, v[i].body);
    }
    return cl;
}

Ast *ast_clone(Arena *a, const Ast *e)
{
    if (!e)
        return NULL;
    Ast *c = arena_alloc(a, sizeof *c);
    *c = *e;
    c->cache = NULL;
    if (e->str && e->len) {
        uint32_t *s = arena_alloc(a, e->len * sizeof *s);
        memcpy(s, e->str, e->len * sizeof *s);
        c->str = s;
    }
    if (e->digits) {
        size_t n = strlen(e->digits) + 1;
        char *d = arena_alloc(a, n);
        memcpy(d, e->digits, n);
        c->digits = d;
    }
    c->left = ast_clone(a, e->left);
    c->right = ast_clone(a, e->right);
    c->mod = ast_clone(a, e->mod);
    c->fun = ast_clone(a, e->fun);
    c->after = ast_clone(a, e->after);
    c->after_body = ast_clone(a, e->after_body);
    switch (e->kind) {
    case AST_BIN_ELEM:
        if (e->types && e->n > 0) {
            Term *t = arena_alloc(a, (size_t)e->n * sizeof *t);
            memcpy(t, e->types, (size_t)e->n * sizeof *t);
            c->types = t;
        }
        break;
    case AST_CASE:
    case AST_IF:
    case AST_RECEIVE:
    case AST_FUN:
    case AST_TRY:
        c->catches = clone_clauses(a, e->catches, e->ncatches);
        c->clauses = clone_clauses(a, e->clauses, e->n);
        break;
    default:
        c->elems = clone_list(a, e->elems, e->n);
        break;
    }
    return c;
}
