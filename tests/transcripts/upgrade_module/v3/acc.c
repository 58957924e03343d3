/* acc.c, version 3 -- the state is #{count => N}; its code_change refuses
** a count of 13. */
#include <cerl.h>

MODULE(acc);
VSN("3");
EXPORT(start/1, init/1, handle_call/3, handle_cast/2, code_change/3);

/* start(N) -> gen_server:start(acc, N, []). */
Term start(Term N)
{
    return erl_call(gen_server, start, ATOM(acc), N, ERL_NIL);
}

/* init(N) -> {ok, #{count => N}}. */
Term init(Term N)
{
    return erl_tuple(ATOM(ok), erl_map_put(erl_map_new(), ATOM(count), N));
}

/* handle_call(get, _From, S) -> {reply, {v3, S}, S}. */
Term handle_call(Term Request, Term From, Term S)
{
    return erl_tuple(ATOM(reply), erl_tuple(ATOM(v3), S), S);
}

/* handle_cast(_Msg, S) -> {noreply, S}. */
Term handle_cast(Term Msg, Term S)
{
    return erl_tuple(ATOM(noreply), S);
}

/* code_change("2", {count, 13}, _Extra) -> {error, unlucky};
** code_change("2", {count, N}, _Extra) -> {ok, #{count => N}}. */
Term code_change(Term OldVsn, Term S, Term Extra)
{
    Term N = erl_element(S, 2);
    if (N == erl_mk_int(13))
        return erl_tuple(ATOM(error), ATOM(unlucky));
    return erl_tuple(ATOM(ok), erl_map_put(erl_map_new(), ATOM(count), N));
}
