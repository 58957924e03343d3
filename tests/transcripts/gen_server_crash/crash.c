/* crash.c -- a gen_server callback module whose server ends in several ways (twin: crash.erl). */
#include <cerl.h>

MODULE(crash);
EXPORT(init/1, handle_call/3, handle_cast/2, terminate/2);

static int is_tagged(Term T, Term Tag)
{
    return erl_is_tuple(T) && erl_tuple_size(T) == 2 && erl_element(T, 1) == Tag;
}

/* init(N) -> {ok, N}. */
Term init(Term N)
{
    return erl_tuple(ATOM(ok), N);
}

/* handle_call({stop, Reason}, _From, N) -> {stop, Reason, bye, N};
** handle_call(get, _From, N) -> {reply, N, N}. */
Term handle_call(Term Request, Term From, Term N)
{
    if (is_tagged(Request, ATOM(stop)))
        return erl_tuple(ATOM(stop), erl_element(Request, 2), ATOM(bye), N);
    if (Request == ATOM(get))
        return erl_tuple(ATOM(reply), N, N);
    erl_error(ATOM(function_clause));
}

/* handle_cast({stop, Reason}, N) -> {stop, Reason, N};
** handle_cast(bad, _N) -> whatever;
** handle_cast({set, M}, _N) -> {noreply, M}. */
Term handle_cast(Term Msg, Term N)
{
    if (is_tagged(Msg, ATOM(stop)))
        return erl_tuple(ATOM(stop), erl_element(Msg, 2), N);
    if (Msg == ATOM(bad))
        return ATOM(whatever);
    if (is_tagged(Msg, ATOM(set)))
        return erl_tuple(ATOM(noreply), erl_element(Msg, 2));
    erl_error(ATOM(function_clause));
}

/* terminate(Reason, N) -> io:format("terminate ~p ~p~n", [Reason, N]), ok. */
Term terminate(Term Reason, Term N)
{
    io_format("terminate ~p ~p~n", erl_list(Reason, N));
    return ATOM(ok);
}
