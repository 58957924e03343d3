%% bench.hrl -- helpers shared by the BEAM benchmark modules: the clock,
%% resident memory, and the "@@ key value" lines bench/run.py reads.

-define(NOW(), erlang:monotonic_time(nanosecond)).

report(Key, Value) ->
    io:format("@@ ~s ~.6f~n", [Key, float(Value)]).

%% Resident bytes of this BEAM (second field of /proc/self/statm, 4 KB pages).
rss() ->
    {ok, Bin} = file:read_file("/proc/self/statm"),
    [_Size, Resident | _] = string:lexemes(binary_to_list(Bin), " \n"),
    list_to_integer(Resident) * 4096.
