-module(deep).
-export([send_list/1, send_tuple/1, exit_reason/1, compare/1, print/2]).

nest(N) -> nest(N, []).
nest(0, T) -> T;
nest(N, T) -> nest(N - 1, [T]).
nest_tuple(N) -> nest_tuple(N, {}).
nest_tuple(0, T) -> T;
nest_tuple(N, T) -> nest_tuple(N - 1, {T}).

depth(T) -> depth(T, 0).
depth([H], D) -> depth(H, D + 1);
depth({H}, D) -> depth(H, D + 1);
depth(_, D) -> D.

echo(Parent, D) ->
    self() ! D,
    receive M -> Parent ! {deep, M =:= D, depth(M)} end.

result() -> receive {deep, A, B} -> {A, B} end.

send_list(N) -> Parent = self(), spawn(fun() -> echo(Parent, nest(N)) end), result().
send_tuple(N) -> Parent = self(), spawn(fun() -> echo(Parent, nest_tuple(N)) end), result().

exit_reason(N) ->
    Pid = spawn(fun() -> exit(nest(N)) end),
    Ref = erlang:monitor(process, Pid),
    receive {'DOWN', Ref, process, Pid, R} -> depth(R) end.

cmp(A, B) when A < B -> -1;
cmp(A, B) when A > B -> 1;
cmp(_, _) -> 0.

compare(N) ->
    Parent = self(),
    spawn(fun() -> Parent ! {deep, cmp(nest(N), nest(N + 1)), nest(N) =:= nest(N)} end),
    result().

print(N, F) ->
    Parent = self(),
    spawn(fun() -> io:format([$~, F, $~, $n], [nest(N)]), Parent ! {deep, printed, ok} end),
    {printed, _} = result(),
    printed.
