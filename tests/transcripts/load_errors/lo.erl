%% lo.erl -- the Erlang twin of lo.c: a process that waits for ever.
-module(lo).
-export([start/0, loop/0]).

loop() ->
    receive _ -> loop() end.

start() ->
    spawn(fun loop/0).
