#include <cerl.h>
#include <signal.h>
#include <unistd.h>

MODULE(term);
EXPORT(stop/0);

/* os:cmd("kill -TERM " ++ os:getpid()): erl shuts down cleanly. */
Term stop(void)
{
    kill(getpid(), SIGTERM);
    return ATOM(ok);
}
