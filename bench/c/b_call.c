/*
** b_call.c
** A local call against a fully qualified call through the export table
** (erl_call), each in a loop of N calls: nanoseconds per call.
*/
#include "bench.h"

MODULE(b_call);
EXPORT(run/1, step/1);

/* The callee of both loops. Exported, so erl_call can reach it; a plain C
** call to it is the local call. tcc never inlines, and the noinline keeps
** that true should the module ever be built by another compiler. */
__attribute__((noinline)) Term step(Term X)
{
    return X + 2; /* the small integer one more */
}

static __attribute__((noinline)) Term local_loop(int64_t n)
{
    Term X = erl_mk_int(0);
    for (int64_t i = 0; i < n; i++)
        X = step(X);
    return X;
}

static __attribute__((noinline)) Term remote_loop(int64_t n)
{
    Term X = erl_mk_int(0);
    for (int64_t i = 0; i < n; i++)
        X = erl_call(b_call, step, X);
    return X;
}

static Term driver(Term N)
{
    int64_t n = erl_int_value(N);
    int64_t t0 = bench_ns();
    Term a = local_loop(n);
    int64_t t1 = bench_ns();
    Term b = remote_loop(n);
    int64_t t2 = bench_ns();
    if (erl_int_value(a) != n || erl_int_value(b) != n)
        bench_error("b_call: the loops returned %ld and %ld, not %ld", erl_int_value(a), erl_int_value(b), (long)n);
    bench_report("call_local_ns", (double)(t1 - t0) / (double)n);
    bench_report("call_remote_ns", (double)(t2 - t1) / (double)n);
    return ATOM(ok);
}

/* run(N) -> ok. Prints call_local_ns and call_remote_ns. */
Term run(Term N)
{
    return bench_drive(driver, N);
}
