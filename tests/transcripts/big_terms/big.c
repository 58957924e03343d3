/* Objects far larger than a heap page: each gets pages of its own. */
#include <cerl.h>

MODULE(big);
EXPORT(bin/0, tuple/0, bin_size/1, send_to_self/1, last/1);

/* bin() -> <<0:2080000>>.  (260,000 bytes) */
Term bin(void)
{
    static const unsigned char zeros[260000];
    return erl_mk_binary(zeros, sizeof zeros);
}

/* tuple() -> list_to_tuple(lists:seq(1, 40000)). */
Term tuple(void)
{
    static Term elems[40000];
    for (int i = 0; i < 40000; i++)
        elems[i] = erl_mk_int(i + 1);
    return erl_tuple_n(40000, elems);
}

/* bin_size(B) -> byte_size(B). */
Term bin_size(Term B)
{
    return erl_mk_int((long)erl_binary_size(B));
}

/* send_to_self(T) -> self() ! T, receive M -> M end. */
Term send_to_self(Term T)
{
    erl_send(erl_self(), T);
    return erl_receive();
}

/* last(T) -> element(tuple_size(T), T). */
Term last(Term T)
{
    return erl_element(T, erl_tuple_size(T));
}
