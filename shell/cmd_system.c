/*
** cmd_system.c
** The c module's commands about the running system and the shell itself:
** memory/0,1, uptime/0, bt/1 (as the BIFs process_info and memory see the
** system), history/1 and results/1 (the command history's limits).
*/
#include "cmd_system.h"
#include "cmdhist.h"
#include "eval_hooks.h"
#include "shell.h"
#include "../runtime/bif.h"
#include "../runtime/error.h"
#include "../runtime/heap.h"
#include "../runtime/print.h"

Term cmd_memory0(void)
{
    return eval_hook_remote_call(AM_erlang, erl_atom("memory"), 0, NULL);
}

Term cmd_memory1(Term type)
{
    return eval_hook_remote_call(AM_erlang, erl_atom("memory"), 1, &type);
}

void cmd_uptime_text(Buf *out, long long s)
{
    long long d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;
    if (d > 0)
        buf_printf(out, "%lld days, ", d);
    if (d + h > 0)
        buf_printf(out, "%lld hours, ", h);
    if (d + h + m > 0)
        buf_printf(out, "%lld minutes and ", m);
    buf_printf(out, "%lld seconds", s % 60);
}

Term cmd_uptime(void)
{
    Buf b = {0};
    cmd_uptime_text(&b, (long long)(bif_uptime_ns() / 1000000000));
    buf_putc(&b, '\n');
    shell_print(buf_str(&b));
    buf_free(&b);
    return AM_ok;
}

/* process_info(Pid, Item) as the shell calls it, or ERL_NONE when it
** raises (not a pid). */
static Term info(Term pid, const char *item)
{
    ErlCatch c;
    ErlException ex;
    Term args[2] = {pid, erl_atom(item)};
    if (exc_try(&c) == 0) {
        Term v = eval_hook_remote_call(AM_erlang, erl_atom("process_info"), 2, args);
        exc_end(&c);
        return v;
    }
    exc_caught(&c, &ex);
    return ERL_NONE;
}

static void put_mfa(Buf *b, Term mfa)
{
    buf_putc(b, '(');
    print_atom(b, erl_element(mfa, 1));
    buf_putc(b, ':');
    print_atom(b, erl_element(mfa, 2));
    buf_printf(b, "/%lld)", (long long)erl_int_value(erl_element(mfa, 3)));
}

Term cmd_bt(Term pid)
{
    Term cur = info(pid, "current_function");
    Term st = info(pid, "current_stacktrace");
    if (!erl_is_tuple(cur) || !erl_is_tuple(st))
        return AM_undefined; /* no live process: erl's c:bt says undefined */
    Term fn = erl_element(cur, 2), frames = erl_element(st, 2);
    Buf b = {0};
    buf_puts(&b, "Program counter: ");
    put_mfa(&b, fn);
    buf_putc(&b, '\n');
    bool first = true;
    for (; erl_is_cons(frames); frames = erl_tl(frames), first = false) {
        Term f = erl_hd(frames);
        if (first && erl_element(f, 1) == erl_element(fn, 1) && erl_element(f, 2) == erl_element(fn, 2))
            continue; /* the program counter's own frame */
        buf_puts(&b, "\nReturn addr ");
        put_mfa(&b, f);
        buf_putc(&b, '\n');
    }
    buf_putc(&b, '\n');
    shell_print(buf_str(&b));
    buf_free(&b);
    return AM_ok;
}

static int limit_arg(Term n, const char *name)
{
    if (!erl_is_int(n) || erl_int_value(n) < 0 || erl_int_value(n) > 1000000000)
        exc_raise(AM_error, AM_function_clause,
                  term_tuple(heap_current(), 3, (Term[]){AM_shell, erl_atom(name), erl_mk_int(1)}));
    return (int)erl_int_value(n);
}

Term cmd_history(Term n)
{
    return erl_mk_int(cmdhist_set_history(limit_arg(n, "history")));
}

Term cmd_results(Term n)
{
    return erl_mk_int(cmdhist_set_results(limit_arg(n, "results")));
}
