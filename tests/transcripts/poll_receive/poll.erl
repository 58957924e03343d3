-module(poll).
-export([wait_go/1, own_timer/0]).

poll_for_go() ->
    receive go -> got_go after 0 -> poll_for_go() end.

wait_go(Parent) -> Parent ! poll_for_go().

own_timer() ->
    erlang:send_after(20, self(), go),
    poll_for_go().
