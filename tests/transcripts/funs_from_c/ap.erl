-module(ap).
-export([twice/2, map/2, is_unary/1]).

twice(F, X) -> F(F(X)).

map(F, [H | T]) -> [F(H) | map(F, T)];
map(_, []) -> [].

is_unary(F) -> is_function(F, 1).
