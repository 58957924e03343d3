-module(cam).
-export([refs/0, alive/0, try_alive/1, down/1, try_demonitor/2, len/1, iol/2, clocks/0, try_clock/2]).

refs() ->
    R1 = make_ref(), R2 = make_ref(),
    {is_reference(R1), R1 =:= R2}.

wait_stop() ->
    receive stop -> ok; _ -> wait_stop() end.

wait_dead(Pid) ->
    case is_process_alive(Pid) of
        true -> timer:sleep(1), wait_dead(Pid);
        false -> ok
    end.

alive() ->
    Pid = spawn(fun wait_stop/0),
    Before = is_process_alive(Pid),
    Pid ! stop,
    wait_dead(Pid),
    [Before, is_process_alive(Pid)].

try_alive(X) ->
    try is_process_alive(X) catch C:R -> {C, R} end.

down(How) ->
    {Pid, Ref} = case How of
                     early -> spawn_monitor(fun wait_stop/0);
                     _ -> spawn_monitor(fun() -> exit(bye) end)
                 end,
    R0 = case How of
             early -> R = demonitor(Ref), Pid ! stop, R;
             _ -> true
         end,
    wait_dead(Pid),
    Result = case How of
                 demonitor -> demonitor(Ref);
                 flush -> demonitor(Ref, [flush]);
                 _ -> R0
             end,
    Down = receive {'DOWN', Ref, process, _, Why} -> {down, Why} after 0 -> none end,
    case How of
        none -> Down;
        _ -> {Result, case Down of none -> no_down; _ -> down_kept end}
    end.

try_demonitor(How, X) ->
    try
        case How of
            flush -> demonitor(X, [flush]);
            _ -> demonitor(X)
        end
    catch C:R -> {C, R} end.

len(L) ->
    try length(L) catch error:badarg -> -1 end.

iol(T, Size) ->
    try iolist_to_binary(T) of
        B when Size =:= 0 -> {byte_size(B), "untouched"};
        B -> {byte_size(B), binary_to_list(binary:part(B, 0, min(byte_size(B), Size - 1)))}
    catch C:R -> {C, R} end.

clocks() ->
    S = erlang:system_time(second),
    Erl = erlang:system_time(second),
    M1 = erlang:monotonic_time(millisecond),
    M2 = erlang:monotonic_time(millisecond),
    Ns = erlang:monotonic_time(nanosecond),
    Ms = erlang:monotonic_time(1000),
    Now = Erl - S,
    [Now >= 0 andalso Now =< 1, M2 >= M1, Ms * 1000000 - Ns > -1000000, Ms - M2 < 1000].

try_clock(Which, Unit) ->
    try
        T = case Which of
                system -> erlang:system_time(Unit);
                _ -> erlang:monotonic_time(Unit)
            end,
        case is_integer(T) of true -> integer; false -> T end
    catch C:R -> {C, R} end.
