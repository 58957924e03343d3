/* ar.c -- one name at two arities (twin: ar.erl). */
#include <cerl.h>

MODULE(ar);
EXPORT(greet/0, greet/1, other/1);

/* greet() -> greet(world). */
Term greet_0(void)
{
    return erl_tuple(ATOM(hello), ATOM(world));
}

/* greet(Who) -> {hello, Who}. */
Term greet_1(Term Who)
{
    return erl_tuple(ATOM(hello), Who);
}

/* other(X) -> {other, X}: a name exported once keeps its own. */
Term other(Term X)
{
    return erl_tuple(ATOM(other), X);
}
