#include <cerl.h>

MODULE(dbl);
EXPORT(twice/1, tell/2);

/* twice(X) -> 2 * X. */
Term twice(Term X)
{
    return erl_mul(X, erl_mk_int(2));
}

/* tell(Pid, Msg) -> Pid ! {self(), Msg}, ok. For a process spawned here
** by another node: it answers, and its pid says where it runs. */
Term tell(Term Pid, Term Msg)
{
    erl_send(Pid, erl_tuple(erl_self(), Msg));
    return ATOM(ok);
}
