/*
** stacktrace.h
** erl's stack traces for exceptions: the module frames of the raising
** process, captured when an exception is raised, and turned into
** [{M, F, Arity, [{file, "t.c"}, {line, N}]}, ...] when someone asks.
**
** Where the pieces come from:
**  - the frames: the frame walker (frames.h), at raise time, as bare code
**    addresses of module code (cheap: frame-pointer steps, no look-up);
**  - the line numbers: the stabs tcc 0.9.27 emits with -g (.stab/.stabstr:
**    an N_FUN entry per function, "name:F1" or "name:f1" for a static one,
**    N_PSYM per parameter, N_SLINE per line with its offset from the
**    function's first byte, N_SO/N_SOL naming the file; a line number is
**    16 bits there, so lines past 65535 wrap). They are read once
**    per load into a LineTable; an address is looked up only when a stack
**    term is built (by catch, try ... catch C:R:St, an uncaught error's exit
**    reason, or the shell's report);
**  - M, F and the arity: an exported function is named and counted as its
**    EXPORT(...) says (seq_2 is lists:seq/2); a static function by its C
**    name, with its number of C parameters from the stabs. A static function
**    of an object built without -g has no known arity: its frames are left
**    out (an object without stabs gives exported frames with location []).
** Like erl's, a trace holds at most EXC_STACK_DEPTH entries, and a return
** address repeated in consecutive frames (a function recursing through one
** call site) appears once.
*/
#ifndef CERL_STACKTRACE_H
#define CERL_STACKTRACE_H

#include "error.h"
#include "objfile.h"
#include "symtab.h"

#include <stdbool.h>
#include <stdint.h>

/* The line numbers of one loaded module version. Immutable once built. */
typedef struct LineTable LineTable;

/* Reads the stabs of the checked object o (objfile_check), placing each
** function at its loaded address from funcs[0..nfuncs) (symtab_load).
** Returns NULL when o has no stabs or they are malformed (a hostile object
** gets no line numbers, nothing worse). Caller frees with
** stacktrace_lines_free. */
LineTable *stacktrace_lines_load(const ObjFile *o, const FnSym *funcs, size_t nfuncs);
void stacktrace_lines_free(LineTable *t);

/* The source line of code address pc: its file (owned by t) and line.
** False when t says nothing about pc. */
bool stacktrace_line(const LineTable *t, uintptr_t pc, const char **file, int *line);
/* The number of C parameters of the function starting at addr, or -1 when
** t does not know it. */
int stacktrace_params(const LineTable *t, uintptr_t addr);

/* Records the code addresses of the running process's module frames,
** innermost first, at most max of them; returns how many. 0 outside a
** process. Never allocates. */
int stacktrace_capture(uintptr_t *pcs, int max);

/* The module frames of e as erl's stack entries, a list on heap h:
** {M, F, Arity, [{file, File}, {line, Line}]} (location [] without line
** information). Frames of code unloaded since the raise are left out. */
Term stacktrace_module_frames(Heap *h, const ErlException *e);

/* The module frame at code address pc as {M, F, Arity, Location} (as in a
** stack trace), with the address its function starts at in *start; or
** ERL_NONE when pc is not in a module function whose arity is known. */
Term stacktrace_frame_at(Heap *h, uintptr_t pc, uintptr_t *start);

/* e's whole stack trace as erl gives it, a list on heap h: first the
** function e->where names when it is a call (a failing BIF as
** {erlang, Name, Args, []}, an undefined function as {M, F, Args, []}),
** then the module frames. */
Term stacktrace_build(Heap *h, const ErlException *e);

/* The call e->where names as a stack entry {M, F, Args, Location}, or
** ERL_NONE when it names none. A module function that raised through
** erl_error_in is also e's innermost module frame: that frame's location
** is taken, and *rest is set to the module frames after it (else to all
** of them), so that the function appears once, as erl shows it. */
Term stacktrace_where_call(Heap *h, const ErlException *e, Term *rest);

#endif
