%% b_spawn -- spawn N processes blocked in receive: microseconds per spawn
%% (until all wait), resident bytes per process, then kill them all.
-module(b_spawn).
-export([run/1]).
-include("bench.hrl").
-compile({nowarn_unused_function, [report/2, rss/0]}).

idle() -> receive _ -> idle() end.

run(N) ->
    Base = erlang:system_info(process_count),
    Rss0 = rss(),
    T0 = ?NOW(),
    Pids = spawn_n(N, []),
    wait_waiting(hd(Pids)),
    T1 = ?NOW(),
    Rss1 = rss(),
    [exit(P, kill) || P <- Pids],
    wait_count(Base),
    T2 = ?NOW(),
    report(io_lib:format("spawn_us_~p", [N]), (T1 - T0) / 1000 / N),
    report(io_lib:format("spawn_bytes_~p", [N]), (Rss1 - Rss0) / N),
    report(io_lib:format("kill_us_~p", [N]), (T2 - T1) / 1000 / N),
    ok.

spawn_n(0, Acc) -> Acc;
spawn_n(I, Acc) -> spawn_n(I - 1, [spawn(fun idle/0) | Acc]).

%% The last process spawned has reached receive (one scheduler, FIFO queue).
wait_waiting(P) ->
    case process_info(P, status) of
        {status, waiting} -> ok;
        _ -> erlang:yield(), wait_waiting(P)
    end.

wait_count(Base) ->
    case erlang:system_info(process_count) > Base of
        true -> erlang:yield(), wait_count(Base);
        false -> ok
    end.
