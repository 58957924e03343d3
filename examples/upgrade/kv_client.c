/* kv_client.c -- clients that call kv in a loop and count what they got.
** start(N) starts N of them; stop() stops them and returns
** {Calls, Failed}: every call answered as it should be counts, any other
** answer or a call that exited counts as failed. */
#include <cerl.h>

MODULE(kv_client);
EXPORT(start/1, stop/0);

typedef struct Call {
    Term Key, Value;
} Call;

/* kv:put(Key, Value), {ok, Value} = kv:get(Key) */
static Term put_get(void *ctx)
{
    Call *c = ctx;
    erl_call(kv, put, c->Key, c->Value);
    return erl_call(kv, get, c->Key);
}

static Term client(Term Id)
{
    long calls = 0, failed = 0;
    for (long i = 0;; i++) {
        Term Msg = erl_receive_timeout(0);
        if (Msg != ERL_NONE) {
            erl_send(erl_element(Msg, 2), erl_tuple(ATOM(counted), erl_mk_int(calls), erl_mk_int(failed)));
            return ATOM(ok);
        }
        Call c = {erl_tuple(Id, erl_mk_int(i % 100)), erl_mk_int(i)};
        Term Got, Class;
        if (erl_catch(put_get, &c, &Got, &Class) && erl_eq(Got, erl_tuple(ATOM(ok), c.Value)))
            calls++;
        else
            failed++;
    }
}

/* start(N): N clients, registered as kv_client (a list of their pids is
** kept by a process of its own). */
static Term keeper(Term Pids)
{
    Term Msg = erl_receive(); /* {stop, From} */
    Term Calls = erl_mk_int(0), Failed = erl_mk_int(0);
    for (Term L = Pids; erl_is_cons(L); L = erl_tl(L)) {
        erl_send(erl_hd(L), erl_tuple(ATOM(stop), erl_self()));
        Term Counted = erl_receive();
        Calls = erl_add(Calls, erl_element(Counted, 2));
        Failed = erl_add(Failed, erl_element(Counted, 3));
    }
    return erl_send(erl_element(Msg, 2), erl_tuple(Calls, Failed));
}

Term start(Term N)
{
    Term Pids = ERL_NIL;
    for (long i = 0; i < erl_int_value(N); i++)
        Pids = erl_cons(erl_spawn(client, erl_mk_int(i)), Pids);
    return erl_register(ATOM(kv_client), erl_spawn(keeper, Pids));
}

/* stop() -> {Calls, Failed}. */
Term stop(void)
{
    erl_send(ATOM(kv_client), erl_tuple(ATOM(stop), erl_self()));
    return erl_receive();
}
