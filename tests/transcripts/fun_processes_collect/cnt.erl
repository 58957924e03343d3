-module(cnt).
-export([count/1, flood/2, apply_in_process/1]).

count(N) ->
    receive
        {get, From} -> From ! {count, N}, count(N);
        _ -> count(N + 1)
    end.

flood(_P, 0) -> ok;
flood(P, K) -> P ! {msg, K, [K, K]}, flood(P, K - 1).

apply_in_process(F) ->
    Self = self(),
    spawn(fun() -> Self ! {applied, F()} end),
    receive {applied, R} -> R end.
