%% b_pingpong -- two processes bouncing a message: ns per round trip.
-module(b_pingpong).
-export([run/1]).
-include("bench.hrl").
-compile({nowarn_unused_function, [report/2, rss/0]}).

pong(Peer) ->
    receive
        stop -> Peer ! stop;
        Msg -> Peer ! Msg, pong(Peer)
    end.

run(N) ->
    Self = self(),
    Pong = spawn(fun() -> pong(Self) end),
    T0 = ?NOW(),
    ping(N, Pong),
    T1 = ?NOW(),
    Pong ! stop,
    receive stop -> ok end,
    report("pingpong_ns", (T1 - T0) / N),
    ok.

ping(0, _) -> ok;
ping(I, Pong) ->
    Pong ! I,
    receive _ -> ok end,
    ping(I - 1, Pong).
