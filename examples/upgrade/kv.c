/* kv.c -- version 1 of a key-value server: its state is a list of
** {Key, Value} pairs. v2/kv.c is version 2; README.md, "Upgrading a server
** without stopping it", moves a live kv from one to the other and back. */
#include <cerl.h>

MODULE(kv);
VSN("1");
EXPORT(start_link/0, put/2, get/1, init/1, handle_call/3, handle_cast/2, code_change/3);

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

/* init([]) -> {ok, []}. */
Term init(Term Args)
{
    return erl_tuple(ATOM(ok), ERL_NIL);
}

/* handle_call({put, K, V}, _From, Pairs) -> {reply, ok, lists:keystore(K, 1, Pairs, {K, V})};
** handle_call({get, K}, _From, Pairs) ->
**     case lists:keyfind(K, 1, Pairs) of
**         {K, V} -> {reply, {ok, V}, Pairs};
**         false -> {reply, error, Pairs}
**     end. */
Term handle_call(Term Request, Term From, Term Pairs)
{
    Term K = erl_element(Request, 2);
    if (erl_element(Request, 1) == ATOM(put)) {
        Term Pair = erl_tuple(K, erl_element(Request, 3));
        return erl_tuple(ATOM(reply), ATOM(ok), erl_call(lists, keystore, K, erl_mk_int(1), Pairs, Pair));
    }
    Term Found = erl_call(lists, keyfind, K, erl_mk_int(1), Pairs);
    if (Found == ATOM(false))
        return erl_tuple(ATOM(reply), ATOM(error), Pairs);
    return erl_tuple(ATOM(reply), erl_tuple(ATOM(ok), erl_element(Found, 2)), Pairs);
}

/* handle_cast(_Msg, Pairs) -> {noreply, Pairs}. */
Term handle_cast(Term Msg, Term Pairs)
{
    return erl_tuple(ATOM(noreply), Pairs);
}

/* code_change({down, _Vsn}, #{data := Map}, _Extra) -> {ok, maps:to_list(Map)};
** code_change(_Vsn, Pairs, _Extra) -> {ok, Pairs}.
** The downgrade from version 2: its map of data back to a list of pairs. */
Term code_change(Term OldVsn, Term State, Term Extra)
{
    if (erl_is_tuple(OldVsn) && erl_element(OldVsn, 1) == ATOM(down))
        return erl_tuple(ATOM(ok), erl_call(maps, to_list, erl_map_get(State, ATOM(data))));
    return erl_tuple(ATOM(ok), State);
}
