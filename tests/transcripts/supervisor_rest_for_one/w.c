/* w.c -- a worker a supervisor starts (twin: w.erl). */
#include <cerl.h>

MODULE(w);
EXPORT(start_link/1, init/1, handle_call/3, handle_cast/2);

/* start_link(Id) -> gen_server:start_link({local, Id}, w, Id, []). */
Term start_link(Term Id)
{
    return erl_call(gen_server, start_link, erl_tuple(ATOM(local), Id), ATOM(w), Id, ERL_NIL);
}

/* init(Id) -> {ok, Id}. */
Term init(Term Id)
{
    return erl_tuple(ATOM(ok), Id);
}

/* handle_call(get, _From, Id) -> {reply, Id, Id}. */
Term handle_call(Term Request, Term From, Term Id)
{
    return erl_tuple(ATOM(reply), Id, Id);
}

/* handle_cast({stop, R}, Id) -> {stop, R, Id};
** handle_cast(hang, Id) -> process_flag(trap_exit, true), timer:sleep(infinity), {noreply, Id}. */
Term handle_cast(Term Msg, Term Id)
{
    if (Msg == ATOM(hang)) {
        erl_trap_exit(ATOM(true));
        for (;;)
            erl_sleep(1000000);
    }
    return erl_tuple(ATOM(stop), erl_element(Msg, 2), Id);
}
