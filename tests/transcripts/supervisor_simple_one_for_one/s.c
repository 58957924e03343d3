/* s.c -- a supervisor callback module (twin: s.erl). */
#include <cerl.h>

MODULE(s);
EXPORT(start_link/2, init/1);

/* start_link(Strategy, Ids) -> supervisor:start_link({local, s}, s, {Strategy, Ids}). */
Term start_link(Term Strategy, Term Ids)
{
    return erl_call(supervisor, start_link, erl_tuple(ATOM(local), ATOM(s)), ATOM(s), erl_tuple(Strategy, Ids));
}

/* init({simple_one_for_one, Restart}) ->
**     {ok, {#{strategy => simple_one_for_one, intensity => 2, period => 10},
**           [#{id => w, start => {w, start_link, []}, restart => Restart}]}};
** init({Strategy, Ids}) ->
**     {ok, {#{strategy => Strategy, intensity => 2, period => 10},
**           [#{id => Id, start => {w, start_link, [Id]}} || Id <- Ids]}}. */
Term init(Term Arg)
{
    Term Flags = erl_map_put(erl_map_new(), ATOM(strategy), erl_element(Arg, 1));
    Flags = erl_map_put(Flags, ATOM(intensity), erl_mk_int(2));
    Flags = erl_map_put(Flags, ATOM(period), erl_mk_int(10));
    if (erl_element(Arg, 1) == ATOM(simple_one_for_one)) {
        Term Spec = erl_map_put(erl_map_new(), ATOM(id), ATOM(w));
        Spec = erl_map_put(Spec, ATOM(start), erl_tuple(ATOM(w), ATOM(start_link), ERL_NIL));
        Spec = erl_map_put(Spec, ATOM(restart), erl_element(Arg, 2));
        return erl_tuple(ATOM(ok), erl_tuple(Flags, erl_list(Spec)));
    }
    Term Specs = ERL_NIL, *Tail = &Specs;
    for (Term Ids = erl_element(Arg, 2); erl_is_cons(Ids); Ids = erl_tl(Ids)) {
        Term Spec = erl_map_put(erl_map_new(), ATOM(id), erl_hd(Ids));
        Spec = erl_map_put(Spec, ATOM(start), erl_tuple(ATOM(w), ATOM(start_link), erl_list(erl_hd(Ids))));
        *Tail = erl_cons(Spec, ERL_NIL);
        Tail = (Term *)(*Tail - 2) + 1;
    }
    return erl_tuple(ATOM(ok), erl_tuple(Flags, Specs));
}
