/* vmod.c -- a module that declares its version (twin: vmod.erl). */
#include <cerl.h>

MODULE(vmod);
VSN("1.1");
EXPORT(hello/0);

/* hello() -> world. */
Term hello(void)
{
    return ATOM(world);
}
