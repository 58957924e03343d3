%% b_spawn -- spawn N processes blocked in receive onto fresh memory, kill
%% them, spawn N again onto reused memory, kill them: us per spawn (until
%% all wait) and per kill (until all are gone), as b_spawn.c.
-module(b_spawn).
-export([run/1]).
-include("bench.hrl").

idle() -> receive _ -> idle() end.

spawn_n(0, Acc) -> Acc;
spawn_n(I, Acc) -> spawn_n(I - 1, [spawn(fun idle/0) | Acc]).

spawn_all(N) ->
    T0 = ?NOW(),
    Pids = spawn_n(N, []),
    wait_waiting(hd(Pids)),
    {?NOW() - T0, Pids}.

kill_all(Pids, Base) ->
    T0 = ?NOW(),
    lists:foreach(fun(P) -> exit(P, kill) end, Pids),
    wait_count(Base),
    ?NOW() - T0.

driver(N) ->
    Base = erlang:system_info(process_count),
    {Fresh, Pids1} = spawn_all(N),
    Alive1 = erlang:system_info(process_count) - Base,
    Kill1 = kill_all(Pids1, Base),
    {Reused, Pids2} = spawn_all(N),
    Alive2 = erlang:system_info(process_count) - Base,
    Kill2 = kill_all(Pids2, Base),
    case {Alive1, Alive2} of
        {N, N} ->
            report(io_lib:format("spawn_fresh_us_~p", [N]), Fresh / 1000 / N),
            report(io_lib:format("spawn_reused_us_~p", [N]), Reused / 1000 / N),
            report(io_lib:format("kill_us_~p", [N]), (Kill1 + Kill2) / 1000 / (2 * N));
        _ ->
            bench_error("b_spawn: ~p and ~p processes alive after spawning ~p", [Alive1, Alive2, N])
    end.

run(N) -> drive(fun() -> driver(N) end).
