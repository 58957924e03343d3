-module(po).
-export([start/0, loop/0]).

start() -> spawn(fun loop/0).

loop() ->
    receive
        {echo, From, X} -> From ! {echoed, X}, loop();
        X -> io:format("got ~p~n", [X]), loop()
    end.
