/*
** cmd_system.h
** The c module's commands about the running system and the shell itself
** that erl 25 has: memory/0,1, uptime/0, bt/1, history/1 and results/1.
** commands.c enters them in the shell's command table.
*/
#ifndef CERL_CMD_SYSTEM_H
#define CERL_CMD_SYSTEM_H

#include "../runtime/buf.h"
#include "../runtime/term.h"

/* memory() and memory(Type): erlang:memory/0,1's answers. */
Term cmd_memory0(void);
Term cmd_memory1(Term type);

/* uptime(): prints the time since cerl started as c:uptime does ("1 hours,
** 0 minutes and 5 seconds", days first when there are any); returns ok. */
Term cmd_uptime(void);

/* Appends uptime()'s text for s seconds, without the newline. */
void cmd_uptime_text(Buf *out, long long s);

/* bt(Pid): prints the module functions on Pid's stack, innermost first
** ("Program counter: (t:loop/0)", then "Return addr (t:start/0)" lines);
** returns ok, or undefined for a term that names no live process. */
Term cmd_bt(Term pid);

/* history(N), results(N): how many commands and results the shell keeps
** (N >= 0, else function_clause as erl); return the number before. */
Term cmd_history(Term n);
Term cmd_results(Term n);

#endif
