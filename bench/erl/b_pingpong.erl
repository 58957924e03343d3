%% b_pingpong -- two processes bouncing a small integer: ns per round trip.
-module(b_pingpong).
-export([run/1]).
-include("bench.hrl").

pong(Peer) ->
    receive
        stop -> Peer ! stop;
        Msg -> Peer ! Msg, pong(Peer)
    end.

driver(N) ->
    Self = self(),
    Pong = spawn(fun() -> pong(Self) end),
    T0 = ?NOW(),
    Wrong = ping(N, Pong, 0),
    T1 = ?NOW(),
    Pong ! stop,
    receive stop -> ok end,
    case Wrong of
        0 -> report("pingpong_ns", (T1 - T0) / N);
        _ -> bench_error("b_pingpong: ~p replies were not the message sent", [Wrong])
    end.

ping(0, _, Wrong) -> Wrong;
ping(I, Pong, Wrong) ->
    Pong ! I,
    receive R -> ping(I - 1, Pong, if R =:= I -> Wrong; true -> Wrong + 1 end) end.

run(N) -> drive(fun() -> driver(N) end).
