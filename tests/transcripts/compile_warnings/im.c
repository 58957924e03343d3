/* im.c -- calls a function it never declares: an error, not a warning. */
#include <cerl.h>

MODULE(im);
EXPORT(f/0);

Term f(void)
{
    return undeclared_fn(1);
}
