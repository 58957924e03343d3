/* dm.c -- the C twin of dm.erl: what the macros c/2 defines (-D) select. */
#include <cerl.h>

MODULE(dm);
EXPORT(flag/0, n/0, name/0);

#ifdef DEBUG
Term flag(void) { return ATOM(debug); }
#else
Term flag(void) { return ATOM(nodebug); }
#endif

#ifdef N
Term n(void) { return erl_mk_int(N); }
#else
Term n(void) { return ATOM(none); }
#endif

#ifdef NAME
Term name(void) { return erl_mk_string(NAME); }
#else
Term name(void) { return ATOM(none); }
#endif
