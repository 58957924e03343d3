/* srv.c -- a gen_server callback module (twin: srv.erl). */
#include <cerl.h>

MODULE(srv);
EXPORT(init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2, code_change/3);

static int is_tagged(Term T, Term Tag)
{
    return erl_is_tuple(T) && erl_tuple_size(T) == 2 && erl_element(T, 1) == Tag;
}

/* init(ignore) -> ignore;
** init({stop, Reason}) -> {stop, Reason};
** init(N) -> {ok, N}. */
Term init(Term Arg)
{
    if (Arg == ATOM(ignore))
        return ATOM(ignore);
    if (is_tagged(Arg, ATOM(stop)))
        return erl_tuple(ATOM(stop), erl_element(Arg, 2));
    return erl_tuple(ATOM(ok), Arg);
}

/* handle_call(get, _From, N) -> {reply, N, N};
** handle_call({later, M}, From, N) -> gen_server:reply(From, {later, M}), {noreply, N};
** handle_call(noreply, _From, N) -> {noreply, N};
** handle_call({stop, Reason}, _From, N) -> {stop, Reason, stopped, N}. */
Term handle_call(Term Request, Term From, Term N)
{
    if (Request == ATOM(get))
        return erl_tuple(ATOM(reply), N, N);
    if (is_tagged(Request, ATOM(later))) {
        erl_call(gen_server, reply, From, erl_tuple(ATOM(later), erl_element(Request, 2)));
        return erl_tuple(ATOM(noreply), N);
    }
    if (Request == ATOM(noreply))
        return erl_tuple(ATOM(noreply), N);
    return erl_tuple(ATOM(stop), erl_element(Request, 2), ATOM(stopped), N);
}

/* handle_cast({add, M}, N) -> {noreply, N + M};
** handle_cast({wait, Ms}, N) -> {noreply, N, Ms};
** handle_cast(sleep, N) -> {noreply, N, hibernate};
** handle_cast({stop, Reason}, N) -> {stop, Reason, N}. */
Term handle_cast(Term Msg, Term N)
{
    if (is_tagged(Msg, ATOM(add)))
        return erl_tuple(ATOM(noreply), erl_add(N, erl_element(Msg, 2)));
    if (is_tagged(Msg, ATOM(wait)))
        return erl_tuple(ATOM(noreply), N, erl_element(Msg, 2));
    if (Msg == ATOM(sleep))
        return erl_tuple(ATOM(noreply), N, ATOM(hibernate));
    return erl_tuple(ATOM(stop), erl_element(Msg, 2), N);
}

/* handle_info(Msg, N) -> io:format("info ~p~n", [Msg]), {noreply, N}. */
Term handle_info(Term Msg, Term N)
{
    io_format("info ~p~n", erl_list(Msg));
    return erl_tuple(ATOM(noreply), N);
}

/* terminate(Reason, N) -> io:format("terminate ~p ~p~n", [Reason, N]), ok. */
Term terminate(Term Reason, Term N)
{
    io_format("terminate ~p ~p~n", erl_list(Reason, N));
    return ATOM(ok);
}

/* code_change(OldVsn, N, Extra) -> {ok, {N, OldVsn, Extra}}. */
Term code_change(Term OldVsn, Term N, Term Extra)
{
    return erl_tuple(ATOM(ok), erl_tuple(N, OldVsn, Extra));
}
