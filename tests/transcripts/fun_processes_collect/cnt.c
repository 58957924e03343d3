/* cnt.c -- a counting loop, started from a shell fun (twin: cnt.erl). */
#include <cerl.h>

MODULE(cnt);
EXPORT(count/1, flood/2, apply_in_process/1);

/* count(N) -> receive {get, From} -> From ! {count, N}, count(N); _ -> count(N + 1) end. */
Term count(Term N)
{
    for (long n = erl_int_value(N);; n++) {
        Term Msg = erl_receive();
        if (erl_is_tuple(Msg) && erl_tuple_size(Msg) == 2 && erl_element(Msg, 1) == ATOM(get)) {
            erl_send(erl_element(Msg, 2), erl_tuple(ATOM(count), erl_mk_int(n)));
            n--;
        }
    }
}

/* flood(P, 0) -> ok; flood(P, K) -> P ! {msg, K, [K, K]}, flood(P, K - 1). */
Term flood(Term P, Term K)
{
    for (long k = erl_int_value(K); k > 0; k--)
        erl_send(P, erl_tuple(ATOM(msg), erl_mk_int(k), erl_list(erl_mk_int(k), erl_mk_int(k))));
    return ATOM(ok);
}

static Term applier(Term F, Term Parent)
{
    Term R = erl_call(erlang, apply, F, ERL_NIL);
    erl_send(Parent, erl_tuple(ATOM(applied), R));
    return ATOM(ok);
}

/* apply_in_process(F) -> Self = self(), spawn(fun() -> Self ! {applied, F()} end),
**                        receive {applied, R} -> R end. */
Term apply_in_process(Term F)
{
    erl_spawn(applier, F, erl_self());
    Term Msg = erl_receive();
    return erl_element(Msg, 2);
}
