/* kv.c, version 2 -- the key-value server keeps its data in a map and
** counts the gets that found their key: the state is
** #{data => Map, hits => N}. code_change migrates version 1's list of
** pairs into it; kv.c (version 1) migrates it back on a downgrade. */
#include <cerl.h>

MODULE(kv);
VSN("2");
EXPORT(start_link/0, put/2, get/1, hits/0, init/1, handle_call/3, handle_cast/2, code_change/3);

/* start_link() -> gen_server:start_link({local, kv}, kv, [], []). */
Term start_link(void)
{
    return erl_call(gen_server, start_link, erl_tuple(ATOM(local), ATOM(kv)), ATOM(kv), ERL_NIL, ERL_NIL);
}

/* put(Key, Value) -> gen_server:call(kv, {put, Key, Value}). */
Term put(Term Key, Term Value)
{
    return erl_call(gen_server, call, ATOM(kv), erl_tuple(ATOM(put), Key, Value));
}

/* get(Key) -> gen_server:call(kv, {get, Key}). */
Term get(Term Key)
{
    return erl_call(gen_server, call, ATOM(kv), erl_tuple(ATOM(get), Key));
}

/* hits() -> gen_server:call(kv, hits). */
Term hits(void)
{
    return erl_call(gen_server, call, ATOM(kv), ATOM(hits));
}

static Term state(Term Data, Term Hits)
{
    return erl_map_put(erl_map_put(erl_map_new(), ATOM(data), Data), ATOM(hits), Hits);
}

/* init([]) -> {ok, #{data => #{}, hits => 0}}. */
Term init(Term Args)
{
    return erl_tuple(ATOM(ok), state(erl_map_new(), erl_mk_int(0)));
}

/* handle_call({put, K, V}, _From, #{data := D} = S) -> {reply, ok, S#{data := D#{K => V}}};
** handle_call({get, K}, _From, #{data := D, hits := H} = S) ->
**     case D of
**         #{K := V} -> {reply, {ok, V}, S#{hits := H + 1}};
**         _ -> {reply, error, S}
**     end;
** handle_call(hits, _From, #{hits := H} = S) -> {reply, H, S}. */
Term handle_call(Term Request, Term From, Term S)
{
    Term D = erl_map_get(S, ATOM(data)), H = erl_map_get(S, ATOM(hits));
    if (Request == ATOM(hits))
        return erl_tuple(ATOM(reply), H, S);
    Term K = erl_element(Request, 2);
    if (erl_element(Request, 1) == ATOM(put))
        return erl_tuple(ATOM(reply), ATOM(ok), state(erl_map_put(D, K, erl_element(Request, 3)), H));
    Term V = erl_map_get(D, K);
    if (V == ERL_NONE)
        return erl_tuple(ATOM(reply), ATOM(error), S);
    return erl_tuple(ATOM(reply), erl_tuple(ATOM(ok), V), state(D, erl_add(H, erl_mk_int(1))));
}

/* handle_cast(_Msg, S) -> {noreply, S}. */
Term handle_cast(Term Msg, Term S)
{
    return erl_tuple(ATOM(noreply), S);
}

/* code_change(_Vsn, Pairs, _Extra) when is_list(Pairs) ->
**     {ok, #{data => maps:from_list(Pairs), hits => 0}};
** code_change(_Vsn, S, _Extra) -> {ok, S}. */
Term code_change(Term OldVsn, Term State, Term Extra)
{
    if (erl_is_list(State))
        return erl_tuple(ATOM(ok), state(erl_call(maps, from_list, State), erl_mk_int(0)));
    return erl_tuple(ATOM(ok), State);
}
