%% b_map -- maps of N integer keys: N puts into a growing map, then N gets,
%% in a spawned process; nanoseconds per put and per get.
-module(b_map).
-export([run/1]).
-include("bench.hrl").

puts(I, N, M) when I =:= N -> M;
puts(I, N, M) -> puts(I + 1, N, M#{(I * 7919 rem N) => I}).

gets(I, N, _M, Found) when I =:= N -> Found;
gets(I, N, M, Found) ->
    gets(I + 1, N, M, case M of #{I := _} -> Found + 1; _ -> Found end).

worker(N, Parent) ->
    T0 = ?NOW(),
    M = puts(0, N, #{}),
    T1 = ?NOW(),
    Found = gets(0, N, M, 0),
    T2 = ?NOW(),
    Parent ! {T1 - T0, T2 - T1, Found, map_size(M)}.

run(N) ->
    Self = self(),
    spawn(fun() -> worker(N, Self) end),
    receive {Put, Get, N, N} ->
        report("map_put_ns", Put / N),
        report("map_get_ns", Get / N)
    end,
    ok.
