%% b_code -- the shell commands c(t) and l(t) (c:c(t) and c:l(t), what
%% erl's shell calls), and the purge of N old-code processes driven from a
%% process of its own, as b_code.c. Run with the current directory holding
%% t.erl.
-module(b_code).
-export([c_t/1, l_t/1, purge/1]).
-include("bench.hrl").

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

count_killed(0, Killed) -> Killed;
count_killed(I, Killed) ->
    receive
        {'DOWN', _, process, _, killed} -> count_killed(I - 1, Killed + 1);
        {'DOWN', _, process, _, _} -> count_killed(I - 1, Killed)
    end.

purge_driver(N) ->
    ok = b_purge:start(N),
    reload(b_purge),
    T0 = ?NOW(),
    reload(b_purge),
    Killed = count_killed(N, 0),
    T1 = ?NOW(),
    case Killed of
        N ->
            report(io_lib:format("purge_ms_~p", [N]), (T1 - T0) / 1.0e6),
            report(io_lib:format("purge_us_per_victim_~p", [N]), (T1 - T0) / 1.0e3 / N);
        _ ->
            bench_error("b_code: ~p of ~p 'DOWN' messages said killed", [Killed, N])
    end.

purge(N) -> drive(fun() -> purge_driver(N) end).
