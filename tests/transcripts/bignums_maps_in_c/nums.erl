-module(nums).
-export([fact/1, fib/1, count/1, lookup/2, total/1]).

fact(0) -> 1;
fact(N) -> N * fact(N - 1).

fib(N) -> fib(N, 0, 1).
fib(0, A, _) -> A;
fib(N, A, B) -> fib(N - 1, B, A + B).

count(Words) ->
    lists:foldl(fun(W, M) -> maps:update_with(W, fun(C) -> C + 1 end, 1, M) end, #{}, Words).

lookup(K, M) -> maps:get(K, M, none).

total(M) -> lists:sum(maps:values(M)).
