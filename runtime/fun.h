/*
** fun.h
** Funs as terms: export funs (fun M:F/A), C closures (a module function with
** captured terms), and the shell's funs; applying any of them, their order,
** fun_info, and the rule that a fun of old code keeps its holder on it.
**
** Layouts (one ERL_BOX_FUN kind; word 2 is always the arity as a small
** integer, and every word after word 1 is a term):
**   export fun  [hdr 4][0][Arity][Mod][Fun]
**   C closure   [hdr 2+K][FunInfo* (FUN_C)][Arity][Env1]..[EnvK]
**   shell fun   [hdr 2+2K][FunDef* (FUN_SHELL)][Arity][Name1][Value1]..
** A C closure's FunInfo is made once per function (and module version) and
** never freed, so a fun may be copied, sent and applied in any process.
*/
#ifndef CERL_FUN_H
#define CERL_FUN_H

#include "buf.h"
#include "symtab.h"
#include "term.h"

static inline bool fun_is(Term t)
{
    return erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_FUN;
}
static inline bool fun_is_export(Term t)
{
    return fun_is(t) && erl_box_ptr(t)[1] == 0;
}
static inline int fun_arity(Term f)
{
    return (int)erl_int_value(erl_box_ptr(f)[2]);
}
/* The FunInfo of a fun that is not an export fun. */
static inline const FunInfo *fun_info_of(Term f)
{
    return (const FunInfo *)(uintptr_t)erl_box_ptr(f)[1];
}

/* fun M:F/Arity on h (no check that M:F/Arity exists, as in erl). */
Term fun_export(Heap *h, Term mod, Term fun, int arity);
void fun_export_parts(Term f, Term *mod, Term *fun, int *arity);

/* A closure of 'arity' arguments calling fn(Args..., Env...) on h; NULL
** when arity + nenv > 8 or fn is in no loaded module (the caller raises). */
Term fun_closure(Heap *h, void *fn, int arity, int nenv, const Term *env);

/* F(Args...): raises {badfun, F} for a non-fun and {badarity, {F, Args}}
** when the counts differ, as erl does. argc <= 8. */
Term fun_apply(Term fun, int argc, const Term *argv);

/* Term order between two funs: local funs (closures, shell funs) before
** export funs; export funs by module, name, arity; local ones by module,
** index, uniq, then captured terms. */
int fun_compare(Term a, Term b);

/* A version of 'mod' with these functions was loaded: closures of an
** earlier version with the same md5 (the very same code) now run this
** one's functions of the same names, as erl's fun entries follow a reload
** of identical code; closures of other code stay on theirs. */
void fun_code_loaded(Term mod, const unsigned char md5[16], const FnSym *funcs, size_t n);

/* Whether a live C closure on h has its code in [lo, hi). */
bool fun_heap_refers(Heap *h, uintptr_t lo, uintptr_t hi);

/* ----- purge scan: whether any closure with its code in [lo, hi) may exist
** anywhere (every C closure is made through a descriptor, and a descriptor
** is made before its first closure): when not, no heap need be searched. */
bool fun_closures_in(uintptr_t lo, uintptr_t hi);

/* The printed form: fun M:F/A, #Fun<erl_eval.N.3316493>, #Fun<M.N.U>. */
void fun_write(Buf *b, Term f);

/* Enters erlang:fun_info/1,2. */
void fun_bif_init(void);

#endif
