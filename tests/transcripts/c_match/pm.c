#include <cerl.h>
MODULE(pm);
EXPORT(m/2);
/* m(Pattern, Term) -> {match, [Vars]} | nomatch, with up to 4 variables. */
Term m(Term Pattern, Term T)
{
    char buf[256];
    int n = 0;
    for (Term P = Pattern; erl_is_cons(P) && n < 255; P = erl_tl(P))
        buf[n++] = (char)erl_int_value(erl_hd(P));
    buf[n] = 0;
    Term A = ATOM(unset), B = ATOM(unset), C = ATOM(unset), D = ATOM(unset);
    if (!erl_match(T, buf, &A, &B, &C, &D))
        return erl_tuple(ATOM(nomatch), erl_list(A, B, C, D));
    return erl_tuple(ATOM(match), erl_list(A, B, C, D));
}
