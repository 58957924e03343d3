/* lo.c -- the C twin of lo.erl: a process that waits for ever. */
#include <cerl.h>

MODULE(lo);
EXPORT(start/0, loop/0);

Term loop(void)
{
    for (;;)
        erl_receive();
}

Term start(void)
{
    return erl_spawn(loop);
}
