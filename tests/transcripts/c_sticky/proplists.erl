-module(proplists).
-export([x/0]).
x() -> 1.
