%% The article's fix: code_switch moves the process to the current version.
-module(t).
-export([start/0, do_loop/0]).

start() ->
    Pid = spawn(fun() -> do_loop() end),
    register(t, Pid).

do_loop() ->
    receive
        code_switch ->
            t:do_loop();
        Msg ->
            io:format("~p~n", [Msg]),
            do_loop()
    end.
