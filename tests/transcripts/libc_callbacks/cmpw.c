/* cmpw.c -- a qsort comparator that waits for a message before comparing. */
#include <cerl.h>

MODULE(cmpw);
EXPORT(cmp/2);

Term cmp(Term A, Term B)
{
    erl_receive();
    long a = *(const long *)A, b = *(const long *)B;
    return (Term)(long)(a < b ? -1 : a > b);
}
