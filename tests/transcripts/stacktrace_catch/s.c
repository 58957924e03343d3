#include <cerl.h>
MODULE(s);
EXPORT(deep/1, thrower/1);

Term deep(Term N)
{
    if (erl_compare(N, erl_mk_int(0)) < 0) return ERL_NIL;
    if (N == erl_mk_int(0))
        erl_error(ATOM(bottom));
    return erl_list(deep(erl_sub(N, erl_mk_int(1))));
}

Term thrower(Term X)
{
    if (X != ATOM(none))
        erl_throw(X);
    return erl_list(X);
}
