/* v.c -- the C twin of v.erl: a process linked to its caller, looping locally. */
#include <cerl.h>

MODULE(v);
EXPORT(start_link/0);

static Term loop(void)
{
    for (;;)
        erl_receive();
}

Term start_link(void)
{
    return erl_spawn_link(loop);
}
