/*
** pattern.c
** erl_match: a term taken apart by an Erlang pattern written as a C string,
** "{Key, Value}", "[H | T]", "{ok, _}", binding its variables through
** pointers. The pattern is read as it is matched, one pass, left to right.
*/
#include "error.h"
#include "term.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_VARS = 16 };

/* One match in progress. */
typedef struct Matcher {
    const char *s;               /* the rest of the pattern */
    const char *pattern;         /* all of it, for the error */
    int nvars;                   /* variables seen so far */
    const char *names[MAX_VARS]; /* where each one's name starts in the pattern */
    size_t lens[MAX_VARS];
    Term values[MAX_VARS];       /* what each one is bound to */
} Matcher;

static __attribute__((noreturn)) void bad_pattern(Matcher *m)
{
    erl_error(erl_tuple(erl_atom("badpattern"), erl_mk_string(m->pattern)));
}

static void skip_blanks(Matcher *m)
{
    while (*m->s == ' ' || *m->s == '\t' || *m->s == '\n')
        m->s++;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '@';
}

static void expect(Matcher *m, char c)
{
    skip_blanks(m);
    if (*m->s != c)
        bad_pattern(m);
    m->s++;
}

static bool element(Matcher *m, Term t, bool live);

/* A variable: binds it the first time, else compares (=:=). A name that
** starts with _ matches anything and binds nothing. */
static bool variable(Matcher *m, Term t, bool live)
{
    const char *start = m->s;
    while (name_char(*m->s))
        m->s++;
    size_t len = (size_t)(m->s - start);
    if (start[0] == '_')
        return true;
    for (int i = 0; i < m->nvars; i++)
        if (m->lens[i] == len && memcmp(m->names[i], start, len) == 0)
            return !live || (m->values[i] != ERL_NONE && erl_eq(m->values[i], t));
    if (m->nvars == MAX_VARS)
        bad_pattern(m);
    m->names[m->nvars] = start;
    m->lens[m->nvars] = len;
    m->values[m->nvars++] = live ? t : ERL_NONE;
    return true;
}

/* An atom, bare or 'quoted'. */
static bool atom(Matcher *m, Term t, bool live)
{
    char name[256];
    size_t n = 0;
    if (*m->s == '\'') {
        for (m->s++; *m->s && *m->s != '\''; m->s++)
            if (n + 1 < sizeof name)
                name[n++] = *m->s;
        expect(m, '\'');
    } else {
        for (; name_char(*m->s); m->s++)
            if (n + 1 < sizeof name)
                name[n++] = *m->s;
    }
    name[n] = '\0';
    return !live || (erl_is_atom(t) && t == erl_atom(name));
}

/* An integer, in decimal. */
static bool integer(Matcher *m, Term t, bool live)
{
    char *end;
    long v = strtol(m->s, &end, 10);
    if (end == m->s)
        bad_pattern(m);
    m->s = end;
    return !live || erl_eq(t, erl_mk_int(v));
}

/* A string "...": a list of those characters (no escapes). */
static bool string(Matcher *m, Term t, bool live)
{
    bool ok = live;
    for (m->s++; *m->s && *m->s != '"'; m->s++) {
        if (ok && erl_is_cons(t) && erl_hd(t) == erl_mk_int((unsigned char)*m->s))
            t = erl_tl(t);
        else
            ok = false;
    }
    expect(m, '"');
    return !live || (ok && t == ERL_NIL);
}

/* {P1, ..., Pn} */
static bool tuple(Matcher *m, Term t, bool live)
{
    bool ok = live && erl_is_tuple(t);
    unsigned long i = 0;
    m->s++;
    skip_blanks(m);
    if (*m->s != '}') {
        for (;;) {
            i++;
            ok = element(m, ok && i <= erl_tuple_size(t) ? erl_element(t, i) : ERL_NONE, ok && i <= erl_tuple_size(t)) && ok;
            skip_blanks(m);
            if (*m->s != ',')
                break;
            m->s++;
        }
    }
    expect(m, '}');
    return !live || (ok && erl_tuple_size(t) == i);
}

/* [], [P1, ..., Pn] or [P1, ..., Pn | Tail] */
static bool list(Matcher *m, Term t, bool live)
{
    bool ok = live;
    m->s++;
    skip_blanks(m);
    if (*m->s == ']') {
        m->s++;
        return !live || t == ERL_NIL;
    }
    for (;;) {
        bool cons = ok && erl_is_cons(t);
        ok = element(m, cons ? erl_hd(t) : ERL_NONE, cons) && cons;
        if (cons)
            t = erl_tl(t);
        skip_blanks(m);
        if (*m->s != ',')
            break;
        m->s++;
    }
    skip_blanks(m);
    if (*m->s == '|') {
        m->s++;
        ok = element(m, t, ok) && ok;
    } else {
        ok = ok && t == ERL_NIL;
    }
    expect(m, ']');
    return !live || ok;
}

/* Reads one pattern at m->s and, when 'live', matches t against it;
** a pattern read but not live (its term already failed) only binds
** nothing. Returns whether t matched (true when not live). */
static bool element(Matcher *m, Term t, bool live)
{
    skip_blanks(m);
    char c = *m->s;
    if (c == '{')
        return tuple(m, t, live);
    if (c == '[')
        return list(m, t, live);
    if (c == '"')
        return string(m, t, live);
    if ((c >= 'A' && c <= 'Z') || c == '_')
        return variable(m, t, live);
    if ((c >= 'a' && c <= 'z') || c == '\'')
        return atom(m, t, live);
    if ((c >= '0' && c <= '9') || c == '-')
        return integer(m, t, live);
    bad_pattern(m);
}

int erl_match(Term t, const char *pattern, ...)
{
    Matcher m = {.s = pattern, .pattern = pattern};
    bool ok = element(&m, t, true);
    skip_blanks(&m);
    if (*m.s)
        bad_pattern(&m);
    if (!ok)
        return 0;
    va_list ap;
    va_start(ap, pattern);
    for (int i = 0; i < m.nvars; i++) {
        Term *var = va_arg(ap, Term *);
        if (var)
            *var = m.values[i];
    }
    va_end(ap);
    return 1;
}
