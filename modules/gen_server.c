/*
** gen_server.c
** The gen_server behaviour, as OTP's: a process that keeps a state and
** serves calls, casts and other messages through a callback module, and
** answers sys's system messages (get_state, suspend, change_code, trace).
**
** The server calls its callback module through the export table, one call
** per message, and holds no frame of it between messages: a newly loaded
** version of the callback module serves the next message, and a purge never
** finds the server running old code while it waits.
*/
#include <cerl.h>

#include <stdio.h>
#include <sys/time.h>
#include <time.h>

MODULE(gen_server);
EXPORT(start/3, start/4, start_link/3, start_link/4, call/2, call/3, cast/2, reply/2,
       stop/1, stop/3);

/* ------------------------------------------------------------ helpers */

/* The atoms '$gen_call' and '$gen_cast' tag calls and casts. */
static Term am_gen_call(void)
{
    static Term a;
    return a ? a : (a = erl_atom("$gen_call"));
}

static Term am_gen_cast(void)
{
    static Term a;
    return a ? a : (a = erl_atom("$gen_cast"));
}

static int is_tuple_of(Term T, Term Tag, unsigned long Size)
{
    return erl_is_tuple(T) && erl_tuple_size(T) == Size && erl_element(T, 1) == Tag;
}

/* The date as erl's logger writes it in a report header, local time:
** 1-Dec-2026::19:53:07.291364 */
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

static Term info(Term Key)
{
    Term Pair = erl_call(erlang, process_info, erl_self(), Key);
    return erl_is_tuple(Pair) ? erl_element(Pair, 2) : ERL_NIL;
}

/* Is Reason one a process may end with quietly (normal, shutdown or
** {shutdown, _}), as proc_lib and supervisor judge it? */
static int is_quiet_exit(Term Reason)
{
    return Reason == ATOM(normal) || Reason == ATOM(shutdown) || is_tuple_of(Reason, ATOM(shutdown), 2);
}

/* ------------------------------------------------------------ the server */

/* One server's loop state. Lives on the server's own stack, for the life
** of the process; every Term in it is on the server's heap. */
typedef struct Server {
    Term Parent;   /* start_link's caller; self() for a server from start */
    Term Name;     /* the registered name, or self() */
    Term Mod;      /* the callback module */
    Term State;    /* the callback module's state */
    Term Timeout;  /* infinity or milliseconds until handle_info(timeout) */
    Term Ancestors; /* [the starter (its name when it has one) | ...] */
    int trace;     /* sys:trace(Server, true) */
    int statistics; /* sys:statistics(Server, true): the four below count */
    Term StartTime; /* {{Y, Mo, D}, {H, Mi, S}} when statistics began */
    long reductions0, messages_in, messages_out;
    int suspended; /* sys:suspend: only system messages are served */
    Term Stack;    /* the stack trace of the exception that ends it, or [] */
    ErlExport *init, *handle_call, *handle_cast, *handle_info, *terminate, *code_change;
} Server;

/* A call into the callback module, to be made under erl_catch_fault. */
typedef struct Callback {
    ErlExport *fn;
    int argc;
    Term a, b, c;
    Term Stack; /* when it raised: the stack trace */
} Callback;

static Term invoke(void *ctx)
{
    Callback *cb = ctx;
    void *fn = erl_export_fn(cb->fn);
    switch (cb->argc) {
    case 1: return ((ErlFn1)fn)(cb->a);
    case 2: return ((ErlFn2)fn)(cb->a, cb->b);
    default: return ((ErlFn3)fn)(cb->a, cb->b, cb->c);
    }
}

/* What a callback came back with. ok: *Result is its value (a thrown term
** counts as one, as OTP has it); otherwise *Result is the exit reason it
** raised ({Reason, Stack} for an error) and *Class the class. */
static int try_callback(Callback *cb, Term *Result, Term *Class)
{
    /* a fault of the callback (segv, ...) lands here as an exit, so that the
    ** server ends as OTP's does: terminate/2 and the reports */
    if (erl_catch_fault(invoke, cb, Result, Class, &cb->Stack))
        return 1;
    if (*Class == ATOM(throw))
        return 1;
    if (*Class == ATOM(error))
        *Result = erl_tuple(*Result, cb->Stack);
    return 0;
}

/* Did the call fail for want of Mod:Fun (not exported, or no module)? */
static int is_undef(Term Class, Term Reason)
{
    return Class == ATOM(error) && is_tuple_of(Reason, ATOM(undef), 2);
}

static ErlExport *callback_entry(Term Mod, const char *Fun, int Arity)
{
    return erl_export_entry(erl_atom_name(Mod), Fun, Arity);
}

/* ------------------------------------------------------------ reports */

/* The "=ERROR REPORT====" a server prints when it terminates abnormally. */
static void error_report(Server *S, Term Msg, Term Reason, Term Client)
{
    logger_format("=ERROR REPORT==== ~s ===~n** Generic server ~p terminating ~n"
              "** Last message in was ~p~n** When Server state == ~p~n"
              "** Reason for termination ==~n** ~p~n",
              erl_list(report_date(), S->Name, Msg, S->State, Reason));
    if (Client != ERL_NONE)
        io_format("** Client ~p stacktrace~n** []~n", erl_list(Client));
    io_format("~n", ERL_NIL);
}

/* The frames of a stack trace under "exception Class: Reason", as proc_lib
** prints them:
**       in function  t:g/1 (t.c, line 12)
**       in call from t:f/0 (t.c, line 20) */
static void print_frames(Term Stack)
{
    const char *lead = "      in function  ";
    for (; erl_is_cons(Stack); Stack = erl_tl(Stack)) {
        Term M, F, A, File, Line;
        if (erl_match(erl_hd(Stack), "{M, F, A, [{file, File}, {line, Line}]}", &M, &F, &A, &File, &Line))
            io_format("~s~w:~w/~w (~s, line ~w)~n", erl_list(erl_mk_string(lead), M, F, A, File, Line));
        else if (erl_match(erl_hd(Stack), "{M, F, A, _}", &M, &F, &A) && erl_is_integer(A))
            io_format("~s~w:~w/~w~n", erl_list(erl_mk_string(lead), M, F, A));
        lead = "      in call from ";
    }
}

/* The "=CRASH REPORT====" proc_lib prints for a process it started that
** ends abnormally. */
static void crash_report(Server *S, Term Class, Term Reason)
{
    Term Name = erl_call(erlang, process_info, erl_self(), ATOM(registered_name));
    logger_format("=CRASH REPORT==== ~s ===~n  crasher:~n    initial call: ~p:init/1~n    pid: ~p~n"
              "    registered_name: ~p~n    exception ~p: ~p~n",
              erl_list(report_date(), S->Mod, erl_self(), erl_is_tuple(Name) ? erl_element(Name, 2) : ERL_NIL,
                       Class, Reason));
    print_frames(S->Stack);
    io_format("    ancestors: ~p~n", erl_list(S->Ancestors));
    io_format("    message_queue_len: ~p~n    messages: ~p~n    links: ~p~n    dictionary: []~n"
              "    trap_exit: ~p~n    status: running~n    heap_size: ~p~n    stack_size: ~p~n"
              "    reductions: ~p~n  neighbours:~n~n",
              erl_list(info(ATOM(message_queue_len)), info(ATOM(messages)), info(ATOM(links)),
                       info(ATOM(trap_exit)), info(ATOM(heap_size)), info(ATOM(stack_size)),
                       info(ATOM(reductions))));
}

/* Ends the server with Reason: a crash report first unless it is quiet. */
__attribute__((noreturn)) static void exit_server(Server *S, Term Class, Term Reason)
{
    if (!is_quiet_exit(Reason))
        crash_report(S, Class, Reason);
    erl_exit(Reason);
}

/* terminate(Reason, Msg, State): calls Mod:terminate(Reason, State) when it
** is exported, prints the error report unless Reason is quiet, and ends the
** server. A terminate/2 that raises ends it with what it raised. Client is
** the caller whose call was being served, or ERL_NONE. */
__attribute__((noreturn)) static void terminate(Server *S, Term Class, Term Reason, Term Msg, Term Client)
{
    Callback cb = {S->terminate, 2, Reason, S->State, 0};
    Term Result, Cls;
    if (!try_callback(&cb, &Result, &Cls) && !is_undef(Cls, Result)) {
        Class = Cls;
        Reason = Result;
        S->Stack = cb.Stack;
    }
    if (!is_quiet_exit(Reason))
        error_report(S, Msg, Reason, Client);
    exit_server(S, Class, Reason);
}

/* ------------------------------------------------------------ sys:trace */

static void trace_in(Server *S, Term Msg)
{
    S->messages_in++;
    if (!S->trace)
        return;
    if (is_tuple_of(Msg, am_gen_call(), 3))
        io_format("*DBG* ~p got call ~p from ~p~n",
                  erl_list(S->Name, erl_element(Msg, 3), erl_element(erl_element(Msg, 2), 1)));
    else if (is_tuple_of(Msg, am_gen_cast(), 2))
        io_format("*DBG* ~p got cast ~p~n", erl_list(S->Name, erl_element(Msg, 2)));
    else
        io_format("*DBG* ~p got ~p~n", erl_list(S->Name, Msg));
}

static void trace_reply(Server *S, Term Reply, Term To)
{
    S->messages_out++;
    if (S->trace)
        io_format("*DBG* ~p sent ~p to ~p, new state ~p~n", erl_list(S->Name, Reply, To, S->State));
}

static void trace_noreply(Server *S)
{
    if (S->trace)
        io_format("*DBG* ~p new state ~p~n", erl_list(S->Name, S->State));
}

/* ------------------------------------------------------------ sys:statistics */

/* The local time as calendar:local_time() gives it. */
static Term local_time(void)
{
    struct timeval tv;
    struct tm tm;
    gettimeofday(&tv, 0);
    localtime_r(&tv.tv_sec, &tm);
    return erl_tuple(erl_tuple(erl_mk_int(tm.tm_year + 1900), erl_mk_int(tm.tm_mon + 1), erl_mk_int(tm.tm_mday)),
                     erl_tuple(erl_mk_int(tm.tm_hour), erl_mk_int(tm.tm_min), erl_mk_int(tm.tm_sec)));
}

static long reductions(void)
{
    long n = 0;
    erl_get_long(info(ATOM(reductions)), &n);
    return n;
}

/* sys:statistics(Server, true | false | get): the answer. */
static Term statistics(Server *S, Term Flag)
{
    if (Flag == ATOM(true)) {
        S->statistics = 1;
        S->StartTime = local_time();
        S->reductions0 = reductions();
        S->messages_in = S->messages_out = 0;
        return ATOM(ok);
    }
    if (Flag == ATOM(false)) {
        S->statistics = 0;
        return ATOM(ok);
    }
    if (!S->statistics)
        return erl_tuple(ATOM(ok), ATOM(no_statistics));
    return erl_tuple(ATOM(ok), erl_list(erl_tuple(ATOM(start_time), S->StartTime),
                                        erl_tuple(ATOM(current_time), local_time()),
                                        erl_tuple(ATOM(reductions), erl_mk_int(reductions() - S->reductions0)),
                                        erl_tuple(ATOM(messages_in), erl_mk_int(S->messages_in)),
                                        erl_tuple(ATOM(messages_out), erl_mk_int(S->messages_out))));
}

/* ------------------------------------------------------------ system messages */

static Term status_of(Server *S)
{
    Term Header = erl_mk_string("Status for generic server");
    if (erl_is_atom(S->Name))
        Header = erl_call(lists, append, erl_mk_string("Status for generic server "),
                          erl_call(erlang, atom_to_list, S->Name));
    Term Misc = erl_list(erl_tuple(ATOM(header), Header),
                         erl_tuple(ATOM(data), erl_list(erl_tuple(erl_mk_string("Status"),
                                                                  S->suspended ? ATOM(suspended) : ATOM(running)),
                                                        erl_tuple(erl_mk_string("Parent"), S->Parent),
                                                        erl_tuple(erl_mk_string("Logged events"), ERL_NIL))),
                         erl_tuple(ATOM(data), erl_list(erl_tuple(erl_mk_string("State"), S->State))));
    Term Dict = erl_list(erl_tuple(erl_atom("$initial_call"), erl_tuple(S->Mod, ATOM(init), erl_mk_int(1))),
                         erl_tuple(erl_atom("$ancestors"), S->Ancestors));
    return erl_tuple(ATOM(status), erl_self(), erl_tuple(ATOM(module), ATOM(gen_server)),
                     erl_list(Dict, S->suspended ? ATOM(suspended) : ATOM(running), S->Parent, ERL_NIL, Misc));
}

/* Mod:code_change(OldVsn, State, Extra) -> {ok, NewState}: the answer of
** sys:change_code is ok, or {error, Else} for any other answer, the state
** then as it was; a code_change that raises answers {error, {'EXIT', Reason}}. */
static Term change_code(Server *S, Term Vsn, Term Extra)
{
    Callback cb = {S->code_change, 3, Vsn, S->State, Extra};
    Term Result, Class;
    if (!try_callback(&cb, &Result, &Class))
        return erl_tuple(ATOM(error), erl_tuple(ATOM(EXIT), Result));
    if (is_tuple_of(Result, ATOM(ok), 2)) {
        S->State = erl_element(Result, 2);
        return ATOM(ok);
    }
    return erl_tuple(ATOM(error), Result);
}

typedef struct Apply {
    Term Fun, Arg;
} Apply;

static Term apply1(void *ctx)
{
    Apply *a = ctx;
    return erl_apply(a->Fun, erl_list(a->Arg));
}

/* One system message {system, From, Request}: answers From, as sys:handle_system_msg. */
static void handle_system(Server *S, Term From, Term Request)
{
    Term Reply = ATOM(ok);
    if (Request == ATOM(get_state)) {
        Reply = S->State;
    } else if (is_tuple_of(Request, ATOM(replace_state), 2)) {
        Apply a = {erl_element(Request, 2), S->State};
        Term Result, Class;
        if (erl_catch(apply1, &a, &Result, &Class)) {
            S->State = Result;
            Reply = Result;
        } else {
            Reply = erl_tuple(ATOM(error), erl_tuple(ATOM(callback_failed),
                                                      erl_tuple(ATOM(gen_server), ATOM(system_replace_state)),
                                                      erl_tuple(Class, Result)));
        }
    } else if (Request == ATOM(suspend)) {
        S->suspended = 1;
    } else if (Request == ATOM(resume)) {
        S->suspended = 0;
    } else if (is_tuple_of(Request, ATOM(change_code), 4) && S->suspended) {
        Reply = change_code(S, erl_element(Request, 3), erl_element(Request, 4));
    } else if (is_tuple_of(Request, ATOM(restore_state), 2) && S->suspended) {
        S->State = erl_element(Request, 2); /* upgrade's rollback: the state saved before it */
    } else if (Request == ATOM(get_status)) {
        Reply = status_of(S);
    } else if (is_tuple_of(Request, ATOM(debug), 2) && is_tuple_of(erl_element(Request, 2), ATOM(trace), 2)) {
        S->trace = erl_element(erl_element(Request, 2), 2) == ATOM(true);
    } else if (is_tuple_of(Request, ATOM(debug), 2) && is_tuple_of(erl_element(Request, 2), ATOM(statistics), 2)) {
        Reply = statistics(S, erl_element(erl_element(Request, 2), 2));
    } else if (is_tuple_of(Request, ATOM(terminate), 2)) {
        terminate(S, ATOM(exit), erl_element(Request, 2), erl_tuple(ATOM(system), From, Request), ERL_NONE);
    } else {
        Reply = erl_tuple(ATOM(error), erl_tuple(ATOM(unknown_system_msg), Request));
    }
    erl_call(gen, reply, From, Reply);
}

/* ------------------------------------------------------------ the loop */

/* A callback's answer that is a timeout: infinity, hibernate or ms. */
static int is_timeout(Term T)
{
    return T == ATOM(infinity) || T == ATOM(hibernate) || (erl_is_int(T) && erl_int_value(T) >= 0);
}

/* {noreply, NewState} | {noreply, NewState, Timeout} (the same with
** reply and Reply first): sets the state and the next timeout, returns 1;
** 0 for anything else. */
static int take_state(Server *S, Term Result, unsigned long Base)
{
    unsigned long n = erl_tuple_size(Result);
    if (n == Base + 1) {
        S->State = erl_element(Result, Base + 1);
        S->Timeout = ATOM(infinity);
        return 1;
    }
    if (n == Base + 2 && is_timeout(erl_element(Result, Base + 2))) {
        S->State = erl_element(Result, Base + 1);
        S->Timeout = erl_element(Result, Base + 2);
        return 1;
    }
    return 0;
}

/* The answer of handle_call, handle_cast or handle_info: stay in the loop,
** or terminate as OTP's handle_common_reply does. From is the caller for a
** call, ERL_NONE otherwise; Msg is what the error report names. */
static void handle_reply(Server *S, Term Result, Term From, Term Msg)
{
    Term Client = From != ERL_NONE ? erl_element(From, 1) : ERL_NONE;
    if (erl_is_tuple(Result) && erl_tuple_size(Result) >= 2) {
        Term Tag = erl_element(Result, 1);
        if (Tag == ATOM(reply) && From != ERL_NONE && take_state(S, Result, 2)) {
            erl_call(gen, reply, From, erl_element(Result, 2));
            trace_reply(S, erl_element(Result, 2), Client);
            return;
        }
        if (Tag == ATOM(noreply) && take_state(S, Result, 1)) {
            trace_noreply(S);
            return;
        }
        if (Tag == ATOM(stop) && erl_tuple_size(Result) == 3) {
            S->State = erl_element(Result, 3);
            terminate(S, ATOM(exit), erl_element(Result, 2), Msg, Client);
        }
        if (Tag == ATOM(stop) && erl_tuple_size(Result) == 4 && From != ERL_NONE) {
            S->State = erl_element(Result, 4);
            Term Reason = erl_element(Result, 2);
            Callback cb = {S->terminate, 2, Reason, S->State, 0};
            Term R, Class;
            if (!try_callback(&cb, &R, &Class) && !is_undef(Class, R)) {
                S->Stack = cb.Stack;
                error_report(S, Msg, R, Client);
                exit_server(S, Class, R);
            }
            erl_call(gen, reply, From, erl_element(Result, 3));
            if (!is_quiet_exit(Reason))
                error_report(S, Msg, Reason, Client);
            exit_server(S, ATOM(exit), Reason);
        }
    }
    terminate(S, ATOM(exit), erl_tuple(ATOM(bad_return_value), Result), Msg, Client);
}

static void dispatch(Server *S, Term Msg)
{
    Callback cb;
    Term From = ERL_NONE, Shown = Msg, Result, Class;
    trace_in(S, Msg);
    if (is_tuple_of(Msg, am_gen_call(), 3)) {
        From = erl_element(Msg, 2);
        Shown = erl_element(Msg, 3);
        cb = (Callback){S->handle_call, 3, Shown, From, S->State};
    } else if (is_tuple_of(Msg, am_gen_cast(), 2)) {
        cb = (Callback){S->handle_cast, 2, erl_element(Msg, 2), S->State, 0};
    } else {
        cb = (Callback){S->handle_info, 2, Msg, S->State, 0};
    }
    if (try_callback(&cb, &Result, &Class)) {
        handle_reply(S, Result, From, Shown);
        return;
    }
    if (cb.fn == S->handle_info && is_undef(Class, Result)) {
        logger_format("=WARNING REPORT==== ~s ===~n** Undefined handle_info in ~p~n** Unhandled message: ~p~n~n",
                  erl_list(report_date(), S->Mod, Msg));
        return;
    }
    S->Stack = cb.Stack;
    terminate(S, Class, Result, Shown, From != ERL_NONE ? erl_element(From, 1) : ERL_NONE);
}

/* Only system messages, and the parent's exit signal, reach a suspended server. */
static int is_system_msg(Term Msg, void *ctx)
{
    Server *S = ctx;
    return is_tuple_of(Msg, ATOM(system), 3) ||
           (is_tuple_of(Msg, ATOM(EXIT), 3) && erl_element(Msg, 2) == S->Parent);
}

static long timeout_ms(Term T)
{
    return erl_is_int(T) ? erl_int_value(T) : -1;
}

/* loop(Parent, Name, State, Mod, Timeout): serves messages until a
** callback says stop. */
__attribute__((noreturn)) static void loop(Server *S)
{
    for (;;) {
        Term Msg = S->suspended ? erl_receive_match(is_system_msg, S, -1) : erl_receive_timeout(timeout_ms(S->Timeout));
        if (Msg == ERL_NONE)
            Msg = ATOM(timeout);
        if (is_tuple_of(Msg, ATOM(system), 3))
            handle_system(S, erl_element(Msg, 2), erl_element(Msg, 3));
        else if (is_tuple_of(Msg, ATOM(EXIT), 3) && erl_element(Msg, 2) == S->Parent && S->Parent != erl_self())
            terminate(S, ATOM(exit), erl_element(Msg, 3), Msg, ERL_NONE);
        else
            dispatch(S, Msg);
    }
}

/* The server process: registers its name, runs Mod:init(Args), tells the
** starter how it went ({ack, Pid, Return}), and enters the loop. */
static Term init_it(Term Starter, Term Parent, Term Ancestors, Term Name, Term Mod, Term Args)
{
    Server S = {0};
    S.Stack = ERL_NIL;
    S.Parent = Parent == ATOM(self) ? erl_self() : Parent;
    S.Name = erl_self();
    S.Mod = Mod;
    S.Timeout = ATOM(infinity);
    S.Ancestors = Ancestors;
    S.init = callback_entry(Mod, "init", 1);
    S.handle_call = callback_entry(Mod, "handle_call", 3);
    S.handle_cast = callback_entry(Mod, "handle_cast", 2);
    S.handle_info = callback_entry(Mod, "handle_info", 2);
    S.terminate = callback_entry(Mod, "terminate", 2);
    S.code_change = callback_entry(Mod, "code_change", 3);
    erl_put(erl_atom("$ancestors"), Ancestors);
    erl_put(erl_atom("$initial_call"), erl_tuple(Mod, ATOM(init), erl_mk_int(1)));
    if (Name != ATOM(undefined)) {
        Term Other = erl_whereis(Name);
        if (Other != ATOM(undefined)) {
            erl_send(Starter, erl_tuple(ATOM(ack), erl_self(),
                                        erl_tuple(ATOM(error), erl_tuple(ATOM(already_started), Other))));
            erl_exit(ATOM(normal));
        }
        erl_register(Name, erl_self());
        S.Name = Name;
    }
    Callback cb = {S.init, 1, Args, 0, 0};
    Term Result, Class;
    if (!try_callback(&cb, &Result, &Class)) {
        S.Stack = cb.Stack;
        erl_send(Starter, erl_tuple(ATOM(ack), erl_self(), erl_tuple(ATOM(error), Result)));
        exit_server(&S, Class, Result);
    }
    if (is_tuple_of(Result, ATOM(ok), 2) ||
        (is_tuple_of(Result, ATOM(ok), 3) && is_timeout(erl_element(Result, 3)))) {
        take_state(&S, Result, 1);
        erl_send(Starter, erl_tuple(ATOM(ack), erl_self(), erl_tuple(ATOM(ok), erl_self())));
        loop(&S);
    }
    if (Result == ATOM(ignore)) {
        erl_send(Starter, erl_tuple(ATOM(ack), erl_self(), ATOM(ignore)));
        erl_exit(ATOM(normal));
    }
    Term Reason = is_tuple_of(Result, ATOM(stop), 2) ? erl_element(Result, 2)
                                                       : erl_tuple(ATOM(bad_return_value), Result);
    erl_send(Starter, erl_tuple(ATOM(ack), erl_self(), erl_tuple(ATOM(error), Reason)));
    exit_server(&S, ATOM(exit), Reason);
    return Reason; /* not reached */
}

/* ------------------------------------------------------------ starting */

typedef struct Ack {
    Term Pid, Mref;
} Ack;

static int is_ack(Term Msg, void *ctx)
{
    Ack *a = ctx;
    return (is_tuple_of(Msg, ATOM(ack), 3) && erl_element(Msg, 2) == a->Pid) ||
           (is_tuple_of(Msg, ATOM(DOWN), 5) && erl_eq(erl_element(Msg, 2), a->Mref));
}

/* The ancestors of a process the caller starts, as proc_lib has them: the
** caller (by its registered name when it has one), then the caller's own. */
static Term ancestors(void)
{
    Term Name = erl_call(erlang, process_info, erl_self(), ATOM(registered_name));
    Term Mine = erl_get(erl_atom("$ancestors"));
    return erl_cons(erl_is_tuple(Name) ? erl_element(Name, 2) : erl_self(), erl_is_list(Mine) ? Mine : ERL_NIL);
}

/* Starts a server and waits until its init/1 has answered. */
static Term do_start(int Link, Term Name, Term Mod, Term Args)
{
    if (!erl_is_atom(Mod))
        erl_error(ATOM(badarg));
    if (Name != ATOM(undefined)) {
        if (!is_tuple_of(Name, ATOM(local), 2) || !erl_is_atom(erl_element(Name, 2)))
            erl_error(ATOM(badarg));
        Name = erl_element(Name, 2);
        Term Other = erl_whereis(Name); /* gen:start looks before it spawns */
        if (Other != ATOM(undefined))
            return erl_tuple(ATOM(error), erl_tuple(ATOM(already_started), Other));
    }
    Term Self = erl_self();
    Term Pid = Link ? erl_spawn_link(init_it, Self, Self, ancestors(), Name, Mod, Args)
                    : erl_spawn(init_it, Self, ATOM(self), ancestors(), Name, Mod, Args);
    Ack a = {Pid, erl_monitor(Pid)};
    Term Msg = erl_receive_match(is_ack, &a, -1);
    erl_demonitor_flush(a.Mref);
    if (is_tuple_of(Msg, ATOM(DOWN), 5))
        return erl_tuple(ATOM(error), erl_element(Msg, 5));
    return erl_element(Msg, 3);
}

/* start(Module, Args, Options) -> {ok, Pid} | ignore | {error, Reason}. */
Term start_3(Term Mod, Term Args, Term Options)
{
    return do_start(0, ATOM(undefined), Mod, Args);
}

/* start({local, Name}, Module, Args, Options) */
Term start_4(Term Name, Term Mod, Term Args, Term Options)
{
    return do_start(0, Name, Mod, Args);
}

/* start_link(Module, Args, Options): the server is linked to the caller. */
Term start_link_3(Term Mod, Term Args, Term Options)
{
    return do_start(1, ATOM(undefined), Mod, Args);
}

/* start_link({local, Name}, Module, Args, Options) */
Term start_link_4(Term Name, Term Mod, Term Args, Term Options)
{
    return do_start(1, Name, Mod, Args);
}

/* ------------------------------------------------------------ clients */

typedef struct Call {
    Term Server, Request, Timeout;
} Call;

static Term gen_call(void *ctx)
{
    Call *c = ctx;
    return erl_call(gen, call, c->Server, am_gen_call(), c->Request, c->Timeout);
}

/* call(Server, Request, Timeout) ->
**     try gen:call(Server, '$gen_call', Request, Timeout) of {ok, Reply} -> Reply
**     catch exit:Reason -> exit({Reason, {gen_server, call, [Server, Request, Timeout]}})
**     end. */
static Term do_call(Term Server, Term Request, Term Timeout, Term Args)
{
    Call c = {Server, Request, Timeout};
    Term Result, Class;
    if (erl_catch(gen_call, &c, &Result, &Class))
        return erl_element(Result, 2);
    if (Class != ATOM(exit))
        erl_error(Result);
    erl_exit(erl_tuple(Result, erl_tuple(ATOM(gen_server), ATOM(call), Args)));
    return Result; /* not reached */
}

/* call(Server, Request) -> call(Server, Request, 5000). */
Term call_2(Term Server, Term Request)
{
    return do_call(Server, Request, erl_mk_int(5000), erl_list(Server, Request));
}

Term call_3(Term Server, Term Request, Term Timeout)
{
    return do_call(Server, Request, Timeout, erl_list(Server, Request, Timeout));
}

/* cast(Server, Request) -> Server ! {'$gen_cast', Request}, ok: never
** fails, even when Server is dead or not registered. */
Term cast(Term Server, Term Request)
{
    Term Pid = erl_is_atom(Server) ? erl_whereis(Server) : Server;
    if (erl_is_pid(Pid))
        erl_send(Pid, erl_tuple(am_gen_cast(), Request));
    return ATOM(ok);
}

/* reply(From, Reply) -> gen:reply(From, Reply). */
Term reply(Term From, Term Reply)
{
    return erl_call(gen, reply, From, Reply);
}

/* stop(Server, Reason, Timeout): the server terminates with Reason
** (terminate/2 called); returns ok once it is gone. Exits noproc when it
** is not there, and with its reason when it ended otherwise. */
Term stop_3(Term Server, Term Reason, Term Timeout)
{
    Term Pid = erl_is_atom(Server) ? erl_whereis(Server) : Server;
    if (!erl_is_pid(Pid))
        erl_exit(ATOM(noproc));
    Term Mref = erl_monitor(Pid);
    Ack a = {ATOM(none), Mref};
    erl_send(Pid, erl_tuple(ATOM(system), erl_tuple(erl_self(), erl_make_ref()),
                            erl_tuple(ATOM(terminate), Reason)));
    long ms = Timeout == ATOM(infinity) ? -1 : erl_int_value(Timeout);
    Term Msg = erl_receive_match(is_ack, &a, ms);
    if (Msg == ERL_NONE) {
        erl_demonitor_flush(Mref);
        erl_exit(ATOM(timeout));
    }
    Term Why = erl_element(Msg, 5);
    if (erl_eq(Why, Reason))
        return ATOM(ok);
    erl_exit(Why);
    return Why; /* not reached */
}

/* stop(Server) -> stop(Server, normal, infinity). */
Term stop_1(Term Server)
{
    return stop_3(Server, ATOM(normal), ATOM(infinity));
}
