#include <cerl.h>
MODULE(sc);
EXPORT(start/0);
extern void *sched_current;
Term start(void) { return sched_current ? ATOM(yes) : ATOM(no); }
