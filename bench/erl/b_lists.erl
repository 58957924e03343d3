%% b_lists -- the lists module on N elements, in a spawned process: sort of
%% N pseudo-random integers, then reverse of the result; milliseconds each.
-module(b_lists).
-export([run/1]).
-include("bench.hrl").

randoms(0, _X, Acc) -> Acc;
randoms(N, X, Acc) -> Y = X * 48271 rem 2147483647, randoms(N - 1, Y, [Y | Acc]).

worker(N, Parent) ->
    L = randoms(N, 1, []),
    T0 = ?NOW(),
    S = lists:sort(L),
    T1 = ?NOW(),
    R = lists:reverse(S),
    T2 = ?NOW(),
    Parent ! {T1 - T0, T2 - T1, hd(R)}.

run(N) ->
    Self = self(),
    spawn(fun() -> worker(N, Self) end),
    receive {Sort, Rev, _} ->
        report("lists_sort_ms", Sort / 1.0e6),
        report("lists_reverse_ms", Rev / 1.0e6)
    end,
    ok.
