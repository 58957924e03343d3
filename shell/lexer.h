/*
** lexer.h
** The shell's scanner: Erlang tokens with line:column positions, and the
** splitter that finds where a typed command ends.
*/
#ifndef CERL_LEXER_H
#define CERL_LEXER_H

#include "../runtime/term.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------- arena */

/* Bump allocator for everything made while reading one command (tokens,
** strings, the AST). A zeroed Arena is empty; arena_free releases it all.
** Invariant: blocks form a list, newest first; only the newest has room. */
typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *blocks; /* newest first; owned */
} Arena;

/* 'n' zeroed bytes, 8-aligned, valid until arena_free. Cannot fail. */
void *arena_alloc(Arena *a, size_t n);
void arena_free(Arena *a);

/* ------------------------------------------------------------ tokens */

typedef enum TokKind {
    TOK_EOF,    /* the input ended before a dot terminator */
    TOK_DOT,    /* '.' followed by whitespace, '%' or the end of input */
    TOK_ATOM,   /* atom, plain or quoted: 'atom' */
    TOK_VAR,    /* variable or '_': 'atom' holds the name */
    TOK_INT,    /* integer, any base: 'ival' */
    TOK_CHAR,   /* $c: 'ival' holds the code */
    TOK_FLOAT,  /* 'fval' */
    TOK_STRING, /* "...": 'str'/'len' hold the codes after escapes */
    TOK_SYM     /* punctuation, operator or reserved word: 'sym' */
} TokKind;

/* One token. 'sym' points into a static table, so two symbols are the same
** when their strings compare equal. Strings live in the lexer's arena. */
typedef struct Token {
    TokKind kind;
    int line, col;     /* 1-based, relative to the start of the text */
    const char *sym;   /* TOK_SYM: "->", "(", "case", ... */
    Term atom;         /* TOK_ATOM, TOK_VAR */
    int64_t ival;      /* TOK_INT, TOK_CHAR */
    const char *digits; /* TOK_INT beyond a small integer: its digits
                        ** (arena memory, NUL-terminated) in base 'ival' */
    double fval;       /* TOK_FLOAT */
    const uint32_t *str; /* TOK_STRING */
    size_t len;          /* TOK_STRING: number of codes */
} Token;

/* The deepest tree a command may have: the parser and the evaluator walk
** it recursively on the evaluator's stack (STACK_SHELL_SIZE), which holds a
** little more than this. Past it a command is refused with
** "* L:C: expression nested too deeply (more than 500000 levels)". */
enum { LEXER_MAX_NESTING = 500000 };

/* Scans text[0..len) up to and including the first dot terminator (or to
** the end when there is none; the last token is then TOK_EOF). Positions
** count from line 1, column 1 at text[0]. On success returns true with the
** tokens in *toks (arena memory, *n of them, the last TOK_DOT or TOK_EOF).
** On a scan error returns false with erl's message in *err, e.g.
** "* 1:1: unterminated string starting with \"abc\"" (malloc'd, caller
** frees). Integers beyond 62 bits are reported as "illegal integer".
** Brackets and the keywords that pair with 'end' nesting deeper than
** LEXER_MAX_NESTING are refused as the parser would refuse them, at the
** token that passes the limit, before the rest of the text is scanned (a
** 2M-deep "fun() ->" nest costs no more than the first 500000 levels). */
bool lexer_scan(const char *text, size_t len, Arena *a, Token **toks, size_t *n, char **err);

/* Does text[0..len) hold a complete command, i.e. a dot terminator (a dot
** followed by white space, which is any control character or the space as
** in erl_scan, by '%', or by the end of the text) outside strings, quoted
** atoms, character literals and comments? If so returns
** true and sets *end to where the next command's text starts: just past
** the dot and the one whitespace character that ended it (erl consumes
** that character), or just past the dot when '%' or the end of input
** follows it. Never fails; false means "read another line". */
bool lexer_complete_command(const char *text, size_t len, size_t *end);

/* Appends the token as erl names it in "syntax error before: ...":
** foo, 'A b', X, 255, 1.5e3, $a, "ab", 'end', '->', '.'; nothing for EOF. */
struct Buf;
void lexer_token_text(struct Buf *b, const Token *t);

#endif
