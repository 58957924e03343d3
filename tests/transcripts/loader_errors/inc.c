#include <cerl.h>
#include "/dev/stdin"
MODULE(inc);
EXPORT(start/0);
Term start(void) { return ATOM(ok); }
