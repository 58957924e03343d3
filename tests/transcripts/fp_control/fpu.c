#include <cerl.h>
#include <fenv.h>

MODULE(fpu);
EXPORT(down/0);

/* Rounds toward minus infinity from now on, and answers each Pid sent to it
** with its rounding mode: its own, whatever the others do. */
Term down(void)
{
    fesetround(FE_DOWNWARD);
    for (;;) {
        Term From = erl_receive();
        erl_send(From, fegetround() == FE_DOWNWARD ? ATOM(downward) : ATOM(to_nearest));
    }
}
