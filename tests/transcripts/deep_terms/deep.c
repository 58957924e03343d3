/* Terms nested thousands deep, handled by processes with ordinary stacks:
** sent, compared, printed and used as exit reasons. */
#include <cerl.h>

MODULE(deep);
EXPORT(send_list/1, send_tuple/1, exit_reason/1, compare/1, print/2);

/* nest(0) -> []; nest(N) -> [nest(N - 1)]. */
static Term nest(long n)
{
    Term t = ERL_NIL;
    for (long i = 0; i < n; i++)
        t = erl_list(t);
    return t;
}

/* nest_tuple(0) -> {}; nest_tuple(N) -> {nest_tuple(N - 1)}. */
static Term nest_tuple(long n)
{
    Term t = erl_tuple();
    for (long i = 0; i < n; i++)
        t = erl_tuple(t);
    return t;
}

/* depth([H]) -> 1 + depth(H); depth({H}) -> 1 + depth(H); depth(_) -> 0. */
static long depth(Term t)
{
    long d = 0;
    for (;;) {
        if (erl_is_cons(t))
            t = erl_hd(t);
        else if (erl_is_tuple(t) && erl_tuple_size(t) == 1)
            t = erl_element(t, 1);
        else
            return d;
        d++;
    }
}

static Term bool_term(int b)
{
    return b ? ATOM(true) : ATOM(false);
}

/* The worker sends D to itself and reports {deep, M =:= D, depth(M)}. */
static Term echo(Term Parent, Term D)
{
    erl_send(erl_self(), D);
    Term M = erl_receive();
    erl_send(Parent, erl_tuple(ATOM(deep), bool_term(erl_eq(M, D)), erl_mk_int(depth(M))));
    return ATOM(ok);
}

static Term echo_list(Term Parent, Term N)
{
    return echo(Parent, nest(erl_int_value(N)));
}

static Term echo_tuple(Term Parent, Term N)
{
    return echo(Parent, nest_tuple(erl_int_value(N)));
}

static Term result(void)
{
    Term R = erl_receive();
    return erl_tuple(erl_element(R, 2), erl_element(R, 3));
}

/* send_list(N) -> spawn a process that sends itself nest(N); {Equal, Depth}. */
Term send_list(Term N)
{
    erl_spawn(echo_list, erl_self(), N);
    return result();
}

Term send_tuple(Term N)
{
    erl_spawn(echo_tuple, erl_self(), N);
    return result();
}

static Term exiter(Term N)
{
    erl_exit(nest(erl_int_value(N)));
}

/* exit_reason(N) -> a process exits with nest(N); the depth of the reason
** its monitor reports. */
Term exit_reason(Term N)
{
    Term Pid = erl_spawn(exiter, N);
    erl_monitor(Pid);
    Term Down = erl_receive();
    return erl_mk_int(depth(erl_element(Down, 5)));
}

static Term comparer(Term Parent, Term N)
{
    long n = erl_int_value(N);
    Term A = nest(n), B = nest(n + 1), C = nest(n);
    erl_send(Parent, erl_tuple(ATOM(deep), erl_mk_int(erl_compare(A, B)), bool_term(erl_eq(A, C))));
    return ATOM(ok);
}

/* compare(N) -> {compare(nest(N), nest(N + 1)), nest(N) =:= nest(N)}, in a
** process of its own (compare/2 as -1, 0, 1). */
Term compare(Term N)
{
    erl_spawn(comparer, erl_self(), N);
    return result();
}

static Term printer(Term Parent, Term N, Term Fmt)
{
    char fmt[8] = "~?~n";
    fmt[1] = (char)erl_int_value(Fmt);
    io_format(fmt, erl_list(nest(erl_int_value(N))));
    erl_send(Parent, erl_tuple(ATOM(deep), ATOM(printed), ATOM(ok)));
    return ATOM(ok);
}

/* print(N, $w | $p) -> a process prints nest(N) with ~w or ~p. */
Term print(Term N, Term Fmt)
{
    erl_spawn(printer, erl_self(), N, Fmt);
    return erl_element(result(), 1);
}
