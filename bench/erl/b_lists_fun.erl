%% b_lists_fun -- lists:map and lists:foldl over N integers, in a spawned
%% process, milliseconds each, with the funs an Erlang programmer writes;
%% then lists:foldl with the built-in fun erlang:'+'/2.
-module(b_lists_fun).
-export([run/1]).
-include("bench.hrl").

worker(N, Parent) ->
    L = lists:seq(1, N),
    T0 = ?NOW(),
    M = lists:map(fun(X) -> X + 1 end, L),
    T1 = ?NOW(),
    S = lists:foldl(fun(X, Acc) -> X + Acc end, 0, L),
    T2 = ?NOW(),
    S = lists:foldl(fun erlang:'+'/2, 0, L),
    T3 = ?NOW(),
    Parent ! {T1 - T0, T2 - T1, hd(M), S, T3 - T2}.

run(N) ->
    Self = self(),
    spawn(fun() -> worker(N, Self) end),
    receive {Map, Foldl, _, _, FoldlBif} ->
        report("lists_map_ms", Map / 1.0e6),
        report("lists_foldl_ms", Foldl / 1.0e6),
        report("lists_foldl_bif_ms", FoldlBif / 1.0e6)
    end,
    ok.
