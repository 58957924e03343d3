/*
** bif_erlang.c
** The erlang module's process BIFs, and the process API of cerl.h (erl_send,
** erl_receive, erl_spawn, ...) that C modules call directly.
*/
#include "bif.h"
#include "bignum.h"
#include "error.h"
#include "export.h"
#include "fun.h"
#include "monitor.h"
#include "node.h"
#include "dist/dist.h"
#include "proc.h"
#include "sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sends a C module may make before it yields to the other processes. */
enum { SEND_BUDGET = 1000 };

int bif_list_to_args(Term list, Term out[8])
{
    int n = 0;
    while (erl_is_cons(list)) {
        if (n == 8)
            return -1;
        out[n++] = erl_hd(list);
        list = erl_tl(list);
    }
    return list == ERL_NIL ? n : -1;
}

static Proc *self_proc(void)
{
    Proc *p = sched_current;
    if (!p)
        erl_error(AM_badarg); /* no process: only reachable from broken tests */
    return p;
}

/* ============================================================ sending */

/* Delivers msg to p (copied into p's heap) and wakes p. With 'from', msg
** comes from module code and must be a term of heap 'from': a bad one ends
** the sender (exc_badterm), p gets nothing. */
static void deliver(Proc *p, Term msg, Heap *from)
{
    if (from) {
        Term bad = mbox_put_checked(&p->mbox, &p->heap, from, msg);
        if (bad != ERL_NONE)
            exc_badterm(erl_atom("erl_send"), bad);
    } else {
        mbox_put(&p->mbox, &p->heap, msg);
    }
    sched_make_runnable(p);
}

/* bif_send, checking msg against heap 'from' when it is not NULL. */
static Term send(Term to, Term msg, Heap *from)
{
    Proc *p;
    if (erl_is_pid(to) && !pid_is_local(to)) {
        if (from)
            exc_check_term("erl_send", msg); /* checked before it is encoded */
        dist_send_pid(to, msg); /* another node's process (dist/ctrl.c) */
        proc_check_signals();
        return msg;
    } else if (erl_is_pid(to)) {
        p = proc_find(to);
    } else if (erl_is_atom(to)) {
        p = proc_whereis(to);
        if (!p)
            exc_raise(AM_error, AM_badarg,
                      erl_tuple(erl_atom("operator"), erl_atom("!"), erl_list(to, msg)));
    } else if (erl_is_tuple(to) && erl_tuple_size(to) == 2 && erl_is_atom(erl_element(to, 1)) &&
               erl_is_atom(erl_element(to, 2))) {
        if (erl_element(to, 2) != node_this()) {
            if (from)
                exc_check_term("erl_send", msg); /* checked before it is encoded */
            dist_send_name(erl_element(to, 1), erl_element(to, 2), msg); /* dist/ctrl.c */
            return msg;
        }
        Term name = erl_element(to, 1);
        if (!proc_whereis(name)) { /* erl: {Name, node()} ! Msg to no one is no error */
            if (from)
                exc_check_term("erl_send", msg);
            return msg;
        }
        return send(name, msg, from);
    } else {
        exc_raise(AM_error, AM_badarg, erl_tuple(erl_atom("operator"), erl_atom("!"), erl_list(to, msg)));
    }
    if (p)
        deliver(p, msg, from);
    else if (from)
        exc_check_term("erl_send", msg);
    proc_check_signals();
    return msg;
}

Term bif_send(Term to, Term msg)
{
    return send(to, msg, NULL);
}

Term erl_send(Term to, Term msg)
{
    Proc *self = sched_current, *p;
    if (self && pid_is_local(to) && (p = proc_find(to))) {
        /* recvpath: the common case, a live local process, in one line */
        if (erl_is_cons(msg) || erl_is_boxed(msg)) {
            deliver(p, msg, heap_current());
        } else {
            if (!erl_is_int(msg))
                exc_check_term("erl_send", msg);
            deliver(p, msg, NULL);
        }
        if (self->pending_exit != ERL_NONE) /* proc_check_signals, without the call */
            proc_check_signals();
        if (++self->reductions % SEND_BUDGET == 0)
            sched_pass();
        return msg;
    }
    if (!erl_is_pid(to))
        exc_check_term("erl_send", to);
    if (erl_is_cons(msg) || erl_is_boxed(msg)) {
        send(to, msg, heap_current());
    } else { /* an immediate is checked here: nothing to copy */
        if (!erl_is_int(msg))
            exc_check_term("erl_send", msg);
        bif_send(to, msg);
    }
    if (self && ++self->reductions % SEND_BUDGET == 0)
        sched_pass();
    return msg;
}

/* ========================================================== receiving */

Term erl_receive(void)
{
    return bif_receive(NULL, NULL, -1);
}

void erl_yield(void)
{
    if (sched_current)
        sched_pass();
    proc_check_signals();
}

/* =========================================================== spawning */

Term erl_self(void)
{
    return self_proc()->pid;
}

/* proc_spawn, raising system_limit when no process can be made. */
static Proc *spawn_or_raise(void *fn, int argc, const Term *argv)
{
    Proc *p = proc_spawn(fn, argc, argv, 0);
    if (!p)
        erl_error(argc > PROC_MAX_ARGS ? AM_badarg : AM_system_limit);
    return p;
}

/* The arguments a module hands to a new process must be its own terms. */
static void check_args(const char *crossing, int argc, const Term *argv)
{
    for (int i = 0; i < argc && i < PROC_MAX_ARGS; i++)
        exc_check_term(crossing, argv[i]);
}

Term erl_spawn_fn(void *fn, int argc, const Term *argv)
{
    check_args("erl_spawn", argc, argv);
    return spawn_or_raise(fn, argc, argv)->pid;
}

/* First function of a process made by spawn/3: the call goes through the
** export table, so it reaches the current version (or fails with undef). */
Term spawn3_entry_(Term mod, Term fun, Term args)
{
    Term argv[8];
    int argc = bif_list_to_args(args, argv);
    return export_apply(mod, fun, argc, argv);
}

/* erl 25's notes on a bad {Mod, Fun, Args} of spawn/3 or apply/3, one line
** each, into buf; NULL when all three are good. */
static const char *mfa_notes(Term mod, Term fun, Term args, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    if (!erl_is_atom(mod))
        n += (size_t)snprintf(buf + n, size - n, "argument 1: not an atom\n");
    if (!erl_is_atom(fun))
        n += (size_t)snprintf(buf + n, size - n, "argument 2: not an atom\n");
    if (term_list_length(args) < 0)
        n += (size_t)snprintf(buf + n, size - n, erl_is_cons(args) ? "argument 3: not a proper list\n"
                                                                   : "argument 3: not a list\n");
    if (n == 0)
        return NULL;
    buf[n - 1] = '\0'; /* the last newline */
    return buf;
}

static Proc *spawn3(const char *name, Term mod, Term fun, Term args)
{
    Term argv[8];
    char notes[128];
    const char *note = mfa_notes(mod, fun, args, notes, sizeof notes);
    if (note)
        BADARG(name, note, mod, fun, args);
    if (bif_list_to_args(args, argv) < 0)
        BADARG(name, NULL, mod, fun, args);
    return spawn_or_raise((void *)spawn3_entry_, 3, (Term[]){mod, fun, args});
}

Term erl_spawn_link_fn(void *fn, int argc, const Term *argv)
{
    check_args("erl_spawn_link", argc, argv);
    Proc *p = spawn_or_raise(fn, argc, argv);
    proc_link(self_proc(), p);
    return p->pid;
}

Term erl_spawn3(Term mod, Term fun, Term args)
{
    return spawn3("spawn", mod, fun, args)->pid;
}

static Term bif_spawn_link3(Term mod, Term fun, Term args)
{
    Proc *p = spawn3("spawn_link", mod, fun, args);
    proc_link(self_proc(), p);
    return p->pid;
}

static Term bif_spawn_monitor3(Term mod, Term fun, Term args)
{
    Proc *p = spawn3("spawn_monitor", mod, fun, args);
    Term ref = proc_monitor(p->pid);
    return erl_tuple(p->pid, ref);
}

/* ============================================================== funs */

Term (*bif_apply_fun)(Term fun, int argc, const Term *argv);

static bool is_fun(Term t)
{
    return erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_FUN;
}

/* First function of a process spawned with a fun. */
static Term fun_entry(Term fun)
{
    return fun_apply(fun, 0, NULL);
}

static Proc *spawn_fun(const char *name, Term fun)
{
    if (!is_fun(fun))
        BADARG(name, "argument 1: not a fun", fun);
    /* collections stay on: a fun's bindings live on the heap of the
    ** process applying it (shell/eval.h) */
    return spawn_or_raise((void *)fun_entry, 1, &fun);
}

static Term bif_spawn1(Term fun)
{
    return spawn_fun("spawn", fun)->pid;
}

static Term bif_spawn_link1(Term fun)
{
    Proc *p = spawn_fun("spawn_link", fun);
    proc_link(self_proc(), p);
    return p->pid;
}

static Term bif_spawn_monitor1(Term fun)
{
    Proc *p = spawn_fun("spawn_monitor", fun);
    return erl_tuple(p->pid, proc_monitor(p->pid));
}

Term erl_spawn_monitor_fn(void *fn, int argc, const Term *argv)
{
    check_args("erl_spawn_monitor", argc, argv);
    Proc *p = spawn_or_raise(fn, argc, argv);
    return erl_tuple(p->pid, proc_monitor(p->pid));
}

static Term bif_apply2(Term fun, Term args)
{
    Term argv[8];
    int argc = bif_list_to_args(args, argv);
    if (argc < 0)
        BADARG("apply", NULL, fun, args); /* erl 25 gives no note */
    return fun_apply(fun, argc, argv);
}

Term erl_apply(Term fun, Term args)
{
    return bif_apply2(fun, args);
}

/* is_function(F, Arity): word 2 of a fun is its arity. */
static Term bif_is_function2(Term f, Term arity)
{
    if (!erl_is_int(arity) || erl_int_value(arity) < 0)
        BADARG("is_function", erl_is_int(arity) ? "argument 2: out of range" : "argument 2: not an integer", f, arity);
    return is_fun(f) && erl_box_ptr(f)[2] == arity ? AM_true : AM_false;
}

static Term bif_is_function1(Term f)
{
    return is_fun(f) ? AM_true : AM_false;
}

static Term bif_apply3(Term mod, Term fun, Term args)
{
    Term argv[8];
    char notes[128];
    const char *note = mfa_notes(mod, fun, args, notes, sizeof notes);
    if (note)
        BADARG("apply", note, mod, fun, args);
    int argc = bif_list_to_args(args, argv);
    if (argc < 0)
        BADARG("apply", NULL, mod, fun, args);
    return export_apply(mod, fun, argc, argv);
}

/* ============================================================== names */

Term erl_register(Term name, Term pid)
{
    if (!erl_is_atom(name))
        BADARG("register", erl_is_pid(pid) ? "argument 1: not an atom"
                                           : "argument 1: not an atom\nargument 2: not a pid or port",
               name, pid);
    if (!erl_is_pid(pid))
        BADARG("register", "argument 2: not a pid or port", name, pid);
    if (name == AM_undefined)
        BADARG("register", "argument 1: 'undefined' is not a valid name", name, pid);
    Proc *p = proc_find(pid);
    if (!p)
        BADARG("register", "argument 2: the pid does not refer to an existing process", name, pid);
    if (proc_whereis(name))
        BADARG("register", "argument 1: name is in use", name, pid);
    if (!proc_register(name, p))
        BADARG("register", "argument 2: this process or port already has a name", name, pid);
    return AM_true;
}

Term erl_unregister(Term name)
{
    if (!erl_is_atom(name)) /* erl 25's words for any bad unregister */
        BADARG("unregister", "argument 1: not a pid", name);
    if (!proc_unregister(name))
        BADARG("unregister", "argument 1: not a pid", name);
    return AM_true;
}

Term erl_whereis(Term name)
{
    if (!erl_is_atom(name))
        BADARG("whereis", "argument 1: not an atom", name);
    Proc *p = proc_whereis(name);
    return p ? p->pid : AM_undefined;
}

static Term bif_registered(void)
{
    return proc_registered(heap_current());
}

/* ========================================================== monitors */

Term erl_monitor(Term target)
{
    if (!erl_is_pid(target) && !erl_is_atom(target))
        BADARG("monitor", "argument 2: not a pid", AM_process, target);
    if (erl_is_pid(target) && !pid_is_local(target)) /* distribution: another node's */
        return dist_monitor(target);
    return proc_monitor(target);
}

static Term bif_monitor2(Term type, Term target)
{
    if (type != AM_process)
        BADARG("monitor", "argument 1: invalid monitor type", type, target);
    if (erl_is_tuple(target) && erl_tuple_size(target) == 2 && erl_element(target, 2) == node_this())
        target = erl_element(target, 1);
    /* distribution: {Name, Node} or a pid of another node */
    if (erl_is_tuple(target) && erl_tuple_size(target) == 2 && erl_is_atom(erl_element(target, 1)) &&
        erl_is_atom(erl_element(target, 2)))
        return dist_monitor(target);
    if (erl_is_pid(target) && !pid_is_local(target))
        return dist_monitor(target);
    if (!erl_is_pid(target) && !erl_is_atom(target))
        BADARG("monitor", "argument 2: not a pid", type, target);
    return proc_monitor(target);
}

static Term bif_demonitor1(Term ref)
{
    if (!erl_is_ref(ref))
        BADARG("demonitor", "argument 1: not a reference", ref);
    proc_demonitor(ref, false);
    return AM_true;
}

static Term bif_demonitor2(Term ref, Term opts)
{
    if (!erl_is_ref(ref))
        BADARG("demonitor", "argument 1: not a reference", ref, opts);
    bool flush = false, info = false;
    for (Term o = opts; erl_is_cons(o); o = erl_tl(o)) {
        if (erl_hd(o) == erl_atom("flush"))
            flush = true;
        else if (erl_hd(o) == erl_atom("info"))
            info = true;
        else
            BADARG("demonitor", "argument 2: invalid option", ref, opts);
    }
    if (!erl_is_list(opts))
        BADARG("demonitor", "argument 2: not a list", ref, opts);
    bool existed = proc_demonitor(ref, flush);
    return info ? (existed ? AM_true : AM_false) : AM_true;
}

Term erl_demonitor(Term ref)
{
    return bif_demonitor1(ref);
}

Term erl_demonitor_flush(Term ref)
{
    return bif_demonitor2(ref, erl_cons(erl_atom("flush"), ERL_NIL));
}

/* ============================================================= links */

Term erl_link(Term pid)
{
    if (!erl_is_pid(pid))
        BADARG("link", "argument 1: not a pid", pid);
    Proc *self = self_proc(), *p = proc_find(pid);
    if (!pid_is_local(pid)) { /* distribution: another node's */
        dist_link(pid);
        return AM_true;
    }
    if (!p) {
        if (self->trap_exit) {
            mbox_put(&self->mbox, &self->heap, erl_tuple(AM_EXIT, pid, AM_noproc));
            return AM_true;
        }
        exc_raise(AM_error, AM_noproc,
                  erl_tuple(erl_atom("function"), erl_atom("link"), erl_list(pid),
                            erl_mk_string("argument 1: the pid does not refer to an existing process")));
    }
    proc_link(self, p);
    return AM_true;
}

Term erl_unlink(Term pid)
{
    if (!erl_is_pid(pid))
        BADARG("unlink", "argument 1: not a pid", pid);
    if (!pid_is_local(pid)) /* distribution: another node's */
        dist_unlink(pid);
    proc_unlink(self_proc(), pid);
    return AM_true;
}


/* ============================================================= exits */

void erl_exit(Term reason)
{
    exc_raise(AM_exit, reason, ERL_NONE);
}

Term erl_exit2(Term pid, Term reason)
{
    /* checked before anything is done to the target: a bad reason ends
    ** the caller, never the process it was aimed at */
    exc_check_term("erl_exit2", pid);
    exc_check_term("erl_exit2", reason);
    if (!erl_is_pid(pid))
        BADARG("exit", "argument 1: not a pid", pid, reason);
    Proc *p = proc_find(pid);
    Proc *self = sched_current;
    if (p)
        proc_signal_exit(p, self ? self->pid : pid_make(0), reason);
    proc_check_signals();
    return AM_true;
}

static Term bif_exit1(Term reason)
{
    erl_exit(reason);
}

static Term bif_error1(Term reason)
{
    erl_error(reason);
}

/* error(Reason, Args) and error(Reason, Args, Options): erl 25 reports
** them as error/1 at the prompt (the arguments go into the stack trace,
** which cerl does not build yet), and checks neither. */
static Term bif_error2(Term reason, Term args)
{
    erl_error(reason);
}

static Term bif_error3(Term reason, Term args, Term options)
{
    erl_error(reason);
}

static Term bif_throw1(Term term)
{
    erl_throw(term);
}

static Term bif_is_process_alive(Term pid)
{
    if (!pid_is_local(pid))
        BADARG("is_process_alive", "argument 1: not a pid", pid);
    return proc_find(pid) ? AM_true : AM_false;
}

Term erl_is_process_alive(Term pid)
{
    return bif_is_process_alive(pid);
}

static Term bif_process_flag(Term flag, Term value)
{
    Proc *self = self_proc();
    if (flag == AM_trap_exit && (value == AM_true || value == AM_false)) {
        Term old = self->trap_exit ? AM_true : AM_false;
        self->trap_exit = value == AM_true;
        return old;
    }
    BADARG("process_flag", flag == AM_trap_exit ? "argument 2: invalid value for this process flag"
                                                : "argument 1: invalid process flag",
           flag, value);
}

Term erl_trap_exit(Term on)
{
    return bif_process_flag(AM_trap_exit, on);
}

static Term bif_processes(void)
{
    Heap *h = heap_current();
    Term list = ERL_NIL, *link = &list;
    for (Proc *p = proc_first(); p; p = proc_next(p)) {
        *link = term_cons(h, p->pid, ERL_NIL);
        link = &cons_ptr(*link)[1];
    }
    return list;
}

static Term bif_make_ref(void)
{
    return term_make_ref(heap_current());
}

Term erl_make_ref(void)
{
    return bif_make_ref();
}

static Term bif_node(void)
{
    return node_this();
}

/* ============================================================== terms */

static Term bif_element(Term n, Term t)
{
    bool is_int = erl_is_int(n) || big_is(n);
    if (!is_int)
        BADARG("element", erl_is_tuple(t) ? "argument 1: not an integer"
                                          : "argument 1: not an integer\nargument 2: not a tuple", n, t);
    if (!erl_is_tuple(t))
        BADARG("element", "argument 2: not a tuple", n, t);
    if (!erl_is_int(n) || erl_int_value(n) < 1 || (uint64_t)erl_int_value(n) > erl_tuple_size(t))
        BADARG("element", "argument 1: out of range", n, t);
    return erl_element(t, (uint64_t)erl_int_value(n));
}

static Term bif_setelement(Term n, Term t, Term v)
{
    bool is_int = erl_is_int(n) || big_is(n);
    if (!is_int)
        BADARG("setelement", erl_is_tuple(t) ? "argument 1: not an integer"
                                             : "argument 1: not an integer\nargument 2: not a tuple", n, t, v);
    if (!erl_is_tuple(t))
        BADARG("setelement", "argument 2: not a tuple", n, t, v);
    if (!erl_is_int(n) || erl_int_value(n) < 1 || (uint64_t)erl_int_value(n) > erl_tuple_size(t))
        BADARG("setelement", "argument 1: out of range", n, t, v);
    uint64_t size = erl_tuple_size(t);
    Term *p = heap_alloc(heap_current(), size + 1);
    memcpy(p, erl_box_ptr(t), (size + 1) * sizeof(Term));
    p[erl_int_value(n)] = v;
    return (Term)(uintptr_t)p;
}

static Term bif_tuple_size(Term t)
{
    if (!erl_is_tuple(t))
        BADARG("tuple_size", "argument 1: not a tuple", t);
    return erl_mk_int((int64_t)erl_tuple_size(t));
}

static Term bif_length(Term l)
{
    long n = term_list_length(l);
    if (n < 0)
        BADARG("length", "argument 1: not a list", l);
    return erl_mk_int(n);
}

long erl_list_length(Term t)
{
    return term_list_length(t);
}

static Term bif_hd(Term l)
{
    if (!erl_is_cons(l))
        BADARG("hd", "argument 1: not a nonempty list", l);
    return erl_hd(l);
}

static Term bif_tl(Term l)
{
    if (!erl_is_cons(l))
        BADARG("tl", "argument 1: not a nonempty list", l);
    return erl_tl(l);
}

static Term bif_atom_to_list(Term a)
{
    if (!erl_is_atom(a))
        BADARG("atom_to_list", "argument 1: not an atom", a);
    return term_string(heap_current(), erl_atom_name(a), atom_len(a));
}

/* The characters of list l as bytes into name[256]; returns the count, or
** -1 (not a list), -2 (not a proper list), -3 (not characters, or too long). */
static int list_bytes(Term l, char name[256])
{
    int n = 0;
    Term t = l;
    for (; erl_is_cons(t); t = erl_tl(t)) {
        Term c = erl_hd(t);
        if (n == 255 || !erl_is_int(c) || erl_int_value(c) < 0 || erl_int_value(c) > 255)
            return term_list_length(l) < 0 ? (erl_is_cons(l) ? -2 : -1) : -3;
        name[n++] = (char)erl_int_value(c);
    }
    return t == ERL_NIL ? n : erl_is_cons(l) ? -2 : -1;
}

static Term bif_list_to_atom(Term l)
{
    char name[256];
    int n = list_bytes(l, name);
    if (n >= 0)
        return atom_from(name, (size_t)n);
    BADARG("list_to_atom", n == -1 ? "argument 1: not a list" : n == -2 ? "argument 1: not a proper list"
                                                             : "argument 1: not a list of characters",
           l);
}

static Term bif_list_to_existing_atom(Term l)
{
    char name[256];
    int n = list_bytes(l, name);
    Term a = n >= 0 ? atom_lookup(name, (size_t)n) : ERL_NONE;
    if (a != ERL_NONE)
        return a;
    BADARG("list_to_existing_atom", n == -1 ? "argument 1: not a list" : n == -2 ? "argument 1: not a proper list"
                                                                      : "argument 1: not an already existing atom",
           l);
}

/* ===================================================== registration */

struct BifDef {
    const char *name;
    int arity;
    void *fn;
    bool autoimport;
};

static const struct BifDef erlang_bifs[] = {
    {"self", 0, (void *)erl_self, true},
    {"spawn", 1, (void *)bif_spawn1, true},
    {"spawn_link", 1, (void *)bif_spawn_link1, true},
    {"spawn_monitor", 1, (void *)bif_spawn_monitor1, true},
    {"apply", 2, (void *)bif_apply2, true},
    {"is_function", 1, (void *)bif_is_function1, true},
    {"is_function", 2, (void *)bif_is_function2, true},
    {"apply", 3, (void *)bif_apply3, true},
    {"spawn", 3, (void *)erl_spawn3, true},
    {"spawn_link", 3, (void *)bif_spawn_link3, true},
    {"spawn_monitor", 3, (void *)bif_spawn_monitor3, true},
    {"register", 2, (void *)erl_register, true},
    {"unregister", 1, (void *)erl_unregister, true},
    {"whereis", 1, (void *)erl_whereis, true},
    {"registered", 0, (void *)bif_registered, true},
    {"monitor", 2, (void *)bif_monitor2, true},
    {"demonitor", 1, (void *)bif_demonitor1, true},
    {"demonitor", 2, (void *)bif_demonitor2, true},
    {"link", 1, (void *)erl_link, true},
    {"unlink", 1, (void *)erl_unlink, true},
    {"exit", 1, (void *)bif_exit1, true},
    {"exit", 2, (void *)erl_exit2, true},
    {"error", 1, (void *)bif_error1, true},
    {"error", 2, (void *)bif_error2, true},
    {"error", 3, (void *)bif_error3, true},
    {"list_to_existing_atom", 1, (void *)bif_list_to_existing_atom, true},
    {"throw", 1, (void *)bif_throw1, true},
    {"is_process_alive", 1, (void *)bif_is_process_alive, true},
    {"process_flag", 2, (void *)bif_process_flag, true},
    {"processes", 0, (void *)bif_processes, true},
    {"make_ref", 0, (void *)bif_make_ref, true},
    {"node", 0, (void *)bif_node, true},
    {"element", 2, (void *)bif_element, true},
    {"tuple_size", 1, (void *)bif_tuple_size, true},
    {"setelement", 3, (void *)bif_setelement, true},
    {"length", 1, (void *)bif_length, true},
    {"hd", 1, (void *)bif_hd, true},
    {"tl", 1, (void *)bif_tl, true},
    {"atom_to_list", 1, (void *)bif_atom_to_list, true},
    {"list_to_atom", 1, (void *)bif_list_to_atom, true},
    {"send", 2, (void *)erl_send, false},
};

/* exc_fault_: ends the running process the way a fault ends it (fault.c):
** its catch frames are abandoned, the error is reported, links and
** monitors see the reason. */
static void end_as_fault(Term reason)
{
    Proc *p = sched_current;
    if (!p)
        abort();
    exc_top_ = NULL;
    if (proc_error_hook)
        proc_error_hook(p, reason);
    proc_exit_self(reason);
}

void bif_erlang_init(void)
{
    exc_fault_ = end_as_fault;
    for (size_t i = 0; i < sizeof erlang_bifs / sizeof *erlang_bifs; i++) {
        const struct BifDef *d = &erlang_bifs[i];
        export_builtin("erlang", d->name, d->arity, d->fn)->autoimport = d->autoimport;
    }
}

void *bif_autoimported(Term fun, int arity)
{
    Export *e = export_find(AM_erlang, fun, arity);
    return e && e->autoimport ? e->pub.fn : NULL;
}
