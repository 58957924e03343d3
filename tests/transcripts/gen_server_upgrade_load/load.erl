-module(load).
-export([run/3]).

%% run(Clients, Calls, Upgrades): Clients processes each call the server
%% ls Calls times while it is upgraded Upgrades times, back and forth: each
%% time suspended, ls loaded anew, its state migrated by code_change (a
%% count to a map, a map to a count), resumed. The upgrade halfway is
%% refused by code_change: the state stays as it was. Returns
%% {CallsServed, CallsFailed, UpgradesDone, UpgradesRefused, FinalCount}.
run(Clients, Calls, Upgrades) ->
    {ok, _} = gen_server:start({local, ls}, ls, 0, []),
    Self = self(),
    Pids = [spawn(fun() -> client(Self, Calls, 0, 0, 0) end) || _ <- lists:seq(1, Clients)],
    {Done, Refused} = upgrade(1, Upgrades, 0, 0),
    {Ok, Failed} = collect(Pids, 0, 0),
    Final = gen_server:call(ls, get),
    ok = gen_server:stop(ls),
    {Ok, Failed, Done, Refused, Final}.

client(Parent, 0, _Last, Ok, Failed) ->
    Parent ! {done, self(), Ok, Failed};
client(Parent, Calls, Last, Ok, Failed) ->
    case catch gen_server:call(ls, bump) of
        N when is_integer(N), N > Last -> client(Parent, Calls - 1, N, Ok + 1, Failed);
        _ -> client(Parent, Calls - 1, Last, Ok, Failed + 1)
    end.

upgrade(I, N, Done, Refused) when I > N -> {Done, Refused};
upgrade(I, N, Done, Refused) ->
    ok = sys:suspend(ls),
    code:purge(ls),
    {module, ls} = code:load_file(ls),
    Vsn = case sys:get_state(ls) of #{} -> {down, 2}; _ -> 1 end,
    Extra = case I =:= N div 2 of true -> refuse; false -> [] end,
    Result = sys:change_code(ls, ls, Vsn, Extra),
    ok = sys:resume(ls),
    case Result of
        ok -> upgrade(I + 1, N, Done + 1, Refused);
        {error, {error, refused}} -> upgrade(I + 1, N, Done, Refused + 1)
    end.

collect([], Ok, Failed) -> {Ok, Failed};
collect([Pid | Pids], Ok, Failed) ->
    receive {done, Pid, O, F} -> collect(Pids, Ok + O, Failed + F) end.
