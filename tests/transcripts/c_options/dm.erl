%% dm.erl -- the Erlang twin of dm.c: what the macros c/2 defines select.
-module(dm).
-export([flag/0, n/0, name/0]).

-ifdef(DEBUG).
flag() -> debug.
-else.
flag() -> nodebug.
-endif.

-ifdef(N).
n() -> ?N.
-else.
n() -> none.
-endif.

-ifdef(NAME).
name() -> ?NAME.
-else.
name() -> none.
-endif.
