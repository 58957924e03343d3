%% b_purge -- the victims of b_code:purge/1: N processes running this
%% module's code, monitored by the caller; after one l(b_purge) they run
%% old code and the next kills them.
-module(b_purge).
-export([start/1]).

idle() -> receive _ -> idle() end.

start(0) -> ok;
start(N) -> erlang:monitor(process, spawn(fun idle/0)), start(N - 1).
