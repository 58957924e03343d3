/*
** export.h
** The export table: one stable entry per Mod:Fun/Arity. Fully qualified
** calls go through an entry's 'fn'; loading a module re-points them.
*/
#ifndef CERL_EXPORT_H
#define CERL_EXPORT_H

#include "term.h"

/* Invariant: an entry is never moved or freed, so module code may cache a
** pointer to it forever. pub.fn is never NULL: it is the current version's
** function, or the entry's own stub while the module has no current code
** or does not export it (the stub loads the module, or raises undef), so a
** fully qualified call is one load and an indirect call. */
typedef struct Export {
    ErlExport pub;       /* first: what cerl.h's erl_call reads */
    Term mod, fun;
    int arity;
    bool builtin;        /* a runtime function (erlang:, code:): never re-pointed */
    bool autoimport;     /* erlang:F/N that the shell calls without erlang: */
    void *stub;          /* this entry's thunk into export_stub_common */
    struct Export *next; /* hash chain */
} Export;

/* The entry for mod:fun/arity, created (with fn NULL) when missing. */
Export *export_entry(Term mod, Term fun, int arity);
/* The entry if it exists, else NULL. */
Export *export_find(Term mod, Term fun, int arity);
/* Declares a built-in function: fn takes 'arity' Terms and returns a Term.
** Returns the entry. */
Export *export_builtin(const char *mod, const char *fun, int arity, void *fn);
/* Whether the entry points at code (not at its stub). */
static inline bool export_loaded(const Export *e) { return e->pub.fn != e->stub; }
/* Points every non-builtin entry of 'mod' back at its stub. */
void export_clear_module(Term mod);
/* Whether 'mod' has built-in functions (erlang, code, ...). */
bool export_is_builtin_module(Term mod);

/* Calls mod:fun(argv...) through the table: loads mod when it has no current
** code; raises error undef (where {Mod, Fun, Args}) when nothing is found. */
Term export_apply(Term mod, Term fun, int argc, const Term *argv);

/* Hook the code server sets: make 'mod' current by loading it from the code
** path; returns whether it is now loaded. */
extern bool (*export_autoload)(Term mod);

/* The code every entry's stub jumps to (export_stub_x86_64.S): it finds
** the entry's current function, loading the module first when needed. */
void export_stub_common(void);

#endif
