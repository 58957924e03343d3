/* ls.c -- a counter upgraded under load (twin: ls.erl). Its state is a
** count N, or #{count => N, upgrades => 1} after an upgrade; each
** downgrade turns it back into the count. */
#include <cerl.h>

MODULE(ls);
EXPORT(init/1, handle_call/3, handle_cast/2, code_change/3);

/* init(N) -> {ok, N}. */
Term init(Term N)
{
    return erl_tuple(ATOM(ok), N);
}

/* handle_call(bump, _From, #{count := N} = S) -> {reply, N + 1, S#{count := N + 1}};
** handle_call(bump, _From, N) -> {reply, N + 1, N + 1};
** handle_call(get, _From, #{count := N} = S) -> {reply, N, S};
** handle_call(get, _From, N) -> {reply, N, N}. */
Term handle_call(Term Request, Term From, Term S)
{
    Term N = erl_is_map(S) ? erl_map_get(S, ATOM(count)) : S;
    if (Request == ATOM(get))
        return erl_tuple(ATOM(reply), N, S);
    N = erl_add(N, erl_mk_int(1));
    return erl_tuple(ATOM(reply), N, erl_is_map(S) ? erl_map_put(S, ATOM(count), N) : N);
}

/* handle_cast(_Msg, S) -> {noreply, S}. */
Term handle_cast(Term Msg, Term S)
{
    return erl_tuple(ATOM(noreply), S);
}

/* code_change(_Vsn, _S, refuse) -> {error, refused};
** code_change({down, _Vsn}, #{count := N}, _Extra) -> {ok, N};
** code_change(_Vsn, N, _Extra) -> {ok, #{count => N, upgrades => 1}}. */
Term code_change(Term Vsn, Term S, Term Extra)
{
    if (Extra == ATOM(refuse))
        return erl_tuple(ATOM(error), ATOM(refused));
    if (erl_is_tuple(Vsn) && erl_element(Vsn, 1) == ATOM(down))
        return erl_tuple(ATOM(ok), erl_map_get(S, ATOM(count)));
    Term M = erl_map_put(erl_map_new(), ATOM(count), S);
    return erl_tuple(ATOM(ok), erl_map_put(M, ATOM(upgrades), erl_mk_int(1)));
}
