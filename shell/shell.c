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
#include "../runtime/print.h"
#include "../runtime/proc.h"
#include "../runtime/node.h"
#include "../runtime/sched.h"
#include "../runtime/stack.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>


/* Invariant: 'eval' is the live evaluator process (NULL only between its
** death and its replacement); the values in 'b' live on its heap. */
static struct {
    int counter;    /* the number the next prompt shows */
    Bindings b;
    Records records; /* rd/2's definitions: they outlive any one evaluator */
    Proc *eval;
    bool reported;  /* the evaluator reported its own crash */
    bool quitting;  /* q(), halt() or end of input: no replacement */
    bool interrupted; /* killed by Ctrl-G i or the BREAK menu: exit class */
    bool faulted;   /* died of an error it did not report (a fault in a module) */
    bool busy;      /* a command is being evaluated */
    bool capturing; /* while a command's value waits: output is held back */
    Buf captured;
    Binding *before; /* while busy: the bindings as the command found them (owned) */
    size_t nbefore;
    Stack reserve;  /* address space held back for the next evaluator (or none) */
} sh = {.counter = 1};

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

/* All shell and process output passes here. */
static void emit(const char *s, size_t n)
{
    if (sh.capturing)
        buf_put(&sh.captured, s, n);
    else
        reader_print(s, n);
}

/* What processes printed while the value waited, after the value. */
static void release_captured(void)
{
    sh.capturing = false;
    if (sh.captured.len)
        reader_print(sh.captured.s, sh.captured.len);
    buf_free(&sh.captured);
}

Bindings *shell_bindings(void)
{
    return &sh.b;
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
    return sh.counter;
}

void shell_interrupt(void)
{
    if (!sh.eval || sh.eval->state == PS_EXITING)
        return;
    sh.interrupted = true;
    proc_signal_exit(sh.eval, sh.eval->pid, AM_kill);
}

bool shell_kill_stuck_evaluator(void)
{
    if (sh.quitting || !sh.eval || sh.eval->state != PS_WAITING || !sh.busy)
        return false;
    static const char msg[] = "*** end of input, and nothing can wake the evaluator: killing it\n";
    reader_print(msg, sizeof msg - 1);
    shell_interrupt();
    return true;
}

void shell_note_kill(const Proc *p)
{
    if (p && p == sh.eval)
        sh.interrupted = true;
}

bool shell_is_evaluator(const Proc *p)
{
    return p && p == sh.eval;
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
static void save_bindings(void)
{
    free(sh.before);
    sh.nbefore = sh.b.n;
    sh.before = xmalloc((sh.nbefore ? sh.nbefore : 1) * sizeof *sh.before);
    if (sh.nbefore)
        memcpy(sh.before, sh.b.v, sh.nbefore * sizeof *sh.before);
}

static void forget_saved_bindings(void)
{
    free(sh.before);
    sh.before = NULL;
}

static void restore_saved_bindings(void)
{
    if (!sh.before)
        return;
    bindings_clear(&sh.b);
    for (size_t i = 0; i < sh.nbefore; i++)
        bindings_set(&sh.b, sh.before[i].name, sh.before[i].value);
    forget_saved_bindings();
}

/* Evaluates one command's text and prints what erl prints for it. May end
** the evaluator (after an exception), in which case it does not return. */
static void run_command(const char *text, size_t len)
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
    if (!cmdhist_text(&hist, ast, sh.counter, &msg)) {
        shell_printf("%s\n", msg);
        free(msg);
        buf_free(&hist);
        arena_free(&arena);
        return;
    }
    int number = sh.counter;
    cmdhist_add(number, buf_str(&hist));
    buf_free(&hist);
    Buf out = {0};
    ErlCatch c;
    ErlException e;
    volatile bool signalled = false; /* the exit raised below, not the command */
    sh.busy = true;
    save_bindings();
    if (exc_try(&c) == 0) {
        Term v = eval_shell_command(ast, &sh.b, &sh.records);
        /* erl's evaluator hands its value to the shell in a message, so the
        ** processes the command woke run first: one linked to the shell
        ** that dies now (Pid ! stop) ends the evaluator before the value is
        ** printed. What they print waits for the value. */
        sh.capturing = true;
        sh.eval->defer_exit = true;
        sched_wait_idle();
        sh.eval->defer_exit = false;
        if (sh.eval->pending_exit != ERL_NONE) { /* a linked process died meanwhile */
            Term r = signal_reason(sh.eval->pending_exit);
            sh.eval->pending_exit = ERL_NONE;
            signalled = true;
            exc_raise(AM_exit, r, ERL_NONE);
        }
        exc_end(&c);
        arena_free(&arena);
        cmdhist_set_value(number, v);
        print_shell_result(&out, v);
        sh.capturing = false;
        buf_putc(&out, '\n');
        shell_print(buf_str(&out));
        buf_free(&out);
        release_captured();
        sh.counter++;
        sh.busy = false;
        forget_saved_bindings();
        return;
    }
    exc_caught(&c, &e);
    sh.busy = false;
    /* eval_command put them back when it raised; a linked process that
    ** died after it returned takes its bindings away too */
    restore_saved_bindings();
    sh.eval->defer_exit = false;
    sh.capturing = false;
    arena_free(&arena);
    sh.counter++;
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
    release_captured();
    /* As in erl: the evaluator dies with the exception, and a new one (new
    ** pid, empty mailbox, no links or monitors) takes over the bindings. */
    sh.reported = true;
    Term reason = e.reason;
    if (e.cls == AM_error)
        reason = erl_tuple(e.reason, ERL_NIL);
    else if (e.cls == AM_throw)
        reason = erl_tuple(erl_tuple(erl_atom("nocatch"), e.reason), ERL_NIL);
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

static Term evaluator(void)
{
    char prompt[300];
    for (;;) {
        take_reserve();
        /* Between commands the only terms the shell holds are its
        ** bindings: collect here, never in the middle of a command. */
        if (sh.eval->heap.words >= sh.eval->heap.gc_threshold)
            gc_collect(sh.eval, (const Term *)sh.b.v, 2 * sh.b.n);
        if (node_this() != AM_nonode_nohost) /* distributed: erl's (Node)N> */
            snprintf(prompt, sizeof prompt, "(%s)%d> ", erl_atom_name(node_this()), sh.counter);
        else
            snprintf(prompt, sizeof prompt, "%d> ", sh.counter);
        size_t len;
        char *text = reader_get_command(prompt, &len);
        if (!text) {
            sh.quitting = true;
            return AM_normal;
        }
        run_command(text, len);
        free(text);
    }
}

static Proc *spawn_evaluator(void)
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
    bindings_copy_to(&sh.b, &p->heap);
    return p;
}

/* Every process exit passes here: replace a dead evaluator. */
static void evaluator_exited(Proc *p, Term reason)
{
    if (p != sh.eval)
        return;
    if (sh.quitting) {
        sh.eval = NULL;
        return;
    }
    if (sh.busy)
        restore_saved_bindings(); /* killed in the middle of a command */
    forget_saved_bindings();
    if (!sh.reported) {
        /* killed from outside (at the prompt), or a fault in a command */
        Buf out = {0};
        /* an exit signal (a kill, a purge, a linked process's death) is
        ** an exit; a fault in a module is an error */
        ErlException e = {.cls = sh.faulted && !sh.interrupted ? AM_error : AM_exit,
                          .reason = signal_reason(reason), .where = ERL_NONE};
        if (sh.busy) {
            if (e.cls == AM_exit)
                cmdhist_set_exit(sh.counter, e.reason);
            else
                cmdhist_set_exception(sh.counter, &e);
            sh.counter++;
        }
        report_exception(&out, &e);
        shell_print(buf_str(&out));
        buf_free(&out);
    }
    sh.reported = false;
    sh.interrupted = false;
    sh.faulted = false;
    sh.busy = false;
    sh.capturing = false;
    buf_free(&sh.captured);
    reader_abandon(p);
    sh.eval = spawn_evaluator();
}

/* A process died of an uncaught error: erl's error report. */
static void error_report(Proc *p, Term reason)
{
    if (p == sh.eval) {
        sh.faulted = true; /* the shell reports its own crash as an exception */
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
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    Buf b = {0};
    buf_printf(&b, "=WARNING REPORT==== %d-%s-%d::%02d:%02d:%02d.%06ld ===\n", tm.tm_mday, months[tm.tm_mon],
               tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
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

static void output(const char *s, size_t n)
{
    emit(s, n);
}

void shell_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    bif_output = output;
    interrupt_break_hook = break_menu;
    interrupt_runaway_hook = runaway_report;
    bindings_init(&sh.b);
    proc_exit_hook = evaluator_exited;
    proc_error_hook = error_report;
    bif_apply_fun = eval_apply_fun;
    print_record_fun = record_fields;
}

void shell_start(void)
{
    shell_init();
    sh.eval = spawn_evaluator();
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
    exc_raise(e.cls, e.reason, e.where);
}
