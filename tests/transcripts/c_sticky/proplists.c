#include <cerl.h>

MODULE(proplists);
EXPORT(x/0);

Term x(void)
{
    return erl_mk_int(1);
}
