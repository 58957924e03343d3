-module(crash).
-export([init/1, handle_call/3, handle_cast/2, terminate/2]).

init(N) -> {ok, N}.

handle_call({stop, Reason}, _From, N) -> {stop, Reason, bye, N};
handle_call(get, _From, N) -> {reply, N, N}.

handle_cast({stop, Reason}, N) -> {stop, Reason, N};
handle_cast(bad, _N) -> whatever;
handle_cast({set, M}, _N) -> {noreply, M}.

terminate(Reason, N) -> io:format("terminate ~p ~p~n", [Reason, N]), ok.
