/* kv_sup.c -- the supervisor of the key-value server kv: restarts it
** whenever it dies (at most 5 times in 10 seconds). */
#include <cerl.h>

MODULE(kv_sup);
EXPORT(start_link/0, init/1);

/* start_link() -> supervisor:start_link({local, kv_sup}, kv_sup, []). */
Term start_link(void)
{
    return erl_call(supervisor, start_link, erl_tuple(ATOM(local), ATOM(kv_sup)), ATOM(kv_sup), ERL_NIL);
}

/* init([]) ->
**     {ok, {#{strategy => one_for_one, intensity => 5, period => 10},
**           [#{id => kv, start => {kv, start_link, []}}]}}. */
Term init(Term Args)
{
    Term Flags = erl_map_put(erl_map_new(), ATOM(strategy), ATOM(one_for_one));
    Flags = erl_map_put(Flags, ATOM(intensity), erl_mk_int(5));
    Flags = erl_map_put(Flags, ATOM(period), erl_mk_int(10));
    Term Kv = erl_map_put(erl_map_new(), ATOM(id), ATOM(kv));
    Kv = erl_map_put(Kv, ATOM(start), erl_tuple(ATOM(kv), ATOM(start_link), ERL_NIL));
    return erl_tuple(ATOM(ok), erl_tuple(Flags, erl_list(Kv)));
}
