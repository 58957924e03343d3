-module(u).
-export([start/0, loop/0, version/0]).

version() -> 1.

start() -> spawn(fun() -> loop() end).

loop() ->
    receive
        upgrade -> u:loop();
        {From, version} -> From ! {version, version()}, loop()
    end.
