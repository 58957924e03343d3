-module(p).
-export([wait/0]).

wait() ->
    receive X -> X end.
