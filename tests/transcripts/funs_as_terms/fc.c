/* fc.c -- funs made in C and applied (twin: fc.erl). */
#include <cerl.h>

MODULE(fc);
EXPORT(adder/1, exp/0, call/2, info/1, relay/1);

/* The code of fun(X) -> X + N end: its argument, then what it captured. */
static Term add(Term X, Term N)
{
    return erl_add(X, N);
}

/* adder(N) -> fun(X) -> X + N end. */
Term adder(Term N)
{
    return erl_mk_closure(add, 1, N);
}

/* exp() -> fun lists:reverse/1. */
Term exp(void)
{
    return ERL_FUN(lists, reverse, 1);
}

/* call(F, Args) -> erlang:apply(F, Args). */
Term call(Term F, Term Args)
{
    return erl_apply(F, Args);
}

/* info(F) -> [erlang:fun_info(F, K) || K <- [module, arity, env, type]]. */
Term info(Term F)
{
    return erl_list(erl_call(erlang, fun_info, F, ATOM(module)), erl_call(erlang, fun_info, F, ATOM(arity)),
                    erl_call(erlang, fun_info, F, ATOM(env)), erl_call(erlang, fun_info, F, ATOM(type)));
}

/* receive X -> Parent ! {result, F(X)} end. */
static Term relay_once(Term F, Term Parent)
{
    Term X = erl_receive();
    erl_send(Parent, erl_tuple(ATOM(result), erl_apply(F, erl_list(X))));
    return ATOM(ok);
}

/* relay(F) -> Self = self(), spawn(fun() -> relay_once(F, Self) end). */
Term relay(Term F)
{
    return erl_spawn(relay_once, F, erl_self());
}
