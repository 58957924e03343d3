%% b_purge -- N processes running this module's code, monitored by the
%% caller; after one l(b_purge) they run old code and the next kills them.
-module(b_purge).
-export([start/1, wait_down/1]).

idle() -> receive _ -> idle() end.

start(0) -> ok;
start(N) -> erlang:monitor(process, spawn(fun idle/0)), start(N - 1).

wait_down(0) -> ok;
wait_down(N) -> receive {'DOWN', _, process, _, _} -> wait_down(N - 1) end.
