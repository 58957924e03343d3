/*
** lexer.c
** The shell's scanner: Erlang tokens with positions, scan errors worded as
** erl words them, and the command splitter used by the reader.
*/
#include "lexer.h"
#include "../runtime/buf.h"
#include "../runtime/print.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ============================================================== arena */

struct ArenaBlock {
    ArenaBlock *next; /* older block */
    size_t used, size;
    _Alignas(8) unsigned char data[];
};

void *arena_alloc(Arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    ArenaBlock *b = a->blocks;
    if (!b || b->size - b->used < n) {
        size_t size = n > 8192 ? n : 8192;
        b = xmalloc(sizeof *b + size);
        b->next = a->blocks;
        b->used = 0;
        b->size = size;
        a->blocks = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

void arena_free(Arena *a)
{
    ArenaBlock *b = a->blocks;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    a->blocks = NULL;
}

/* ============================================================ symbols */

/* Every symbol token, longest first among those sharing a prefix, so the
** first match in this table is the longest one. */
static const char *const punct[] = {
    "=:=", "=/=", "...", "->", "/=", "=<", ">=", "==", "=>", ":=", "++", "--",
    "<-", "<=", "||", "<<", ">>", "::", "..", "!", ":", "#", "(", ")", "{",
    "}", "[", "]", ",", ";", "|", "=", "<", ">", "+", "-", "*", "/", "?", ".",
    NULL};

static const char *const keywords[] = {
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr",
    "bxor", "case", "catch", "cond", "div", "end", "fun", "if", "let", "maybe",
    "not", "of", "or", "orelse", "receive", "rem", "try", "when", "xor", NULL};

static const char *keyword(const char *s, size_t n)
{
    for (int i = 0; keywords[i]; i++)
        if (strlen(keywords[i]) == n && memcmp(keywords[i], s, n) == 0)
            return keywords[i];
    return NULL;
}

/* Single characters that are not Erlang punctuation still scan as symbols
** of their own (erl reports `1 ~ 2.` as "syntax error before: '~'"). */
static const char *stray_symbol(char c)
{
    static const char stray[] = "~`&^\\@";
    static char one[sizeof stray][2];
    const char *p = strchr(stray, c);
    if (!c || !p)
        return NULL;
    size_t i = (size_t)(p - stray);
    one[i][0] = c;
    return one[i];
}

/* ============================================================ scanner */

typedef struct Scanner {
    const char *s;
    size_t len, pos;
    int line, col;
    Arena *arena;
    Buf err;
} Scanner;

static int peek(const Scanner *sc, size_t ahead)
{
    return sc->pos + ahead < sc->len ? (unsigned char)sc->s[sc->pos + ahead] : -1;
}

static void advance(Scanner *sc)
{
    if (sc->s[sc->pos] == '\n') {
        sc->line++;
        sc->col = 1;
    } else if (((unsigned char)sc->s[sc->pos] & 0xc0) != 0x80) {
        sc->col++; /* a column per character, not per UTF-8 byte */
    }
    sc->pos++;
}

/* One character, decoding UTF-8 (a stray byte stands for itself). */
static uint32_t take_char(Scanner *sc)
{
    unsigned char c = (unsigned char)sc->s[sc->pos];
    int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    uint32_t code = extra == 3 ? c & 7u : extra == 2 ? c & 15u : extra == 1 ? c & 31u : c;
    advance(sc);
    for (int i = 0; i < extra; i++) {
        int d = peek(sc, 0);
        if (d < 0 || (d & 0xc0) != 0x80)
            return c;
        code = (code << 6) | ((unsigned)d & 63u);
        advance(sc);
    }
    return code;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* After a backslash: the escape's code. Returns false at end of input. */
static bool take_escape(Scanner *sc, uint32_t *code)
{
    int c = peek(sc, 0);
    if (c < 0)
        return false;
    if (c >= '0' && c <= '7') {
        uint32_t v = 0;
        for (int i = 0; i < 3 && peek(sc, 0) >= '0' && peek(sc, 0) <= '7'; i++) {
            v = v * 8 + (uint32_t)(peek(sc, 0) - '0');
            advance(sc);
        }
        *code = v;
        return true;
    }
    if (c == 'x') {
        advance(sc);
        uint32_t v = 0;
        if (peek(sc, 0) == '{') {
            advance(sc);
            while (hexval(peek(sc, 0)) >= 0) {
                v = v * 16 + (uint32_t)hexval(peek(sc, 0));
                advance(sc);
            }
            if (peek(sc, 0) == '}')
                advance(sc);
        } else {
            for (int i = 0; i < 2 && hexval(peek(sc, 0)) >= 0; i++) {
                v = v * 16 + (uint32_t)hexval(peek(sc, 0));
                advance(sc);
            }
        }
        *code = v;
        return true;
    }
    if (c == '^') {
        advance(sc);
        if (peek(sc, 0) < 0)
            return false;
        *code = take_char(sc) & 31u;
        return true;
    }
    static const char from[] = "bdefnrstv", to[] = "\b\177\033\f\n\r \t\v";
    const char *p = strchr(from, c);
    if (p && c) {
        advance(sc);
        *code = (unsigned char)to[p - from];
        return true;
    }
    *code = take_char(sc);
    return true;
}

/* Appends 'code' as UTF-8. */
static void put_utf8(Buf *b, uint32_t c)
{
    if (c < 0x80) {
        buf_putc(b, (char)c);
    } else if (c < 0x800) {
        buf_putc(b, (char)(0xc0 | (c >> 6)));
        buf_putc(b, (char)(0x80 | (c & 63)));
    } else if (c < 0x10000) {
        buf_putc(b, (char)(0xe0 | (c >> 12)));
        buf_putc(b, (char)(0x80 | ((c >> 6) & 63)));
        buf_putc(b, (char)(0x80 | (c & 63)));
    } else {
        buf_putc(b, (char)(0xf0 | (c >> 18)));
        buf_putc(b, (char)(0x80 | ((c >> 12) & 63)));
        buf_putc(b, (char)(0x80 | ((c >> 6) & 63)));
        buf_putc(b, (char)(0x80 | (c & 63)));
    }
}

/* One character inside quotes as erl writes it (io_lib:write_string). */
static void put_quoted_char(Buf *b, uint32_t c, char quote)
{
    if (print_char_escape(b, c))
        return;
    if (quote && c == (uint32_t)quote) {
        buf_putc(b, '\\');
        buf_putc(b, quote);
    } else if (c < 32 || (c >= 128 && c < 160)) {
        buf_printf(b, "\\%03o", c);
    } else if (c > 255) {
        buf_printf(b, "\\x{%X}", c);
    } else {
        put_utf8(b, c);
    }
}

static void put_quoted(Buf *b, const uint32_t *codes, size_t n, char quote)
{
    buf_putc(b, quote);
    for (size_t i = 0; i < n; i++)
        put_quoted_char(b, codes[i], quote);
    buf_putc(b, quote);
}

static void scan_error(Scanner *sc, int line, int col, const char *what)
{
    buf_printf(&sc->err, "* %d:%d: %s", line, col, what);
}

/* A quoted string or atom; the opening quote is at sc->pos. */
static bool scan_quoted(Scanner *sc, Token *t, char quote)
{
    size_t cap = 16, n = 0;
    uint32_t *codes = xmalloc(cap * sizeof *codes);
    advance(sc);
    for (;;) {
        int c = peek(sc, 0);
        if (c < 0) {
            /* erl quotes the first 16 characters of what it read */
            Buf head = {0};
            put_quoted(&head, codes, n < 16 ? n : 16, quote);
            buf_printf(&sc->err, "* %d:%d: unterminated %s starting with %s", t->line, t->col,
                       quote == '"' ? "string" : "atom", buf_str(&head));
            buf_free(&head);
            free(codes);
            return false;
        }
        if (c == quote) {
            advance(sc);
            break;
        }
        uint32_t code;
        if (c == '\\') {
            advance(sc);
            if (!take_escape(sc, &code))
                continue; /* reported as unterminated on the next turn */
        } else {
            code = take_char(sc);
        }
        if (n == cap)
            codes = xrealloc(codes, (cap *= 2) * sizeof *codes);
        codes[n++] = code;
    }
    if (quote == '"') {
        uint32_t *copy = arena_alloc(sc->arena, (n ? n : 1) * sizeof *copy);
        memcpy(copy, codes, n * sizeof *copy);
        t->kind = TOK_STRING;
        t->str = copy;
        t->len = n;
    } else {
        Buf name = {0};
        for (size_t i = 0; i < n; i++)
            put_utf8(&name, codes[i]);
        t->kind = TOK_ATOM;
        t->atom = atom_from(buf_str(&name), name.len);
        buf_free(&name);
        if (t->atom == ERL_NONE) {
            scan_error(sc, t->line, t->col, "atom too long");
            free(codes);
            return false;
        }
    }
    free(codes);
    return true;
}

/* Digits of 'base' with single underscores between them, into *v.
** Returns the number of digits read, or -1 on overflow past 62 bits. */
static int scan_digits(Scanner *sc, int base, int64_t *v)
{
    int count = 0;
    bool overflow = false;
    for (;;) {
        int c = peek(sc, 0);
        int d = isdigit(c) ? c - '0' : isalpha(c) ? tolower(c) - 'a' + 10 : -1;
        if (c == '_' && count > 0) {
            int c2 = peek(sc, 1);
            int d2 = isdigit(c2) ? c2 - '0' : isalpha(c2) ? tolower(c2) - 'a' + 10 : -1;
            if (d2 < 0 || d2 >= base)
                break;
            advance(sc);
            continue;
        }
        if (d < 0 || d >= base)
            break;
        if (*v > (ERL_SMALL_MAX - d) / base)
            overflow = true;
        else
            *v = *v * base + d;
        advance(sc);
        count++;
    }
    return overflow ? -1 : count;
}

/* An integer literal beyond a small integer: its digits from 'start' to
** the scanner's position, underscores dropped, go with the token, and
** ival becomes the base. */
static void big_digits(Scanner *sc, Token *t, size_t start, int base)
{
    char *d = arena_alloc(sc->arena, sc->pos - start + 1);
    size_t n = 0;
    for (size_t i = start; i < sc->pos; i++)
        if (sc->s[i] != '_')
            d[n++] = sc->s[i];
    d[n] = '\0';
    t->digits = d;
    t->ival = base;
}

static bool scan_number(Scanner *sc, Token *t)
{
    size_t start = sc->pos;
    int64_t v = 0;
    int nd = scan_digits(sc, 10, &v);
    if (peek(sc, 0) == '#') {
        /* base#digits */
        if (nd < 0 || v < 2 || v > 36) {
            char msg[64];
            snprintf(msg, sizeof msg, "illegal base '%.*s'", (int)(sc->pos - start), sc->s + start);
            scan_error(sc, t->line, t->col, msg);
            return false;
        }
        advance(sc);
        size_t digits = sc->pos;
        int64_t w = 0;
        int n = scan_digits(sc, (int)v, &w);
        if (n == 0 || isalnum(peek(sc, 0))) {
            scan_error(sc, t->line, t->col, "illegal integer");
            return false;
        }
        t->kind = TOK_INT;
        t->ival = w;
        if (n < 0)
            big_digits(sc, t, digits, (int)v);
        return true;
    }
    if (peek(sc, 0) == '.' && isdigit(peek(sc, 1))) {
        advance(sc);
        while (isdigit(peek(sc, 0)) || (peek(sc, 0) == '_' && isdigit(peek(sc, 1))))
            advance(sc);
        if (peek(sc, 0) == 'e' || peek(sc, 0) == 'E') {
            advance(sc);
            if (peek(sc, 0) == '+' || peek(sc, 0) == '-')
                advance(sc);
            if (!isdigit(peek(sc, 0))) {
                scan_error(sc, t->line, t->col, "illegal float");
                return false;
            }
            while (isdigit(peek(sc, 0)))
                advance(sc);
        }
        char text[128];
        size_t n = 0;
        for (size_t i = start; i < sc->pos && n + 1 < sizeof text; i++)
            if (sc->s[i] != '_')
                text[n++] = sc->s[i];
        text[n] = '\0';
        errno = 0;
        double d = strtod(text, NULL);
        if (errno == ERANGE && isinf(d)) {
            scan_error(sc, t->line, t->col, "illegal float");
            return false;
        }
        t->kind = TOK_FLOAT;
        t->fval = d;
        return true;
    }
    t->kind = TOK_INT;
    t->ival = v;
    if (nd < 0)
        big_digits(sc, t, start, 10);
    return true;
}

/* erl_scan's white space: every control character (NUL included), the
** space, and the no-break space. */
static bool is_blank(int c)
{
    return c >= 0 && (c <= ' ' || c == 0xa0);
}

/* What may follow a dot for it to end a command: a control character or
** the space (a byte of a UTF-8 sequence never does). */
static bool ends_dot(int c)
{
    return c >= 0 && c <= ' ';
}

static bool is_name_char(int c)
{
    return isalnum(c) || c == '_' || c == '@';
}

/* Skips whitespace and comments. */
static void skip_blank(Scanner *sc)
{
    for (;;) {
        int c = peek(sc, 0);
        if (c == '%') {
            while (peek(sc, 0) >= 0 && peek(sc, 0) != '\n')
                advance(sc);
        } else if (is_blank(c)) {
            advance(sc);
        } else {
            return;
        }
    }
}

/* The next token into *t; false with sc->err set on a scan error. */
static bool scan_token(Scanner *sc, Token *t)
{
    skip_blank(sc);
    memset(t, 0, sizeof *t);
    t->line = sc->line;
    t->col = sc->col;
    int c = peek(sc, 0);
    if (c < 0) {
        t->kind = TOK_EOF;
        return true;
    }
    if (isdigit(c))
        return scan_number(sc, t);
    if (isalpha(c) || c == '_') {
        size_t start = sc->pos;
        while (is_name_char(peek(sc, 0)))
            advance(sc);
        const char *name = sc->s + start;
        size_t n = sc->pos - start;
        if (isupper(c) || c == '_') {
            t->kind = TOK_VAR;
            t->atom = atom_from(name, n);
        } else if ((t->sym = keyword(name, n))) {
            t->kind = TOK_SYM;
            return true;
        } else {
            t->kind = TOK_ATOM;
            t->atom = atom_from(name, n);
        }
        if (t->atom == ERL_NONE) {
            scan_error(sc, t->line, t->col, "atom too long");
            return false;
        }
        return true;
    }
    if (c == '"' || c == '\'')
        return scan_quoted(sc, t, (char)c);
    if (c == '$') {
        advance(sc);
        if (peek(sc, 0) < 0) {
            scan_error(sc, t->line, t->col, "unterminated character");
            return false;
        }
        uint32_t code;
        if (peek(sc, 0) == '\\') {
            advance(sc);
            if (!take_escape(sc, &code)) {
                scan_error(sc, t->line, t->col, "unterminated character");
                return false;
            }
        } else {
            code = take_char(sc);
        }
        t->kind = TOK_CHAR;
        t->ival = code;
        return true;
    }
    if (c == '.') {
        int d = peek(sc, 1);
        if (d < 0 || d == '%' || ends_dot(d)) {
            advance(sc);
            t->kind = TOK_DOT;
            return true;
        }
    }
    for (int i = 0; punct[i]; i++) {
        size_t n = strlen(punct[i]);
        if (sc->len - sc->pos >= n && memcmp(sc->s + sc->pos, punct[i], n) == 0) {
            for (size_t k = 0; k < n; k++)
                advance(sc);
            t->kind = TOK_SYM;
            t->sym = punct[i];
            return true;
        }
    }
    if ((t->sym = stray_symbol((char)c))) {
        advance(sc);
        t->kind = TOK_SYM;
        return true;
    }
    take_char(sc);
    scan_error(sc, t->line, t->col, "illegal character");
    return false;
}

static bool is_sym(const Token *t, const char *sym)
{
    return t->kind == TOK_SYM && strcmp(t->sym, sym) == 0;
}

/* How the last of v[0..count) changes the nesting: +1 for an opening
** bracket or a keyword closed by 'end', one more for the '(' of
** "fun (" or "fun Name(" (the fun is closed by 'end', not by ')'), -1 for
** a closing one. Each level counted is at least one level of the parser's
** tree, so a command within the parser's limit is never refused. */
static int nesting_step(const Token *v, size_t count)
{
    const Token *t = &v[count - 1];
    if (t->kind != TOK_SYM)
        return 0;
    static const char *const open[] = {"(", "[", "{", "<<", "begin", "case", "if", "receive", "try", NULL};
    static const char *const close[] = {")", "]", "}", ">>", "end", NULL};
    for (int i = 0; open[i]; i++)
        if (t->sym == open[i] || strcmp(t->sym, open[i]) == 0) {
            bool fun_args = i == 0 && count >= 2 &&
                            (is_sym(&v[count - 2], "fun") ||
                             (count >= 3 && v[count - 2].kind == TOK_VAR && is_sym(&v[count - 3], "fun")));
            return fun_args ? 2 : 1;
        }
    for (int i = 0; close[i]; i++)
        if (strcmp(t->sym, close[i]) == 0)
            return -1;
    return 0;
}

bool lexer_scan(const char *text, size_t len, Arena *a, Token **toks, size_t *n, char **err)
{
    Scanner sc = {.s = text, .len = len, .line = 1, .col = 1, .arena = a};
    size_t cap = 64, count = 0;
    long nesting = 0; /* a lower bound of the parser's depth at this token */
    Token *v = arena_alloc(a, cap * sizeof *v);
    for (;;) {
        if (count == cap) {
            Token *bigger = arena_alloc(a, 2 * cap * sizeof *v);
            memcpy(bigger, v, cap * sizeof *v);
            v = bigger;
            cap *= 2;
        }
        Token *t = &v[count];
        if (!scan_token(&sc, t)) {
            *err = buf_take(&sc.err);
            return false;
        }
        count++;
        int step = nesting_step(v, count);
        nesting += step;
        /* the '(' of a fun is one level above its arguments, not two: its
        ** second level is checked from the next token on */
        if (nesting > LEXER_MAX_NESTING && step != 2) {
            char what[64];
            snprintf(what, sizeof what, "expression nested too deeply (more than %d levels)", (int)LEXER_MAX_NESTING);
            scan_error(&sc, t->line, t->col, what);
            *err = buf_take(&sc.err);
            return false;
        }
        if (t->kind == TOK_EOF && count > 1) {
            /* erl places an error at the end of input on the last token */
            t->line = v[count - 2].line;
            t->col = v[count - 2].col;
        }
        if (t->kind == TOK_DOT || t->kind == TOK_EOF)
            break;
    }
    *toks = v;
    *n = count;
    return true;
}

/* =========================================================== splitter */

bool lexer_complete_command(const char *text, size_t len, size_t *end)
{
    size_t i = 0;
    while (i < len) {
        char c = text[i];
        if (c == '%') {
            while (i < len && text[i] != '\n')
                i++;
        } else if (c == '"' || c == '\'') {
            i++;
            while (i < len && text[i] != c)
                i += text[i] == '\\' ? 2 : 1;
            if (i >= len)
                return false; /* still inside the quotes */
            i++;
        } else if (c == '$') {
            /* $c or $\c: the character never ends anything */
            i += (i + 1 < len && text[i + 1] == '\\') ? 3 : 2;
        } else if (c == '.' && (i + 1 == len || text[i + 1] == '%' || ends_dot((unsigned char)text[i + 1]))) {
            *end = (i + 1 < len && text[i + 1] != '%') ? i + 2 : i + 1;
            return true;
        } else if (isdigit((unsigned char)c)) {
            /* 1.5 is a float, but the dot in "1." ends a command */
            while (i < len && (isalnum((unsigned char)text[i]) || text[i] == '_' || text[i] == '#'))
                i++;
            if (i + 1 < len && text[i] == '.' && isdigit((unsigned char)text[i + 1]))
                i++;
        } else {
            i++;
        }
    }
    return false;
}

/* ===================================================== error display */

void lexer_token_text(Buf *b, const Token *t)
{
    switch (t->kind) {
    case TOK_EOF:
        return;
    case TOK_DOT:
        buf_puts(b, "'.'");
        return;
    case TOK_ATOM:
        print_atom(b, t->atom);
        return;
    case TOK_VAR:
        buf_puts(b, erl_atom_name(t->atom));
        return;
    case TOK_INT:
        buf_printf(b, "%lld", (long long)t->ival);
        return;
    case TOK_FLOAT:
        print_float(b, t->fval);
        return;
    case TOK_CHAR:
        buf_putc(b, '$');
        if (t->ival == ' ')
            buf_puts(b, "\\s");
        else
            put_quoted_char(b, (uint32_t)t->ival, 0);
        return;
    case TOK_STRING:
        put_quoted(b, t->str, t->len, '"');
        return;
    case TOK_SYM:
        buf_printf(b, "'%s'", t->sym);
        return;
    }
}
