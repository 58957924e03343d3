/* nums.c -- integers of any size and maps, from C (twin: nums.erl). */
#include <cerl.h>

MODULE(nums);
EXPORT(fact/1, fib/1, count/1, lookup/2, total/1);

/* fact(0) -> 1; fact(N) -> N * fact(N - 1). */
Term fact(Term N)
{
    Term acc = erl_mk_int(1);
    for (Term i = N; erl_compare(i, erl_mk_int(0)) > 0; i = erl_sub(i, erl_mk_int(1)))
        acc = erl_mul(acc, i);
    return acc;
}

/* fib(N) -> fib(N, 0, 1). fib(0, A, _) -> A; fib(N, A, B) -> fib(N - 1, B, A + B). */
Term fib(Term N)
{
    Term a = erl_mk_int(0), b = erl_mk_int(1);
    for (long n = erl_int_value(N); n > 0; n--) {
        Term next = erl_add(a, b);
        a = b;
        b = next;
    }
    return a;
}

/* count(Words) -> lists:foldl(fun(W, M) -> maps:update_with(W, fun(C) -> C + 1 end, 1, M) end, #{}, Words). */
Term count(Term Words)
{
    Term M = erl_map_new();
    for (; erl_is_cons(Words); Words = erl_tl(Words)) {
        Term W = erl_hd(Words), C = erl_map_get(M, W);
        M = erl_map_put(M, W, C == ERL_NONE ? erl_mk_int(1) : erl_add(C, erl_mk_int(1)));
    }
    return M;
}

/* lookup(K, M) -> maps:get(K, M, none). */
Term lookup(Term K, Term M)
{
    Term V = erl_map_get(M, K);
    return V == ERL_NONE ? ATOM(none) : V;
}

static void add_value(Term k, Term v, void *ctx)
{
    Term *sum = ctx;
    *sum = erl_add(*sum, v);
}

/* total(M) -> lists:sum(maps:values(M)). */
Term total(Term M)
{
    Term sum = erl_mk_int(0);
    erl_map_foreach(M, add_value, &sum);
    return sum;
}
