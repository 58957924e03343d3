/*
** print.h
** Terms as text, exactly as erl prints them: ~w (io_lib:write) and ~p
** (io_lib_pretty, with erl's line breaking), atoms quoted as erl quotes them,
** floats in the shortest form that reads back.
*/
#ifndef CERL_PRINT_H
#define CERL_PRINT_H

#include "buf.h"
#include "term.h"

/* Appends t as ~w writes it: one line, strings as lists of integers. */
void print_write(Buf *b, Term t);

/* Appends t as ~p lays it out: 'column' is the 1-based column where the
** first character goes (erl's {column, C}), 'line_length' the width to fill
** (80), 'depth' the nesting after which erl prints '...' (-1: unlimited).
** Strings print as "..." when term_is_printable_string. */
void print_pretty(Buf *b, Term t, int column, int line_length, int depth);

/* The result of a shell command as the shell prints it after "N> ". */
void print_shell_result(Buf *b, Term t);

/* t laid out as the shell lays out terms (line length 80, depth 30, at most
** 60 characters of content per line), starting at 'column'. The shell's
** result is this at column 1; exception reports use other columns. */
void print_pretty_limited(Buf *b, Term t, int column);

/* If c has a backslash escape in erl's quoted strings and atoms (\n \t \e
** \d \\ ...), appends it and returns true; else appends nothing. */
bool print_char_escape(Buf *b, unsigned c);

/* Appends an atom, quoted when erl would quote it ('DOWN', 'a b', ''). */
void print_atom(Buf *b, Term a);

/* Appends a float as erl's shell/~p/~w print it (1.5e3, 100.0, 1.2e-4). */
void print_float(Buf *b, double d);

/* io:format: appends the formatted text of fmt with the arguments in the
** list 'args'. Returns 0, or -1 (nothing usable appended) when the format
** does not fit the arguments (erl raises badarg then), or when a field width
** or precision exceeds 1048576. */
int print_format(Buf *b, const char *fmt, Term args);

#endif
