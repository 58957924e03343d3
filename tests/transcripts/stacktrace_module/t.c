#include <cerl.h>
MODULE(t);
EXPORT(f/1, g/1, thrower/0, exiter/0, undef/0, reg/0, divide/1);

static Term h(Term X)
{
    if (X == ATOM(a))
        erl_error(erl_tuple(ATOM(bad), X));
    return erl_list(X);
}

Term g(Term X)
{
    return erl_tuple(h(X));
}

Term f(Term X)
{
    return erl_list(g(X));
}

Term thrower(void) { erl_throw(ATOM(up)); }
Term exiter(void) { erl_exit(ATOM(out)); }
Term undef(void)
{
    return erl_list(erl_call(nomod, f));
}

static Term two(Term A, Term B)
{
    return erl_list(erl_register(A, B));
}

Term reg(void)
{
    return erl_list(two(ATOM(undefined), erl_self()));
}

Term divide(Term X)
{
    return erl_list(erl_div(erl_mk_int(1), X));
}
