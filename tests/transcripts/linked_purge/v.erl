-module(v).
-export([start_link/0]).

start_link() -> spawn_link(fun() -> loop() end).

loop() ->
    receive _ -> loop() end.
