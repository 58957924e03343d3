/* t.c -- the article's module t, in C.
**
**   -module(t).
**   -export([start/0]).
**
**   start() ->
**       Pid = spawn(fun() -> do_loop() end),
**       register(t, Pid).
**
**   do_loop() ->
**       receive
**           Msg ->
**               io:format("~p~n", [Msg])
**       end,
**       do_loop().
**
** do_loop is a local function: after l(t) the process keeps running the
** version it started in (now old code), and the second l(t) kills it.
** C has no tail calls, so the recursive do_loop() is a loop here.
*/
#include <cerl.h>

MODULE(t);
EXPORT(start/0);

static Term do_loop(void)
{
    for (;;) {
        Term Msg = erl_receive();
        io_format("~p~n", erl_list(Msg));
    }
}

Term start(void)
{
    Term Pid = erl_spawn(do_loop);
    return erl_register(ATOM(t), Pid);
}
