-module(vmod).
-vsn("1.1").
-export([hello/0]).

hello() -> world.
