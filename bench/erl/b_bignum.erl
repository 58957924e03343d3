%% b_bignum -- integers of any size: factorial of N computed R times in a
%% spawned process; microseconds per factorial.
-module(b_bignum).
-export([run/2]).
-include("bench.hrl").

fact(N) -> fact(N, 1).
fact(0, Acc) -> Acc;
fact(N, Acc) -> fact(N - 1, N * Acc).

worker(N, R, Parent) ->
    T0 = ?NOW(),
    F = lists:foldl(fun(_, _) -> fact(N) end, 0, lists:seq(1, R)),
    T1 = ?NOW(),
    Parent ! {done, (T1 - T0) div R, F}.

run(N, R) ->
    Self = self(),
    spawn(fun() -> worker(N, R, Self) end),
    receive {done, Ns, F} ->
        report("fact_us", Ns / 1000),
        report("fact_bits", length(integer_to_list(F, 2)))
    end,
    ok.
