-module(tcall).
-export([f/0, g/0, h/0]).

f() -> R = tcall:g(), {f_got, R}.

g() -> tcall:h().

h() -> h_result.
