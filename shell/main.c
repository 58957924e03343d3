/*
** main.c
** cerl's entry point: options, start-up, the banner, and the scheduler loop
** that runs the shell until its input ends.
*/
#include "reader.h"
#include "shell.h"
#include "eval_hooks.h"
#include "../runtime/bif.h"
#include "../runtime/code.h"
#include "../runtime/dist/dist.h"
#include "../runtime/fault.h"
#include "../runtime/interrupt.h"
#include "../runtime/print.h"
#include "../runtime/proc.h"
#include "../runtime/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *to)
{
    fprintf(to,
            "usage: cerl [-pa DIR...] [-noshell] [-eval EXPR]... [-s MOD [FUN [ARG...]]]...\n"
            "            [-sname N | -name N[@Host]] [-setcookie C]\n"
            "            [-watchdog MS] [+P N] [--help] [--version]\n"
            "\n"
            "Starts an erl-style shell for C modules with Erlang's hot code loading.\n"
            "\n"
            "  -pa DIR...    add the directories to the code path (after the current\n"
            "                directory), where l(Mod) looks for Mod.o\n"
            "  -eval EXPR    evaluate the expression before the shell starts (as erl's\n"
            "                -eval: no value printed; a failure prints\n"
            "                {\"init terminating in do_boot\",Reason} and exits with 1)\n"
            "  -s MOD [FUN [ARG...]]\n"
            "                call MOD:FUN() (FUN defaults to start), or MOD:FUN([ARG...])\n"
            "                with the arguments as atoms; -s init stop ends cerl\n"
            "  -noshell      run -eval and -s without a shell; cerl then runs until\n"
            "                init:stop(), halt() or Ctrl-C's BREAK menu ends it\n"
            "  -sname N      make this a node of an Erlang cluster, N@host (-name N@Host:\n"
            "                a long name); epmd is started when none runs\n"
            "  -setcookie C  the cookie (else ~/.erlang.cookie, created if missing)\n"
            "  -watchdog MS  report a process that runs MS milliseconds without yielding\n"
            "                (default 10000; 0 turns the reports off); when input is\n"
            "                not a terminal, also kill it (nobody can answer Ctrl-C)\n"
            "  +P N          at most N processes alive at once, 1024 to 134217727\n"
            "                (default 262144, as erl)\n"
            "  --help        show this text and exit\n"
            "  --version     show cerl's version and exit\n"
            "\n"
            "-eval and -s run in the order given, in one process. halt(N) exits with\n"
            "status N. In the shell, help() lists the commands; Ctrl-C opens the BREAK\n"
            "menu (it also stops a process that never yields), Ctrl-G the User switch\n"
            "menu.\n");
}

/* One -eval or -s, in command-line order. */
typedef struct BootStep {
    const char *eval;  /* -eval EXPR, or NULL for -s */
    const char *mod, *fun;
    char **args;       /* -s's arguments: argv entries */
    int nargs;
} BootStep;

static struct {
    BootStep *steps;
    int n;
    bool noshell;
} boot;

static void banner(void)
{
    if (reader_is_tty())
        printf("cerl %s [C modules, libtcc] [hot code loading]\n\n", CERL_VERSION);
    printf("cerl V%s  (abort with ^G)\n", CERL_VERSION);
}

/* erl's report when -eval or -s fails; ends cerl with status 1. */
static void boot_failed(const ErlException *e)
{
    Term reason = e->reason;
    if (e->cls == AM_error)
        reason = erl_tuple(e->reason, ERL_NIL);
    else if (e->cls == AM_throw)
        reason = erl_tuple(erl_tuple(erl_atom("nocatch"), e->reason), ERL_NIL);
    Buf b = {0};
    buf_puts(&b, "{\"init terminating in do_boot\",");
    print_write(&b, reason);
    buf_puts(&b, "}\n");
    shell_print(buf_str(&b));
    fflush(stdout);
    fprintf(stderr, "init terminating in do_boot (%s)\n", buf_str(&b));
    buf_free(&b);
    exit(1);
}

/* One -eval or -s, in the boot process. */
static void run_step(const BootStep *st)
{
    ErlCatch c;
    ErlException e;
    if (exc_try(&c) == 0) {
        if (st->eval) {
            shell_eval_string(st->eval);
        } else {
            Term list = ERL_NIL;
            for (int k = st->nargs; k > 0; k--)
                list = erl_cons(erl_atom(st->args[k - 1]), list);
            eval_hook_remote_call(erl_atom(st->mod), erl_atom(st->fun), st->nargs ? 1 : 0, &list);
        }
        exc_end(&c);
        return;
    }
    exc_caught(&c, &e);
    boot_failed(&e);
}

/* The boot process: every -eval and -s in order, then the shell. */
static Term run_boot(void)
{
    for (int i = 0; i < boot.n; i++)
        run_step(&boot.steps[i]);
    if (!boot.noshell) {
        banner();
        shell_start();
    }
    return AM_normal;
}

/* -sname/-name and -setcookie: this becomes a node of a cluster. */
static int start_node(const char *arg, bool longnames, const char *cookie_arg)
{
    char name[512];
    if (dist_name_make(arg, longnames, name, sizeof name) != 0)
        return -1;
    char *cookie = dist_cookie_get(cookie_arg);
    if (!cookie)
        return -1;
    int r = dist_start(name, cookie);
    free(cookie);
    return r;
}

static bool is_option(const char *a)
{
    return a[0] == '-' || a[0] == '+';
}

int main(int argc, char **argv)
{
    atom_init();
    proc_init();
    code_init();
    bif_init();
    fault_init(); /* a crashing module kills its process, not the shell */
    long watchdog = INTERRUPT_DEFAULT_WATCHDOG_MS;
    const char *node_arg = NULL, *cookie_arg = NULL;
    bool longnames = false;
    boot.steps = xcalloc((size_t)argc, sizeof *boot.steps);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-pa") == 0 && i + 1 < argc) {
            while (i + 1 < argc && !is_option(argv[i + 1]))
                code_add_path(argv[++i], false);
        } else if (strcmp(argv[i], "-noshell") == 0) {
            boot.noshell = true;
        } else if (strcmp(argv[i], "-eval") == 0 && i + 1 < argc) {
            boot.steps[boot.n++].eval = argv[++i];
        } else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc && !is_option(argv[i + 1])) {
            BootStep *st = &boot.steps[boot.n++];
            st->mod = argv[++i];
            st->fun = i + 1 < argc && !is_option(argv[i + 1]) ? argv[++i] : "start";
            st->args = argv + i + 1;
            while (i + 1 < argc && !is_option(argv[i + 1]))
                i++, st->nargs++;
        } else if ((strcmp(argv[i], "-sname") == 0 || strcmp(argv[i], "-name") == 0) && i + 1 < argc) {
            longnames = argv[i][1] == 'n';
            node_arg = argv[++i];
        } else if (strcmp(argv[i], "-setcookie") == 0 && i + 1 < argc) {
            cookie_arg = argv[++i];
        } else if (strcmp(argv[i], "-kernel") == 0 && i + 2 < argc) {
            /* distnet: -kernel net_ticktime N, as erl's; other kernel parameters are erl's only */
            if (strcmp(argv[i + 1], "net_ticktime") == 0)
                dist_set_net_ticktime(atoi(argv[i + 2]));
            i += 2;
        } else if (strcmp(argv[i], "-hidden") == 0) {
            dist_set_hidden();
        } else if (strcmp(argv[i], "-watchdog") == 0 && i + 1 < argc) {
            char *end;
            watchdog = strtol(argv[++i], &end, 10);
            if (*end || watchdog < 0) {
                fprintf(stderr, "cerl: -watchdog wants milliseconds, not '%s'\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "+P") == 0 && i + 1 < argc) {
            char *end;
            long n = strtol(argv[++i], &end, 10);
            if (*end || n < 1024 || n > 134217727) {
                fprintf(stderr, "cerl: +P wants a process count from 1024 to 134217727, not '%s'\n", argv[i]);
                return 2;
            }
            proc_set_limit((size_t)n);
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("cerl %s\n", CERL_VERSION);
            return 0;
        } else {
            fprintf(stderr, "cerl: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (node_arg && start_node(node_arg, longnames, cookie_arg) != 0)
        return 1;
    if (interrupt_init(watchdog) != 0)
        perror("cerl: Ctrl-C and the watchdog are not available");
    reader_init(boot.noshell);
    shell_init();
    if (boot.n) {
        proc_spawn((void *)run_boot, 0, NULL, STACK_SHELL_SIZE);
    } else {
        banner();
        shell_start();
    }
    sched_run(reader_idle);
    fflush(stdout);
    free(boot.steps);
    return 0;
}
