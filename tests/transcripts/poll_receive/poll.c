#include <cerl.h>

MODULE(poll);
EXPORT(wait_go/1, own_timer/0);

/* poll_for_go() -> receive go -> got_go after 0 -> poll_for_go() end. */
static Term poll_for_go(void)
{
    while (erl_receive_timeout(0) != ATOM(go))
        ;
    return ATOM(got_go);
}

/* wait_go(Parent) -> Parent ! poll_for_go(). */
Term wait_go(Term Parent)
{
    return erl_send(Parent, poll_for_go());
}

/* own_timer() -> erlang:send_after(20, self(), go), poll_for_go(). */
Term own_timer(void)
{
    erl_send_after(20, erl_self(), ATOM(go));
    return poll_for_go();
}
