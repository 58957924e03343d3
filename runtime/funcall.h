/*
** funcall.h
** Prepared fun calls (cerl.h's ErlPreparedFun), with the call inline for
** the runtime's own loops (listops.c).
*/
#ifndef CERL_FUNCALL_H
#define CERL_FUNCALL_H

#include "error.h"
#include "export.h"
#include "proc.h"

/* What the fun's module returned, checked as export_apply checks it:
** a non-term raises badterm (ending only the calling process). */
Term funcall_checked(const Export *e, int argc, Term r);

/* erl_prepared_call, inline: one load of the entry's fn, a direct call of
** a loaded function of arity 1 or 2, and a one-bit test for a small
** integer result before the full check. */
static inline Term funcall_prepared(const ErlPreparedFun *pf, const Term *argv)
{
    Export *e = pf->entry;
    if (!e || !export_loaded(e)) /* not loaded now: the general path loads it or raises */
        return erl_apply_n(pf->fun, pf->argc, argv);
    void *fn = e->pub.fn;
    Term r = pf->argc == 1 ? ((ErlFn1)fn)(argv[0])
           : pf->argc == 2 ? ((ErlFn2)fn)(argv[0], argv[1])
                           : proc_apply(fn, pf->argc, argv);
    return erl_is_int(r) ? r : funcall_checked(e, pf->argc, r);
}

#endif
