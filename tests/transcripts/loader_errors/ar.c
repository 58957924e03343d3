#include <cerl.h>
MODULE(ar);
EXPORT(start/0);

Term start(Term A, Term B)
{
    return A;
}
