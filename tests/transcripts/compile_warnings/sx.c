/* sx.c -- a syntax error. */
#include <cerl.h>

MODULE(sx);
EXPORT(f/0);

Term f(void)
{
    return ATOM(ok)
}
