/*
** b_purge.c
** N processes running this module's code, each monitored by the caller:
** after one l(b_purge) they run old code, and the next l(b_purge) kills
** them all. wait_down collects the 'DOWN' messages.
*/
#include "bench.h"

MODULE(b_purge);
EXPORT(start/1, wait_down/1);

/* A local loop: the process stays in the version it started in. */
static Term idle(void)
{
    for (;;)
        erl_receive();
}

/* start(N) -> ok: spawns N idle processes and monitors each from the caller. */
Term start(Term N)
{
    int64_t n = erl_int_value(N);
    for (int64_t i = 0; i < n; i++)
        erl_monitor(erl_spawn(idle));
    return ATOM(ok);
}

/* wait_down(N) -> N once N 'DOWN' messages have been received. */
Term wait_down(Term N)
{
    int64_t n = erl_int_value(N);
    for (int64_t i = 0; i < n;) {
        Term Msg = erl_receive();
        if (erl_is_tuple(Msg) && erl_element(Msg, 1) == ATOM(DOWN))
            i++;
    }
    return N;
}
