-module(s).
-export([deep/1, thrower/1]).
%% Each failing call sits on the line of the C call it mirrors in s.c:
%% tests/normalize compares "s.erl" in erl's stack traces as "s.c".
deep(N) when N < 0 -> [];
deep(N) ->


    N =:= 0 andalso erlang:error(bottom),
    [deep(N - 1)].


thrower(X) ->


    X =/= none andalso throw(X), [X].
