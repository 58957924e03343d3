/* acc.c, version 1 -- a server whose state is a count N. v2/acc.c and
** v3/acc.c are its next versions, for upgrade:module. */
#include <cerl.h>

MODULE(acc);
VSN("1");
EXPORT(start/1, init/1, handle_call/3, handle_cast/2, code_change/3);

/* start(N) -> gen_server:start(acc, N, []). */
Term start(Term N)
{
    return erl_call(gen_server, start, ATOM(acc), N, ERL_NIL);
}

/* init(N) -> {ok, N}. */
Term init(Term N)
{
    return erl_tuple(ATOM(ok), N);
}

/* handle_call(get, _From, S) -> {reply, {v1, S}, S}. */
Term handle_call(Term Request, Term From, Term S)
{
    return erl_tuple(ATOM(reply), erl_tuple(ATOM(v1), S), S);
}

/* handle_cast(_Msg, S) -> {noreply, S}. */
Term handle_cast(Term Msg, Term S)
{
    return erl_tuple(ATOM(noreply), S);
}

/* code_change(_OldVsn, S, _Extra) -> {ok, S}. */
Term code_change(Term OldVsn, Term S, Term Extra)
{
    return erl_tuple(ATOM(ok), S);
}
