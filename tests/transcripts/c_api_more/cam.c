/* cam: each call of cerl.h's C API that reads like Erlang (issue 12,
** section 5), used as module code uses it; cam.erl is its Erlang twin. */
#include <cerl.h>
MODULE(cam);
EXPORT(refs/0, alive/0, try_alive/1, down/1, try_demonitor/2, len/1, iol/2, clocks/0, try_clock/2);

/* refs() -> {is_reference(R1), R1 =:= R2} for two make_ref()s. */
Term refs(void)
{
    Term R1 = erl_make_ref(), R2 = erl_make_ref();
    return erl_tuple(erl_is_ref(R1) ? ATOM(true) : ATOM(false), erl_eq(R1, R2) ? ATOM(true) : ATOM(false));
}

static Term wait_stop(void)
{
    while (!erl_match(erl_receive(), "stop"))
        ;
    return ATOM(ok);
}

/* Waits until Pid is gone, as is_process_alive/1 sees it. */
static void wait_dead(Term Pid)
{
    while (erl_is_process_alive(Pid) == ATOM(true))
        erl_sleep(1);
}

/* alive() -> [is_process_alive(P) before, and after it stopped]. */
Term alive(void)
{
    Term Pid = erl_spawn(wait_stop);
    Term Before = erl_is_process_alive(Pid);
    erl_send(Pid, ATOM(stop));
    wait_dead(Pid);
    return erl_list(Before, erl_is_process_alive(Pid));
}

static Term alive_of(void *X)
{
    return erl_is_process_alive(*(Term *)X);
}

/* try is_process_alive(X) catch C:R -> {C, R} end. */
Term try_alive(Term X)
{
    Term V, C;
    return erl_catch(alive_of, &X, &V, &C) ? V : erl_tuple(C, V);
}

static Term exit_with(Term Reason)
{
    erl_exit(Reason);
}

static int is_down_of(Term Msg, void *Ref)
{
    Term R;
    return erl_match(Msg, "{'DOWN', R, process, _, _}", &R) && erl_eq(R, *(Term *)Ref);
}

/* down(How): {P, R} = spawn_monitor(exit(bye)); waits until P is gone, then
** How = none: receives the 'DOWN' and returns {down, Reason};
** How = demonitor: demonitor(R), and whether the 'DOWN' is still there;
** How = flush: demonitor(R, [flush]), and whether the 'DOWN' is still there;
** How = early: demonitor(R) while P runs, then P ends: is there a 'DOWN'? */
Term down(Term How)
{
    Term Pid, Ref;
    Term PR = How == ATOM(early) ? erl_spawn_monitor(wait_stop) : erl_spawn_monitor(exit_with, ATOM(bye));
    if (!erl_match(PR, "{Pid, Ref}", &Pid, &Ref) || !erl_is_pid(Pid) || !erl_is_ref(Ref))
        return ATOM(not_pid_ref);
    Term Result = ATOM(true);
    if (How == ATOM(early)) {
        Result = erl_demonitor(Ref);
        erl_send(Pid, ATOM(stop));
    }
    wait_dead(Pid);
    if (How == ATOM(demonitor))
        Result = erl_demonitor(Ref);
    else if (How == ATOM(flush))
        Result = erl_demonitor_flush(Ref);
    Term Down = erl_receive_match(is_down_of, &Ref, 0);
    if (How == ATOM(none))
        return erl_tuple(ATOM(down), erl_element(Down, 5));
    return erl_tuple(Result, Down == ERL_NONE ? ATOM(no_down) : ATOM(down_kept));
}

typedef struct { Term How, X; } Demon;

static Term demonitor_of(void *Ctx)
{
    Demon *d = Ctx;
    return d->How == ATOM(flush) ? erl_demonitor_flush(d->X) : erl_demonitor(d->X);
}

/* try demonitor(X) (How = plain) or demonitor(X, [flush]) catch C:R -> {C, R} end. */
Term try_demonitor(Term How, Term X)
{
    Demon d = {How, X};
    Term V, C;
    return erl_catch(demonitor_of, &d, &V, &C) ? V : erl_tuple(C, V);
}

/* len(L) -> length(L), or -1 when L is no proper list. */
Term len(Term L)
{
    return erl_mk_int(erl_list_length(L));
}

typedef struct { Term T; long Size; char *Buf; unsigned long N; } Iol;

static Term iol_of(void *Ctx)
{
    Iol *i = Ctx;
    i->N = erl_iolist_to_cstring(i->T, i->Buf, (unsigned long)i->Size);
    return ATOM(ok);
}

/* iol(IoData, Size) -> {ByteSize, the text cut to Size - 1 bytes}, the text
** written into a buffer of Size bytes (at most 32); {C, R} when it raises. */
Term iol(Term T, Term Size)
{
    char Buf[33] = "untouched";
    Iol i = {T, erl_int_value(Size), Buf, 0};
    Term V, C;
    if (!erl_catch(iol_of, &i, &V, &C))
        return erl_tuple(C, V);
    return erl_tuple(erl_mk_int((long)i.N), erl_mk_string(Buf));
}

/* clocks() -> [system_time(second) is now, monotonic time does not go back,
** the units agree]. */
Term clocks(void)
{
    Term S = erl_system_time(ATOM(second));
    Term Erl = erl_call(erlang, system_time, ATOM(second));
    Term M1 = erl_monotonic_time(ATOM(millisecond));
    Term M2 = erl_monotonic_time(ATOM(millisecond));
    Term Ns = erl_monotonic_time(ATOM(nanosecond));
    Term Ms = erl_monotonic_time(erl_mk_int(1000));
    Term Now = erl_sub(Erl, S);
    return erl_list(erl_compare(Now, erl_mk_int(0)) >= 0 && erl_compare(Now, erl_mk_int(1)) <= 0 ? ATOM(true) : ATOM(false),
                    erl_compare(M2, M1) >= 0 ? ATOM(true) : ATOM(false),
                    erl_compare(erl_sub(erl_mul(Ms, erl_mk_int(1000000)), Ns), erl_mk_int(-1000000)) > 0 ? ATOM(true) : ATOM(false),
                    erl_compare(erl_sub(Ms, M2), erl_mk_int(1000)) < 0 ? ATOM(true) : ATOM(false));
}

typedef struct { Term Which, Unit; } Clock;

static Term clock_of(void *Ctx)
{
    Clock *c = Ctx;
    Term T = c->Which == ATOM(system) ? erl_system_time(c->Unit) : erl_monotonic_time(c->Unit);
    return erl_is_integer(T) ? ATOM(integer) : T;
}

/* try_clock(system | monotonic, Unit): integer, or {C, R} when it raises. */
Term try_clock(Term Which, Term Unit)
{
    Clock c = {Which, Unit};
    Term V, C;
    return erl_catch(clock_of, &c, &V, &C) ? V : erl_tuple(C, V);
}
