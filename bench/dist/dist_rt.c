/*
** dist_rt.c
** The cerl side of bench/dist/run.py: round trips to a process on another
** node, and a one-way stream of messages to one.
*/
#include <cerl.h>
#include <time.h>

MODULE(dist_rt);
EXPORT(run/3, stream/3);

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
    erl_send(To, erl_tuple(erl_self(), ATOM(warm)));
    erl_receive();
    double t0 = now_us();
    for (long i = 0; i < n; i++) {
        erl_send(To, erl_tuple(erl_self(), erl_mk_int(i)));
        erl_receive();
    }
    double us = (now_us() - t0) / (double)n;
    io_format("@@ cerl_beam_rt_us ~.2f~n", erl_list(erl_mk_float(us)));
    return ATOM(ok);
}

/* stream(Name, Node, N): {start, self(), N} to {Name, Node}, then N
** messages {msg, I}, then waits for its 'done'; prints "@@
** cerl_beam_msgs_per_s R" and returns ok. */
Term stream(Term Name, Term Node, Term N)
{
    long n;
    erl_get_long(N, &n);
    Term To = erl_tuple(Name, Node);
    double t0 = now_us();
    erl_send(To, erl_tuple(ATOM(start), erl_self(), N));
    for (long i = 0; i < n; i++)
        erl_send(To, erl_tuple(ATOM(msg), erl_mk_int(i)));
    erl_receive();
    double rate = (double)n / ((now_us() - t0) / 1e6);
    io_format("@@ cerl_beam_msgs_per_s ~b~n", erl_list(erl_mk_int((long)rate)));
    return ATOM(ok);
}
