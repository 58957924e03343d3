/*
** parser.h
** The shell's parser: one command's text to an AST of Erlang expressions,
** with erl's operator precedence and erl's syntax error messages.
*/
#ifndef CERL_PARSER_H
#define CERL_PARSER_H

#include "lexer.h"

typedef enum AstKind {
    AST_INT,     /* ival (also $c) */
    AST_FLOAT,   /* fval */
    AST_ATOM,    /* name */
    AST_VAR,     /* name; '_' is the wildcard */
    AST_STRING,  /* str/len: the codes of adjacent string literals joined */
    AST_NIL,     /* [] */
    AST_TUPLE,   /* n, elems */
    AST_CONS,    /* left = head, right = tail ([a,b|T] is a chain of these) */
    AST_BIN,     /* n, elems: each an AST_BIN_ELEM */
    AST_BIN_ELEM,/* left = value, right = size or NULL, n/types = type specifiers (atoms) */
    AST_MATCH,   /* left = pattern, right = expression */
    AST_OP,      /* op applied to left and right; left is NULL for a prefix op
                    (- + not bnot); '!' is an AST_OP too */
    AST_ANDALSO, /* left, right */
    AST_ORELSE,  /* left, right */
    AST_CALL,    /* mod (NULL for a local call) : fun (args) */
    AST_REMOTE,  /* mod:fun without arguments (lint reports it) */
    AST_CATCH,   /* left */
    AST_BLOCK,   /* n, elems: a comma sequence (begin ... end, bodies, commands) */
    AST_CASE,    /* left = subject, n/clauses */
    AST_IF,      /* n/clauses (no patterns) */
    AST_RECEIVE, /* n/clauses; after/after_body when there is an after section */
    AST_TRY,     /* try left [of n/clauses] catch ncatches/catches after after_body end;
                    ival is 1 when there is an 'of' section; each catch clause's
                    pattern is the AST_TUPLE {Class, Reason, Stacktrace} */
    AST_FUN,     /* fun (Args) -> Body; ... end: n/clauses, each pattern an AST_TUPLE;
                    name is the fun's own name in fun Name(Args) -> ... end (0: none)
                    of the arguments; or fun M:F/A: mod, fun and ival = arity, n = 0 */
    AST_LC,      /* [left || elems...]: each qualifier an AST_GENERATE or a filter */
    AST_GENERATE,/* left = pattern <- right = list */
    AST_MAP,     /* #{K => V, K := V}: left = the map updated (NULL for a new
                    map), n/elems = the fields, each an AST_MAP_FIELD */
    AST_MAP_FIELD, /* left = key, right = value; ival 1 for ':=' (the key must
                    exist; the only kind in a pattern), 0 for '=>' */
    /* records (records.h expands them before evaluation) */
    AST_RECORD,  /* #Name{F = V, ...}: name = Name; left = the record updated
                    (E#Name{...}) or NULL for a new record; n/elems = the
                    fields, each an AST_RECORD_FIELD. Expanded, only updates
                    remain: ival = the tuple's size, each field's ival its
                    position in the tuple */
    AST_RECORD_FIELD, /* F = V: left = F (an AST_ATOM, or the AST_VAR '_' that
                    stands for every field not named), right = V */
    AST_RECORD_GET, /* E#Name.F: left = E, name = Name, right = F (AST_ATOM).
                    Expanded: ival = F's position in the tuple, n = its size */
    AST_RECORD_INDEX /* #Name.F: name = Name, right = F (AST_ATOM); expanded to
                    the AST_INT of F's position */
} AstKind;

typedef struct Ast Ast;

/* One clause of case/if/receive: Pattern when G1a, G1b; G2 -> Body.
** 'guards' holds the alternatives (separated by ';'), each an AST_BLOCK of
** tests that must all be true (separated by ','); nguards is 0 without when. */
typedef struct AstClause {
    Ast *pattern; /* NULL in an if clause */
    int nguards;
    Ast **guards;
    Ast *body; /* AST_BLOCK */
} AstClause;

/* A node. line:col is the position erl gives the node: its first token,
** except operators (the operator's token), calls (the called expression)
** and remotes (the ':'). All memory belongs to the command's Arena. */
struct Ast {
    AstKind kind;
    int line, col;
    int64_t ival;
    const char *digits; /* AST_INT beyond a small integer: its digits in
                        ** base ival (the command's Arena) */
    double fval;
    Term name;      /* AST_ATOM, AST_VAR; AST_OP: the operator's atom ('+', '!', 'div') */
    const uint32_t *str;
    size_t len;
    Ast *left, *right;
    Ast *mod, *fun; /* AST_CALL, AST_REMOTE */
    int n;          /* elements, arguments, clauses or type specifiers */
    Ast **elems;    /* AST_TUPLE, AST_BLOCK, AST_BIN; AST_CALL: arguments */
    Term *types;    /* AST_BIN_ELEM: type specifier atoms (integer, binary, ...) */
    AstClause *clauses;
    Ast *after, *after_body; /* AST_RECEIVE: timeout expression and its body;
                                AST_TRY: after_body is the 'after' section */
    AstClause *catches;      /* AST_TRY */
    int ncatches;
    void *cache;    /* AST_FUN: the evaluator's immortal copy, made on first use */
};

typedef enum ParseStatus {
    PARSE_OK,    /* *out is the command: an AST_BLOCK of one or more expressions */
    PARSE_EMPTY, /* nothing but whitespace and comments */
    PARSE_ERROR  /* *msg is the line erl prints */
} ParseStatus;

/* Parses the command in text[0..len): everything up to its dot terminator
** (text after the dot is ignored; see lexer_complete_command). Without a
** dot, the input ended and erl's error for that is reported. Positions are
** relative to text[0] = line 1, column 1. The AST is allocated in 'a'
** (free it with arena_free when the command is done). On PARSE_ERROR, *msg
** is erl's message without a newline, malloc'd, the caller frees it:
**   "* 1:5: syntax error before: '.'"
**   "* 1:1: unterminated string starting with \"abc\""
** Constructs cerl does not evaluate (maybe, binary generators and
** comprehensions) are reported as "* L:C: ... not supported". */
ParseStatus parser_parse(const char *text, size_t len, Arena *a, Ast **out, char **msg);

/* A deep copy of e allocated in 'a' (for funs, which outlive their
** command's arena). */
Ast *ast_clone(Arena *a, const Ast *e);

#endif
