/*
** shell.c
** The evaluator process: prompt, parse, evaluate, print; erl's reports for
** exceptions; a new evaluator (same bindings, new pid) after each crash.
*/
#include "shell.h"
#include "reader.h"
#include "report.h"
#include "../runtime/bif.h"
#include "../runtime/gc.h"
#include "../runtime/print.h"
#include "../runtime/proc.h"
#include "../runtime/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Invariant: 'eval' is the live evaluator process (NULL only between its
** death and its replacement); the values in 'b' live on its heap. */
static struct {
    int counter;    /* the number the next prompt shows */
    Bindings b;
    Proc *eval;
    bool reported;  /* the evaluator reported its own crash */
    bool quitting;  /* q(), halt() or end of input: no replacement */
} sh = {.counter = 1};

Bindings *shell_bindings(void)
{
    return &sh.b;
}

void shell_print(const char *s)
{
    fputs(s, stdout);
}

void shell_quit(void)
{
    sh.quitting = true;
    reader_stop();
}

/* Evaluates one command's text and prints what erl prints for it. May end
** the evaluator (after an exception), in which case it does not return. */
static void run_command(const char *text)
{
    Arena arena = {0};
    Ast *ast = NULL;
    char *msg = NULL;
    ParseStatus st = parser_parse(text, strlen(text), &arena, &ast, &msg);
    if (st != PARSE_OK) {
        if (msg)
            printf("%s\n", msg);
        free(msg);
        arena_free(&arena);
        return; /* a syntax error does not use up a prompt number */
    }
    Buf out = {0};
    ErlCatch c;
    ErlException e;
    if (exc_try(&c) == 0) {
        Term v = eval_command(ast, &sh.b);
        proc_check_signals(); /* killed meanwhile (a linked process died) */
        exc_end(&c);
        arena_free(&arena);
        print_shell_result(&out, v);
        buf_putc(&out, '\n');
        shell_print(buf_str(&out));
        buf_free(&out);
        sh.counter++;
        return;
    }
    exc_caught(&c, &e);
    arena_free(&arena);
    sh.counter++;
    if (eval_check_failure(&e, &out)) {
        buf_putc(&out, '\n');
        shell_print(buf_str(&out));
        buf_free(&out);
        return;
    }
    report_exception(&out, &e);
    shell_print(buf_str(&out));
    buf_free(&out);
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

static Term evaluator(void)
{
    char prompt[32];
    for (;;) {
        /* Between commands the only terms the shell holds are its
        ** bindings: collect here, never in the middle of a command. */
        if (sh.eval->heap.words >= sh.eval->heap.gc_threshold)
            gc_collect(sh.eval, (const Term *)sh.b.v, 2 * sh.b.n);
        snprintf(prompt, sizeof prompt, "%d> ", sh.counter);
        char *text = reader_get_command(prompt);
        if (!text) {
            sh.quitting = true;
            return AM_normal;
        }
        run_command(text);
        free(text);
    }
}

static Proc *spawn_evaluator(void)
{
    Proc *p = proc_spawn((void *)evaluator, 0, NULL, STACK_SHELL_SIZE);
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
    if (p != sh.eval || sh.quitting)
        return;
    if (!sh.reported) {
        /* killed from outside while waiting at the prompt */
        Buf out = {0};
        ErlException e = {.cls = AM_error, .reason = reason, .where = ERL_NONE};
        report_exception(&out, &e);
        shell_print(buf_str(&out));
        buf_free(&out);
    }
    sh.reported = false;
    reader_abandon(p);
    sh.eval = spawn_evaluator();
}

/* A process died of an uncaught error: erl's error report. */
static void error_report(Proc *p, Term reason)
{
    Buf out = {0};
    report_error_report(&out, p->pid, reason);
    shell_print(buf_str(&out));
    buf_free(&out);
}

void shell_start(void)
{
    bindings_init(&sh.b);
    proc_exit_hook = evaluator_exited;
    proc_error_hook = error_report;
    bif_apply_fun = eval_apply_fun;
    sh.eval = spawn_evaluator();
}
