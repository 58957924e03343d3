-module(w).
-export([start_link/0]).

start_link() -> spawn_link(fun() -> loop() end).

loop() ->
    receive
        {exit, Reason} -> exit(Reason);
        _ -> loop()
    end.
