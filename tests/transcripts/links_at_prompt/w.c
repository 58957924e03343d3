/* w.c -- the C twin of w.erl: a linked process that exits on request. */
#include <cerl.h>

MODULE(w);
EXPORT(start_link/0);

static Term loop(void)
{
    for (;;) {
        Term Msg = erl_receive();
        if (erl_is_tuple(Msg) && erl_tuple_size(Msg) == 2 && erl_element(Msg, 1) == ATOM(exit))
            erl_exit(erl_element(Msg, 2));
    }
}

Term start_link(void)
{
    return erl_spawn_link(loop);
}
