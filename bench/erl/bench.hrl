%% bench.hrl -- helpers shared by the BEAM benchmark modules, the twins of
%% bench/c/bench.h: the clock, memory (VmRSS + VmPTE), driving a benchmark
%% from a spawned process, and the "@@ key value" lines bench/run.py reads.

-compile([nowarn_unused_function]).

-define(NOW(), erlang:monotonic_time(nanosecond)).

report(Key, Value) ->
    io:format("@@ ~s ~.6f~n", [Key, float(Value)]).

bench_error(Fmt, Args) ->
    io:format("BENCH-ERROR " ++ Fmt ++ "~n", Args).

%% VmRSS + VmPTE of this BEAM in bytes, from /proc/self/status.
mem() ->
    {ok, Bin} = file:read_file("/proc/self/status"),
    Kb = [list_to_integer(V) || L <- string:split(binary_to_list(Bin), "\n", all),
                                [K, V, "kB"] <- [string:lexemes(L, " \t:")],
                                K =:= "VmRSS" orelse K =:= "VmPTE"],
    2 = length(Kb),
    lists:sum(Kb) * 1024.

%% Runs Fun in a process of its own and waits until it ends (as bench_drive).
drive(Fun) ->
    {_, Ref} = spawn_monitor(Fun),
    receive
        {'DOWN', Ref, process, _, normal} -> ok;
        {'DOWN', Ref, process, _, Why} -> bench_error("driver ended: ~p", [Why]), error
    end.

%% Yields until P is neither runnable nor running (as bench_wait_waiting):
%% with one FIFO run queue, every older process has reached receive too.
wait_waiting(P) ->
    case process_info(P, status) of
        {status, S} when S =:= runnable; S =:= running -> erlang:yield(), wait_waiting(P);
        _ -> ok
    end.

wait_count(Count) ->
    case erlang:system_info(process_count) > Count of
        true -> erlang:yield(), wait_count(Count);
        false -> ok
    end.

%% l(Mod) as the shell's l/1 does it: milliseconds.
reload(Mod) ->
    T0 = ?NOW(),
    code:purge(Mod),
    {module, Mod} = code:load_file(Mod),
    (?NOW() - T0) / 1.0e6.

median(L) ->
    S = lists:sort(L),
    K = length(S),
    case K rem 2 of
        1 -> lists:nth(K div 2 + 1, S);
        0 -> (lists:nth(K div 2, S) + lists:nth(K div 2 + 1, S)) / 2
    end.
