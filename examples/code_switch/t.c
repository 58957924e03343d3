/* t.c -- the article's fix: a process that moves itself to the current code.
**
**   -module(t).
**   -export([start/0, do_loop/0]).
**
**   start() ->
**       Pid = spawn(fun() -> do_loop() end),
**       register(t, Pid).
**
**   do_loop() ->
**       receive
**           code_switch ->
**               t:do_loop();
**           Msg ->
**               io:format("~p~n", [Msg]),
**               do_loop()
**       end.
**
** t:do_loop() is a fully qualified call: it goes through the export table
** and so reaches the newest version. erl_tail makes it a tail call, dropping
** the old version's frames, so the next purge finds no old code in this
** process. The local do_loop() stays in the running version (a loop in C).
*/
#include <cerl.h>

MODULE(t);
EXPORT(start/0, do_loop/0);

Term do_loop(void)
{
    for (;;) {
        Term Msg = erl_receive();
        if (Msg == ATOM(code_switch))
            erl_tail(t, do_loop);
        io_format("~p~n", erl_list(Msg));
    }
}

Term start(void)
{
    Term Pid = erl_spawn(do_loop);
    return erl_register(ATOM(t), Pid);
}
