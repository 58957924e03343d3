-module(srv).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2, code_change/3]).

init(ignore) -> ignore;
init({stop, Reason}) -> {stop, Reason};
init(N) -> {ok, N}.

handle_call(get, _From, N) -> {reply, N, N};
handle_call({later, M}, From, N) -> gen_server:reply(From, {later, M}), {noreply, N};
handle_call(noreply, _From, N) -> {noreply, N};
handle_call({stop, Reason}, _From, N) -> {stop, Reason, stopped, N}.

handle_cast({add, M}, N) -> {noreply, N + M};
handle_cast({wait, Ms}, N) -> {noreply, N, Ms};
handle_cast(sleep, N) -> {noreply, N, hibernate};
handle_cast({stop, Reason}, N) -> {stop, Reason, N}.

handle_info(Msg, N) -> io:format("info ~p~n", [Msg]), {noreply, N}.

terminate(Reason, N) -> io:format("terminate ~p ~p~n", [Reason, N]), ok.

code_change(OldVsn, N, Extra) -> {ok, {N, OldVsn, Extra}}.
