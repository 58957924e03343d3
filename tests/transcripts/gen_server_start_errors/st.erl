-module(st).
-export([init/1, handle_call/3, handle_cast/2]).
%% (the exit clause of init/1 sits on line 21, as erl_exit in st.c: stack traces compare lines)
















init({stop, Reason}) -> {stop, Reason};
init({exit, Reason}) -> exit(Reason);
init(bad) -> {ok};
init(N) -> {ok, N}.

handle_call({die, Reason}, _From, N) -> {stop, Reason, N};
handle_call(get, _From, N) -> {reply, N, N}.

handle_cast(_Msg, N) -> {noreply, N}.
