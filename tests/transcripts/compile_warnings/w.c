/* w.c -- compiles, with warnings c/1 shows in erl's layout. */
#include <cerl.h>

MODULE(w);
EXPORT(f/1);

Term f(Term X)
{
    char *p = 5;
    int n = "abc";
    return X;
}
