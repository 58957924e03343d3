/*
** lint.c
** erl's compile-time check of what is typed: variables used unbound or
** unsafe (bound on some paths only), illegal patterns and expressions.
*/
#include "lint.h"
#include "../runtime/print.h"

#include <setjmp.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* What erl_lint knows about a variable while it walks an expression.
** UNSAFE: bound only on some paths (some clauses of a case, inside a catch,
** right of andalso); using it is an error naming the construct. */
enum VarState { VAR_BOUND, VAR_UNSAFE };

typedef struct LintVar {
    Term name;
    enum VarState state;
    const char *construct; /* VAR_UNSAFE: "case", "catch", ... */
    int line, col;         /* VAR_UNSAFE: where the construct starts */
} LintVar;

/* Invariant: names are distinct. Arrays live in the Lint's arena. */
typedef struct Env {
    LintVar *v;
    size_t n, cap;
} Env;

typedef struct Lint {
    Arena arena;
    Buf msg;
    jmp_buf fail;
    const Records *rt; /* the record definitions (NULL: none) */
} Lint;

static LintVar *env_find(const Env *env, Term name)
{
    for (size_t i = 0; i < env->n; i++)
        if (env->v[i].name == name)
            return &env->v[i];
    return NULL;
}

static void env_add(Lint *L, Env *env, LintVar v)
{
    LintVar *x = env_find(env, v.name);
    if (x) {
        *x = v;
        return;
    }
    if (env->n == env->cap) {
        size_t cap = env->cap ? 2 * env->cap : 16;
        LintVar *bigger = arena_alloc(&L->arena, cap * sizeof *bigger);
        if (env->n)
            memcpy(bigger, env->v, env->n * sizeof *bigger);
        env->v = bigger;
        env->cap = cap;
    }
    env->v[env->n++] = v;
}

static Env env_copy(Lint *L, const Env *env)
{
    Env c = {NULL, 0, 0};
    for (size_t i = 0; i < env->n; i++)
        env_add(L, &c, env->v[i]);
    return c;
}

static __attribute__((noreturn)) void lint_fail(Lint *L, int line, int col, const char *what)
{
    buf_printf(&L->msg, "* %d:%d: %s", line, col, what);
    longjmp(L->fail, 1);
}

static void lint_use(Lint *L, Ast *var, Env *env)
{
    const char *name = erl_atom_name(var->name);
    LintVar *x = env_find(env, var->name);
    if (!x) {
        buf_printf(&L->msg, "* %d:%d: variable '%s' is unbound", var->line, var->col, name);
        longjmp(L->fail, 1);
    }
    if (x->state == VAR_UNSAFE) {
        buf_printf(&L->msg, "* %d:%d: variable '%s' unsafe in '%s' (line %d, column %d)", var->line,
                   var->col, name, x->construct, x->line, x->col);
        longjmp(L->fail, 1);
    }
}

static void lint_expr(Lint *L, Ast *e, Env *env);
static void lint_pattern(Lint *L, Ast *p, Env *env);
static void lint_list(Lint *L, Ast **es, int n, Env *env);

/* Is e a constant expression erl accepts in a pattern (1 + 2, -3)? */
static bool constant_pattern(Ast *e)
{
    switch (e->kind) {
    case AST_INT:
    case AST_FLOAT:
        return true;
    case AST_OP: {
        const char *op = erl_atom_name(e->name);
        if (!strcmp(op, "!") || !strcmp(op, "++") || !strcmp(op, "--"))
            return false;
        return (!e->left || constant_pattern(e->left)) && constant_pattern(e->right);
    }
    default:
        return false;
    }
}

/* ============================================================ records */

/* The definition of record 'name' used at e, or erl's "record p undefined". */
static const RecordDef *lint_record(Lint *L, const Ast *at, Term name)
{
    const RecordDef *d = records_find(L->rt, name);
    if (d)
        return d;
    buf_printf(&L->msg, "* %d:%d: record ", at->line, at->col);
    print_atom(&L->msg, name);
    buf_puts(&L->msg, " undefined");
    longjmp(L->fail, 1);
}

static __attribute__((noreturn)) void lint_field_fail(Lint *L, const Ast *f, const char *what, Term rec)
{
    buf_printf(&L->msg, "* %d:%d: field ", f->line, f->col);
    print_atom(&L->msg, f->name);
    buf_printf(&L->msg, " %s in record ", what);
    print_atom(&L->msg, rec);
    longjmp(L->fail, 1);
}

/* Field f (an AST_ATOM) of record d: "field x undefined in record p". */
static void lint_field(Lint *L, const RecordDef *d, const Ast *f)
{
    if (!records_field_pos(d, f->name))
        lint_field_fail(L, f, "undefined", d->name);
}

/* The field names of #p{...} or E#p{...}, in order, each before its value
** is checked by 'value' (erl_lint's check_fields). */
static void lint_record_fields(Lint *L, Ast *e, const RecordDef *d, Env *env, bool pattern)
{
    size_t before = env->n;
    Env merged = env_copy(L, env);
    for (int i = 0; i < e->n; i++) {
        Ast *f = e->elems[i], *name = f->left;
        if (name->kind == AST_VAR && strcmp(erl_atom_name(name->name), "_")) {
            buf_printf(&L->msg, "* %d:%d: field ", name->line, name->col);
            print_atom(&L->msg, name->name);
            buf_puts(&L->msg, " is not an atom or _ in record ");
            print_atom(&L->msg, d->name);
            longjmp(L->fail, 1);
        }
        for (int k = 0; k < i; k++) {
            Ast *prev = e->elems[k]->left;
            if (prev->kind == name->kind && prev->name == name->name)
                lint_field_fail(L, name, "already defined", d->name);
        }
        if (name->kind == AST_ATOM)
            lint_field(L, d, name);
        else if (e->left) { /* '_' in an update */
            buf_printf(&L->msg, "* %d:%d: meaningless use of _ in update of record ", name->line, name->col);
            print_atom(&L->msg, d->name);
            longjmp(L->fail, 1);
        }
        if (pattern) {
            lint_pattern(L, f->right, env);
            continue;
        }
        Env own = env_copy(L, env);
        lint_expr(L, f->right, &own);
        for (size_t k = before; k < own.n; k++)
            env_add(L, &merged, own.v[k]);
    }
    if (!pattern)
        *env = merged;
}

/* is_record(X, p) and erlang:is_record(X, p) with p undefined; record_info/2.
** Returns true when it checked the whole call. */
static bool lint_record_call(Lint *L, Ast *e, Env *env)
{
    if (e->fun->kind != AST_ATOM)
        return false;
    const char *f = erl_atom_name(e->fun->name);
    if (!e->mod && !strcmp(f, "record_info") && e->n == 2) {
        Ast *what = e->elems[0], *name = e->elems[1];
        if (what->kind != AST_ATOM || name->kind != AST_ATOM) {
            lint_list(L, e->elems, e->n, env);
            lint_fail(L, e->line, e->col, "illegal record info");
        }
        if (strcmp(erl_atom_name(what->name), "fields") && strcmp(erl_atom_name(what->name), "size"))
            lint_fail(L, what->line, what->col, "illegal record info");
        lint_record(L, e, name->name);
        return true;
    }
    bool erlang = e->mod && e->mod->kind == AST_ATOM && e->mod->name == AM_erlang;
    if (strcmp(f, "is_record") || (e->mod && !erlang) || e->n != 2)
        return false;
    lint_list(L, e->elems, e->n, env);
    if (e->elems[1]->kind == AST_ATOM)
        lint_record(L, e->elems[1], e->elems[1]->name);
    return true;
}

/* A pattern: binds its new variables in env. */
/* erl_lint's checks of one bit syntax segment's specifiers: known types,
** no conflicting ones, no size or unit for utf; in a pattern, a binary
** without size only last. */
static void lint_bin_elem(Lint *L, Ast *el, bool pattern, bool last)
{
    static const char *const groups[][8] = {
        {"integer", "float", "binary", "bytes", "bitstring", "bits", "utf8", NULL},
        {"big", "little", "native", NULL},
        {"signed", "unsigned", NULL},
    };
    static const char *const utfs[] = {"utf16", "utf32"};
    const char *seen[3] = {NULL, NULL, NULL};
    bool unit = false;
    char msg[160];
    for (int i = 0; i < el->n; i++) {
        Term ty = el->types[i];
        if (erl_is_int(ty)) {
            if (erl_int_value(ty) < 1 || erl_int_value(ty) > 256) {
                snprintf(msg, sizeof msg, "bit type {unit,%ld} undefined", erl_int_value(ty));
                lint_fail(L, el->line, el->col, msg);
            }
            unit = true;
            continue;
        }
        const char *t = erl_atom_name(ty);
        int g = -1;
        for (int k = 0; k < 3 && g < 0; k++)
            for (int j = 0; groups[k][j]; j++)
                if (!strcmp(groups[k][j], t))
                    g = k;
        if (g < 0 && (!strcmp(t, utfs[0]) || !strcmp(t, utfs[1])))
            g = 0;
        if (g < 0) {
            snprintf(msg, sizeof msg, "bit type %s undefined", t);
            lint_fail(L, el->line, el->col, msg);
        }
        if (seen[g] && strcmp(seen[g], t)) {
            snprintf(msg, sizeof msg, "conflict in %s specification for bit field: '%s' and '%s'",
                     g == 0 ? "type" : g == 1 ? "endianness" : "sign", t, seen[g]);
            lint_fail(L, el->line, el->col, msg);
        }
        seen[g] = t;
    }
    const char *type = seen[0] ? seen[0] : "integer";
    if (!strncmp(type, "utf", 3) && (el->right || unit))
        lint_fail(L, el->line, el->col, "neither size nor unit must be given for segments of type utf8/utf16/utf32");
    bool whole = !strcmp(type, "binary") || !strcmp(type, "bytes") || !strcmp(type, "bitstring") || !strcmp(type, "bits");
    if (pattern && whole && !el->right && !last)
        lint_fail(L, el->line, el->col, "a binary field without size is only allowed at the end of a binary pattern");
}

static void lint_pattern(Lint *L, Ast *p, Env *env)
{
    switch (p->kind) {
    case AST_VAR: {
        if (!strcmp(erl_atom_name(p->name), "_"))
            return;
        LintVar *x = env_find(env, p->name);
        if (x)
            lint_use(L, p, env);
        else
            env_add(L, env, (LintVar){p->name, VAR_BOUND, NULL, 0, 0});
        return;
    }
    case AST_INT:
    case AST_FLOAT:
    case AST_ATOM:
    case AST_STRING:
    case AST_NIL:
        return;
    case AST_TUPLE:
        for (int i = 0; i < p->n; i++)
            lint_pattern(L, p->elems[i], env);
        return;
    case AST_CONS:
        lint_pattern(L, p->left, env);
        lint_pattern(L, p->right, env);
        return;
    case AST_MATCH:
        lint_pattern(L, p->left, env);
        lint_pattern(L, p->right, env);
        return;
    case AST_MAP:
        if (p->left)
            break; /* an update is no pattern */
        for (int i = 0; i < p->n; i++) {
            Ast *f = p->elems[i];
            if (!f->ival)
                lint_fail(L, f->line, f->col, "illegal pattern");
            lint_expr(L, f->left, env); /* a key: bound variables and constants */
            lint_pattern(L, f->right, env);
        }
        return;
    case AST_BIN:
        for (int i = 0; i < p->n; i++) {
            Ast *el = p->elems[i];
            lint_bin_elem(L, el, true, i == p->n - 1);
            if (el->right) {
                if (el->right->kind == AST_VAR)
                    lint_use(L, el->right, env);
                else
                    lint_expr(L, el->right, env); /* a guard expression of bound variables */
            }
            Ast *v = el->left;
            if (v->kind == AST_VAR || v->kind == AST_INT || v->kind == AST_FLOAT || v->kind == AST_STRING)
                lint_pattern(L, v, env);
            else if (!constant_pattern(v))
                lint_fail(L, v->line, v->col, "illegal pattern");
        }
        return;
    case AST_RECORD: {
        if (p->left)
            break; /* an update is no pattern */
        const RecordDef *d = lint_record(L, p, p->name);
        lint_record_fields(L, p, d, env, true);
        return;
    }
    case AST_RECORD_INDEX:
        lint_field(L, lint_record(L, p, p->name), p->right);
        return;
    case AST_OP:
        if (!strcmp(erl_atom_name(p->name), "++") && p->left) {
            Ast *l = p->left;
            while (l->kind == AST_CONS) {
                lint_pattern(L, l->left, env);
                l = l->right;
            }
            if (l->kind == AST_STRING || l->kind == AST_NIL) {
                lint_pattern(L, p->right, env);
                return;
            }
        }
        if (constant_pattern(p))
            return;
        break;
    default:
        break;
    }
    lint_fail(L, p->line, p->col, "illegal pattern");
}

/* A generator's pattern variables are fresh: they shadow outer ones. */
static void shadow_pattern_vars(Lint *L, Ast *p, Env *env)
{
    if (!p)
        return;
    if (p->kind == AST_VAR) {
        if (strcmp(erl_atom_name(p->name), "_"))
            env_add(L, env, (LintVar){p->name, VAR_BOUND, NULL, 0, 0});
        return;
    }
    shadow_pattern_vars(L, p->left, env);
    shadow_pattern_vars(L, p->right, env);
    if (p->kind == AST_TUPLE || p->kind == AST_BIN || p->kind == AST_RECORD)
        for (int i = 0; i < p->n; i++)
            shadow_pattern_vars(L, p->elems[i], env);
}

/* Elements checked each in the same incoming env; what they bind is
** merged into env afterwards (erl_lint's expr_list). */
static void lint_list(Lint *L, Ast **es, int n, Env *env)
{
    size_t before = env->n;
    Env merged = env_copy(L, env);
    for (int i = 0; i < n; i++) {
        Env own = env_copy(L, env);
        lint_expr(L, es[i], &own);
        for (size_t k = before; k < own.n; k++)
            env_add(L, &merged, own.v[k]);
    }
    *env = merged;
}

/* Runs the checks of a branch in a copy of env; new variables go to *out. */
static Env lint_branch(Lint *L, const Env *env)
{
    return env_copy(L, env);
}

/* After the branches of case/if/receive: a variable bound in every branch is
** bound; one bound in only some is unsafe in the construct 'what' at e. */
static void lint_join(Lint *L, Env *env, Env *branches, int nb, const char *what, Ast *e)
{
    size_t before = env->n;
    for (int i = 0; i < nb; i++) {
        for (size_t k = before; k < branches[i].n; k++) {
            LintVar v = branches[i].v[k];
            if (env_find(env, v.name))
                continue;
            bool everywhere = true;
            for (int j = 0; j < nb; j++) {
                LintVar *x = env_find(&branches[j], v.name);
                if (!x || x->state != VAR_BOUND)
                    everywhere = false;
            }
            if (everywhere)
                env_add(L, env, (LintVar){v.name, VAR_BOUND, NULL, 0, 0});
            else
                env_add(L, env, (LintVar){v.name, VAR_UNSAFE, what, e->line, e->col});
        }
    }
}

/* Marks what the sub-environment 'sub' bound beyond env as unsafe in env. */
static void lint_unsafe(Lint *L, Env *env, const Env *sub, const char *what, Ast *e)
{
    size_t before = env->n;
    for (size_t k = before; k < sub->n; k++)
        if (!env_find(env, sub->v[k].name))
            env_add(L, env, (LintVar){sub->v[k].name, VAR_UNSAFE, what, e->line, e->col});
}

/* Is name/arity one of OTP 25's guard BIFs (erl_internal:guard_bif and the
** type tests)? max/2 and min/2 are not: they became guard BIFs in OTP 26. */
static bool guard_bif(const char *name, int arity)
{
    static const struct {
        const char *name;
        int arity;
    } bifs[] = {
        {"abs", 1}, {"binary_part", 2}, {"binary_part", 3}, {"bit_size", 1}, {"byte_size", 1},
        {"ceil", 1}, {"element", 2}, {"float", 1}, {"floor", 1}, {"hd", 1}, {"is_map_key", 2},
        {"length", 1}, {"map_size", 1}, {"map_get", 2}, {"node", 0}, {"node", 1}, {"round", 1},
        {"self", 0}, {"size", 1}, {"tl", 1}, {"trunc", 1}, {"tuple_size", 1},
        {"is_atom", 1}, {"is_binary", 1}, {"is_bitstring", 1}, {"is_boolean", 1},
        {"is_float", 1}, {"is_function", 1}, {"is_function", 2}, {"is_integer", 1},
        {"is_list", 1}, {"is_map", 1}, {"is_number", 1}, {"is_pid", 1}, {"is_port", 1},
        {"is_record", 2}, {"is_record", 3}, {"is_reference", 1}, {"is_tuple", 1},
    };
    for (size_t i = 0; i < sizeof bifs / sizeof *bifs; i++)
        if (bifs[i].arity == arity && !strcmp(bifs[i].name, name))
            return true;
    return false;
}

/* Fails with erl's "illegal guard expression" at the first call in guard
** expression e that is not a guard BIF (local, or erlang:F). */
static void lint_guard_calls(Lint *L, Ast *e)
{
    if (!e)
        return;
    if (e->kind == AST_CALL) {
        bool ok = e->fun->kind == AST_ATOM &&
                  (!e->mod || (e->mod->kind == AST_ATOM && e->mod->name == erl_atom("erlang"))) &&
                  guard_bif(erl_atom_name(e->fun->name), e->n);
        if (!ok)
            lint_fail(L, e->line, e->col, "illegal guard expression");
        for (int i = 0; i < e->n; i++)
            lint_guard_calls(L, e->elems[i]);
        return;
    }
    switch (e->kind) {
    case AST_TUPLE:
    case AST_MAP:
    case AST_RECORD:
        lint_guard_calls(L, e->left);
        for (int i = 0; i < e->n; i++)
            lint_guard_calls(L, e->elems[i]);
        return;
    case AST_CONS:
    case AST_ANDALSO:
    case AST_ORELSE:
    case AST_OP:
    case AST_MAP_FIELD:
        lint_guard_calls(L, e->left);
        lint_guard_calls(L, e->right);
        return;
    default:
        return;
    }
}

static void lint_guards(Lint *L, AstClause *c, const Env *env)
{
    for (int g = 0; g < c->nguards; g++) {
        Env ge = env_copy(L, env);
        for (int i = 0; i < c->guards[g]->n; i++) {
            lint_guard_calls(L, c->guards[g]->elems[i]);
            lint_expr(L, c->guards[g]->elems[i], &ge);
        }
    }
}

static void lint_clauses(Lint *L, Ast *e, Env *env, const char *what)
{
    int nb = e->n + (e->after_body ? 1 : 0);
    Env *branches = arena_alloc(&L->arena, (size_t)(nb ? nb : 1) * sizeof *branches);
    for (int i = 0; i < e->n; i++) {
        AstClause *c = &e->clauses[i];
        branches[i] = lint_branch(L, env);
        if (c->pattern)
            lint_pattern(L, c->pattern, &branches[i]);
        lint_guards(L, c, &branches[i]);
        lint_expr(L, c->body, &branches[i]);
    }
    if (e->after_body) {
        branches[e->n] = lint_branch(L, env);
        lint_expr(L, e->after_body, &branches[e->n]);
    }
    lint_join(L, env, branches, nb, what, e);
}

/* Is e the call f(Var)? erl's shell does not check it (f(X) with X unbound
** is fine). */
bool lint_is_forget_call(const Ast *e)
{
    return e->kind == AST_CALL && !e->mod && e->fun->kind == AST_ATOM &&
           !strcmp(erl_atom_name(e->fun->name), "f") && e->n == 1 && e->elems[0]->kind == AST_VAR;
}

static void lint_expr(Lint *L, Ast *e, Env *env)
{
    switch (e->kind) {
    case AST_INT:
    case AST_FLOAT:
    case AST_ATOM:
    case AST_STRING:
    case AST_NIL:
        return;
    case AST_VAR:
        lint_use(L, e, env);
        return;
    case AST_TUPLE:
    case AST_BIN:
        lint_list(L, e->elems, e->n, env);
        return;
    case AST_MAP: {
        if (!e->left)
            for (int i = 0; i < e->n; i++)
                if (e->elems[i]->ival)
                    lint_fail(L, e->elems[i]->line, e->elems[i]->col,
                              "only association operators '=>' are allowed in map construction");
        if (e->left)
            lint_expr(L, e->left, env);
        lint_list(L, e->elems, e->n, env);
        return;
    }
    case AST_MAP_FIELD: {
        Ast *parts[2] = {e->left, e->right};
        lint_list(L, parts, 2, env);
        return;
    }
    case AST_BIN_ELEM: {
        lint_bin_elem(L, e, false, true);
        Ast *parts[2] = {e->left, e->right};
        lint_list(L, parts, e->right ? 2 : 1, env);
        return;
    }
    case AST_CONS:
    case AST_OP: {
        Ast *parts[2] = {e->left, e->right};
        if (e->left)
            lint_list(L, parts, 2, env);
        else
            lint_expr(L, e->right, env);
        return;
    }
    case AST_MATCH:
        lint_expr(L, e->right, env);
        lint_pattern(L, e->left, env);
        return;
    case AST_ANDALSO:
    case AST_ORELSE: {
        lint_expr(L, e->left, env);
        Env right = env_copy(L, env);
        lint_expr(L, e->right, &right);
        lint_unsafe(L, env, &right, e->kind == AST_ANDALSO ? "andalso" : "orelse", e);
        return;
    }
    case AST_RECORD: {
        if (e->left)
            lint_expr(L, e->left, env);
        const RecordDef *d = lint_record(L, e, e->name);
        lint_record_fields(L, e, d, env, false);
        return;
    }
    case AST_RECORD_GET:
        lint_expr(L, e->left, env);
        lint_field(L, lint_record(L, e, e->name), e->right);
        return;
    case AST_RECORD_INDEX:
        lint_field(L, lint_record(L, e, e->name), e->right);
        return;
    case AST_RECORD_FIELD:
        lint_expr(L, e->right, env);
        return;
    case AST_CALL: {
        if (lint_is_forget_call(e) || lint_record_call(L, e, env))
            return;
        int n = e->n + 1 + (e->mod ? 1 : 0);
        Ast **parts = arena_alloc(&L->arena, (size_t)n * sizeof *parts);
        int k = 0;
        if (e->mod)
            parts[k++] = e->mod;
        parts[k++] = e->fun;
        for (int i = 0; i < e->n; i++)
            parts[k++] = e->elems[i];
        lint_list(L, parts, n, env);
        return;
    }
    case AST_REMOTE:
        lint_fail(L, e->mod->line, e->mod->col, "illegal expression");
    case AST_CATCH: {
        Env inner = env_copy(L, env);
        lint_expr(L, e->left, &inner);
        lint_unsafe(L, env, &inner, "catch", e);
        return;
    }
    case AST_BLOCK:
        for (int i = 0; i < e->n; i++)
            lint_expr(L, e->elems[i], env);
        return;
    case AST_CASE:
        lint_expr(L, e->left, env);
        lint_clauses(L, e, env, "case");
        return;
    case AST_IF:
        lint_clauses(L, e, env, "if");
        return;
    case AST_RECEIVE:
        if (e->after)
            lint_expr(L, e->after, env);
        lint_clauses(L, e, env, "receive");
        return;
    case AST_LC: {
        /* what the qualifiers bind stays inside the comprehension */
        Env inner = env_copy(L, env);
        for (int i = 0; i < e->n; i++) {
            Ast *q = e->elems[i];
            if (q->kind == AST_GENERATE) {
                lint_expr(L, q->right, &inner);
                shadow_pattern_vars(L, q->left, &inner);
                lint_pattern(L, q->left, &inner);
            } else {
                lint_expr(L, q, &inner);
            }
        }
        lint_expr(L, e->left, &inner);
        return;
    }
    case AST_GENERATE:
        lint_expr(L, e->right, env);
        return;
    case AST_TRY: {
        /* erl's shell lets what any part binds be used after the try */
        lint_expr(L, e->left, env);
        int nc = e->n + e->ncatches;
        for (int i = 0; i < nc; i++) {
            AstClause *c = i < e->n ? &e->clauses[i] : &e->catches[i - e->n];
            Env br = lint_branch(L, env);
            lint_pattern(L, c->pattern, &br);
            lint_guards(L, c, &br);
            lint_expr(L, c->body, &br);
            for (size_t k = env->n; k < br.n; k++)
                if (!env_find(env, br.v[k].name))
                    env_add(L, env, (LintVar){br.v[k].name, VAR_BOUND, NULL, 0, 0});
        }
        if (e->after_body)
            lint_expr(L, e->after_body, env);
        return;
    }
    case AST_FUN:
        if (e->mod) { /* fun M:F/A */
            Ast *parts[2] = {e->mod, e->fun};
            lint_list(L, parts, 2, env);
            return;
        }
        /* each clause sees the outer variables; its arguments shadow them;
        ** nothing it binds leaks out */
        for (int i = 0; i < e->n; i++) {
            AstClause *c = &e->clauses[i];
            Env inner = env_copy(L, env);
            if (e->name) /* a named fun's name is the fun itself, inside it */
                env_add(L, &inner, (LintVar){e->name, VAR_BOUND, NULL, 0, 0});
            shadow_pattern_vars(L, c->pattern, &inner);
            lint_pattern(L, c->pattern, &inner);
            lint_guards(L, c, &inner);
            lint_expr(L, c->body, &inner);
        }
        return;
    }
}

char *lint_run(Ast **es, int n, const Bindings *b, const Records *rt)
{
    Lint L;
    memset(&L, 0, sizeof L);
    L.rt = rt;
    Env env = {NULL, 0, 0};
    char *msg = NULL;
    if (setjmp(L.fail)) {
        char *text = buf_take(&L.msg);
        arena_free(&L.arena);
        return text;
    }
    for (size_t i = 0; i < b->n; i++)
        env_add(&L, &env, (LintVar){b->v[i].name, VAR_BOUND, NULL, 0, 0});
    for (int i = 0; i < n; i++) {
        lint_expr(&L, es[i], &env);
        /* the next top-level expression sees what actually got bound */
        for (size_t k = 0; k < env.n; k++)
            env.v[k].state = VAR_BOUND;
    }
    arena_free(&L.arena);
    return msg;
}

