/* srt.c -- module code below libc's frames: qsort calls back cmpw:cmp, or
** the runtime's erl_receive itself. Purging an old srt must find both. */
#include <cerl.h>
#include <stdlib.h>

MODULE(srt);
EXPORT(sort/0, wait/0);

typedef int (*Cmp)(const void *, const void *);

Term sort(void)
{
    long v[3] = {3, 2, 1};
    qsort(v, 3, sizeof v[0], (Cmp)ERL_FN_OF(cmpw, cmp, 2));
    return erl_mk_int(v[0]);
}

Term wait(void)
{
    long v[2] = {2, 1};
    qsort(v, 2, sizeof v[0], (Cmp)erl_receive);
    return ATOM(done);
}
