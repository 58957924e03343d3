%% fc.erl -- twin of fc.c.
-module(fc).
-export([adder/1, exp/0, call/2, info/1, relay/1]).

adder(N) -> fun(X) -> X + N end.

exp() -> fun lists:reverse/1.

call(F, Args) -> erlang:apply(F, Args).

info(F) -> [erlang:fun_info(F, K) || K <- [module, arity, env, type]].

relay_once(F, Parent) ->
    receive X -> Parent ! {result, F(X)} end,
    ok.

relay(F) -> Self = self(), spawn(fun() -> relay_once(F, Self) end).
