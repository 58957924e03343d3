%% The article's module t: a registered process looping with a local call.
-module(t).
-export([start/0]).

start() ->
    Pid = spawn(fun() -> do_loop() end),
    register(t, Pid).

do_loop() ->
    receive
        Msg -> io:format("~p~n", [Msg])
    end,
    do_loop().
