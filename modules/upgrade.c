/*
** upgrade.c
** One command to upgrade a live system, beyond erl's shell:
** upgrade:module(Mod, Source) suspends every server whose callback module
** is Mod, compiles Source and loads it as Mod's new version, calls
** code_change in each server, resumes them all, and says per process what
** happened. If any code_change crashes or refuses, nothing is half-done:
** the previous version becomes current again (code:revert), each server
** gets back the state it had, all are resumed, and the answer names the
** process that refused and why (OTP's release_handler does this for a
** release; here it is one module, per process).
**
** Source's object file replaces Mod.o in the current directory (as
** compile:file writes it), also when the upgrade is rolled back.
*/
#include <cerl.h>

MODULE(upgrade);
EXPORT(module/2, module/3);

/* The servers whose callback module is Mod: processes whose proc_lib
** '$initial_call' is {Mod, init, 1}. */
static Term servers_of(Term Mod)
{
    Term Found = ERL_NIL;
    Term Want = erl_tuple(erl_atom("$initial_call"), erl_tuple(Mod, ATOM(init), erl_mk_int(1)));
    for (Term Ps = erl_call(erlang, processes); erl_is_cons(Ps); Ps = erl_tl(Ps)) {
        Term P = erl_hd(Ps);
        Term Dict = erl_call(erlang, process_info, P, ATOM(dictionary));
        if (P == erl_self() || !erl_is_tuple(Dict))
            continue;
        Term Call = erl_call(lists, keyfind, erl_atom("$initial_call"), erl_mk_int(1), erl_element(Dict, 2));
        if (erl_eq(Call, Want))
            Found = erl_cons(P, Found);
    }
    return erl_call(lists, reverse, Found);
}

/* Mod's VSN("..."), or undefined. */
static Term vsn_of(Term Mod)
{
    Term Attributes = erl_call(erlang, get_module_info, Mod, ATOM(attributes));
    Term Vsn = erl_call(lists, keyfind, ATOM(vsn), erl_mk_int(1), Attributes);
    return erl_is_tuple(Vsn) ? erl_element(Vsn, 2) : ATOM(undefined);
}

static void resume_all(Term Servers)
{
    for (; erl_is_cons(Servers); Servers = erl_tl(Servers))
        erl_call(sys, resume, erl_hd(Servers));
}

/* Puts back the saved {Pid, State} of each server in Saved. */
static void restore_states(Term Saved)
{
    for (; erl_is_cons(Saved); Saved = erl_tl(Saved))
        erl_call(gen, call, erl_element(erl_hd(Saved), 1), ATOM(system),
                 erl_tuple(ATOM(restore_state), erl_element(erl_hd(Saved), 2)), ATOM(infinity));
}

/* Nothing has changed yet: resume and say why. */
static Term give_up(Term Servers, Term Why)
{
    resume_all(Servers);
    io_format("upgrade failed before any code_change: ~p~n", erl_list(Why));
    return erl_tuple(ATOM(error), Why);
}

/* module(Mod, Source, Extra) -> ok | {error, Reason}. */
Term module_3(Term Mod, Term Source, Term Extra)
{
    Term Servers = servers_of(Mod);
    Term OldVsn = vsn_of(Mod);
    Term Saved = ERL_NIL; /* {Pid, State} before the upgrade, newest first */
    for (Term L = Servers; erl_is_cons(L); L = erl_tl(L)) {
        erl_call(sys, suspend, erl_hd(L));
        Saved = erl_cons(erl_tuple(erl_hd(L), erl_call(sys, get_state, erl_hd(L))), Saved);
    }
    Term Compiled = erl_call(compile, file, Source);
    if (!erl_eq(Compiled, erl_tuple(ATOM(ok), Mod)))
        return give_up(Servers, erl_tuple(ATOM(compile), Compiled));
    erl_call(code, purge, Mod);
    Term Loaded = erl_call(code, load_file, Mod);
    if (!erl_eq(Loaded, erl_tuple(ATOM(module), Mod)))
        return give_up(Servers, erl_tuple(ATOM(load), Loaded));
    Term NewVsn = vsn_of(Mod);
    io_format("upgrading ~p from ~p to ~p~n", erl_list(Mod, OldVsn, NewVsn));
    Term Changed = ERL_NIL; /* the saved states of the servers already changed */
    for (Term L = Servers; erl_is_cons(L); L = erl_tl(L)) {
        Term P = erl_hd(L);
        Term Result = erl_call(sys, change_code, P, Mod, OldVsn, Extra);
        if (Result != ATOM(ok)) {
            io_format("  ~p refused: ~p~n", erl_list(P, Result));
            erl_call(code, revert, Mod);
            restore_states(Changed);
            resume_all(Servers);
            io_format("rolled back: ~p is at ~p again; servers restored and resumed: ~p~n",
                      erl_list(Mod, OldVsn, erl_call(erlang, length, Servers)));
            return erl_tuple(ATOM(error), erl_tuple(P, Result));
        }
        io_format("  ~p code_change ok~n", erl_list(P));
        Changed = erl_cons(erl_call(lists, keyfind, P, erl_mk_int(1), Saved), Changed);
    }
    resume_all(Servers);
    io_format("servers upgraded and resumed: ~p~n", erl_list(erl_call(erlang, length, Servers)));
    return ATOM(ok);
}

/* module(Mod, Source) -> module(Mod, Source, []). */
Term module_2(Term Mod, Term Source)
{
    return module_3(Mod, Source, ERL_NIL);
}
