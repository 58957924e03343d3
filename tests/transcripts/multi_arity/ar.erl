-module(ar).
-export([greet/0, greet/1, other/1]).

greet() -> greet(world).
greet(Who) -> {hello, Who}.
other(X) -> {other, X}.
