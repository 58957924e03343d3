-module(spin).
-export([start/0]).

start() -> spawn(fun loop/0).

loop() ->
    receive stop -> ok after 0 -> erlang:yield(), loop() end.
