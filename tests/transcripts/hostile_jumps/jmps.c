/* jmps.c -- leaving a function other than by returning: a call to a wild
** address, a longjmp with a garbage jmp_buf. Each ends only its process. */
#include <cerl.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

MODULE(jmps);
EXPORT(wild/0, garbage/0);

Term wild(void)
{
    void (*volatile f)(void) = (void (*)(void))(uintptr_t)0x4000;
    f();                                  /* {segv,{jmps,wild,current},16384} */
    return ATOM(survived);
}

Term garbage(void)
{
    jmp_buf jb;
    memset(jb, 0x41, sizeof jb);
    longjmp(jb, 1);                       /* {bad_longjmp,{jmps,garbage,current}} */
    return ATOM(survived);
}
