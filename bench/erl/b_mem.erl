%% b_mem -- memory per process (VmRSS + VmPTE) of a chain of N processes
%% waiting in receive: idle (then, with K > 0, l(t) K times with the chain
%% standing by); idle and after one small message each (message); or
%% hibernated with erlang:hibernate(b_mem, wake, [Next]). As b_mem.c.
-module(b_mem).
-export([run/3, wake/1]).
-include("bench.hrl").

idle() -> receive _ -> idle() end.

wake(Next) ->
    receive {token, Hops} -> Next ! {token, Hops + 1} end,
    idle().

hibernating(Next) -> erlang:hibernate(?MODULE, wake, [Next]).

token(Head) ->
    Head ! {token, 0},
    receive {token, Hops} -> Hops end.

chain(0, Head, Last, _Hib) -> {Head, Last};
chain(I, Next, Last, Hib) ->
    P = case Hib of
            true -> spawn(fun() -> hibernating(Next) end);
            false -> spawn(fun() -> wake(Next) end)
        end,
    chain(I - 1, P, case Last of none -> P; _ -> Last end, Hib).

bystanders(N, K) when K >= 2 ->
    {module, t} = code:ensure_loaded(t),
    reload(t),
    [First | Later] = [reload(t) || _ <- lists:seq(1, K)],
    report(io_lib:format("l_bystanders_first_ms_~p", [N]), First),
    report(io_lib:format("l_bystanders_ms_~p", [N]), median(Later)).

driver(N, Mode, K) ->
    Base = erlang:system_info(process_count),
    Hib = Mode =:= hibernate,
    M0 = mem(),
    {Head, Last} = chain(N, self(), none, Hib),
    wait_waiting(Head),
    M1 = mem(),
    Alive = erlang:system_info(process_count) - Base,
    Key = case Hib of true -> "mem_hib_bytes_~p"; false -> "mem_idle_bytes_~p" end,
    if
        Alive =/= N ->
            bench_error("b_mem: ~p processes alive of the ~p spawned", [Alive, N]);
        Mode =:= message ->
            report(io_lib:format(Key, [N]), (M1 - M0) / N),
            Hops = token(Head),
            wait_waiting(Last),
            M2 = mem(),
            case Hops of
                N -> report(io_lib:format("mem_msg_bytes_~p", [N]), (M2 - M0) / N);
                _ -> bench_error("b_mem: the token made ~p hops through a chain of ~p", [Hops, N])
            end;
        Mode =:= idle, K > 0 ->
            report(io_lib:format(Key, [N]), (M1 - M0) / N),
            bystanders(N, K);
        true ->
            report(io_lib:format(Key, [N]), (M1 - M0) / N)
    end.

run(N, Mode, K) -> drive(fun() -> driver(N, Mode, K) end).
