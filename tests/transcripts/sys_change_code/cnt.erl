-module(cnt).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, code_change/3]).

%% The state is a count N, or #{count => N} once code_change has
%% migrated it; code_change({down, _}, ...) migrates it back.
init(N) -> {ok, N}.

handle_call(bump, _From, #{count := N} = S) -> {reply, N + 1, S#{count := N + 1}};
handle_call(bump, _From, N) -> {reply, N + 1, N + 1}.

handle_cast(reset, #{} = S) -> {noreply, S#{count := 0}};
handle_cast(reset, _N) -> {noreply, 0}.

handle_info(_Msg, S) -> {noreply, S}.

code_change({down, _Vsn}, #{count := N}, _Extra) -> {ok, N};
code_change(bad, _S, _Extra) -> {error, bad_vsn};
code_change(_Vsn, N, to_map) -> {ok, #{count => N}}.
