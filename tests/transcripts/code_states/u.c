/* u.c -- the C twin of u.erl: a loop that upgrades itself on request. */
#include <cerl.h>

MODULE(u);
EXPORT(start/0, loop/0, version/0);

Term version(void)
{
    return erl_mk_int(1);
}

Term loop(void)
{
    for (;;) {
        Term Msg = erl_receive();
        if (Msg == ATOM(upgrade))
            erl_tail(u, loop);
        if (erl_is_tuple(Msg) && erl_tuple_size(Msg) == 2 && erl_element(Msg, 2) == ATOM(version))
            erl_send(erl_element(Msg, 1), erl_tuple(ATOM(version), version()));
    }
}

Term start(void)
{
    return erl_spawn(loop);
}
