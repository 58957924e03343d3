/*
** sys.c
** The sys module, as OTP's: looking into and steering a running behaviour
** process (gen_server, supervisor) through system messages
** {system, From, Request}, answered by the process's own loop.
*/
#include <cerl.h>

MODULE(sys);
EXPORT(get_state/1, get_state/2, replace_state/2, replace_state/3, suspend/1, suspend/2,
       resume/1, resume/2, change_code/4, change_code/5, get_status/1, get_status/2,
       statistics/2, statistics/3, trace/2, trace/3, terminate/2, terminate/3);

typedef struct SysCall {
    Term Name, Request, Timeout;
} SysCall;

static Term gen_call(void *ctx)
{
    SysCall *c = ctx;
    return erl_call(gen, call, c->Name, ATOM(system), c->Request, c->Timeout);
}

/* send_system_msg(Name, Request, Timeout) ->
**     case catch gen:call(Name, system, Request, Timeout) of
**         {ok, Res} -> Res;
**         {'EXIT', Reason} -> exit({Reason, {sys, Function, Args}})
**     end. */
static Term send_system_msg(Term Name, Term Request, Term Timeout, Term Function, Term Args)
{
    SysCall c = {Name, Request, Timeout};
    Term Result, Class;
    if (erl_catch(gen_call, &c, &Result, &Class))
        return erl_element(Result, 2);
    erl_exit(erl_tuple(Result, erl_tuple(ATOM(sys), Function, Args)));
    return Result; /* not reached */
}

#define DEFAULT_TIMEOUT erl_mk_int(5000)

/* get_state(Name, Timeout): the state of the behaviour's callback module. */
Term get_state_2(Term Name, Term Timeout)
{
    return send_system_msg(Name, ATOM(get_state), Timeout, ATOM(get_state), erl_list(Name, Timeout));
}

/* get_state(Name) -> get_state(Name, 5000). */
Term get_state_1(Term Name)
{
    return send_system_msg(Name, ATOM(get_state), DEFAULT_TIMEOUT, ATOM(get_state), erl_list(Name));
}

/* replace_state(Name, StateFun, Timeout): the state becomes StateFun(State);
** returns the new state. */
Term replace_state_3(Term Name, Term StateFun, Term Timeout)
{
    Term Result = send_system_msg(Name, erl_tuple(ATOM(replace_state), StateFun), Timeout, ATOM(replace_state),
                                  erl_list(Name, StateFun, Timeout));
    if (erl_is_tuple(Result) && erl_tuple_size(Result) == 2 && erl_element(Result, 1) == ATOM(error))
        erl_exit(erl_tuple(erl_element(Result, 2),
                           erl_tuple(ATOM(sys), ATOM(replace_state), erl_list(Name, StateFun, Timeout))));
    return Result;
}

Term replace_state_2(Term Name, Term StateFun)
{
    return replace_state_3(Name, StateFun, DEFAULT_TIMEOUT);
}

/* suspend(Name, Timeout): from now on the process serves only system
** messages; the others wait in its mailbox until resume. */
Term suspend_2(Term Name, Term Timeout)
{
    return send_system_msg(Name, ATOM(suspend), Timeout, ATOM(suspend), erl_list(Name, Timeout));
}

Term suspend_1(Term Name)
{
    return send_system_msg(Name, ATOM(suspend), DEFAULT_TIMEOUT, ATOM(suspend), erl_list(Name));
}

/* resume(Name, Timeout): the process serves its mailbox again. */
Term resume_2(Term Name, Term Timeout)
{
    return send_system_msg(Name, ATOM(resume), Timeout, ATOM(resume), erl_list(Name, Timeout));
}

Term resume_1(Term Name)
{
    return send_system_msg(Name, ATOM(resume), DEFAULT_TIMEOUT, ATOM(resume), erl_list(Name));
}

/* change_code(Name, Module, OldVsn, Extra, Timeout): the process calls
** Module:code_change(OldVsn, State, Extra) in the current version of
** Module and keeps the state it returns ({ok, NewState}); returns ok, or
** what code_change returned otherwise ({error, Reason}, ...), the state
** then unchanged. Meant for a suspended process, after loading Module. */
Term change_code_5(Term Name, Term Module, Term OldVsn, Term Extra, Term Timeout)
{
    return send_system_msg(Name, erl_tuple(ATOM(change_code), Module, OldVsn, Extra), Timeout, ATOM(change_code),
                           erl_list(Name, Module, OldVsn, Extra, Timeout));
}

Term change_code_4(Term Name, Term Module, Term OldVsn, Term Extra)
{
    return send_system_msg(Name, erl_tuple(ATOM(change_code), Module, OldVsn, Extra), DEFAULT_TIMEOUT,
                           ATOM(change_code), erl_list(Name, Module, OldVsn, Extra));
}

/* get_status(Name, Timeout) -> {status, Pid, {module, Mod}, [PDict, SysState, Parent, Dbg, Misc]}. */
Term get_status_2(Term Name, Term Timeout)
{
    return send_system_msg(Name, ATOM(get_status), Timeout, ATOM(get_status), erl_list(Name, Timeout));
}

Term get_status_1(Term Name)
{
    return send_system_msg(Name, ATOM(get_status), DEFAULT_TIMEOUT, ATOM(get_status), erl_list(Name));
}

/* statistics(Name, Flag, Timeout): Flag true starts counting (again),
** false stops; get answers {ok, [{start_time, T}, {current_time, T},
** {reductions, N}, {messages_in, N}, {messages_out, N}]}, or
** {ok, no_statistics} when not counting. */
Term statistics_3(Term Name, Term Flag, Term Timeout)
{
    return send_system_msg(Name, erl_tuple(ATOM(debug), erl_tuple(ATOM(statistics), Flag)), Timeout,
                           ATOM(statistics), erl_list(Name, Flag, Timeout));
}

Term statistics_2(Term Name, Term Flag)
{
    return send_system_msg(Name, erl_tuple(ATOM(debug), erl_tuple(ATOM(statistics), Flag)), DEFAULT_TIMEOUT,
                           ATOM(statistics), erl_list(Name, Flag));
}

/* trace(Name, Flag, Timeout): with Flag true the process prints each event
** as it handles it ("*DBG* Name got call ...", "*DBG* Name new state ..."). */
Term trace_3(Term Name, Term Flag, Term Timeout)
{
    return send_system_msg(Name, erl_tuple(ATOM(debug), erl_tuple(ATOM(trace), Flag)), Timeout, ATOM(trace),
                           erl_list(Name, Flag, Timeout));
}

Term trace_2(Term Name, Term Flag)
{
    return send_system_msg(Name, erl_tuple(ATOM(debug), erl_tuple(ATOM(trace), Flag)), DEFAULT_TIMEOUT,
                           ATOM(trace), erl_list(Name, Flag));
}

/* terminate(Name, Reason, Timeout): the process calls its terminate
** callback and ends with Reason; returns ok once it is gone. */
Term terminate_3(Term Name, Term Reason, Term Timeout)
{
    return erl_call(gen_server, stop, Name, Reason, Timeout);
}

Term terminate_2(Term Name, Term Reason)
{
    return erl_call(gen_server, stop, Name, Reason, ATOM(infinity));
}
