-module(big).
-export([bin/0, tuple/0, bin_size/1, send_to_self/1, last/1]).
bin() -> <<0:2080000>>.
tuple() -> list_to_tuple(lists:seq(1, 40000)).
bin_size(B) -> byte_size(B).
send_to_self(T) -> self() ! T, receive M -> M end.
last(T) -> element(tuple_size(T), T).
