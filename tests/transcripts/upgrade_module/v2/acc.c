/* acc.c, version 2 -- the state is {count, N}. */
#include <cerl.h>

MODULE(acc);
VSN("2");
EXPORT(start/1, init/1, handle_call/3, handle_cast/2, code_change/3);

/* start(N) -> gen_server:start(acc, N, []). */
Term start(Term N)
{
    return erl_call(gen_server, start, ATOM(acc), N, ERL_NIL);
}

/* init(N) -> {ok, {count, N}}. */
Term init(Term N)
{
    return erl_tuple(ATOM(ok), erl_tuple(ATOM(count), N));
}

/* handle_call(get, _From, S) -> {reply, {v2, S}, S}. */
Term handle_call(Term Request, Term From, Term S)
{
    return erl_tuple(ATOM(reply), erl_tuple(ATOM(v2), S), S);
}

/* handle_cast(_Msg, S) -> {noreply, S}. */
Term handle_cast(Term Msg, Term S)
{
    return erl_tuple(ATOM(noreply), S);
}

/* code_change("1", N, _Extra) -> {ok, {count, N}}. */
Term code_change(Term OldVsn, Term N, Term Extra)
{
    return erl_tuple(ATOM(ok), erl_tuple(ATOM(count), N));
}
