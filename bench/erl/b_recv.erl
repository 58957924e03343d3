%% b_recv -- one process receiving N messages {msg, I} from another: ns per
%% message, and the receiver's total_heap_size afterwards (bytes).
-module(b_recv).
-export([run/1]).
-include("bench.hrl").

sink(0, Good, Parent) ->
    Parent ! Good,
    receive stop -> ok end;
sink(I, Good, Parent) ->
    receive
        {msg, _} -> sink(I - 1, Good + 1, Parent);
        _ -> sink(I - 1, Good, Parent)
    end.

send_n(0, _) -> ok;
send_n(I, Sink) -> Sink ! {msg, I}, send_n(I - 1, Sink).

driver(N) ->
    Self = self(),
    Sink = spawn(fun() -> sink(N, 0, Self) end),
    T0 = ?NOW(),
    send_n(N, Sink),
    Good = receive G -> G end,
    T1 = ?NOW(),
    {total_heap_size, Words} = process_info(Sink, total_heap_size),
    Sink ! stop,
    case Good of
        N ->
            report("recv_ns", (T1 - T0) / N),
            report("recv_heap_bytes", Words * erlang:system_info(wordsize));
        _ ->
            bench_error("b_recv: ~p of ~p messages received", [Good, N])
    end.

run(N) -> drive(fun() -> driver(N) end).
