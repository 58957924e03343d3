%% b_code -- the shell commands c(t) and l(t), and the purge of N processes
%% running old code (l(b_purge) until every 'DOWN' is in): milliseconds.
%% Run with the current directory holding t.erl.
-module(b_code).
-export([c_t/1, l_t/1, purge/1]).
-include("bench.hrl").
-compile({nowarn_unused_function, [report/2, rss/0]}).

c_t(0) -> ok;
c_t(Reps) ->
    T0 = ?NOW(),
    {ok, t} = c:c(t),
    report("c_t_ms", (?NOW() - T0) / 1.0e6),
    c_t(Reps - 1).

l_t(0) -> ok;
l_t(Reps) ->
    T0 = ?NOW(),
    {module, t} = c:l(t),
    report("l_t_ms", (?NOW() - T0) / 1.0e6),
    l_t(Reps - 1).

purge(N) ->
    ok = b_purge:start(N),
    {module, b_purge} = c:l(b_purge),
    T0 = ?NOW(),
    {module, b_purge} = c:l(b_purge),
    ok = b_purge:wait_down(N),
    report(io_lib:format("purge_ms_~p", [N]), (?NOW() - T0) / 1.0e6),
    ok.
