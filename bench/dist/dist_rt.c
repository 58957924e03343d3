/*
** dist_rt.c
** The cerl side of bench/dist/run.py: N round trips to a process on another
** node, one message out and its answer back each time.
*/
#include <cerl.h>
#include <time.h>

MODULE(dist_rt);
EXPORT(run/3);

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* run(Name, Node, N): sends {self(), I} to {Name, Node} N times, each after
** the answer to the one before; prints "@@ cerl_beam_rt_us U" (the mean round
** trip) and returns ok. */
Term run(Term Name, Term Node, Term N)
{
    long n;
    erl_get_long(N, &n);
    Term To = erl_tuple(Name, Node);
    double t0 = now_us();
    for (long i = 0; i < n; i++) {
        erl_send(To, erl_tuple(erl_self(), erl_mk_int(i)));
        erl_receive();
    }
    double us = (now_us() - t0) / (double)n;
    io_format("@@ cerl_beam_rt_us ~.2f~n", erl_list(erl_mk_float(us)));
    return ATOM(ok);
}
