-module(s).
-export([start_link/2, init/1]).
start_link(Strategy, Ids) -> supervisor:start_link({local, s}, s, {Strategy, Ids}).
init({simple_one_for_one, Restart}) ->
    {ok, {#{strategy => simple_one_for_one, intensity => 2, period => 10},
          [#{id => w, start => {w, start_link, []}, restart => Restart}]}};
init({Strategy, Ids}) ->
    {ok, {#{strategy => Strategy, intensity => 2, period => 10},
          [#{id => Id, start => {w, start_link, [Id]}} || Id <- Ids]}}.
