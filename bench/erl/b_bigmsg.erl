%% b_bigmsg -- sending a 1 MB list (65,536 small integers) to another
%% process and getting a small reply, R times: us per round trip. As
%% b_bigmsg.c.
-module(b_bigmsg).
-export([run/1]).
-include("bench.hrl").

-define(CELLS, 65536).

echo() ->
    receive
        stop -> ok;
        {From, check, L} -> From ! length(L), echo();
        {From, _L} -> From ! ok, echo()
    end.

loop(0, _, _) -> ok;
loop(R, Echo, L) ->
    Echo ! {self(), L},
    receive ok -> ok end,
    loop(R - 1, Echo, L).

driver(R) ->
    L = lists:seq(1, ?CELLS),
    Echo = spawn(fun echo/0),
    Echo ! {self(), check, L},
    Got = receive G -> G end,
    T0 = ?NOW(),
    loop(R, Echo, L),
    T1 = ?NOW(),
    Echo ! stop,
    case Got of
        ?CELLS -> report("msg_1mb_us", (T1 - T0) / 1.0e3 / R);
        _ -> bench_error("b_bigmsg: the list arrived with ~p cells of ~p", [Got, ?CELLS])
    end.

run(R) -> drive(fun() -> driver(R) end).
