%% b_biglist -- sending a list of N small integers (1 MB of cells at
%% N = 65536) to another process and getting a small reply, R times;
%% microseconds per round trip.
-module(b_biglist).
-export([run/2]).
-include("bench.hrl").
-compile({nowarn_unused_function, [rss/0]}).

echo() ->
    receive
        stop -> ok;
        {From, _List} -> From ! ok, echo()
    end.

loop(_Echo, _List, 0) -> ok;
loop(Echo, List, R) ->
    Echo ! {self(), List},
    receive _ -> ok end,
    loop(Echo, List, R - 1).

worker(N, R, Parent) ->
    List = lists:seq(1, N),
    Echo = spawn(fun echo/0),
    T0 = ?NOW(),
    loop(Echo, List, R),
    T1 = ?NOW(),
    Echo ! stop,
    Parent ! (T1 - T0) div R.

run(N, R) ->
    Self = self(),
    spawn(fun() -> worker(N, R, Self) end),
    receive Ns -> report("biglist_send_us", Ns / 1000) end,
    ok.
