#include <cerl.h>
MODULE(se)
EXPORT(start/0);
Term start(void) { return ATOM(ok); }
