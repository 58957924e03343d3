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
** 60 characters of content per line, records as print_record_fun names
** them), starting at 'column'. The shell's result is this at column 1;
** exception reports use other columns. */
void print_pretty_limited(Buf *b, Term t, int column);

/* ------------------------------------------------------------ records */

/* io_lib_pretty's record_print_fun, which the shell registers (NULL, the
** default: no records): the names of the fields of record 'tag' when it is
** defined with 'nfields' fields (an array of nfields atoms, valid until the
** next call), else NULL. A tuple {Tag, V1, ..., Vn} it names prints as
** #Tag{F1 = V1,...,Fn = Vn} in the shell's own printing (print_shell_result,
** print_pretty_limited, print_pretty_shell), never in print_pretty or
** print_write (io:format's ~p and ~w). */
typedef const Term *(*PrintRecordFun)(Term tag, size_t nfields);
extern PrintRecordFun print_record_fun;

/* shell:pp: t laid out from 'column' with line length 80, at most 60
** characters of content per line, 'depth' levels (-1: unlimited) and
** records. print_pretty_limited is this with depth 30. */
void print_pretty_shell(Buf *b, Term t, int column, int depth);

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
/* Where formatted text goes, which decides how ~ts and ~tc write a
** character above 255: a Latin-1 device writes erl's \x{41A}; io_lib's
** characters get its UTF-8 bytes (print_format is PRINT_DEVICE). */
typedef enum PrintChars { PRINT_DEVICE, PRINT_CHARS } PrintChars;
int print_format_as(Buf *b, const char *fmt, Term args, PrintChars how);

#endif
