/* Terms that break cerl.h's rules, handed to the runtime: each must end
** only the process that made it, with {badterm, Crossing, What}. */
#include <cerl.h>

MODULE(bad);
EXPORT(exit_bad/0, error_bad/0, ret_bad/0, exit2_bad/1, wait/0, linker/1, send_bad/0,
       cyclic/0, cyclic_send/0, cyclic_print/0, cyclic_tuple_send/0);

#define BAD ((Term)0x10) /* no term: not on any heap */

Term exit_bad(void)
{
    erl_exit(BAD);
}

Term error_bad(void)
{
    erl_error(BAD);
}

Term ret_bad(void)
{
    return BAD;
}

Term exit2_bad(Term V)
{
    return erl_exit2(V, BAD);
}

Term wait(void)
{
    for (;;)
        erl_receive();
}

/* Links to V, then waits. */
Term linker(Term V)
{
    erl_link(V);
    return wait();
}

Term send_bad(void)
{
    return erl_send(erl_self(), erl_tuple(ATOM(a), BAD));
}

/* [a, b, a, b, ...]: the second cell's tail set to the first cell. */
Term cyclic(void)
{
    Term L = erl_list(ATOM(a), ATOM(b));
    Term *second = (Term *)(erl_tl(L) - 2);
    second[1] = L;
    return L;
}

Term cyclic_send(void)
{
    return erl_send(erl_self(), cyclic());
}

Term cyclic_print(void)
{
    return io_format("~p~n", erl_list(cyclic()));
}

/* {a, {a, {a, ...}}}: the tuple's second element set to the tuple. */
Term cyclic_tuple_send(void)
{
    Term T = erl_tuple(ATOM(a), ATOM(b));
    erl_box_ptr(T)[2] = T;
    return erl_send(erl_self(), T);
}
