-module(w).
-export([start_link/1, init/1, handle_call/3, handle_cast/2]).
start_link(Id) -> gen_server:start_link({local, Id}, w, Id, []).
init(Id) -> {ok, Id}.
handle_call(get, _From, Id) -> {reply, Id, Id}.
handle_cast({stop, R}, Id) -> {stop, R, Id};
handle_cast(hang, Id) -> process_flag(trap_exit, true), timer:sleep(infinity), {noreply, Id}.
