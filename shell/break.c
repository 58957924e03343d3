/*
** break.c
** erl's keys: the BREAK menu of Ctrl-C (reached even while a process runs
** without ever yielding, see runtime/interrupt.h) and the User switch
** menu of Ctrl-G.
*/
#include "break.h"
#include "reader.h"
#include "shell.h"
#include "../runtime/bif.h"
#include "../runtime/buf.h"
#include "../runtime/code.h"
#include "../runtime/interrupt.h"
#include "../runtime/print.h"
#include "../runtime/sched.h"
#include "../runtime/stacktrace.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out(Buf *b)
{
    fputs(buf_str(b), stdout);
    fflush(stdout);
    buf_free(b);
}

/* ======================================================= process info */

static void put_mfa(Buf *b, Term mfa)
{
    if (!erl_is_tuple(mfa) || erl_tuple_size(mfa) != 3) {
        buf_puts(b, "undefined");
        return;
    }
    print_atom(b, erl_element(mfa, 1));
    buf_putc(b, ':');
    print_atom(b, erl_element(mfa, 2));
    buf_printf(b, "/%lld", (long long)erl_int_value(erl_element(mfa, 3)));
}

static const char *state_name(Proc *p)
{
    switch (p->state) {
    case PS_RUNNING: return "Running";
    case PS_RUNNABLE: return "Scheduled";
    case PS_WAITING: return "Waiting";
    default: return "Exiting";
    }
}

/* erl's "Stack dump:" as far as C frames tell it: the code address the
** process is at and the return addresses of its module frames, each with
** the function it lies in ("t:loop/0 + 52"). */
static void put_stack_dump(Buf *b, Proc *p)
{
    enum { MAX_FRAMES = 64 };
    uintptr_t pcs[MAX_FRAMES];
    int n = proc_return_addresses(p, pcs, MAX_FRAMES);
    buf_puts(b, "Stack dump:\n");
    bool first = true;
    for (int i = 0; i < n; i++) {
        uintptr_t start;
        Term frame = stacktrace_frame_at(heap_current(), pcs[i], &start);
        if (frame == ERL_NONE)
            continue; /* the runtime's and libc's frames */
        buf_printf(b, first ? "Program counter: 0x%016llx (" : "Return addr 0x%016llx (", (unsigned long long)pcs[i]);
        print_atom(b, erl_element(frame, 1));
        buf_putc(b, ':');
        print_atom(b, erl_element(frame, 2));
        buf_printf(b, "/%lld + %llu)\n", (long long)erl_int_value(erl_element(frame, 3)),
                   (unsigned long long)(pcs[i] - start));
        if (first)
            buf_putc(b, '\n');
        first = false;
    }
    if (first)
        buf_puts(b, "Program counter: (none: not started, or in the runtime only)\n");
}

void break_proc_info(Buf *b, Proc *p)
{
    buf_puts(b, "=proc:");
    print_write(b, p->pid);
    buf_printf(b, "\nState: %s\n", state_name(p));
    if (p->name != ERL_NONE) {
        buf_puts(b, "Name: ");
        print_atom(b, p->name);
        buf_putc(b, '\n');
    }
    buf_puts(b, "Spawned as: ");
    put_mfa(b, bif_process_info_value(p->pid, "initial_call"));
    if (erl_is_pid(p->parent)) {
        buf_puts(b, "\nSpawned by: ");
        print_write(b, p->parent);
    }
    buf_printf(b, "\nMessage queue length: %zu\nLink list: [", p->mbox.len);
    for (uint32_t i = 0; i < p->nlinks; i++) {
        buf_puts(b, i ? ", " : "");
        print_write(b, p->links[i]);
    }
    buf_printf(b, "]\nReductions: %llu\nStack+heap: %zu\n", (unsigned long long)p->reductions,
               p->heap.words + (size_t)erl_int_value(bif_process_info_value(p->pid, "stack_size")));
    Term memory = bif_process_info_value(p->pid, "memory");
    if (erl_is_int(memory))
        buf_printf(b, "Memory: %lld\n", (long long)erl_int_value(memory));
    buf_puts(b, "Current function: ");
    put_mfa(b, bif_process_info_value(p->pid, "current_function"));
    buf_putc(b, '\n');
    put_stack_dump(b, p);
}

/* ===================================================== BREAK choices */

static const char menu_text[] = "BREAK: (a)bort (A)bort with dump (c)ontinue (p)roc info (i)nfo\n"
                                "       (l)oaded (v)ersion (k)ill (D)b-tables (d)istribution\n";

/* Pids of every live process, newest first (the order erl's k asks in);
** a malloc'd array of *n pids. */
static Term *pids_newest_first(size_t *n)
{
    Term *v = xmalloc((proc_count() + 1) * sizeof *v);
    *n = 0;
    for (Proc *p = proc_first(); p; p = proc_next(p))
        v[(*n)++] = p->pid;
    for (size_t i = 0; i < *n / 2; i++) {
        Term t = v[i];
        v[i] = v[*n - 1 - i];
        v[*n - 1 - i] = t;
    }
    return v;
}

static void all_proc_info(void)
{
    size_t n;
    Term *pids = pids_newest_first(&n);
    Buf b = {0};
    for (size_t i = 0; i < n; i++) {
        Proc *p = proc_find(pids[i]);
        if (p)
            break_proc_info(&b, p);
    }
    free(pids);
    out(&b);
}

static void system_info(void)
{
    size_t words = 0, used = 0, code = 0, n;
    for (Proc *p = proc_first(); p; p = proc_next(p)) {
        words += p->heap.words;
        used += p->heap.used;
    }
    Module **mods = code_loaded(&n);
    for (size_t i = 0; i < n; i++)
        code += mods[i]->cur->img.size + (mods[i]->old ? mods[i]->old->img.size : 0);
    free(mods);
    Buf b = {0};
    buf_printf(&b, "=memory\ntotal: %zu\nprocesses: %zu\nprocesses_used: %zu\ncode: %zu\n",
               heap_total_bytes() + code, words * sizeof(Term), used * sizeof(Term), code);
    buf_printf(&b, "=index_table:atom_tab\nentries: %zu\n", atom_count());
    buf_printf(&b, "=processes\ncount: %zu\n", proc_count());
    out(&b);
}

static void loaded_modules(void)
{
    size_t n, cur = 0, old = 0;
    Module **mods = code_loaded(&n);
    for (size_t i = 0; i < n; i++) {
        cur += mods[i]->cur->img.size;
        old += mods[i]->old ? mods[i]->old->img.size : 0;
    }
    Buf b = {0};
    buf_printf(&b, "Current code: %zu\nOld code: %zu\n", cur, old);
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s %zu\n", erl_atom_name(mods[i]->name),
                   mods[i]->cur->img.size + (mods[i]->old ? mods[i]->old->img.size : 0));
    free(mods);
    out(&b);
}

/* erl's k: each process in turn, (k)ill (n)ext (r)eturn. Killing 'in'
** (the process the menu runs in) waits until the menu is done: sets
** *kill_in. */
static void kill_processes(Proc *in, bool *kill_in)
{
    size_t n;
    Term *pids = pids_newest_first(&n);
    fputs("\n\nProcess Information\n\n--------------------------------------------------\n", stdout);
    for (size_t i = 0; i < n; i++) {
        Proc *p = proc_find(pids[i]);
        if (!p)
            continue;
        Buf b = {0};
        break_proc_info(&b, p);
        out(&b);
        char line[64];
        if (!reader_menu_line("(k)ill (n)ext (r)eturn:\n", line, sizeof line))
            break;
        char c = line[strspn(line, " \t")];
        if (c == 'r')
            break;
        if (c != 'k')
            continue;
        shell_note_kill(p);
        if (p == in)
            *kill_in = true;
        else
            proc_signal_exit(p, p->pid, AM_kill);
    }
    free(pids);
}

bool break_menu(Proc *in)
{
    bool kill_in = false, show = true;
    reader_menu_begin();
    for (;;) {
        if (show)
            fputs("\n", stdout);
        fputs(menu_text, stdout);
        show = true;
        char line[64];
        if (!reader_menu_line("", line, sizeof line)) {
            /* a second Ctrl-C, or no more input: erl aborts */
            fputs("\n", stdout);
            fflush(stdout);
            exit(0);
        }
        char c = line[strspn(line, " \t")];
        switch (c) {
        case 'a':
            exit(0);
        case 'A':
            fputs("cerl writes no crash dump\n", stdout);
            fflush(stdout);
            exit(1);
        case 'c':
            goto done;
        case 'p':
            all_proc_info();
            break;
        case 'i':
            system_info();
            break;
        case 'l':
            loaded_modules();
            break;
        case 'v':
            printf("cerl emulator version %s\n", CERL_VERSION);
            break;
        case 'k':
            kill_processes(in, &kill_in);
            goto done;
        case 'D':
            break; /* no ETS tables */
        case 'd':
            fputs("=node:'nonode@nohost'\n=no_distribution\n", stdout);
            break;
        case '\0':
            break;
        default:
            printf("Invalid option '%c'. Please enter one of the following:\n", c);
            show = false;
        }
    }
done:
    fflush(stdout);
    reader_menu_end();
    return kill_in;
}

/* ====================================================== User switch */

static const char switch_help[] = "  c [nn]            - connect to job\n"
                                  "  i [nn]            - interrupt job\n"
                                  "  k [nn]            - kill job\n"
                                  "  j                 - list all jobs\n"
                                  "  s [shell]         - start local shell\n"
                                  "  r [node [shell]]  - start remote shell\n"
                                  "  q                 - quit erlang\n"
                                  "  ? | h             - this message\n";

/* The job number after a command letter: 0 (the current job) when absent,
** -1 when it is not a number. */
static int job_arg(const char *s)
{
    s += strspn(s, " \t");
    if (!*s)
        return 0;
    char *end;
    long n = strtol(s, &end, 10);
    end += strspn(end, " \t");
    return *end || n <= 0 || n > 1000000 ? -1 : (int)n;
}

/* The word after s ("shell", or any module name erl would start). */
static void word_arg(const char *s, char *out, size_t size)
{
    s += strspn(s, " \t");
    size_t n = strcspn(s, " \t");
    snprintf(out, size, "%.*s", (int)n, s);
}

/* One answer to " --> "; returns true when it leaves the menu (c). */
static bool user_switch_command(const char *s)
{
    char c = *s;
    const char *rest = c ? s + 1 : s;
    bool bare = rest[strspn(rest, " \t")] == '\0';
    int job = job_arg(rest);
    if (c == '\0')
        return false;
    if (c == 'q' && bare)
        exit(0);
    if ((c == 'h' || c == '?') && bare) {
        fputs(switch_help, stdout);
    } else if (c == 'j' && bare) {
        Buf b = {0};
        shell_jobs_list(&b);
        out(&b);
    } else if (c == 's') {
        char mod[256];
        word_arg(rest, mod, sizeof mod);
        shell_job_start(mod);
    } else if (c == 'r') {
        fputs("Not alive\n", stdout); /* no distribution: no remote node */
    } else if (c == 'c' || c == 'i' || c == 'k') {
        int r = job < 0                 ? -1
                : c == 'c'              ? shell_job_connect(job)
                : c == 'i'              ? shell_job_interrupt(job)
                                        : shell_job_kill(job);
        if (r < 0)
            fputs("Unknown job\n", stdout);
        else if (r == 1)
            fputs("*** ERROR: Shell process terminated! (^G to start new job) ***\n", stdout);
        return c == 'c' && r >= 0;
    } else {
        fputs("Unknown command\n", stdout);
    }
    return false;
}

void break_user_switch(void)
{
    reader_menu_begin();
    fputs("\nUser switch command\n", stdout);
    for (;;) {
        char line[128];
        if (!reader_menu_line(" --> ", line, sizeof line))
            break;
        if (user_switch_command(line + strspn(line, " \t")))
            break;
    }
    fflush(stdout);
    reader_menu_end();
    shell_jobs_resume();
}
