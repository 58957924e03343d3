#include <cerl.h>

MODULE(spin);
EXPORT(start/0);

/* loop() -> receive stop -> ok after 0 -> erlang:yield(), loop() end. */
static Term loop(void)
{
    for (;;) {
        if (erl_receive_timeout(0) == ATOM(stop))
            return ATOM(ok);
        erl_yield();
    }
}

/* start() -> spawn(fun loop/0). */
Term start(void)
{
    return erl_spawn(loop);
}
