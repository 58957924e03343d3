/* load.c -- 100 clients call a server while it is upgraded back and forth
** (twin: load.erl).
**
** run(Clients, Calls, Upgrades): Clients processes each call the server
** ls Calls times while it is upgraded Upgrades times, back and forth: each
** time suspended, ls purged and loaded anew, its state migrated by
** code_change (a count to a map, a map to a count), resumed. The upgrade
** halfway is refused by code_change: the state stays as it was. Returns
** {CallsServed, CallsFailed, UpgradesDone, UpgradesRefused, FinalCount}. */
#include <cerl.h>

MODULE(load);
EXPORT(run/3);

static Term bump(void *unused)
{
    return erl_call(gen_server, call, ATOM(ls), ATOM(bump));
}

/* client(Parent, 0, _Last, Ok, Failed) -> Parent ! {done, self(), Ok, Failed};
** client(Parent, Calls, Last, Ok, Failed) ->
**     case catch gen_server:call(ls, bump) of
**         N when is_integer(N), N > Last -> client(Parent, Calls - 1, N, Ok + 1, Failed);
**         _ -> client(Parent, Calls - 1, Last, Ok, Failed + 1)
**     end. */
static Term client(Term Parent, Term Calls)
{
    long ok = 0, failed = 0, last = 0;
    for (long left = erl_int_value(Calls); left > 0; left--) {
        Term N, Class;
        if (erl_catch(bump, 0, &N, &Class) && erl_is_int(N) && erl_int_value(N) > last) {
            last = erl_int_value(N);
            ok++;
        } else {
            failed++;
        }
    }
    return erl_send(Parent, erl_tuple(ATOM(done), erl_self(), erl_mk_int(ok), erl_mk_int(failed)));
}

static void expect(Term Got, Term Want)
{
    if (!erl_eq(Got, Want))
        erl_error(erl_tuple(ATOM(badmatch), Got));
}

/* upgrade(I, N, Done, Refused): see the module's comment. */
static void upgrade(long n, long *done, long *refused)
{
    for (long i = 1; i <= n; i++) {
        expect(erl_call(sys, suspend, ATOM(ls)), ATOM(ok));
        erl_call(code, purge, ATOM(ls));
        expect(erl_call(code, load_file, ATOM(ls)), erl_tuple(ATOM(module), ATOM(ls)));
        Term Vsn = erl_is_map(erl_call(sys, get_state, ATOM(ls))) ? erl_tuple(ATOM(down), erl_mk_int(2)) : erl_mk_int(1);
        Term Extra = i == n / 2 ? ATOM(refuse) : ERL_NIL;
        Term Result = erl_call(sys, change_code, ATOM(ls), ATOM(ls), Vsn, Extra);
        expect(erl_call(sys, resume, ATOM(ls)), ATOM(ok));
        if (Result == ATOM(ok))
            (*done)++;
        else if (erl_eq(Result, erl_tuple(ATOM(error), erl_tuple(ATOM(error), ATOM(refused)))))
            (*refused)++;
        else
            erl_error(erl_tuple(ATOM(case_clause), Result));
    }
}

typedef struct Done {
    Term Pid;
} Done;

static int is_done_of(Term Msg, void *ctx)
{
    return erl_is_tuple(Msg) && erl_tuple_size(Msg) == 4 && erl_element(Msg, 1) == ATOM(done) &&
           erl_element(Msg, 2) == ((Done *)ctx)->Pid;
}

Term run(Term Clients, Term Calls, Term Upgrades)
{
    Term Started = erl_call(gen_server, start, erl_tuple(ATOM(local), ATOM(ls)), ATOM(ls), erl_mk_int(0), ERL_NIL);
    if (!erl_is_tuple(Started) || erl_element(Started, 1) != ATOM(ok))
        erl_error(erl_tuple(ATOM(badmatch), Started));
    Term Pids = ERL_NIL;
    for (long i = 0; i < erl_int_value(Clients); i++)
        Pids = erl_cons(erl_spawn(client, erl_self(), Calls), Pids);
    long done = 0, refused = 0;
    upgrade(erl_int_value(Upgrades), &done, &refused);
    Term Ok = erl_mk_int(0), Failed = erl_mk_int(0);
    for (; erl_is_cons(Pids); Pids = erl_tl(Pids)) {
        Done d = {erl_hd(Pids)};
        Term Msg = erl_receive_match(is_done_of, &d, -1);
        Ok = erl_add(Ok, erl_element(Msg, 3));
        Failed = erl_add(Failed, erl_element(Msg, 4));
    }
    Term Final = erl_call(gen_server, call, ATOM(ls), ATOM(get));
    expect(erl_call(gen_server, stop, ATOM(ls)), ATOM(ok));
    return erl_tuple(Ok, Failed, erl_mk_int(done), erl_mk_int(refused), Final);
}
