/*
** b_purge.c
** The victims of b_code:purge/1: N processes running this module's code,
** each monitored by the caller. After one l(b_purge) they run old code,
** and the next l(b_purge) kills them all.
*/
#include "bench.h"

MODULE(b_purge);
EXPORT(start/1);

/* A local loop: the process stays in the version it started in. */
static Term idle(void)
{
    for (;;)
        erl_receive();
}

/* start(N) -> ok: spawns N idle processes and monitors each from the caller. */
Term start(Term N)
{
    long n = erl_int_value(N);
    for (long i = 0; i < n; i++)
        erl_monitor(erl_spawn(idle));
    return ATOM(ok);
}
