/*
** timer.c
** The timer module: time conversions, timing a call, and messages and
** calls at a later time, as OTP's timer.
*/
#include <cerl.h>

#include <time.h>

MODULE(timer);
EXPORT(sleep/1, tc/1, tc/2, tc/3, seconds/1, minutes/1, hours/1, hms/3, now_diff/2,
       send_after/2, send_after/3, apply_after/4, exit_after/2, exit_after/3, kill_after/1,
       kill_after/2, send_interval/2, send_interval/3, apply_interval/4, cancel/1);

/* ------------------------------------------------------------ helpers */

/* Microseconds on the monotonic clock. */
static long now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* A time in milliseconds, or -1 for anything that is not one. */
static long millis(Term Time)
{
    long ms;
    if (!erl_get_long(Time, &ms) || ms < 0)
        return -1;
    return ms;
}

/* ------------------------------------------------------------- sleep */

static int no_message(Term Msg, void *ctx)
{
    return 0;
}

/* sleep(Time) -> receive after Time -> ok end: Time milliseconds, or
** infinity. */
Term sleep(Term Time)
{
    if (Time == ATOM(infinity))
        erl_receive_match(no_message, 0, -1);
    long ms = millis(Time);
    if (ms < 0)
        erl_error_args(ATOM(timeout_value), 0, Time);
    return erl_sleep(ms);
}

/* -------------------------------------------------------- conversions */

/* seconds(Seconds) -> Seconds * 1000: in milliseconds. */
Term seconds(Term Seconds)
{
    return erl_mul(Seconds, erl_mk_int(1000));
}

/* minutes(Minutes) -> Minutes * 60 * 1000. */
Term minutes(Term Minutes)
{
    return erl_mul(Minutes, erl_mk_int(60 * 1000));
}

/* hours(Hours) -> Hours * 60 * 60 * 1000. */
Term hours(Term Hours)
{
    return erl_mul(Hours, erl_mk_int(60 * 60 * 1000));
}

/* hms(Hours, Minutes, Seconds) -> hours(H) + minutes(M) + seconds(S). */
Term hms(Term H, Term M, Term S)
{
    return erl_add(erl_add(hours(H), minutes(M)), seconds(S));
}

/* now_diff(T2, T1): T2 - T1 in microseconds, for {MegaSecs, Secs, MicroSecs}
** times such as os:timestamp() returns. */
Term now_diff(Term T2, Term T1)
{
    Term A2, B2, C2, A1, B1, C1;
    if (!erl_match(T2, "{A2, B2, C2}", &A2, &B2, &C2) || !erl_match(T1, "{A1, B1, C1}", &A1, &B1, &C1))
        erl_error(ATOM(function_clause));
    /* ((A2 - A1) * 1000000 + B2 - B1) * 1000000 + C2 - C1 */
    Term Secs = erl_add(erl_mul(erl_sub(A2, A1), erl_mk_int(1000000)), erl_sub(B2, B1));
    return erl_add(erl_mul(Secs, erl_mk_int(1000000)), erl_sub(C2, C1));
}

/* ------------------------------------------------------- timing calls */

/* tc(Fun, Arguments) -> {Time, Value}: Fun applied, Time in microseconds. */
Term tc_2(Term Fun, Term Args)
{
    long start = now_us();
    Term Value = erl_apply(Fun, Args);
    return erl_tuple(erl_mk_int(now_us() - start), Value);
}

/* tc(Fun) -> tc(Fun, []). */
Term tc_1(Term Fun)
{
    return tc_2(Fun, ERL_NIL);
}

/* tc(Module, Function, Arguments) -> {Time, apply(Module, Function, Arguments)}. */
Term tc_3(Term Module, Term Function, Term Args)
{
    long start = now_us();
    Term Value = erl_call(erlang, apply, Module, Function, Args);
    return erl_tuple(erl_mk_int(now_us() - start), Value);
}

/* -------------------------------------------------------- later on */

/* send_after(Time, Destination, Message) -> {ok, TRef} | {error, badarg}:
** Destination ! Message in Time milliseconds (a pid or a registered name,
** looked up then). */
Term send_after_3(Term Time, Term Dest, Term Msg)
{
    long ms = millis(Time);
    if (ms < 0 || (!erl_is_pid(Dest) && !erl_is_atom(Dest)))
        return erl_tuple(ATOM(error), ATOM(badarg));
    return erl_tuple(ATOM(ok), erl_tuple(ATOM(send_local), erl_send_after(ms, Dest, Msg)));
}

/* send_after(Time, Message) -> send_after(Time, self(), Message). */
Term send_after_2(Term Time, Term Msg)
{
    return send_after_3(Time, erl_self(), Msg);
}

/* The process behind apply_after: waits for the timer's go, then applies.
** A cancelled timer sends nothing; the process gives up a second after the
** time, which a timer that fires always beats (timers fire in deadline
** order). */
static Term apply_later(Term Time, Term M, Term F, Term A)
{
    if (erl_receive_timeout(erl_int_value(Time) + 1000) == ATOM(go))
        erl_call(erlang, apply, M, F, A);
    return ATOM(ok);
}

/* apply_after(Time, Module, Function, Arguments) -> {ok, TRef}:
** apply(Module, Function, Arguments) in a new process in Time milliseconds. */
Term apply_after(Term Time, Term M, Term F, Term A)
{
    long ms = millis(Time);
    if (ms < 0 || !erl_is_atom(M) || !erl_is_atom(F) || !erl_is_list(A))
        return erl_tuple(ATOM(error), ATOM(badarg));
    Term Pid = erl_spawn(apply_later, erl_mk_int(ms), M, F, A);
    return erl_tuple(ATOM(ok), erl_tuple(ATOM(once), erl_send_after(ms, Pid, ATOM(go))));
}

/* The process behind exit_after: exit(Target, Reason) when the timer's go
** comes, as apply_later. */
static Term exit_later(Term Time, Term Target, Term Reason)
{
    if (erl_receive_timeout(erl_int_value(Time) + 1000) == ATOM(go))
        erl_exit2(Target, Reason);
    return ATOM(ok);
}

/* exit_after(Time, Target, Reason) -> {ok, TRef}: exit(Target, Reason) in
** Time milliseconds. */
Term exit_after_3(Term Time, Term Target, Term Reason)
{
    long ms = millis(Time);
    if (ms < 0 || (!erl_is_pid(Target) && !erl_is_atom(Target)))
        return erl_tuple(ATOM(error), ATOM(badarg));
    Term Pid = erl_spawn(exit_later, erl_mk_int(ms), Target, Reason);
    return erl_tuple(ATOM(ok), erl_tuple(ATOM(once), erl_send_after(ms, Pid, ATOM(go))));
}

/* exit_after(Time, Reason) -> exit_after(Time, self(), Reason). */
Term exit_after_2(Term Time, Term Reason)
{
    return exit_after_3(Time, erl_self(), Reason);
}

/* kill_after(Time, Target) -> exit_after(Time, Target, kill). */
Term kill_after_2(Term Time, Term Target)
{
    return exit_after_3(Time, Target, ATOM(kill));
}

/* kill_after(Time) -> exit_after(Time, self(), kill). */
Term kill_after_1(Term Time)
{
    return exit_after_3(Time, erl_self(), ATOM(kill));
}

/* ----------------------------------------------------- interval timers */

/* An interval timer is a process that acts every Time milliseconds until
** it is cancelled or the process it works for (its owner) ends, as erl's.
** The registered process timer_server knows each one's pid by the
** reference in its TRef, which is all that cancel/1 is given. */

/* timer_server's loop, with #{Ref => Pid} of the live interval timers. */
static Term server_loop(void)
{
    Term Timers = erl_map_new();
    for (;;) {
        Term Msg = erl_receive(), Ref, Pid, From;
        if (erl_match(Msg, "{add, Ref, Pid}", &Ref, &Pid)) {
            erl_monitor(Pid);
            Timers = erl_map_put(Timers, Ref, Pid);
        } else if (erl_match(Msg, "{cancel, Ref, From}", &Ref, &From)) {
            Pid = erl_map_get(Timers, Ref);
            if (Pid != ERL_NONE)
                erl_exit2(Pid, ATOM(kill)); /* its 'DOWN' takes it out */
            erl_send(From, erl_tuple(ATOM(timer_cancelled), Ref));
        } else if (erl_match(Msg, "{'DOWN', _, process, Pid, _}", &Pid)) {
            for (Term L = erl_call(maps, to_list, Timers); erl_is_cons(L); L = erl_tl(L)) {
                Term Entry = erl_hd(L);
                if (erl_element(Entry, 2) == Pid)
                    Timers = erl_call(maps, remove, erl_element(Entry, 1), Timers);
            }
        }
    }
}

/* The pid of timer_server, started when it is not running. */
static Term server(void)
{
    Term Pid = erl_whereis(ATOM(timer_server));
    if (Pid == ATOM(undefined)) {
        Pid = erl_spawn(server_loop);
        erl_register(ATOM(timer_server), Pid);
    }
    return Pid;
}

/* An interval timer: every Time ms, Dest ! Msg, or spawn(M, F, A) when Dest
** is the atom apply and Msg {M, F, A}; until Owner ends (its 'DOWN' is the
** only message this process gets). */
static Term interval_loop(Term Time, Term Owner, Term Dest, Term Msg)
{
    Term M, F, A;
    long ms = erl_int_value(Time), next = now_us() / 1000 + ms; /* on time, without drift */
    erl_monitor(Owner);
    for (;; next += ms) {
        long wait = next - now_us() / 1000;
        if (erl_receive_timeout(wait > 0 ? wait : 0) != ERL_NONE)
            return ATOM(ok);
        if (Dest == ATOM(apply) && erl_match(Msg, "{M, F, A}", &M, &F, &A))
            erl_spawn3(M, F, A);
        else
            erl_send(Dest, Msg);
    }
}

/* Starts an interval timer for Owner: {ok, {interval, Ref}}. */
static Term start_interval(long ms, Term Owner, Term Dest, Term Msg)
{
    Term Pid = erl_spawn(interval_loop, erl_mk_int(ms), Owner, Dest, Msg);
    Term Ref = erl_make_ref();
    erl_send(server(), erl_tuple(ATOM(add), Ref, Pid));
    return erl_tuple(ATOM(ok), erl_tuple(ATOM(interval), Ref));
}

/* send_interval(Time, Destination, Message) -> {ok, TRef}: Destination !
** Message every Time milliseconds, while Destination (a pid), or else the
** caller, lives. */
Term send_interval_3(Term Time, Term Dest, Term Msg)
{
    long ms = millis(Time);
    if (ms < 0 || (!erl_is_pid(Dest) && !erl_is_atom(Dest)))
        return erl_tuple(ATOM(error), ATOM(badarg));
    return start_interval(ms, erl_is_pid(Dest) ? Dest : erl_self(), Dest, Msg);
}

/* send_interval(Time, Message) -> send_interval(Time, self(), Message). */
Term send_interval_2(Term Time, Term Msg)
{
    return send_interval_3(Time, erl_self(), Msg);
}

/* apply_interval(Time, Module, Function, Arguments) -> {ok, TRef}:
** spawn(Module, Function, Arguments) every Time milliseconds, while the
** caller lives. */
Term apply_interval(Term Time, Term M, Term F, Term A)
{
    long ms = millis(Time);
    if (ms < 0 || !erl_is_atom(M) || !erl_is_atom(F) || !erl_is_list(A))
        return erl_tuple(ATOM(error), ATOM(badarg));
    return start_interval(ms, erl_self(), ATOM(apply), erl_tuple(M, F, A));
}

static int cancelled(Term Msg, void *Ref)
{
    Term R;
    return erl_match(Msg, "{timer_cancelled, R}", &R) && erl_eq(R, *(Term *)Ref);
}

/* cancel(TRef) -> {ok, cancel} | {error, badarg}: the timer will not fire. */
Term cancel(Term TRef)
{
    Term Ref;
    if (erl_match(TRef, "{interval, Ref}", &Ref) && erl_is_ref(Ref)) {
        erl_send(server(), erl_tuple(ATOM(cancel), Ref, erl_self()));
        erl_receive_match(cancelled, &Ref, -1);
        return erl_tuple(ATOM(ok), ATOM(cancel));
    }
    if (!(erl_match(TRef, "{send_local, Ref}", &Ref) || erl_match(TRef, "{once, Ref}", &Ref)) || !erl_is_ref(Ref))
        return erl_tuple(ATOM(error), ATOM(badarg));
    erl_cancel_timer(Ref);
    return erl_tuple(ATOM(ok), ATOM(cancel));
}
