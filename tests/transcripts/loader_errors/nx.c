#include <cerl.h>
MODULE(nx);
EXPORT(start/0);
void next(void);
Term start(void) { next(); return ATOM(ok); }
