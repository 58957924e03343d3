%% b_call -- a local call against a fully qualified call (through the
%% export table), each in a loop of N calls: nanoseconds per call.
-module(b_call).
-export([run/1, step/1]).
-include("bench.hrl").

step(X) -> X + 1.

local_loop(0, X) -> X;
local_loop(I, X) -> local_loop(I - 1, step(X)).

remote_loop(0, X) -> X;
remote_loop(I, X) -> remote_loop(I - 1, ?MODULE:step(X)).

driver(N) ->
    T0 = ?NOW(),
    N = local_loop(N, 0),
    T1 = ?NOW(),
    N = remote_loop(N, 0),
    T2 = ?NOW(),
    report("call_local_ns", (T1 - T0) / N),
    report("call_remote_ns", (T2 - T1) / N),
    ok.

run(N) -> drive(fun() -> driver(N) end).
