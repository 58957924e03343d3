/* throw/catch loop: N raises of erl_throw from module code, caught in C. */
#include "support.h"
#include "../../runtime/code.h"
#include "../../runtime/error.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <check.h>

static int depth;
static const int N = 1000000;
static double secs;

static Term loop(void)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < N; i++) {
        ErlCatch c;
        ErlException e;
        if (exc_try(&c) == 0) {
            erl_call(b, deep, erl_mk_int(depth), ATOM(x));
            exc_end(&c);
        } else {
            exc_caught(&c, &e);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    return ATOM(ok);
}

int main(int argc, char **argv)
{
    depth = atoi(argv[1]);
    support_start_runtime();
    support_compile_module("b",
        "#include <cerl.h>\nMODULE(b);\nEXPORT(deep/2);\n"
        "Term deep(Term N, Term X)\n{\n    if (N == erl_mk_int(0))\n        erl_throw(X);\n"
        "    return erl_list(deep(erl_sub(N, erl_mk_int(1)), X));\n}\n");
    code_load_file(heap_current(), erl_atom("b"), NULL);
    erl_spawn(loop);
    sched_run_until_idle();
    printf("depth %d: %.0f ns per throw/catch\n", depth, secs / N * 1e9);
    return 0;
}
