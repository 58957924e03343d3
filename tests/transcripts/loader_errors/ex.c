#include <cerl.h>
#include <err.h>

MODULE(ex);
EXPORT(start/0, good/0);

Term start(void)
{
    errx(2, "bad %d", 7);
    return ATOM(not_reached);
}

Term good(void)
{
    return ATOM(fine);
}
