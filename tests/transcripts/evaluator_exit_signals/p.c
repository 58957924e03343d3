/* p.c -- the C twin of p.erl: wait/0 blocks its caller inside p's code. */
#include <cerl.h>

MODULE(p);
EXPORT(wait/0);

Term wait(void)
{
    return erl_receive();
}
