/*
** compile.h
** The shell's c/1, c/2 and l/1 (compile.c).
*/
#ifndef CERL_COMPILE_H
#define CERL_COMPILE_H

#include "../runtime/term.h"

/* l(M): purges M, then loads it from the code path; erl's report for a
** failed load is printed. If the purge killed a process linked to the
** shell, the shell's exit is raised here, before loading. Returns
** {module, M} or {error, Reason}. */
Term compile_l(Term mod);
/* c(M, Options): compiles M.c (or the file M names) to M.o in the current
** directory, or in Dir for {outdir, Dir}; {d, Name}, {d, Name, Value} and
** {i, Dir} reach tcc as -D and -I; tcc's warnings and errors are printed
** in erl's layout (brief: without the quoted line); then M is purged and
** loaded from the object written. Returns {ok, M}; error, or with return /
** return_errors {error, [{File, [{Line, tcc, Text}]}], Warnings}; or
** {error, non_existing} for an atom naming no file. Options erl's c/2
** takes and cerl has no use for (report, verbose, ...), and unknown ones,
** are ignored; Options may be one option alone. */
Term compile_c2(Term file, Term options);
/* c(M): c(M, []). */
Term compile_c1(Term file);

#endif
