/*
** gen.c
** The gen module: what gen_server, supervisor and sys share, as OTP's gen.
** A call is a message {Label, {Pid, Ref}, Request} to a process that answers
** {Ref, Reply}; the caller monitors the callee, so a dead or missing callee
** ends the call at once (noproc, or the reason it died with) instead of
** waiting for a reply that will never come.
*/
#include <cerl.h>

MODULE(gen);
EXPORT(call/4, reply/2);

/* The 'DOWN' message of monitor Ref, or the reply tagged Ref. */
static int reply_or_down(Term Msg, void *ctx)
{
    Term Ref = *(Term *)ctx;
    if (!erl_is_tuple(Msg))
        return 0;
    if (erl_tuple_size(Msg) == 2)
        return erl_eq(erl_element(Msg, 1), Ref);
    return erl_tuple_size(Msg) == 5 && erl_element(Msg, 1) == ATOM(DOWN) && erl_eq(erl_element(Msg, 2), Ref);
}

/* The milliseconds of a call's Timeout: an integer or infinity (-1). */
static long timeout_ms(Term Timeout)
{
    long ms;
    if (Timeout == ATOM(infinity))
        return -1;
    if (!erl_get_long(Timeout, &ms) || ms < 0)
        erl_error(ATOM(badarg));
    return ms;
}

/* call(Process, Label, Request, Timeout) ->
**     Mref = erlang:monitor(process, Process),
**     Process ! {Label, {self(), Mref}, Request},
**     receive
**         {Mref, Reply} -> erlang:demonitor(Mref, [flush]), {ok, Reply};
**         {'DOWN', Mref, _, _, Reason} -> exit(Reason)
**     after Timeout -> erlang:demonitor(Mref, [flush]), exit(timeout)
**     end.
** Process is a pid or a registered name; an unregistered name is noproc,
** and the caller itself calling_self. */
Term call(Term Process, Term Label, Term Request, Term Timeout)
{
    long ms = timeout_ms(Timeout);
    if (erl_is_atom(Process) && erl_whereis(Process) == ATOM(undefined))
        erl_exit(ATOM(noproc));
    Term Pid = erl_is_atom(Process) ? erl_whereis(Process) : Process;
    if (Pid == erl_self())
        erl_exit(ATOM(calling_self));
    Term Mref = erl_monitor(Process);
    if (Pid != ATOM(undefined))
        erl_send(Pid, erl_tuple(Label, erl_tuple(erl_self(), Mref), Request));
    Term Msg = erl_receive_match(reply_or_down, &Mref, ms);
    if (Msg == ERL_NONE) {
        erl_demonitor_flush(Mref);
        erl_exit(ATOM(timeout));
    }
    if (erl_tuple_size(Msg) == 5)
        erl_exit(erl_element(Msg, 5));
    erl_demonitor_flush(Mref);
    return erl_tuple(ATOM(ok), erl_element(Msg, 2));
}

/* reply({To, Tag}, Reply) -> To ! {Tag, Reply}, ok. */
Term reply(Term From, Term Reply)
{
    if (!erl_is_tuple(From) || erl_tuple_size(From) != 2)
        erl_error(ATOM(badarg));
    erl_send(erl_element(From, 1), erl_tuple(erl_element(From, 2), Reply));
    return ATOM(ok);
}
