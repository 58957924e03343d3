/*
** report.h
** What erl prints when something fails: the shell's "** exception ..." text
** and the "=ERROR REPORT====" of a process that crashed on its own.
*/
#ifndef CERL_REPORT_H
#define CERL_REPORT_H

#include "../runtime/buf.h"
#include "../runtime/error.h"

#include <stdint.h>

/* Appends erl's report of an exception that ended a shell command, every
** line ending in "\n":
**     ** exception error: bad argument
**          in function  register/2
**             called as register(t,<0.92.0>)
**             *** argument 2: this process or port already has a name
** The text after "error: " explains well-known reasons (badarg, badarith,
** {badmatch,V}, undef, ...) as erl does; other reasons are printed with ~p.
** The lines below it come from e->where (see error.h); a Note is printed
** after "*** " as it is, so it should read "argument N: ..."; a Note of
** several lines gives one "*** " line each. Cannot fail. */
void report_exception(Buf *b, const ErlException *e);

/* Appends the report logged when process 'pid' (not linked to the shell)
** ends with an error:
**     =ERROR REPORT==== 24-Nov-2026::04:32:10.123456 ===
**     Error in process <0.121.0> with exit value:
**     {Reason,Stack}
** followed by a blank line, the date being now in local time. 'exit_value'
** is the process's exit reason as links and monitors see it ({Reason,Stack}
** for an error, {{nocatch,T},Stack} for a throw). */
void report_error_report(Buf *b, Term pid, Term exit_value);

/* The same at a given time: microseconds since the Unix epoch. */
void report_error_report_at(Buf *b, Term pid, Term exit_value, int64_t usec);

#endif
