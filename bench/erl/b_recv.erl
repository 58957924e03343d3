%% b_recv -- one process receiving N messages from another: messages per
%% second, and the receiver's total_heap_size afterwards (bytes).
-module(b_recv).
-export([run/1]).
-include("bench.hrl").
-compile({nowarn_unused_function, [report/2, rss/0]}).

sink(0, Parent) ->
    Parent ! done,
    receive stop -> ok end;
sink(I, Parent) ->
    receive _ -> sink(I - 1, Parent) end.

run(N) ->
    Self = self(),
    Sink = spawn(fun() -> sink(N, Self) end),
    T0 = ?NOW(),
    send_n(N, Sink),
    receive done -> ok end,
    T1 = ?NOW(),
    {total_heap_size, Words} = process_info(Sink, total_heap_size),
    Sink ! stop,
    report("recv_msgs_per_s", N / ((T1 - T0) / 1.0e9)),
    report("recv_heap_bytes", Words * erlang:system_info(wordsize)),
    ok.

send_n(0, _) -> ok;
send_n(I, Sink) -> Sink ! {msg, I}, send_n(I - 1, Sink).
