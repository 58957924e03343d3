/* st.c -- servers that fail to start, or stop in the middle of a call (twin: st.erl). */
#include <cerl.h>

MODULE(st);
EXPORT(init/1, handle_call/3, handle_cast/2);

static int is_tagged(Term T, Term Tag)
{
    return erl_is_tuple(T) && erl_tuple_size(T) == 2 && erl_element(T, 1) == Tag;
}

/* init({stop, Reason}) -> {stop, Reason};
** init({exit, Reason}) -> exit(Reason);
** init(bad) -> {ok};
** init(N) -> {ok, N}. */
Term init(Term Arg)
{
    if (is_tagged(Arg, ATOM(stop)))
        return erl_tuple(ATOM(stop), erl_element(Arg, 2));
    if (is_tagged(Arg, ATOM(exit)))
        erl_exit(erl_element(Arg, 2));
    if (Arg == ATOM(bad))
        return erl_tuple(ATOM(ok));
    return erl_tuple(ATOM(ok), Arg);
}

/* handle_call({die, Reason}, _From, N) -> {stop, Reason, N};
** handle_call(get, _From, N) -> {reply, N, N}. */
Term handle_call(Term Request, Term From, Term N)
{
    if (is_tagged(Request, ATOM(die)))
        return erl_tuple(ATOM(stop), erl_element(Request, 2), N);
    return erl_tuple(ATOM(reply), N, N);
}

/* handle_cast(_Msg, N) -> {noreply, N}. */
Term handle_cast(Term Msg, Term N)
{
    return erl_tuple(ATOM(noreply), N);
}
