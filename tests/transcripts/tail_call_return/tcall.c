#include <cerl.h>

MODULE(tcall);
EXPORT(f/0, g/0, h/0);

/* f() -> R = tcall:g(), {f_got, R}. */
Term f(void)
{
    Term R = erl_call(tcall, g);
    return erl_tuple(ATOM(f_got), R);
}

/* g() -> tcall:h(). */
Term g(void)
{
    erl_tail(tcall, h);
}

/* h() -> h_result. */
Term h(void)
{
    return ATOM(h_result);
}
