/* fsrv.c -- a supervised gen_server whose handle_call dereferences NULL
** (no .erl twin: erl has no segv; see NOTE). One module is both the
** supervisor's callback (init(sup)) and the worker's. */
#include <cerl.h>

MODULE(fsrv);
EXPORT(start_sup/0, start_link/0, init/1, handle_call/3, handle_cast/2, terminate/2);

/* start_sup() -> supervisor:start_link({local, fsup}, fsrv, sup). */
Term start_sup(void)
{
    return erl_call(supervisor, start_link, erl_tuple(ATOM(local), ATOM(fsup)), ATOM(fsrv), ATOM(sup));
}

/* start_link() -> gen_server:start_link({local, f}, fsrv, 0, []). */
Term start_link(void)
{
    return erl_call(gen_server, start_link, erl_tuple(ATOM(local), ATOM(f)), ATOM(fsrv), erl_mk_int(0), ERL_NIL);
}

/* init(sup) -> {ok, {#{strategy => one_for_one, intensity => 5, period => 10},
**                    [#{id => f, start => {fsrv, start_link, []}}]}};
** init(N) -> {ok, N}. */
Term init(Term Arg)
{
    if (Arg != ATOM(sup))
        return erl_tuple(ATOM(ok), Arg);
    Term Flags = erl_map_put(erl_map_new(), ATOM(strategy), ATOM(one_for_one));
    Flags = erl_map_put(Flags, ATOM(intensity), erl_mk_int(5));
    Flags = erl_map_put(Flags, ATOM(period), erl_mk_int(10));
    Term Spec = erl_map_put(erl_map_new(), ATOM(id), ATOM(f));
    Spec = erl_map_put(Spec, ATOM(start), erl_tuple(ATOM(fsrv), ATOM(start_link), ERL_NIL));
    return erl_tuple(ATOM(ok), erl_tuple(Flags, erl_list(Spec)));
}

/* handle_call(get, _From, N) -> {reply, N, N};
** handle_call(crash, _From, N) -> *(int *)0 (a segv). */
Term handle_call(Term Request, Term From, Term N)
{
    if (Request == ATOM(crash)) {
        volatile int *p = 0;
        return erl_mk_int(*p);
    }
    return erl_tuple(ATOM(reply), N, N);
}

/* handle_cast({set, M}, _N) -> {noreply, M}. */
Term handle_cast(Term Msg, Term N)
{
    return erl_tuple(ATOM(noreply), erl_element(Msg, 2));
}

/* terminate(Reason, N) -> io:format("terminate ~p ~p~n", [Reason, N]), ok. */
Term terminate(Term Reason, Term N)
{
    io_format("terminate ~p ~p~n", erl_list(Reason, N));
    return ATOM(ok);
}
