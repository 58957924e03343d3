/* cnt.c -- a counter whose state changes shape on code_change (twin: cnt.erl).
** The state is a count N, or #{count => N} once code_change has migrated
** it; code_change({down, _}, ...) migrates it back. */
#include <cerl.h>

MODULE(cnt);
EXPORT(init/1, handle_call/3, handle_cast/2, handle_info/2, code_change/3);

/* init(N) -> {ok, N}. */
Term init(Term N)
{
    return erl_tuple(ATOM(ok), N);
}

/* handle_call(bump, _From, #{count := N} = S) -> {reply, N + 1, S#{count := N + 1}};
** handle_call(bump, _From, N) -> {reply, N + 1, N + 1}. */
Term handle_call(Term Request, Term From, Term S)
{
    if (erl_is_map(S)) {
        Term N = erl_add(erl_map_get(S, ATOM(count)), erl_mk_int(1));
        return erl_tuple(ATOM(reply), N, erl_map_put(S, ATOM(count), N));
    }
    Term N = erl_add(S, erl_mk_int(1));
    return erl_tuple(ATOM(reply), N, N);
}

/* handle_cast(reset, #{} = S) -> {noreply, S#{count := 0}};
** handle_cast(reset, _N) -> {noreply, 0}. */
Term handle_cast(Term Msg, Term S)
{
    if (erl_is_map(S))
        return erl_tuple(ATOM(noreply), erl_map_put(S, ATOM(count), erl_mk_int(0)));
    return erl_tuple(ATOM(noreply), erl_mk_int(0));
}

/* handle_info(_Msg, S) -> {noreply, S}. */
Term handle_info(Term Msg, Term S)
{
    return erl_tuple(ATOM(noreply), S);
}

/* code_change({down, _Vsn}, #{count := N}, _Extra) -> {ok, N};
** code_change(bad, _S, _Extra) -> {error, bad_vsn};
** code_change(_Vsn, N, to_map) -> {ok, #{count => N}}. */
Term code_change(Term OldVsn, Term S, Term Extra)
{
    if (erl_is_tuple(OldVsn) && erl_element(OldVsn, 1) == ATOM(down))
        return erl_tuple(ATOM(ok), erl_map_get(S, ATOM(count)));
    if (OldVsn == ATOM(bad))
        return erl_tuple(ATOM(error), ATOM(bad_vsn));
    return erl_tuple(ATOM(ok), erl_map_put(erl_map_new(), ATOM(count), S));
}
