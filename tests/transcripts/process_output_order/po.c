/* po.c -- a process that prints what it receives, for the order of its
** output and the shell's value.
**
**   -module(po).
**   -export([start/0, loop/0]).
**
**   start() -> spawn(fun loop/0).
**
**   loop() ->
**       receive
**           {echo, From, X} -> From ! {echoed, X}, loop();
**           X -> io:format("got ~p~n", [X]), loop()
**       end.
*/
#include <cerl.h>

MODULE(po);
EXPORT(start/0, loop/0);

Term loop(void)
{
    for (;;) {
        Term X = erl_receive();
        Term From, Y;
        if (erl_match(X, "{echo, From, X}", &From, &Y))
            erl_send(From, erl_tuple(ATOM(echoed), Y));
        else
            io_format("got ~p~n", erl_list(X));
    }
}

Term start(void)
{
    return erl_spawn(loop);
}
