-module(ls).
-export([init/1, handle_call/3, handle_cast/2, code_change/3]).

%% A counter whose state is a count N, or #{count => N, upgrades => U}
%% after an upgrade; each downgrade turns it back into the count.
init(N) -> {ok, N}.

handle_call(bump, _From, #{count := N} = S) -> {reply, N + 1, S#{count := N + 1}};
handle_call(bump, _From, N) -> {reply, N + 1, N + 1};
handle_call(get, _From, #{count := N} = S) -> {reply, N, S};
handle_call(get, _From, N) -> {reply, N, N}.

handle_cast(_Msg, S) -> {noreply, S}.

code_change(_Vsn, _S, refuse) -> {error, refused};
code_change({down, _Vsn}, #{count := N}, _Extra) -> {ok, N};
code_change(_Vsn, N, _Extra) -> {ok, #{count => N, upgrades => 1}}.
