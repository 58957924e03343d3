%% b_ring -- a ring of N processes (the caller is one) passing a message
%% around M times: nanoseconds per hop.
-module(b_ring).
-export([run/2]).
-include("bench.hrl").
-compile({nowarn_unused_function, [report/2, rss/0]}).

ring_node(Next) ->
    receive
        stop -> Next ! stop;
        Msg -> Next ! Msg, ring_node(Next)
    end.

run(N, M) ->
    Next = build(N - 1, self()),
    T0 = ?NOW(),
    laps(M, Next),
    T1 = ?NOW(),
    Next ! stop,
    receive stop -> ok end,
    report(io_lib:format("ring_ns_~px~p", [N, M]), (T1 - T0) / (N * M)),
    ok.

build(0, Next) -> Next;
build(I, Next) -> build(I - 1, spawn(fun() -> ring_node(Next) end)).

laps(0, _) -> ok;
laps(L, Next) ->
    Next ! L,
    receive _ -> ok end,
    laps(L - 1, Next).
