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
** those keep the general path. */
static bool special(Term mod, Term fun)
{
    static const char *const mods[] = {"init", "erlang", "c", "shell_default"};
    if (strcmp(erl_atom_name(fun), "module_info") == 0)
        return true;
    for (size_t i = 0; i < sizeof mods / sizeof *mods; i++)
        if (strcmp(erl_atom_name(mod), mods[i]) == 0)
            return true;
    return false;
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
    Export *e = export_find(p[3], p[4], argc);
    if (e && !e->builtin)
        pf->entry = e;
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
