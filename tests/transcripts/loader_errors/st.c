#include <cerl.h>
MODULE(st);
EXPORT(start/0);
static Term start(void) { return ATOM(ok); }
