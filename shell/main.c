/*
** main.c
** cerl's entry point: options, start-up, the banner, and the scheduler loop
** that runs the shell until its input ends.
*/
#include "reader.h"
#include "shell.h"
#include "../runtime/bif.h"
#include "../runtime/code.h"
#include "../runtime/proc.h"
#include "../runtime/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CERL_VERSION "0.1.0"

static void usage(FILE *to)
{
    fprintf(to,
            "usage: cerl [-pa DIR]... [--help] [--version]\n"
            "\n"
            "Starts an erl-style shell for C modules with Erlang's hot code loading.\n"
            "\n"
            "  -pa DIR     add DIR to the end of the code path (after the current\n"
            "              directory) where l(Mod) looks for Mod.o\n"
            "  --help      show this text and exit\n"
            "  --version   show cerl's version and exit\n");
}

int main(int argc, char **argv)
{
    atom_init();
    proc_init();
    code_init();
    bif_init();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-pa") == 0 && i + 1 < argc) {
            while (i + 1 < argc && argv[i + 1][0] != '-')
                code_add_path(argv[++i], false);
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
    reader_init();
    printf("cerl V%s  (abort with ^G)\n", CERL_VERSION);
    shell_start();
    sched_run(reader_idle);
    fflush(stdout);
    return 0;
}
