/*
** funcall.c
** Prepared fun calls: a fun that a loop applies many times (lists:foldl,
** lists:map) is looked at once, so that each application of an export fun
** of a loaded module is an export-table load, an indirect call and the
** check of what it returns, with no lookup of Mod:Fun/Arity per element.
*/
#include "funcall.h"
#include "fun.h"

#include <string.h>

/* Whether mod:fun is one that the shell's remote call treats specially
** (module_info, init:stop, erlang:halt, c: and shell_default: commands):
** those keep the general path. The other built-in functions (erlang:'+'/2,
** erlang:element/2, ...) are called through their entries as module
** functions are. */
static bool special(Term mod, Term fun)
{
    const char *m = erl_atom_name(mod), *f = erl_atom_name(fun);
    return strcmp(f, "module_info") == 0 || (strcmp(m, "init") == 0 && strcmp(f, "stop") == 0) ||
           (strcmp(m, "erlang") == 0 && strcmp(f, "halt") == 0) || strcmp(m, "c") == 0 ||
           strcmp(m, "shell_default") == 0;
}

void erl_fun_prepare(ErlPreparedFun *pf, Term fun, int argc)
{
    pf->fun = fun;
    pf->argc = argc;
    pf->entry = NULL;
    if (!fun_is_export(fun) || fun_arity(fun) != argc)
        return;
    const Term *p = erl_box_ptr(fun);
    if (!erl_is_atom(p[3]) || !erl_is_atom(p[4]) || special(p[3], p[4]))
        return;
    pf->entry = export_find(p[3], p[4], argc);
}

Term funcall_checked(const Export *e, int argc, Term r)
{
    Term bad = term_check(heap_current(), r); /* what a module returns must be its own term */
    if (bad != ERL_NONE)
        exc_badterm(term_tuple(heap_current(), 3, (Term[]){e->mod, e->fun, erl_mk_int(argc)}), bad);
    return r;
}

Term erl_prepared_call(const ErlPreparedFun *pf, const Term *argv)
{
    return funcall_prepared(pf, argv);
}
