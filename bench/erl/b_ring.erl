%% b_ring -- a ring of N processes (the driver is one) passing a hop counter
%% around M times: ns per hop, the first lap apart from the warm ones, the
%% ring built and every member waiting before the clock starts (as b_ring.c).
-module(b_ring).
-export([run/2]).
-include("bench.hrl").

ring_node(Next) ->
    receive
        stop -> Next ! stop;
        Hops -> Next ! Hops + 1, ring_node(Next)
    end.

build(0, Next) -> Next;
build(I, Next) -> build(I - 1, spawn(fun() -> ring_node(Next) end)).

lap(Head) ->
    Head ! 0,
    receive Hops -> Hops end.

laps(0, _, _, Wrong) -> Wrong;
laps(L, Head, N, Wrong) ->
    laps(L - 1, Head, N, case lap(Head) of N -> Wrong; _ -> Wrong + 1 end).

driver(N, M) ->
    Head = build(N - 1, self()),
    wait_waiting(Head),
    T0 = ?NOW(),
    W1 = laps(1, Head, N - 1, 0),
    T1 = ?NOW(),
    W2 = laps(M - 1, Head, N - 1, W1),
    T2 = ?NOW(),
    Head ! stop,
    receive stop -> ok end,
    case W2 of
        0 ->
            report(io_lib:format("ring_first_ns_~p", [N]), (T1 - T0) / N),
            report(io_lib:format("ring_warm_ns_~p", [N]), (T2 - T1) / (N * (M - 1)));
        _ ->
            bench_error("b_ring: ~p laps of ~p came back with a hop count other than ~p", [W2, M, N - 1])
    end.

run(N, M) -> drive(fun() -> driver(N, M) end).
