/* ap.c -- funs applied from C (twin: ap.erl). */
#include <cerl.h>

MODULE(ap);
EXPORT(twice/2, map/2, is_unary/1);

/* twice(F, X) -> F(F(X)). */
Term twice(Term F, Term X)
{
    return erl_apply(F, erl_list(erl_apply(F, erl_list(X))));
}

/* map(F, [H | T]) -> [F(H) | map(F, T)]; map(_, []) -> []. */
Term map(Term F, Term L)
{
    if (!erl_is_cons(L))
        return ERL_NIL;
    Term H = erl_apply(F, erl_list(erl_hd(L)));
    return erl_cons(H, map(F, erl_tl(L)));
}

/* is_unary(F) -> is_function(F, 1). */
Term is_unary(Term F)
{
    return erl_is_function(F) ? erl_call(erlang, is_function, F, erl_mk_int(1)) : ATOM(false);
}
