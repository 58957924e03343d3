%% hib: a process hibernates and resumes in hib:resume(Parent, State) with
%% the message that wakes it; one with a message already queued resumes at once.
-module(hib).
-export([start/0, start_queued/0, resume/2]).

resume(Parent, State) ->
    receive Msg -> Parent ! {resumed, State, Msg} end,
    resume(Parent, {next, State}).

sleeper(Parent) ->
    _Big = "some garbage the collection takes",
    erlang:hibernate(hib, resume, [Parent, first]).

start() ->
    Self = self(),
    spawn(fun() -> sleeper(Self) end).

queued(Parent) ->
    self() ! early,
    erlang:hibernate(hib, resume, [Parent, queued]).

start_queued() ->
    Self = self(),
    spawn(fun() -> queued(Self) end).
