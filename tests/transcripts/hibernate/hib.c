/* hib: a process hibernates and resumes in hib:resume(Parent, State) with
** the message that wakes it; one with a message already queued resumes at once. */
#include <cerl.h>

MODULE(hib);
EXPORT(start/0, start_queued/0, resume/2);

Term resume(Term Parent, Term State)
{
    Term Msg = erl_receive();
    erl_send(Parent, erl_tuple(ATOM(resumed), State, Msg));
    return resume(Parent, erl_tuple(ATOM(next), State));
}

static Term sleeper(Term Parent)
{
    Term Big = erl_mk_string("some garbage the collection takes");
    (void)Big;
    erl_hibernate(ATOM(hib), ATOM(resume), erl_list(Parent, ATOM(first)));
}

Term start(void)
{
    return erl_spawn(sleeper, erl_self());
}

static Term queued(Term Parent)
{
    erl_send(erl_self(), ATOM(early));
    erl_hibernate(ATOM(hib), ATOM(resume), erl_list(Parent, ATOM(queued)));
}

Term start_queued(void)
{
    return erl_spawn(queued, erl_self());
}
