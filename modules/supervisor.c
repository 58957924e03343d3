/*
** supervisor.c
** The supervisor behaviour, as OTP's: a gen_server (this module is its
** callback module) that starts children from child specs, traps their
** exits and restarts them by strategy (one_for_one, one_for_all,
** rest_for_one, simple_one_for_one), and gives up, taking itself and all
** its children down, when more than Intensity restarts fall within Period
** seconds.
**
** A child spec is a map #{id, start, restart, shutdown, type, modules} or
** the tuple {Id, {M, F, A}, Restart, Shutdown, Type, Modules}; supervisor
** flags are #{strategy, intensity, period} or {Strategy, Intensity, Period}.
** Children are kept newest first, as OTP keeps them (which_children lists
** them so); they are started oldest first and terminated newest first.
*/
#include <cerl.h>

#include <stdio.h>
#include <sys/time.h>
#include <time.h>

MODULE(supervisor);
EXPORT(start_link/2, start_link/3, start_child/2, terminate_child/2, restart_child/2,
       delete_child/2, which_children/1, count_children/1,
       init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2, code_change/3);

/* ------------------------------------------------------------ terms */

static int is_tuple_of(Term T, Term Tag, unsigned long Size)
{
    return erl_is_tuple(T) && erl_tuple_size(T) == Size && erl_element(T, 1) == Tag;
}

static Term reverse(Term L)
{
    Term R = ERL_NIL;
    for (; erl_is_cons(L); L = erl_tl(L))
        R = erl_cons(erl_hd(L), R);
    return R;
}

/* The date of a report header, as erl's logger writes it (local time). */
static Term report_date(void)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct timeval tv;
    struct tm tm;
    char s[64];
    gettimeofday(&tv, 0);
    localtime_r(&tv.tv_sec, &tm);
    snprintf(s, sizeof s, "%d-%s-%d::%02d:%02d:%02d.%06ld", tm.tm_mday, months[tm.tm_mon],
             tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
    return erl_mk_string(s);
}

/* Seconds on a clock that never goes back (restart intensity). */
static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ children */

/* One child, as the state keeps it: the tuple
** {child, Pid, Id, {M, F, A}, Restart, Shutdown, Type, Modules}, Pid being
** a pid, undefined (not running) or restarting. */
typedef struct Child {
    Term Pid, Id, MFA, Restart, Shutdown, Type, Modules;
} Child;

static Child child_of(Term T)
{
    return (Child){erl_element(T, 2), erl_element(T, 3), erl_element(T, 4), erl_element(T, 5),
                   erl_element(T, 6), erl_element(T, 7), erl_element(T, 8)};
}

static Term child_term(const Child *c)
{
    return erl_tuple(ATOM(child), c->Pid, c->Id, c->MFA, c->Restart, c->Shutdown, c->Type, c->Modules);
}

static int is_running(const Child *c)
{
    return erl_is_pid(c->Pid);
}

/* A child spec, map or tuple, as a Child (not running); 0 when it is not one. */
static int parse_spec(Term Spec, Child *c)
{
    if (erl_is_map(Spec)) {
        Term Id = erl_map_get(Spec, ATOM(id)), Start = erl_map_get(Spec, ATOM(start));
        if (Id == ERL_NONE || Start == ERL_NONE || !erl_is_tuple(Start) || erl_tuple_size(Start) != 3)
            return 0;
        Term Restart = erl_map_get(Spec, ATOM(restart)), Type = erl_map_get(Spec, ATOM(type));
        Term Shutdown = erl_map_get(Spec, ATOM(shutdown)), Modules = erl_map_get(Spec, ATOM(modules));
        Type = Type != ERL_NONE ? Type : ATOM(worker);
        *c = (Child){ATOM(undefined), Id, Start, Restart != ERL_NONE ? Restart : ATOM(permanent),
                     Shutdown != ERL_NONE ? Shutdown : Type == ATOM(worker) ? erl_mk_int(5000) : ATOM(infinity),
                     Type, Modules != ERL_NONE ? Modules : erl_list(erl_element(Start, 1))};
    } else if (erl_is_tuple(Spec) && erl_tuple_size(Spec) == 6) {
        *c = (Child){ATOM(undefined), erl_element(Spec, 1), erl_element(Spec, 2), erl_element(Spec, 3),
                     erl_element(Spec, 4), erl_element(Spec, 5), erl_element(Spec, 6)};
        if (!erl_is_tuple(c->MFA) || erl_tuple_size(c->MFA) != 3)
            return 0;
    } else {
        return 0;
    }
    return (c->Restart == ATOM(permanent) || c->Restart == ATOM(transient) || c->Restart == ATOM(temporary)) &&
           (c->Type == ATOM(worker) || c->Type == ATOM(supervisor)) &&
           (c->Shutdown == ATOM(brutal_kill) || c->Shutdown == ATOM(infinity) ||
            (erl_is_int(c->Shutdown) && erl_int_value(c->Shutdown) >= 0));
}

/* apply(M, F, A) through the export table, in the calling process. */
static Term apply_mfa(void *ctx)
{
    Term MFA = *(Term *)ctx, Args = erl_element(MFA, 3), a[8];
    int n = 0;
    for (; erl_is_cons(Args) && n < 8; Args = erl_tl(Args))
        a[n++] = erl_hd(Args);
    void *fn = erl_export_fn(erl_export_entry(erl_atom_name(erl_element(MFA, 1)),
                                              erl_atom_name(erl_element(MFA, 2)), n));
    switch (n) {
    case 0: return ((ErlFn0)fn)();
    case 1: return ((ErlFn1)fn)(a[0]);
    case 2: return ((ErlFn2)fn)(a[0], a[1]);
    case 3: return ((ErlFn3)fn)(a[0], a[1], a[2]);
    case 4: return ((ErlFn4)fn)(a[0], a[1], a[2], a[3]);
    case 5: return ((ErlFn5)fn)(a[0], a[1], a[2], a[3], a[4]);
    case 6: return ((ErlFn6)fn)(a[0], a[1], a[2], a[3], a[4], a[5]);
    case 7: return ((ErlFn7)fn)(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
    default: return ((ErlFn8)fn)(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    }
}

/* Starts a child by its MFA: {ok, Pid}, ignore or {error, Reason}. */
static Term start_mfa(Term MFA)
{
    Term Result, Class;
    if (!erl_catch(apply_mfa, &MFA, &Result, &Class))
        return erl_tuple(ATOM(error), Class == ATOM(error) ? erl_tuple(Result, ERL_NIL) : Result);
    if (is_tuple_of(Result, ATOM(ok), 2) && erl_is_pid(erl_element(Result, 2)))
        return Result;
    if (is_tuple_of(Result, ATOM(ok), 3) && erl_is_pid(erl_element(Result, 2)))
        return erl_tuple(ATOM(ok), erl_element(Result, 2));
    if (Result == ATOM(ignore) || is_tuple_of(Result, ATOM(error), 2))
        return Result;
    return erl_tuple(ATOM(error), Result);
}

/* ------------------------------------------------------------ the state */

/* The supervisor's gen_server state: the tuple {state, Name, Strategy,
** Intensity, Period, Restarts, Children, Dynamics, Mod, Args}. Restarts
** holds the times (seconds) of the restarts within the last Period;
** Children the child records, newest first; Dynamics, for
** simple_one_for_one, the running children as {Pid, Args}, newest first,
** Children then holding the one template. */
typedef struct Sup {
    Term Name, Strategy, Intensity, Period, Restarts, Children, Dynamics, Mod, Args;
} Sup;

static Sup sup_of(Term T)
{
    return (Sup){erl_element(T, 2), erl_element(T, 3), erl_element(T, 4), erl_element(T, 5), erl_element(T, 6),
                 erl_element(T, 7), erl_element(T, 8), erl_element(T, 9), erl_element(T, 10)};
}

static Term sup_term(const Sup *s)
{
    Term e[10] = {ATOM(state), s->Name, s->Strategy, s->Intensity, s->Period,
                  s->Restarts, s->Children, s->Dynamics, s->Mod, s->Args};
    return erl_tuple_n(10, e);
}

static int is_simple(const Sup *s)
{
    return s->Strategy == ATOM(simple_one_for_one);
}

/* The record of the child with this Id (or, simple_one_for_one aside, this
** Pid), or ERL_NONE. */
static Term find_child(const Sup *s, Term Key, int by_pid)
{
    for (Term L = s->Children; erl_is_cons(L); L = erl_tl(L)) {
        Child c = child_of(erl_hd(L));
        if (by_pid ? c.Pid == Key : erl_eq(c.Id, Key))
            return erl_hd(L);
    }
    return ERL_NONE;
}

/* The children with c's record replaced (by_id) by the new one, or removed
** when New is ERL_NONE. */
static Term replace_child(Term Children, Term Id, Term New)
{
    Term Out = ERL_NIL;
    for (Term L = Children; erl_is_cons(L); L = erl_tl(L)) {
        if (!erl_eq(child_of(erl_hd(L)).Id, Id))
            Out = erl_cons(erl_hd(L), Out);
        else if (New != ERL_NONE)
            Out = erl_cons(New, Out);
    }
    return reverse(Out);
}

static void store_child(Sup *s, const Child *c)
{
    s->Children = replace_child(s->Children, c->Id, child_term(c));
}

/* ------------------------------------------------------------ reports */

static Term offender(const Sup *s, const Child *c)
{
    return erl_list(erl_tuple(ATOM(pid), c->Pid), erl_tuple(ATOM(id), c->Id), erl_tuple(ATOM(mfargs), c->MFA),
                    erl_tuple(ATOM(restart_type), c->Restart), erl_tuple(ATOM(significant), ATOM(false)),
                    erl_tuple(ATOM(shutdown), c->Shutdown), erl_tuple(ATOM(child_type), c->Type));
}

/* The "=SUPERVISOR REPORT====" erl prints by default. */
static void report_error(const Sup *s, Term Context, Term Reason, const Child *c)
{
    logger_format("=SUPERVISOR REPORT==== ~s ===~n    supervisor: ~p~n    errorContext: ~p~n"
              "    reason: ~p~n    offender: ~p~n~n",
              erl_list(report_date(), s->Name, Context, Reason, offender(s, c)));
}

/* ------------------------------------------------------------ starting and stopping */

static int is_down_of(Term Msg, void *ctx)
{
    return is_tuple_of(Msg, ATOM(DOWN), 5) && erl_eq(erl_element(Msg, 2), *(Term *)ctx);
}

static int is_exit_of(Term Msg, void *ctx)
{
    return is_tuple_of(Msg, ATOM(EXIT), 3) && erl_element(Msg, 2) == *(Term *)ctx;
}

/* shutdown(Child): ends a running child as OTP's supervisor does: sends it
** shutdown and kills it when it has not gone within its Shutdown ms
** (brutal_kill: kills it at once; infinity: waits), then unlinks it and
** takes its exit message, whose reason counts (OTP's unlink_flush). Returns ok when it ended as told (or normally,
** unless permanent), or {error, Reason} with the reason it ended with. */
static Term shutdown(const Child *c)
{
    Term Pid = c->Pid, Mref = erl_monitor(Pid);
    Term Expected = c->Shutdown == ATOM(brutal_kill) ? ATOM(killed) : ATOM(shutdown);
    erl_exit2(Pid, c->Shutdown == ATOM(brutal_kill) ? ATOM(kill) : ATOM(shutdown));
    long ms = erl_is_int(c->Shutdown) ? erl_int_value(c->Shutdown) : -1;
    Term Down = erl_receive_match(is_down_of, &Mref, ms);
    if (Down == ERL_NONE) {
        erl_exit2(Pid, ATOM(kill));
        Down = erl_receive_match(is_down_of, &Mref, -1);
    }
    erl_unlink(Pid);
    Term Exit = erl_receive_match(is_exit_of, &Pid, 0); /* unlink_flush */
    Term Reason = erl_element(Exit != ERL_NONE ? Exit : Down, Exit != ERL_NONE ? 3 : 5);
    if (Reason == Expected || (Reason == ATOM(normal) && c->Restart != ATOM(permanent)))
        return ATOM(ok);
    return erl_tuple(ATOM(error), Reason);
}

/* Terminates one running child, reporting a shutdown_error as OTP does. */
static void terminate_one(const Sup *s, Child *c)
{
    if (!is_running(c))
        return;
    Term Result = shutdown(c);
    if (Result != ATOM(ok))
        report_error(s, ATOM(shutdown_error), erl_element(Result, 2), c);
    c->Pid = ATOM(undefined);
}

/* Starts one child; records its pid. {ok, Pid} | ignore | {error, Reason}. */
static Term start_one(Sup *s, Child *c)
{
    Term Result = start_mfa(c->MFA);
    if (is_tuple_of(Result, ATOM(ok), 2))
        c->Pid = erl_element(Result, 2);
    else
        c->Pid = ATOM(undefined);
    if (is_tuple_of(Result, ATOM(error), 2))
        report_error(s, ATOM(start_error), erl_element(Result, 2), c);
    return Result;
}

/* Terminates the children newest first; a temporary one is forgotten. */
static void terminate_children(Sup *s, Term Children)
{
    for (Term L = Children; erl_is_cons(L); L = erl_tl(L)) {
        Child c = child_of(erl_hd(L));
        terminate_one(s, &c);
        if (c.Restart == ATOM(temporary))
            s->Children = replace_child(s->Children, c.Id, ERL_NONE);
        else
            store_child(s, &c);
    }
}

/* Starts the children oldest first (Children is newest first). Returns ok,
** or {error, {Id, Reason}} for the first that failed. */
static Term start_children(Sup *s, Term Children)
{
    for (Term L = reverse(Children); erl_is_cons(L); L = erl_tl(L)) {
        Child c = child_of(erl_hd(L));
        Term Result = start_one(s, &c);
        store_child(s, &c);
        if (is_tuple_of(Result, ATOM(error), 2))
            return erl_tuple(ATOM(error), erl_tuple(c.Id, erl_element(Result, 2)));
    }
    return ATOM(ok);
}

/* ------------------------------------------------------------ init */

/* Supervisor flags, a map or {Strategy, Intensity, Period}; 0 when bad. */
static int parse_flags(Term Flags, Sup *s)
{
    if (erl_is_map(Flags)) {
        Term St = erl_map_get(Flags, ATOM(strategy)), I = erl_map_get(Flags, ATOM(intensity));
        Term P = erl_map_get(Flags, ATOM(period));
        s->Strategy = St != ERL_NONE ? St : ATOM(one_for_one);
        s->Intensity = I != ERL_NONE ? I : erl_mk_int(1);
        s->Period = P != ERL_NONE ? P : erl_mk_int(5);
    } else if (erl_is_tuple(Flags) && erl_tuple_size(Flags) == 3) {
        s->Strategy = erl_element(Flags, 1);
        s->Intensity = erl_element(Flags, 2);
        s->Period = erl_element(Flags, 3);
    } else {
        return 0;
    }
    return (s->Strategy == ATOM(one_for_one) || s->Strategy == ATOM(one_for_all) ||
            s->Strategy == ATOM(rest_for_one) || s->Strategy == ATOM(simple_one_for_one)) &&
           erl_is_int(s->Intensity) && erl_int_value(s->Intensity) >= 0 && erl_is_int(s->Period) &&
           erl_int_value(s->Period) > 0;
}

static Term call_init(void *ctx)
{
    Sup *s = ctx;
    return ((ErlFn1)erl_export_fn(erl_export_entry(erl_atom_name(s->Mod), "init", 1)))(s->Args);
}

/* init({SupName, Mod, Args}): the gen_server init of a supervisor. */
Term init(Term Arg)
{
    erl_trap_exit(ATOM(true));
    Sup s = {erl_element(Arg, 1), ATOM(one_for_one), erl_mk_int(1), erl_mk_int(5), ERL_NIL, ERL_NIL,
             ERL_NIL, erl_element(Arg, 2), erl_element(Arg, 3)};
    Term Result, Class;
    if (!erl_catch(call_init, &s, &Result, &Class))
        return erl_tuple(ATOM(stop), Class == ATOM(error) ? erl_tuple(Result, ERL_NIL) : Result);
    if (Result == ATOM(ignore))
        return ATOM(ignore);
    if (!is_tuple_of(Result, ATOM(ok), 2) || !erl_is_tuple(erl_element(Result, 2)) ||
        erl_tuple_size(erl_element(Result, 2)) != 2)
        return erl_tuple(ATOM(stop), erl_tuple(ATOM(bad_return), erl_tuple(s.Mod, ATOM(init), Result)));
    Term Flags = erl_element(erl_element(Result, 2), 1), Specs = erl_element(erl_element(Result, 2), 2);
    if (!parse_flags(Flags, &s))
        return erl_tuple(ATOM(stop), erl_tuple(ATOM(supervisor_data), erl_tuple(ATOM(invalid_type), Flags)));
    for (Term L = Specs; erl_is_cons(L); L = erl_tl(L)) {
        Child c;
        if (!parse_spec(erl_hd(L), &c))
            return erl_tuple(ATOM(stop), erl_tuple(ATOM(start_spec), erl_tuple(ATOM(invalid_child_spec), erl_hd(L))));
        if (find_child(&s, c.Id, 0) != ERL_NONE)
            return erl_tuple(ATOM(stop), erl_tuple(ATOM(start_spec), erl_tuple(ATOM(duplicate_child_name), c.Id)));
        s.Children = erl_cons(child_term(&c), s.Children);
    }
    if (is_simple(&s)) {
        if (erl_list_length(s.Children) != 1)
            return erl_tuple(ATOM(stop), erl_tuple(ATOM(bad_start_spec), Specs));
        return erl_tuple(ATOM(ok), sup_term(&s));
    }
    Term Started = start_children(&s, s.Children);
    if (Started != ATOM(ok)) {
        terminate_children(&s, s.Children);
        Term Failed = erl_element(Started, 2);
        return erl_tuple(ATOM(stop), erl_tuple(ATOM(shutdown), erl_tuple(ATOM(failed_to_start_child),
                                                                         erl_element(Failed, 1),
                                                                         erl_element(Failed, 2))));
    }
    return erl_tuple(ATOM(ok), sup_term(&s));
}

/* ------------------------------------------------------------ restarts */

/* add_restart: records a restart now; 0 when it makes more than Intensity
** within Period seconds. */
static int add_restart(Sup *s)
{
    double now = now_seconds(), period = (double)erl_int_value(s->Period);
    Term Kept = erl_list(erl_mk_float(now));
    for (Term L = s->Restarts; erl_is_cons(L); L = erl_tl(L))
        if (now - erl_float_value(erl_hd(L)) < period)
            Kept = erl_cons(erl_hd(L), Kept);
    s->Restarts = Kept;
    return erl_list_length(Kept) <= erl_int_value(s->Intensity);
}

/* The children started after c (those before it in the newest-first list),
** and c itself, newest first. */
static Term rest_after(const Sup *s, const Child *c)
{
    Term Out = ERL_NIL;
    for (Term L = s->Children; erl_is_cons(L); L = erl_tl(L)) {
        Out = erl_cons(erl_hd(L), Out);
        if (erl_eq(child_of(erl_hd(L)).Id, c->Id))
            break;
    }
    return reverse(Out);
}

/* restart(Child, State): the child died and is to be restarted. Returns 0
** when the supervisor has to give up (intensity reached). */
static int restart(Sup *s, Child *c)
{
    if (!add_restart(s)) {
        report_error(s, ATOM(shutdown), ATOM(reached_max_restart_intensity), c);
        if (!is_simple(s)) {
            c->Pid = ATOM(undefined);
            store_child(s, c);
        }
        return 0;
    }
    if (is_simple(s)) {
        Term Result = start_mfa(c->MFA);
        if (is_tuple_of(Result, ATOM(ok), 2))
            s->Dynamics = erl_cons(erl_tuple(erl_element(Result, 2), erl_element(c->MFA, 3)), s->Dynamics);
        return 1;
    }
    c->Pid = ATOM(undefined);
    store_child(s, c);
    Term Group = s->Strategy == ATOM(one_for_all) ? s->Children
               : s->Strategy == ATOM(rest_for_one) ? rest_after(s, c)
               : erl_list(child_term(c));
    terminate_children(s, Group);
    for (Term L = reverse(Group); erl_is_cons(L); L = erl_tl(L)) {
        Term Now = find_child(s, child_of(erl_hd(L)).Id, 0);
        if (Now == ERL_NONE)
            continue; /* a temporary child, forgotten */
        Child g = child_of(Now);
        Term Result = start_one(s, &g);
        store_child(s, &g);
        if (is_tuple_of(Result, ATOM(error), 2))
            return restart(s, &g);
    }
    return 1;
}

/* A child ended with Reason: restart it by its restart type, as OTP's
** do_restart. Returns 0 when the supervisor has to give up. */
static int child_exited(Sup *s, Child *c, Term Reason)
{
    int quiet = Reason == ATOM(normal) || Reason == ATOM(shutdown) || is_tuple_of(Reason, ATOM(shutdown), 2);
    if (c->Restart == ATOM(permanent) || (c->Restart == ATOM(transient) && !quiet)) {
        report_error(s, ATOM(child_terminated), Reason, c);
        return restart(s, c);
    }
    if (!quiet)
        report_error(s, ATOM(child_terminated), Reason, c);
    c->Pid = ATOM(undefined);
    if (c->Restart == ATOM(temporary))
        s->Children = replace_child(s->Children, c->Id, ERL_NONE);
    else
        store_child(s, c);
    return 1;
}

/* ------------------------------------------------------------ callbacks */

/* The simple_one_for_one child Pid as a Child record, removed from Dynamics;
** 0 when Pid is none of them. */
static int take_dynamic(Sup *s, Term Pid, Child *c)
{
    Term Out = ERL_NIL;
    int found = 0;
    for (Term L = s->Dynamics; erl_is_cons(L); L = erl_tl(L)) {
        Term D = erl_hd(L);
        if (!found && erl_element(D, 1) == Pid) {
            *c = child_of(erl_hd(s->Children));
            c->Pid = Pid;
            c->MFA = erl_tuple(erl_element(c->MFA, 1), erl_element(c->MFA, 2), erl_element(D, 2));
            found = 1;
        } else {
            Out = erl_cons(D, Out);
        }
    }
    s->Dynamics = reverse(Out);
    return found;
}

/* handle_info({'EXIT', Pid, Reason}, State): a child (or a stranger) died. */
Term handle_info(Term Msg, Term State)
{
    Sup s = sup_of(State);
    if (!is_tuple_of(Msg, ATOM(EXIT), 3))
        return erl_tuple(ATOM(noreply), State);
    Term Pid = erl_element(Msg, 2), Reason = erl_element(Msg, 3);
    Child c;
    if (is_simple(&s)) {
        if (!take_dynamic(&s, Pid, &c))
            return erl_tuple(ATOM(noreply), State);
    } else {
        Term Rec = find_child(&s, Pid, 1);
        if (Rec == ERL_NONE)
            return erl_tuple(ATOM(noreply), State);
        c = child_of(Rec);
    }
    if (!child_exited(&s, &c, Reason))
        return erl_tuple(ATOM(stop), ATOM(shutdown), sup_term(&s));
    return erl_tuple(ATOM(noreply), sup_term(&s));
}

static Term which_children_of(const Sup *s)
{
    Term Out = ERL_NIL;
    if (is_simple(s)) {
        Child t = child_of(erl_hd(s->Children));
        for (Term L = s->Dynamics; erl_is_cons(L); L = erl_tl(L))
            Out = erl_cons(erl_tuple(ATOM(undefined), erl_element(erl_hd(L), 1), t.Type, t.Modules), Out);
        return Out;
    }
    for (Term L = reverse(s->Children); erl_is_cons(L); L = erl_tl(L)) {
        Child c = child_of(erl_hd(L));
        Out = erl_cons(erl_tuple(c.Id, c.Pid, c.Type, c.Modules), Out);
    }
    return Out;
}

static Term count_children_of(const Sup *s)
{
    long specs = 0, active = 0, sups = 0, workers = 0;
    if (is_simple(s)) {
        Child t = child_of(erl_hd(s->Children));
        specs = 1;
        active = erl_list_length(s->Dynamics);
        if (t.Type == ATOM(supervisor))
            sups = active;
        else
            workers = active;
    } else {
        for (Term L = s->Children; erl_is_cons(L); L = erl_tl(L)) {
            Child c = child_of(erl_hd(L));
            specs++;
            active += is_running(&c);
            if (c.Type == ATOM(supervisor))
                sups++;
            else
                workers++;
        }
    }
    return erl_list(erl_tuple(ATOM(specs), erl_mk_int(specs)), erl_tuple(ATOM(active), erl_mk_int(active)),
                    erl_tuple(ATOM(supervisors), erl_mk_int(sups)), erl_tuple(ATOM(workers), erl_mk_int(workers)));
}

/* start_child: a new spec (or, simple_one_for_one, the extra arguments). */
static Term do_start_child(Sup *s, Term Arg)
{
    if (is_simple(s)) {
        Child c = child_of(erl_hd(s->Children));
        Term Args = erl_call(lists, append, erl_element(c.MFA, 3), Arg);
        Term Result = start_mfa(erl_tuple(erl_element(c.MFA, 1), erl_element(c.MFA, 2), Args));
        if (is_tuple_of(Result, ATOM(ok), 2))
            s->Dynamics = erl_cons(erl_tuple(erl_element(Result, 2), Args), s->Dynamics);
        return Result;
    }
    Child c;
    if (!parse_spec(Arg, &c))
        return erl_tuple(ATOM(error), erl_tuple(ATOM(invalid_child_spec), Arg));
    Term Old = find_child(s, c.Id, 0);
    if (Old != ERL_NONE) {
        Child o = child_of(Old);
        return is_running(&o) ? erl_tuple(ATOM(error), erl_tuple(ATOM(already_started), o.Pid))
                              : erl_tuple(ATOM(error), ATOM(already_present));
    }
    Term Result = start_mfa(c.MFA);
    if (is_tuple_of(Result, ATOM(ok), 2))
        c.Pid = erl_element(Result, 2);
    if (!is_tuple_of(Result, ATOM(error), 2) && !(Result == ATOM(ignore) && c.Restart == ATOM(temporary)))
        s->Children = erl_cons(child_term(&c), s->Children);
    return Result;
}

static Term do_terminate_child(Sup *s, Term Key)
{
    if (is_simple(s)) {
        Child c;
        if (!erl_is_pid(Key))
            return erl_tuple(ATOM(error), ATOM(simple_one_for_one));
        if (!take_dynamic(s, Key, &c))
            return erl_tuple(ATOM(error), ATOM(not_found));
        terminate_one(s, &c);
        return ATOM(ok);
    }
    Term Rec = find_child(s, Key, 0);
    if (Rec == ERL_NONE)
        return erl_tuple(ATOM(error), ATOM(not_found));
    Child c = child_of(Rec);
    terminate_one(s, &c);
    if (c.Restart == ATOM(temporary))
        s->Children = replace_child(s->Children, c.Id, ERL_NONE);
    else
        store_child(s, &c);
    return ATOM(ok);
}

/* Child Id of s, which must not be running, in *c; ERL_NONE, or the error
** erl's supervisor answers: {error, simple_one_for_one | not_found | running}. */
static Term stopped_child(Sup *s, Term Id, Child *c)
{
    if (is_simple(s))
        return erl_tuple(ATOM(error), ATOM(simple_one_for_one));
    Term Rec = find_child(s, Id, 0);
    if (Rec == ERL_NONE)
        return erl_tuple(ATOM(error), ATOM(not_found));
    *c = child_of(Rec);
    if (is_running(c))
        return erl_tuple(ATOM(error), ATOM(running));
    return ERL_NONE;
}

static Term do_restart_child(Sup *s, Term Id)
{
    Child c;
    Term Error = stopped_child(s, Id, &c);
    if (Error != ERL_NONE)
        return Error;
    Term Result = start_mfa(c.MFA);
    if (is_tuple_of(Result, ATOM(ok), 2)) {
        c.Pid = erl_element(Result, 2);
        store_child(s, &c);
    }
    return Result;
}

static Term do_delete_child(Sup *s, Term Id)
{
    Child c;
    Term Error = stopped_child(s, Id, &c);
    if (Error != ERL_NONE)
        return Error;
    s->Children = replace_child(s->Children, Id, ERL_NONE);
    return ATOM(ok);
}

/* handle_call(Request, From, State): the API below, served in the supervisor. */
Term handle_call(Term Request, Term From, Term State)
{
    Sup s = sup_of(State);
    Term Reply;
    if (Request == ATOM(which_children))
        Reply = which_children_of(&s);
    else if (Request == ATOM(count_children))
        Reply = count_children_of(&s);
    else if (is_tuple_of(Request, ATOM(start_child), 2))
        Reply = do_start_child(&s, erl_element(Request, 2));
    else if (is_tuple_of(Request, ATOM(terminate_child), 2))
        Reply = do_terminate_child(&s, erl_element(Request, 2));
    else if (is_tuple_of(Request, ATOM(restart_child), 2))
        Reply = do_restart_child(&s, erl_element(Request, 2));
    else if (is_tuple_of(Request, ATOM(delete_child), 2))
        Reply = do_delete_child(&s, erl_element(Request, 2));
    else
        Reply = erl_tuple(ATOM(error), erl_tuple(ATOM(badcall), Request));
    return erl_tuple(ATOM(reply), Reply, sup_term(&s));
}

Term handle_cast(Term Msg, Term State)
{
    return erl_tuple(ATOM(noreply), State);
}

/* terminate(_Reason, State): every child goes, newest first. */
Term terminate(Term Reason, Term State)
{
    Sup s = sup_of(State);
    if (is_simple(&s)) {
        Child c;
        while (erl_is_cons(s.Dynamics) && take_dynamic(&s, erl_element(erl_hd(s.Dynamics), 1), &c))
            terminate_one(&s, &c);
    } else {
        terminate_children(&s, s.Children);
    }
    return ATOM(ok);
}

Term code_change(Term OldVsn, Term State, Term Extra)
{
    return erl_tuple(ATOM(ok), State);
}

/* ------------------------------------------------------------ the API */

/* start_link(Module, Args): a supervisor whose Module:init(Args) returns
** {ok, {SupFlags, [ChildSpec]}} or ignore; linked to the caller. */
Term start_link_2(Term Mod, Term Args)
{
    return erl_call(gen_server, start_link, ATOM(supervisor), erl_tuple(erl_tuple(erl_self(), Mod), Mod, Args),
                    ERL_NIL);
}

/* start_link({local, Name}, Module, Args) */
Term start_link_3(Term SupName, Term Mod, Term Args)
{
    return erl_call(gen_server, start_link, SupName, ATOM(supervisor), erl_tuple(SupName, Mod, Args), ERL_NIL);
}

static Term sup_call(Term Sup, Term Request)
{
    return erl_call(gen_server, call, Sup, Request, ATOM(infinity));
}

/* start_child(Sup, ChildSpec | ExtraArgs) -> {ok, Pid} | {error, Reason}. */
Term start_child(Term Sup, Term Spec)
{
    return sup_call(Sup, erl_tuple(ATOM(start_child), Spec));
}

/* terminate_child(Sup, Id | Pid) -> ok | {error, not_found}. */
Term terminate_child(Term Sup, Term Id)
{
    return sup_call(Sup, erl_tuple(ATOM(terminate_child), Id));
}

/* restart_child(Sup, Id) -> {ok, Pid} | {error, running | not_found}. */
Term restart_child(Term Sup, Term Id)
{
    return sup_call(Sup, erl_tuple(ATOM(restart_child), Id));
}

/* delete_child(Sup, Id) -> ok | {error, running | not_found}. */
Term delete_child(Term Sup, Term Id)
{
    return sup_call(Sup, erl_tuple(ATOM(delete_child), Id));
}

/* which_children(Sup) -> [{Id, Child, Type, Modules}], newest first. */
Term which_children(Term Sup)
{
    return sup_call(Sup, ATOM(which_children));
}

/* count_children(Sup) -> [{specs, N}, {active, N}, {supervisors, N}, {workers, N}]. */
Term count_children(Term Sup)
{
    return sup_call(Sup, ATOM(count_children));
}
