/*
** bif_info.c
** What the runtime tells about itself: erlang:system_info, erlang:memory,
** statistics and process_info, with cerl's own measures in erl's shapes.
*/
#include "bif.h"
#include "bignum.h"
#include "code.h"
#include "error.h"
#include "export.h"
#include "frames.h"
#include "gc.h"
#include "hibernate.h"
#include "monitor.h"
#include "node.h"
#include "proc.h"
#include "sched.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static Term pair(Heap *h, Term k, Term v)
{
    return term_tuple(h, 2, (Term[]){k, v});
}

static Term pair_int(Heap *h, const char *k, int64_t v)
{
    return pair(h, erl_atom(k), int_from_i64(h, v));
}

/* ======================================================= process_info */

/* {Mod, Fun, Arity} of a module function, Arity from its export (C keeps no
** arity for static functions: they report 0). */
static Term mfa_of(Heap *h, uintptr_t addr, int arity_hint)
{
    Term info = code_address_info(h, addr);
    if (info == ERL_NONE)
        return ERL_NONE;
    Term mod = erl_element(info, 1), fun = erl_element(info, 2);
    int arity = arity_hint;
    Module *m = code_module(mod);
    ModVersion *v = m ? (erl_element(info, 3) == AM_current ? m->cur : m->old) : NULL;
    for (int i = 0; v && i < v->nexports; i++)
        if (v->exports[i].fun == fun && (uintptr_t)v->exports[i].fn <= addr)
            arity = v->exports[i].arity;
    return term_tuple(h, 3, (Term[]){mod, fun, erl_mk_int(arity)});
}

static Term initial_call(Heap *h, Proc *p)
{
    Term kept = hibernate_initial_call_(h, p); /* memory: hibernation replaced its entry */
    if (kept != ERL_NONE)
        return kept;
    if (p->entry_fn == (void *)spawn3_entry_) {
        long n = term_list_length(p->argv[2]);
        return term_tuple(h, 3, (Term[]){p->argv[0], p->argv[1], erl_mk_int(n < 0 ? 0 : n)});
    }
    Term mfa = mfa_of(h, (uintptr_t)p->entry_fn, p->argc);
    return mfa != ERL_NONE ? mfa : term_tuple(h, 3, (Term[]){AM_erlang, erl_atom("apply"), erl_mk_int(2)});
}

static bool in_module_code(uintptr_t pc, void *found)
{
    if (!code_runs_module(pc))
        return false;
    *(uintptr_t *)found = pc;
    return true;
}

/* The innermost module function on p's stack (frames.h walks through libc
** calling module code back too), as {Mod, Fun, Arity}. */
static Term current_function(Heap *h, Proc *p)
{
    uintptr_t pc = 0;
    if (p->hibernated) /* memory: as erl reports a hibernating process */
        return term_tuple(h, 3, (Term[]){AM_erlang, erl_atom("hibernate"), erl_mk_int(3)});
    if (frames_walk(p, in_module_code, &pc)) {
        Term mfa = mfa_of(h, pc, 0);
        if (mfa != ERL_NONE)
            return mfa;
    }
    if (!p->sp)
        return initial_call(h, p);
    return term_tuple(h, 3, (Term[]){AM_erlang, erl_atom("receive"), erl_mk_int(0)});
}

static Term status_of(Proc *p)
{
    switch (p->state) {
    case PS_RUNNING: return AM_running;
    case PS_RUNNABLE: return AM_runnable;
    case PS_WAITING: return AM_waiting;
    default: return AM_exiting;
    }
}

static size_t stack_words(Proc *p)
{
    if (!p->sp)
        return 0;
    uintptr_t top = (uintptr_t)p->stack.base + p->stack.size;
    uintptr_t sp = p == proc_current() ? (uintptr_t)__builtin_frame_address(0) : (uintptr_t)p->sp;
    return (top - sp) / sizeof(Term);
}

static size_t catch_level(Proc *p)
{
    size_t n = 0;
    for (ErlCatch *c = p == proc_current() ? exc_top_ : p->exc_top; c; c = c->prev)
        n++;
    return n;
}

/* Bytes p takes: its heap's pages, its struct, the stack it uses, its links. */
static size_t proc_bytes(Proc *p, bool used_only)
{
    return (used_only ? p->heap.used : p->heap.words) * sizeof(Term) + sizeof(Proc) + stack_words(p) * sizeof(Term) +
           p->caplinks * sizeof(Term);
}

/* The module functions on p's stack, innermost first, as erl's
** current_stacktrace: [{M, F, Arity, []}]. */
static Term stacktrace(Heap *h, Proc *p)
{
    uintptr_t pcs[64];
    int n = proc_return_addresses(p, pcs, 64);
    Term items[64];
    int k = 0;
    for (int i = 0; i < n; i++) {
        Term mfa = code_runs_module(pcs[i]) ? mfa_of(h, pcs[i], 0) : ERL_NONE;
        if (mfa != ERL_NONE)
            items[k++] = term_tuple(h, 4, (Term[]){erl_element(mfa, 1), erl_element(mfa, 2), erl_element(mfa, 3), ERL_NIL});
    }
    Term list = ERL_NIL;
    while (k > 0)
        list = term_cons(h, items[--k], list);
    return list;
}

/* #{error_logger => true, kill => true, size => 0}: no heap limit. */
static Term max_heap_size(Heap *h)
{
    (void)h;
    Term m = erl_map_new();
    m = erl_map_put(m, erl_atom("error_logger"), AM_true);
    m = erl_map_put(m, erl_atom("kill"), AM_true);
    return erl_map_put(m, erl_atom("size"), erl_mk_int(0));
}

/* cerl collects the whole heap every time (no generations): every
** collection is a full sweep, none is minor, and a heap has no minimum. */
static Term garbage_collection(Heap *h)
{
    Term items[] = {
        pair(h, erl_atom("max_heap_size"), max_heap_size(h)),
        pair_int(h, "min_bin_vheap_size", 0),
        pair_int(h, "min_heap_size", 0),
        pair_int(h, "fullsweep_after", 0),
        pair_int(h, "minor_gcs", 0),
    };
    return erl_list_n(5, items);
}

static Term garbage_collection_info(Heap *h, Proc *p)
{
    Term items[] = {
        pair_int(h, "old_heap_block_size", 0),
        pair_int(h, "heap_block_size", (int64_t)p->heap.words),
        pair_int(h, "mbuf_size", 0),
        pair_int(h, "recent_size", 0),
        pair_int(h, "stack_size", (int64_t)stack_words(p)),
        pair_int(h, "old_heap_size", 0),
        pair_int(h, "heap_size", (int64_t)p->heap.used),
        pair_int(h, "bin_vheap_size", 0),
        pair_int(h, "bin_vheap_block_size", 0),
        pair_int(h, "bin_old_vheap_size", 0),
        pair_int(h, "bin_old_vheap_block_size", 0),
    };
    return erl_list_n(11, items);
}

/* A list of Term built in order through a tail pointer. */
typedef struct ListBuilder {
    Term list, *tail;
} ListBuilder;

static void lb_init(ListBuilder *b)
{
    b->list = ERL_NIL;
    b->tail = &b->list;
}

static void lb_add(Heap *h, ListBuilder *b, Term t)
{
    *b->tail = term_cons(h, t, ERL_NIL);
    b->tail = &cons_ptr(*b->tail)[1];
}

/* The value of one process_info item, or ERL_NONE for one erl 25 does not
** know. registered_name is [] for a process without a name. cerl has no
** io servers: every group leader is reported as <0.0.0>. */
static Term info_item(Heap *h, Proc *p, Term key)
{
    const char *k = erl_atom_name(key);
    ListBuilder lb;
    lb_init(&lb);
    if (!strcmp(k, "registered_name"))
        return p->name != ERL_NONE ? p->name : ERL_NIL;
    if (!strcmp(k, "current_function"))
        return current_function(h, p);
    if (!strcmp(k, "current_location")) {
        Term mfa = current_function(h, p);
        return term_tuple(h, 4, (Term[]){erl_element(mfa, 1), erl_element(mfa, 2), erl_element(mfa, 3), ERL_NIL});
    }
    if (!strcmp(k, "current_stacktrace"))
        return stacktrace(h, p);
    if (!strcmp(k, "initial_call"))
        return initial_call(h, p);
    if (!strcmp(k, "status"))
        return status_of(p);
    if (!strcmp(k, "message_queue_len"))
        return erl_mk_int((int64_t)p->mbox.len);
    if (!strcmp(k, "messages")) {
        for (Msg *m = p->mbox.head; m; m = m->next)
            lb_add(h, &lb, term_copy(h, m->term));
        return lb.list;
    }
    if (!strcmp(k, "links")) {
        Term list = ERL_NIL;
        for (uint32_t i = p->nlinks; i > 0; i--)
            list = term_cons(h, p->links[i - 1], list);
        return list;
    }
    if (!strcmp(k, "monitors")) {
        for (Monitor *m = p->monitors; m; m = m->w_next) {
            Term target = m->name != ERL_NONE ? term_tuple(h, 2, (Term[]){m->name, node_this()}) : m->target->pid;
            lb_add(h, &lb, pair(h, AM_process, target));
        }
        return lb.list;
    }
    if (!strcmp(k, "monitored_by")) {
        for (Monitor *m = p->watchers; m; m = m->t_next)
            lb_add(h, &lb, m->watcher->pid);
        return lb.list;
    }
    if (!strcmp(k, "dictionary"))
        return bif_dict_list(h, p == proc_current() ? p->dict : term_copy(h, p->dict));
    if (!strcmp(k, "trap_exit"))
        return p->trap_exit ? AM_true : AM_false;
    if (!strcmp(k, "error_handler"))
        return erl_atom("error_handler");
    if (!strcmp(k, "priority"))
        return erl_atom("normal");
    if (!strcmp(k, "group_leader"))
        return pid_make(0);
    if (!strcmp(k, "total_heap_size"))
        return erl_mk_int((int64_t)p->heap.words);
    if (!strcmp(k, "heap_size"))
        return erl_mk_int((int64_t)p->heap.used);
    if (!strcmp(k, "stack_size"))
        return erl_mk_int((int64_t)stack_words(p));
    if (!strcmp(k, "reductions"))
        return int_from_u64(h, p->reductions);
    if (!strcmp(k, "garbage_collection"))
        return garbage_collection(h);
    if (!strcmp(k, "garbage_collection_info"))
        return garbage_collection_info(h, p);
    if (!strcmp(k, "suspending") || !strcmp(k, "binary") || !strcmp(k, "sequential_trace_token"))
        return ERL_NIL;
    if (!strcmp(k, "memory"))
        return erl_mk_int((int64_t)proc_bytes(p, false));
    if (!strcmp(k, "min_heap_size") || !strcmp(k, "min_bin_vheap_size") || !strcmp(k, "fullsweep_after") ||
        !strcmp(k, "trace"))
        return erl_mk_int(0);
    if (!strcmp(k, "max_heap_size"))
        return max_heap_size(h);
    if (!strcmp(k, "message_queue_data"))
        return erl_atom("on_heap");
    if (!strcmp(k, "parent"))
        return p->parent;
    if (!strcmp(k, "last_calls"))
        return AM_false;
    if (!strcmp(k, "catchlevel"))
        return erl_mk_int((int64_t)catch_level(p));
    return ERL_NONE;
}

static const char *const INFO_NOTE = "argument 2: invalid item or item list";

/* Whether 'items' is a proper list of items erl 25 knows. */
static bool valid_items(Term items)
{
    static const char *const known[] = {
        "registered_name", "current_function", "current_location", "current_stacktrace", "initial_call",
        "status", "message_queue_len", "messages", "links", "monitors", "monitored_by", "dictionary",
        "trap_exit", "error_handler", "priority", "group_leader", "total_heap_size", "heap_size",
        "stack_size", "reductions", "garbage_collection", "garbage_collection_info", "suspending", "binary",
        "sequential_trace_token", "memory", "min_heap_size", "min_bin_vheap_size", "fullsweep_after",
        "trace", "max_heap_size", "message_queue_data", "parent", "last_calls", "catchlevel",
    };
    for (Term l = items; erl_is_cons(l); l = erl_tl(l)) {
        Term k = erl_hd(l);
        bool ok = false;
        for (size_t i = 0; erl_is_atom(k) && !ok && i < sizeof known / sizeof *known; i++)
            ok = k == erl_atom(known[i]);
        if (!ok)
            return false;
    }
    return term_list_length(items) >= 0;
}

static Term bif_process_info2(Term pid, Term item)
{
    if (!erl_is_pid(pid))
        BADARG("process_info", "argument 1: not a pid", pid, item);
    bool single = erl_is_atom(item);
    if (!valid_items(single ? erl_list(item) : item))
        BADARG("process_info", INFO_NOTE, pid, item);
    Proc *p = proc_find(pid);
    if (!p)
        return AM_undefined;
    Heap *h = heap_current();
    if (single) {
        Term v = info_item(h, p, item);
        if (item == erl_atom("registered_name") && v == ERL_NIL)
            return ERL_NIL;
        return pair(h, item, v);
    }
    ListBuilder lb;
    lb_init(&lb);
    for (Term l = item; erl_is_cons(l); l = erl_tl(l))
        lb_add(h, &lb, pair(h, erl_hd(l), info_item(h, p, erl_hd(l))));
    return lb.list;
}

/* process_info(Pid): erl's items, in erl's order; registered_name first,
** only when the process has a name. */
Term bif_process_info_value(Term pid, const char *key)
{
    Term r = export_apply(AM_erlang, erl_atom("process_info"), 2, (Term[]){pid, erl_atom(key)});
    return erl_is_tuple(r) ? erl_element(r, 2) : ERL_NONE;
}

static Term bif_process_info1(Term pid)
{
    static const char *const keys[] = {"registered_name", "current_function", "initial_call", "status",
                                       "message_queue_len", "links", "dictionary", "trap_exit",
                                       "error_handler", "priority", "group_leader", "total_heap_size",
                                       "heap_size", "stack_size", "reductions", "garbage_collection",
                                       "suspending"};
    if (!erl_is_pid(pid))
        BADARG("process_info", "argument 1: not a pid", pid);
    Proc *p = proc_find(pid);
    if (!p)
        return AM_undefined;
    Heap *h = heap_current();
    ListBuilder lb;
    lb_init(&lb);
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        Term key = erl_atom(keys[i]);
        Term v = info_item(h, p, key);
        if (i == 0 && v == ERL_NIL)
            continue;
        lb_add(h, &lb, pair(h, key, v));
    }
    return lb.list;
}

/* ======================================================== system_info */

static long cpus(int name)
{
    long n = sysconf(name);
    return n > 0 ? n : 1;
}

/* The value of system_info(Item), or ERL_NONE for an item cerl does not
** know. cerl runs one scheduler, has no ports, no ets and no dirty
** schedulers. */
static Term system_info(Heap *h, Term item)
{
    if (erl_is_tuple(item) && erl_tuple_size(item) == 2 && erl_element(item, 1) == erl_atom("wordsize") &&
        (erl_element(item, 2) == erl_atom("internal") || erl_element(item, 2) == erl_atom("external")))
        return erl_mk_int(8);
    if (!erl_is_atom(item))
        return ERL_NONE;
    const char *k = erl_atom_name(item);
    static const struct {
        const char *name;
        const char *text;
    } texts[] = {
        {"otp_release", "25"},
        {"version", BIF_VERSION},
        {"machine", "CERL"},
        {"system_version", "cerl " BIF_VERSION " (erl 25 shell) [source] [64-bit] [smp:1:1] [ds:0:0:0] "
                           "[async-threads:0] [libtcc]\n"},
        {"driver_version", "3.3"},
        {"nif_version", "2.16"},
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        if (!strcmp(k, texts[i].name))
            return term_string(h, texts[i].text, strlen(texts[i].text));
    static const struct {
        const char *name;
        long value;
    } numbers[] = {
        {"schedulers", 1}, {"schedulers_online", 1}, {"dirty_cpu_schedulers", 0},
        {"dirty_cpu_schedulers_online", 0}, {"dirty_io_schedulers", 0}, {"wordsize", 8},
        {"port_count", 0}, {"port_limit", 65536}, {"ets_count", 0}, {"ets_limit", 8192},
        {"thread_pool_size", 0}, {"compat_rel", 25}, {"creation", 0},
    };
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
        if (!strcmp(k, numbers[i].name))
            return erl_mk_int(numbers[i].value);
    static const struct {
        const char *name;
        const char *atom;
    } atoms[] = {
        {"smp_support", "true"}, {"threads", "true"}, {"build_type", "opt"}, {"kernel_poll", "false"},
        {"heap_type", "private"}, {"emu_type", "opt"}, {"emu_flavor", "emu"}, {"debug_compiled", "false"},
        {"dist", "undefined"},
    };
    for (size_t i = 0; i < sizeof atoms / sizeof *atoms; i++)
        if (!strcmp(k, atoms[i].name))
            return erl_atom(atoms[i].atom);
    if (!strcmp(k, "process_count"))
        return erl_mk_int((int64_t)proc_count());
    if (!strcmp(k, "process_limit"))
        return erl_mk_int((int64_t)proc_limit());
    if (!strcmp(k, "atom_count"))
        return erl_mk_int((int64_t)atom_count());
    if (!strcmp(k, "logical_processors"))
        return erl_mk_int(cpus(_SC_NPROCESSORS_CONF));
    if (!strcmp(k, "logical_processors_available") || !strcmp(k, "logical_processors_online"))
        return erl_mk_int(cpus(_SC_NPROCESSORS_ONLN));
    return ERL_NONE;
}

static Term bif_system_info(Term item)
{
    Term v = system_info(heap_current(), item);
    if (v == ERL_NONE)
        BADARG("erlang:system_info", "argument 1: invalid system info item", item);
    return v;
}

/* ============================================================= memory */

void bif_memory_figures(BifMemory *m)
{
    memset(m, 0, sizeof *m);
    size_t heaps = 0;
    for (Proc *p = proc_first(); p; p = proc_next(p)) {
        m->processes += proc_bytes(p, false);
        m->processes_used += proc_bytes(p, true);
        heaps += p->heap.words * sizeof(Term);
    }
    atom_memory(&m->atom, &m->atom_used);
    size_t n;
    Module **mods = code_loaded(&n);
    for (size_t i = 0; i < n; i++)
        m->code += (mods[i]->cur ? mods[i]->cur->img.size : 0) + (mods[i]->old ? mods[i]->old->img.size : 0);
    free(mods);
    /* the runtime's own: everything malloc holds but the process heaps
    ** (which it also holds), plus the code, which is mapped apart */
    struct mallinfo2 mi = mallinfo2();
    size_t held = mi.uordblks + mi.hblkhd;
    m->system = (held > heaps ? held - heaps : 0) + m->code;
    if (m->system < m->atom + m->code)
        m->system = m->atom + m->code; /* an allocator that keeps no figures */
    m->total = m->processes + m->system;
}

static const char *const MEMORY_TYPES[] = {"total", "processes", "processes_used", "system", "atom",
                                           "atom_used", "binary", "code", "ets"};

/* The figure of one memory type (an index into MEMORY_TYPES). cerl keeps
** every binary on a process heap and has no ets: both are 0. */
static size_t memory_figure(const BifMemory *m, size_t i)
{
    const size_t v[] = {m->total, m->processes, m->processes_used, m->system, m->atom, m->atom_used, 0, m->code, 0};
    return v[i];
}

static long memory_type(Term t)
{
    for (size_t i = 0; erl_is_atom(t) && i < sizeof MEMORY_TYPES / sizeof *MEMORY_TYPES; i++)
        if (t == erl_atom(MEMORY_TYPES[i]))
            return (long)i;
    return -1;
}

static Term bif_memory0(void)
{
    Heap *h = heap_current();
    BifMemory m;
    bif_memory_figures(&m);
    ListBuilder lb;
    lb_init(&lb);
    for (size_t i = 0; i < sizeof MEMORY_TYPES / sizeof *MEMORY_TYPES; i++)
        lb_add(h, &lb, pair_int(h, MEMORY_TYPES[i], (int64_t)memory_figure(&m, i)));
    return lb.list;
}

static Term bif_memory1(Term what)
{
    Heap *h = heap_current();
    BifMemory m;
    bif_memory_figures(&m);
    if (erl_is_atom(what)) {
        long i = memory_type(what);
        if (i < 0)
            BADARG("erlang:memory", "argument 1: invalid memory type option", what);
        return int_from_u64(h, memory_figure(&m, (size_t)i));
    }
    for (Term l = what; erl_is_cons(l); l = erl_tl(l))
        if (memory_type(erl_hd(l)) < 0)
            BADARG("erlang:memory", "argument 1: invalid option in list", what);
    if (term_list_length(what) < 0)
        BADARG("erlang:memory", "argument 1: invalid memory type option", what);
    ListBuilder lb;
    lb_init(&lb);
    for (Term l = what; erl_is_cons(l); l = erl_tl(l))
        lb_add(h, &lb, pair(h, erl_hd(l), int_from_u64(h, memory_figure(&m, (size_t)memory_type(erl_hd(l))))));
    return lb.list;
}

/* ========================================================= statistics */

/* What statistics/1 reported last, for its "since the last call" figures:
** system-wide, as erl's are. */
static struct {
    int64_t runtime_ms, wall_ms;
    uint64_t reductions;
} last;

static int64_t runtime_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

static uint64_t total_reductions(void)
{
    uint64_t n = proc_retired_reductions();
    for (Proc *p = proc_first(); p; p = proc_next(p))
        n += p->reductions;
    return n;
}

/* {Total, SinceLastCall} as erl's runtime, wall_clock and reductions. */
static Term since_last(Heap *h, int64_t now, int64_t *prev)
{
    Term t = term_tuple(h, 2, (Term[]){int_from_i64(h, now), int_from_i64(h, now - *prev)});
    *prev = now;
    return t;
}

static Term bif_statistics(Term item)
{
    Heap *h = heap_current();
    const char *k = erl_is_atom(item) ? erl_atom_name(item) : "";
    if (!strcmp(k, "runtime"))
        return since_last(h, runtime_ms(), &last.runtime_ms);
    if (!strcmp(k, "wall_clock"))
        return since_last(h, bif_uptime_ns() / 1000000, &last.wall_ms);
    if (!strcmp(k, "reductions") || !strcmp(k, "exact_reductions")) {
        int64_t prev = (int64_t)last.reductions;
        Term t = since_last(h, (int64_t)total_reductions(), &prev);
        last.reductions = (uint64_t)prev;
        return t;
    }
    if (!strcmp(k, "run_queue") || !strcmp(k, "total_run_queue_lengths") ||
        !strcmp(k, "total_run_queue_lengths_all"))
        return erl_mk_int((int64_t)sched_run_queue_len());
    if (!strcmp(k, "run_queue_lengths") || !strcmp(k, "run_queue_lengths_all"))
        return erl_list(erl_mk_int((int64_t)sched_run_queue_len()));
    if (!strcmp(k, "total_active_tasks") || !strcmp(k, "total_active_tasks_all")) /* the caller runs */
        return erl_mk_int((int64_t)sched_run_queue_len() + 1);
    if (!strcmp(k, "active_tasks") || !strcmp(k, "active_tasks_all"))
        return erl_list(erl_mk_int((int64_t)sched_run_queue_len() + 1));
    if (!strcmp(k, "context_switches"))
        return term_tuple(h, 2, (Term[]){int_from_u64(h, sched_context_switches()), erl_mk_int(0)});
    if (!strcmp(k, "garbage_collection")) {
        GcTotals g = gc_totals();
        return term_tuple(h, 3, (Term[]){int_from_u64(h, g.collections), int_from_u64(h, g.words_reclaimed),
                                         erl_mk_int(0)});
    }
    if (!strcmp(k, "io")) /* cerl keeps no count of port bytes */
        return erl_tuple(pair_int(h, "input", 0), pair_int(h, "output", 0));
    if (!strcmp(k, "scheduler_wall_time") || !strcmp(k, "scheduler_wall_time_all"))
        return AM_undefined;
    BADARG("statistics", "argument 1: invalid statistics item", item);
}

/* ====================================================== registration */

void bif_info_init(void)
{
    export_builtin("erlang", "process_info", 1, (void *)bif_process_info1)->autoimport = true;
    export_builtin("erlang", "process_info", 2, (void *)bif_process_info2)->autoimport = true;
    export_builtin("erlang", "system_info", 1, (void *)bif_system_info);
    export_builtin("erlang", "memory", 0, (void *)bif_memory0);
    export_builtin("erlang", "memory", 1, (void *)bif_memory1);
    export_builtin("erlang", "statistics", 1, (void *)bif_statistics)->autoimport = true;
}
