#include <cerl.h>
#include <time.h>

MODULE(spin);
EXPORT(run/1);

/* run(Ms): runs Ms milliseconds without yielding, then returns done. */
Term run(Term Ms)
{
    long ms;
    erl_get_long(Ms, &ms);
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do
        clock_gettime(CLOCK_MONOTONIC, &t);
    while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
    return ATOM(done);
}
