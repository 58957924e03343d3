%% b_binary -- sending a binary of N bytes to another process and getting a
%% small reply, R times; microseconds per round trip.
-module(b_binary).
-export([run/2]).
-include("bench.hrl").

echo() ->
    receive
        stop -> ok;
        {From, Bin} -> From ! byte_size(Bin), echo()
    end.

loop(_Echo, _Bin, 0) -> ok;
loop(Echo, Bin, R) ->
    Echo ! {self(), Bin},
    receive _ -> ok end,
    loop(Echo, Bin, R - 1).

worker(N, R, Parent) ->
    Bin = binary:copy(<<0>>, N),
    Echo = spawn(fun echo/0),
    T0 = ?NOW(),
    loop(Echo, Bin, R),
    T1 = ?NOW(),
    Echo ! stop,
    Parent ! (T1 - T0) div R.

run(N, R) ->
    Self = self(),
    spawn(fun() -> worker(N, R, Self) end),
    receive Ns -> report("binary_send_us", Ns / 1000) end,
    ok.
