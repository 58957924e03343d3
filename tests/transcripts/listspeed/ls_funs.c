/*
** ls_funs.c
** Funs for the listspeed transcript: lists:map and lists:foldl of export
** funs of a C module (the prepared-call path), one returning no term, one
** allocating garbage on every call, and erl_add/erl_sub at the edges of
** the small integers.
*/
#include <cerl.h>

MODULE(ls_funs);
EXPORT(inc/1, add/2, sub/2, bad/1, bad2/2, boxed/1, thrower/1);

#define BAD ((Term)0x10) /* no term: not on any heap */

/* inc(X) -> X + 1. */
Term inc(Term X)
{
    return erl_add(X, erl_mk_int(1));
}

/* add(X, Acc) -> X + Acc. */
Term add(Term X, Term Acc)
{
    return erl_add(X, Acc);
}

/* sub(X, Acc) -> Acc - X. */
Term sub(Term X, Term Acc)
{
    return erl_sub(Acc, X);
}

Term bad(Term X)
{
    return BAD;
}

Term bad2(Term X, Term Acc)
{
    return erl_int_value(X) == 3 ? BAD : Acc;
}

/* boxed(X) -> {X, lists:seq(1, 50)}: garbage and a boxed result per call. */
Term boxed(Term X)
{
    Term Garbage = erl_call(lists, seq, erl_mk_int(1), erl_mk_int(50));
    (void)erl_call(lists, seq, erl_mk_int(1), erl_mk_int(50));
    return erl_tuple(X, Garbage);
}

/* thrower(3) -> throw(three); thrower(X) -> X. */
Term thrower(Term X)
{
    if (erl_int_value(X) == 3)
        erl_throw(ATOM(three));
    return X;
}
