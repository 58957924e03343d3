-module(t).
-export([f/1, g/1, thrower/0, exiter/0, undef/0, reg/0, divide/1]).
%% Each failing call sits on the line of the C call it mirrors in t.c:
%% tests/normalize compares "t.erl" in erl's stack traces as "t.c".
h(X) ->


    X =:= a andalso erlang:error({bad, X}), [X].



g(X) ->

    {h(X)}.


f(X) ->

    [g(X)].


thrower() -> throw(up).
exiter() -> exit(out).
undef() ->

    [nomod:f()].


two(A, B) ->

    [register(A, B)].


reg() ->

    [two(undefined, self())].


divide(X) ->

    [1 div X].
