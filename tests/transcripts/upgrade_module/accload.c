/* accload.c -- clients that call the acc servers in a loop while they are
** upgraded: start(Servers, Clients) starts Clients processes calling round
** robin over Servers until stop(Collector), which answers
** {AnsweredSome, Failed, Versions}: whether calls were answered, how many
** failed, and the versions the answers came from ([v1, v2] when the calls
** spanned an upgrade). */
#include <cerl.h>

MODULE(accload);
EXPORT(start/2, stop/1);

typedef struct Get {
    Term Server;
} Get;

static Term get(void *ctx)
{
    return erl_call(gen_server, call, ((Get *)ctx)->Server, ATOM(get));
}

/* Calls until told to stop, then answers {done, Answered, Failed, Versions}. */
static Term client(Term Collector, Term Servers)
{
    long answered = 0, failed = 0;
    Term Versions = ERL_NIL, L = Servers;
    while (erl_receive_timeout(0) == ERL_NONE) {
        if (!erl_is_cons(L))
            L = Servers;
        Get g = {erl_hd(L)};
        L = erl_tl(L);
        Term R, Class;
        if (erl_catch(get, &g, &R, &Class) && erl_is_tuple(R) && erl_tuple_size(R) == 2) {
            answered++;
            if (erl_call(lists, member, erl_element(R, 1), Versions) == ATOM(false))
                Versions = erl_cons(erl_element(R, 1), Versions);
        } else {
            failed++;
        }
    }
    return erl_send(Collector, erl_tuple(ATOM(done), erl_mk_int(answered), erl_mk_int(failed), Versions));
}

static Term collector(Term Clients, Term Servers)
{
    Term Pids = ERL_NIL;
    for (long i = 0; i < erl_int_value(Clients); i++)
        Pids = erl_cons(erl_spawn(client, erl_self(), Servers), Pids);
    Term From = erl_receive(); /* {stop, From} */
    for (Term L = Pids; erl_is_cons(L); L = erl_tl(L))
        erl_send(erl_hd(L), ATOM(stop));
    Term Answered = erl_mk_int(0), Failed = erl_mk_int(0), Versions = ERL_NIL;
    for (long i = 0; i < erl_int_value(Clients); i++) {
        Term Done = erl_receive();
        Answered = erl_add(Answered, erl_element(Done, 2));
        Failed = erl_add(Failed, erl_element(Done, 3));
        Versions = erl_call(lists, append, Versions, erl_element(Done, 4));
    }
    Term Some = erl_compare(Answered, erl_mk_int(0)) > 0 ? ATOM(true) : ATOM(false);
    return erl_send(erl_element(From, 2), erl_tuple(Some, Failed, erl_call(lists, usort, Versions)));
}

Term start(Term Servers, Term Clients)
{
    return erl_spawn(collector, Clients, Servers);
}

Term stop(Term Collector)
{
    erl_send(Collector, erl_tuple(ATOM(stop), erl_self()));
    return erl_receive();
}
