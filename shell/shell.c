/*
** shell.c
** The evaluator process: prompt, parse, evaluate, print; erl's reports for
** exceptions; a new evaluator (same bindings, new pid) after each crash.
*/
#include "shell.h"
#include "break.h"
#include "cmdhist.h"
#include "reader.h"
#include "records.h"
#include "report.h"
#include "../runtime/interrupt.h"
#include "../runtime/bif.h"
#include "../runtime/code.h"
#include "../runtime/gc.h"
#include "../runtime/logger.h"
#include "../runtime/print.h"
#include "../runtime/proc.h"
#include "../runtime/node.h"
#include "../runtime/sched.h"
#include "../runtime/stack.h"
#include "../runtime/stacktrace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* One shell job (erl's Ctrl-G jobs): an evaluator process with its own
** bindings, prompt numbering and history.
** Invariant: 'eval' is the job's live evaluator process (NULL only between
** its death and its replacement, or once the job is killed); the values in
** 'b' live on its heap. */
typedef struct Job {
    int id;         /* the number Ctrl-G's j shows */
    Term mod;       /* s [shell]: what it was started as ({Mod,start,[]}) */
    bool init;      /* the first job: {shell,start,[init]} */
    bool greeted;   /* its banner is out (a new job shows it when connected) */
    bool killed;    /* Ctrl-G k: no replacement when its evaluator dies */
    bool interrupt_due; /* Ctrl-G i: interrupt it when the menu closes */
    bool parked;    /* its evaluator waits in shell_wait_connected */
    int counter;    /* the number the next prompt shows */
    Bindings b;
    CmdHist *hist;  /* NULL: the first history (job 1's) */
    Proc *eval;
    bool reported;  /* the evaluator reported its own crash */
    bool interrupted; /* killed by Ctrl-G i or the BREAK menu: exit class */
    bool faulted;   /* died of an error it did not report (a fault in a module) */
    ErlException fault; /* that error, with the faulting frames when known */
    bool busy;      /* a command is being evaluated */
    bool capturing; /* while a command's value waits: output is held back */
    Buf captured;
    Binding *before; /* while busy: the bindings as the command found them (owned) */
    size_t nbefore;
    struct Job *next; /* in id order */
} Job;

/* Invariant: 'cur' is the job connected to the terminal (the only one
** whose evaluator may read commands), or NULL after Ctrl-G k killed it;
** it is on the 'jobs' list. */
static struct {
    Job *jobs;
    Job *cur;
    int last_id;
    bool quitting;  /* q(), halt() or end of input: no replacement */
    Stack reserve;  /* address space held back for the next evaluator (or none) */
    Records records; /* rd/2's definitions, shared by every job (erl keeps
                     ** them per shell job); they outlive any evaluator, and
                     ** funs made at the prompt point into them */
} sh;

/* The job whose evaluator p is, or NULL. */
static Job *job_of(const Proc *p)
{
    for (Job *j = sh.jobs; p && j; j = j->next)
        if (j->eval == p)
            return j;
    return NULL;
}

/* The job of the calling evaluator; from any other process, the connected
** job (or the first, when none is). */
static Job *self_job(void)
{
    Job *j = job_of(proc_current());
    return j ? j : sh.cur ? sh.cur : sh.jobs;
}

/* What the shell's commands see with no job at all (cerl -noshell -eval). */
static Job no_job = {.counter = 1};

/* An exit signal's reason as the shell shows it: erl drops the stack of
** {Reason, Stack} (a process that died of an error) and keeps Reason. */
static Term signal_reason(Term r)
{
    if (!erl_is_tuple(r) || erl_tuple_size(r) != 2)
        return r;
    Term stack = erl_element(r, 2);
    for (Term t = stack; t != ERL_NIL; t = erl_tl(t))
        if (!erl_is_cons(t) || !erl_is_tuple(erl_hd(t)) || erl_tuple_size(erl_hd(t)) != 4)
            return r;
    return erl_element(r, 1);
}

/* All shell and process output passes here: an evaluator's into its own
** job, any other process's into the connected job. */
static void emit(const char *s, size_t n)
{
    Job *j = self_job();
    if (j && j->capturing)
        buf_put(&j->captured, s, n);
    else
        reader_print(s, n);
}

/* What processes printed while the value waited, after the value. */
static void release_captured(Job *j)
{
    j->capturing = false;
    if (j->captured.len)
        reader_print(j->captured.s, j->captured.len);
    buf_free(&j->captured);
}

Bindings *shell_bindings(void)
{
    Job *j = self_job();
    return j ? &j->b : &no_job.b;
}

Records *shell_records(void)
{
    return &sh.records;
}

/* print_record_fun: the shell prints the records it knows. */
static const Term *record_fields(Term tag, size_t nfields)
{
    return records_print_fields(&sh.records, tag, nfields);
}

void shell_print(const char *s)
{
    emit(s, strlen(s));
}

void shell_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof small) {
        emit(small, (size_t)n);
        return;
    }
    char *big = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    emit(big, (size_t)n);
    free(big);
}

int shell_command_number(void)
{
    Job *j = self_job();
    return j ? j->counter : no_job.counter;
}

void shell_use_history(void)
{
    Job *j = self_job();
    cmdhist_use(j ? j->hist : NULL);
}

/* Kills j's evaluator as Ctrl-G i does: a new one takes the prompt. */
static void interrupt_job(Job *j)
{
    if (!j->eval || j->eval->state == PS_EXITING)
        return;
    j->interrupted = true;
    proc_signal_exit(j->eval, j->eval->pid, AM_kill);
}

void shell_interrupt(void)
{
    if (sh.cur)
        interrupt_job(sh.cur);
}

bool shell_kill_stuck_evaluator(void)
{
    Job *j = sh.cur;
    if (sh.quitting || !j || !j->eval || j->eval->state != PS_WAITING || !j->busy)
        return false;
    static const char msg[] = "*** end of input, and nothing can wake the evaluator: killing it\n";
    reader_print(msg, sizeof msg - 1);
    interrupt_job(j);
    return true;
}

void shell_note_kill(const Proc *p)
{
    Job *j = job_of(p);
    if (j)
        j->interrupted = true;
}

bool shell_is_evaluator(const Proc *p)
{
    return job_of(p) != NULL;
}

void shell_quit(void)
{
    sh.quitting = true;
    reader_stop();
}

/* The bindings before a command, for an evaluator killed in the middle of
** it: erl's next evaluator starts from them, without what the command
** bound. Their values stay valid: the evaluator's heap is not collected
** during a command, and outlives it until its replacement copies them. */
static void save_bindings(Job *j)
{
    free(j->before);
    j->nbefore = j->b.n;
    j->before = xmalloc((j->nbefore ? j->nbefore : 1) * sizeof *j->before);
    if (j->nbefore)
        memcpy(j->before, j->b.v, j->nbefore * sizeof *j->before);
}

static void forget_saved_bindings(Job *j)
{
    free(j->before);
    j->before = NULL;
}

static void restore_saved_bindings(Job *j)
{
    if (!j->before)
        return;
    bindings_clear(&j->b);
    for (size_t i = 0; i < j->nbefore; i++)
        bindings_set(&j->b, j->before[i].name, j->before[i].value);
    forget_saved_bindings(j);
}

/* Evaluates one command's text and prints what erl prints for it. May end
** the evaluator (after an exception), in which case it does not return.
** The history is chosen again after every point where other jobs may run. */
static void run_command(Job *j, const char *text, size_t len)
{
    Arena arena = {0};
    Ast *ast = NULL;
    char *msg = NULL;
    ParseStatus st = parser_parse(text, len, &arena, &ast, &msg);
    if (st != PARSE_OK) {
        if (msg)
            shell_printf("%s\n", msg);
        free(msg);
        arena_free(&arena);
        return; /* a syntax error does not use up a prompt number */
    }
    /* h(), v(N), e(N): the command as erl_pp prints it; a v(N) or e(N)
    ** naming no command stops it before it runs, without a number */
    Buf hist = {0};
    cmdhist_use(j->hist);
    if (!cmdhist_text(&hist, ast, j->counter, &msg)) {
        shell_printf("%s\n", msg);
        free(msg);
        buf_free(&hist);
        arena_free(&arena);
        return;
    }
    int number = j->counter;
    cmdhist_add(number, buf_str(&hist));
    buf_free(&hist);
    Buf out = {0};
    ErlCatch c;
    ErlException e;
    volatile bool signalled = false; /* the exit raised below, not the command */
    j->busy = true;
    save_bindings(j);
    if (exc_try(&c) == 0) {
        Term v = eval_shell_command(ast, &j->b, &sh.records);
        /* erl's evaluator hands its value to the shell in a message, so the
        ** processes the command woke run first: one linked to the shell
        ** that dies now (Pid ! stop) ends the evaluator before the value is
        ** printed. What they print waits for the value. */
        j->capturing = true;
        j->eval->defer_exit = true;
        sched_wait_idle();
        j->eval->defer_exit = false;
        if (j->eval->pending_exit != ERL_NONE) { /* a linked process died meanwhile */
            Term r = signal_reason(j->eval->pending_exit);
            j->eval->pending_exit = ERL_NONE;
            signalled = true;
            exc_raise(AM_exit, r, ERL_NONE);
        }
        exc_end(&c);
        arena_free(&arena);
        /* a job in the background shows its answer once connected, as erl's */
        j->capturing = false;
        shell_wait_connected();
        j->capturing = true;
        cmdhist_use(j->hist);
        cmdhist_set_value(number, v);
        print_shell_result(&out, v);
        j->capturing = false;
        buf_putc(&out, '\n');
        shell_print(buf_str(&out));
        buf_free(&out);
        release_captured(j);
        j->counter++;
        j->busy = false;
        forget_saved_bindings(j);
        return;
    }
    exc_caught(&c, &e);
    j->busy = false;
    /* eval_command put them back when it raised; a linked process that
    ** died after it returned takes its bindings away too */
    restore_saved_bindings(j);
    j->eval->defer_exit = false;
    j->capturing = false;
    arena_free(&arena);
    j->counter++;
    cmdhist_use(j->hist);
    if (eval_check_failure(&e, &out)) {
        cmdhist_set_check_failure(number, buf_str(&out));
        buf_putc(&out, '\n');
        shell_print(buf_str(&out));
        buf_free(&out);
        return;
    }
    if (signalled)
        cmdhist_set_exit(number, e.reason); /* erl keeps a signal's reason bare */
    else
        cmdhist_set_exception(number, &e);
    report_exception(&out, &e);
    shell_print(buf_str(&out));
    buf_free(&out);
    release_captured(j);
    /* As in erl: the evaluator dies with the exception, and a new one (new
    ** pid, empty mailbox, no links or monitors) takes over the bindings. */
    j->reported = true;
    Term reason = e.reason;
    if (e.cls == AM_error)
        reason = erl_tuple(e.reason, stacktrace_build(heap_current(), &e));
    else if (e.cls == AM_throw)
        reason = erl_tuple(erl_tuple(erl_atom("nocatch"), e.reason), stacktrace_build(heap_current(), &e));
    proc_exit_self(reason);
}

/* Holds back room for a new evaluator (its stack, and some for its heap and
** the report of the old one's death), so that a command that used up every
** process or all the memory can still be followed by the next prompt. */
enum { RESERVE_SIZE = STACK_SHELL_SIZE + 32 * 1024 * 1024 };

static void take_reserve(void)
{
    if (!sh.reserve.base && !stack_get(&sh.reserve, RESERVE_SIZE))
        sh.reserve = (Stack){0}; /* tried again before the next prompt */
}

bool shell_wait_connected(void)
{
    Job *j = job_of(proc_current());
    bool waited = false;
    while (j && j != sh.cur && !sh.quitting) {
        j->parked = true;
        sched_wait(); /* woken by Ctrl-G c (or a message: wait again) */
        j->parked = false;
        waited = true;
    }
    return waited;
}

static Term evaluator(void)
{
    char prompt[300];
    for (;;) {
        Job *j = job_of(proc_current());
        shell_wait_connected();
        if (!j->greeted) {
            /* a job Ctrl-G s started greets when first connected */
            j->greeted = true;
            shell_printf("cerl V%s  (abort with ^G)\n", CERL_VERSION);
        }
        take_reserve();
        /* Between commands the only terms the shell holds are its
        ** bindings: collect here, never in the middle of a command. */
        if (j->eval->heap.words >= j->eval->heap.gc_threshold)
            gc_collect(j->eval, (const Term *)j->b.v, 2 * j->b.n);
        if (node_this() != AM_nonode_nohost) /* distributed: erl's (Node)N> */
            snprintf(prompt, sizeof prompt, "(%s)%d> ", erl_atom_name(node_this()), j->counter);
        else
            snprintf(prompt, sizeof prompt, "%d> ", j->counter);
        size_t len;
        char *text = reader_get_command(prompt, &len);
        if (!text) {
            sh.quitting = true;
            return AM_normal;
        }
        run_command(j, text, len);
        free(text);
    }
}

static Proc *spawn_evaluator(Job *j)
{
    Proc *p = proc_spawn((void *)evaluator, 0, NULL, STACK_SHELL_SIZE);
    if (!p && sh.reserve.base) {
        stack_put(&sh.reserve); /* what it was kept for */
        p = proc_spawn((void *)evaluator, 0, NULL, STACK_SHELL_SIZE);
    }
    if (!p) {
        perror("cerl: cannot start the shell");
        exit(1);
    }
    p->gc_off = true; /* its bindings live in malloc'd memory */
    bindings_copy_to(&j->b, &p->heap);
    j->eval = p;
    return p;
}

/* Forgets a job whose evaluator is gone for good (Ctrl-G k). */
static void job_free(Job *j)
{
    for (Job **link = &sh.jobs; *link; link = &(*link)->next)
        if (*link == j) {
            *link = j->next;
            break;
        }
    if (sh.cur == j)
        sh.cur = NULL;
    forget_saved_bindings(j);
    bindings_destroy(&j->b);
    buf_free(&j->captured);
    cmdhist_delete(j->hist);
    free(j);
}

/* Every process exit passes here: replace a dead evaluator. */
static void evaluator_exited(Proc *p, Term reason)
{
    Job *j = job_of(p);
    if (!j)
        return;
    j->eval = NULL;
    if (sh.quitting || j->killed) {
        reader_abandon(p);
        if (j->killed)
            job_free(j);
        return;
    }
    if (j->busy)
        restore_saved_bindings(j); /* killed in the middle of a command */
    forget_saved_bindings(j);
    if (!j->reported) {
        /* killed from outside (at the prompt), or a fault in a command */
        Buf out = {0};
        /* an exit signal (a kill, a purge, a linked process's death) is
        ** an exit; a fault in a module is an error */
        ErlException e = {.cls = j->faulted && !j->interrupted ? AM_error : AM_exit,
                          .reason = signal_reason(reason), .where = ERL_NONE};
        if (e.cls == AM_error && j->fault.reason == reason) {
            e.npcs = j->fault.npcs;
            memcpy(e.pcs, j->fault.pcs, sizeof e.pcs);
        }
        if (j->busy) {
            cmdhist_use(j->hist);
            if (e.cls == AM_exit)
                cmdhist_set_exit(j->counter, e.reason);
            else
                cmdhist_set_exception(j->counter, &e);
            j->counter++;
        }
        report_exception(&out, &e);
        reader_print(buf_str(&out), out.len);
        buf_free(&out);
    }
    j->reported = false;
    j->interrupted = false;
    j->faulted = false;
    j->fault.reason = ERL_NONE;
    j->busy = false;
    j->capturing = false;
    buf_free(&j->captured);
    reader_abandon(p);
    Proc *np = spawn_evaluator(j);
    /* erl's new evaluator gets the old one's process dictionary */
    np->dict = term_copy(&np->heap, p->dict);
}

/* A process died of an uncaught error: erl's error report. */
static void error_report(Proc *p, Term reason)
{
    Job *j = job_of(p);
    if (j) {
        j->faulted = true; /* the shell reports its own crash as an exception */
        /* a fault leaves its frames in exc_last_ (fault.c) */
        j->fault = exc_last_.reason == reason ? exc_last_ : (ErlException){.reason = ERL_NONE};
        return;
    }
    Buf out = {0};
    report_error_report(&out, p->pid, reason);
    shell_print(buf_str(&out));
    buf_free(&out);
}

/* The watchdog's report (interrupt_runaway_hook), printed from the runaway
** process itself, stopped at a safe point. When input is not a terminal it
** then kills the process (an evaluator so killed reports
** "** exception exit: killed" and the next command runs). */
static void runaway_report(Proc *p, long ms, uintptr_t pc)
{
    Buf b = {0};
    logger_header(&b, "WARNING");
    buf_puts(&b, "process ");
    print_write(&b, p->pid);
    buf_printf(&b, " has run for %ld ms without yielding", ms);
    Term where = code_address_info(heap_current(), pc);
    if (where != ERL_NONE) {
        buf_puts(&b, " (in ");
        print_write(&b, where);
        buf_putc(&b, ')');
    }
    /* on a terminal the user decides; with piped input nobody can answer
    ** the BREAK menu, and the session would never go on */
    bool kill = !isatty(STDIN_FILENO);
    buf_puts(&b, kill ? "\n(no terminal to answer Ctrl-C: killed, as the BREAK menu's k would)\n\n"
                      : "\n(Ctrl-C, then k, kills it)\n\n");
    reader_print(b.s, b.len); /* now, even while a command's output is held */
    buf_free(&b);
    fflush(stdout); /* nothing else may flush it while p runs on */
    if (kill) {
        shell_note_kill(p);
        proc_exit_self(AM_killed); /* from its safe point, as exit(P, kill) */
    }
}

/* What processes print (bif_output). While a command's value waits for the
** processes it woke, what they print comes out now, before the value, as
** erl's io requests reach the terminal before the shell's answer; only
** error reports (logger's, asynchronous in erl) wait for the value. */
static void output(const char *s, size_t n)
{
    Job *j = self_job();
    if (j && j->capturing && !shell_is_evaluator(proc_current()))
        reader_print(s, n);
    else
        emit(s, n);
}

void shell_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    bif_output = output;
    bif_report = emit;
    interrupt_break_hook = break_menu;
    interrupt_runaway_hook = runaway_report;
    proc_exit_hook = evaluator_exited;
    proc_error_hook = error_report;
    bif_apply_fun = eval_apply_fun;
    print_record_fun = record_fields;
    bindings_init(&no_job.b);
}

/* A new job, last on the list, with a fresh evaluator. */
static Job *job_new(Term mod, bool init)
{
    Job *j = xcalloc(1, sizeof *j);
    j->id = ++sh.last_id;
    j->mod = mod;
    j->init = init;
    j->greeted = init; /* main() prints the first banner */
    j->counter = 1;
    j->hist = init ? NULL : cmdhist_new();
    bindings_init(&j->b);
    Job **link = &sh.jobs;
    while (*link)
        link = &(*link)->next;
    *link = j;
    if (mod == AM_shell)
        spawn_evaluator(j);
    return j;
}

void shell_start(void)
{
    shell_init();
    sh.cur = job_new(AM_shell, true);
}

/* ========================================================== shell jobs */

static Job *job_find(int id)
{
    for (Job *j = sh.jobs; j; j = j->next)
        if (j->id == id)
            return j;
    return NULL;
}

void shell_jobs_list(Buf *b)
{
    for (Job *j = sh.jobs; j; j = j->next) {
        buf_printf(b, "%4d%c {", j->id, j == sh.cur ? '*' : ' ');
        print_atom(b, j->mod);
        buf_puts(b, j->init ? ",start,[init]}\n" : ",start,[]}\n");
    }
}

int shell_job_start(const char *mod)
{
    Job *j = job_new(mod && *mod ? erl_atom(mod) : AM_shell, false);
    if (sh.cur && sh.cur->eval)
        reader_abandon(sh.cur->eval); /* it waits in shell_wait_connected */
    sh.cur = j;
    return j->id;
}

int shell_job_connect(int id)
{
    Job *j = id ? job_find(id) : sh.cur;
    if (!j)
        return -1;
    if (!j->eval) {
        /* started as something other than the shell: there is nothing to run */
        job_free(j);
        return 1;
    }
    if (sh.cur && sh.cur != j && sh.cur->eval)
        reader_abandon(sh.cur->eval); /* it waits in shell_wait_connected */
    sh.cur = j;
    /* idle at its prompt, in reader_get_command or shell_wait_connected:
    ** both wait again if woken for nothing */
    if ((j->parked || !j->busy) && j->eval->state == PS_WAITING)
        sched_make_runnable(j->eval);
    return 0;
}

int shell_job_interrupt(int id)
{
    Job *j = id ? job_find(id) : sh.cur;
    if (!j)
        return -1;
    j->interrupt_due = true; /* once the menu is closed, as erl shows it */
    if (j->eval)
        reader_abandon(j->eval); /* its prompt is not drawn again before */
    return 0;
}

void shell_jobs_resume(void)
{
    for (Job *j = sh.jobs; j; j = j->next)
        if (j->interrupt_due) {
            j->interrupt_due = false;
            interrupt_job(j);
        }
}

int shell_job_kill(int id)
{
    Job *j = id ? job_find(id) : sh.cur;
    if (!j)
        return -1;
    if (sh.cur == j)
        sh.cur = NULL;
    if (!j->eval || j->eval->state == PS_EXITING) {
        if (!j->eval)
            job_free(j);
        else
            j->killed = true;
        return 0;
    }
    j->killed = true;
    reader_abandon(j->eval);
    proc_signal_exit(j->eval, j->eval->pid, AM_kill);
    return 0;
}

/* =============================================================== -eval */

Term shell_eval_string(const char *text)
{
    Buf src = {0};
    size_t end;
    buf_puts(&src, text);
    if (!lexer_complete_command(src.s, src.len, &end))
        buf_puts(&src, ".\n"); /* erl's -eval needs no dot */
    Arena arena = {0};
    Ast *ast = NULL;
    char *msg = NULL;
    ParseStatus st = parser_parse(src.s, src.len, &arena, &ast, &msg);
    buf_free(&src);
    if (st != PARSE_OK) {
        arena_free(&arena);
        if (st == PARSE_EMPTY)
            return AM_ok;
        Heap *h = heap_current();
        Term m = term_string(h, msg, strlen(msg));
        free(msg);
        Term err = term_tuple(h, 3, (Term[]){erl_mk_int(1), erl_atom("erl_parse"), m});
        exc_raise(AM_error, term_tuple(h, 2, (Term[]){AM_badmatch, term_tuple(h, 2, (Term[]){AM_error, err})}),
                  ERL_NONE);
    }
    Bindings b;
    bindings_init(&b);
    ErlCatch c;
    ErlException e;
    if (exc_try(&c) == 0) {
        Term v = eval_command(ast, &b);
        exc_end(&c);
        arena_free(&arena);
        bindings_destroy(&b);
        return v;
    }
    exc_caught(&c, &e);
    arena_free(&arena);
    bindings_destroy(&b);
    exc_reraise(&e);
}
