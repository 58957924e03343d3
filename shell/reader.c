/*
** reader.c
** Shell input: the idle hook that reads lines, GNU readline or plain stdin,
** and the carry-over of text typed after a command's dot.
*/
#include "reader.h"
#include "lexer.h"
#include "../runtime/buf.h"
#include "../runtime/proc.h"
#include "../runtime/sched.h"

#include <poll.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Invariant: 'pending' holds input read but not yet handed out as a
** command; 'waiter' is the evaluator blocked in reader_get_command (or
** NULL) and 'prompt' what it asked to show. 'ready' is set by the idle hook
** when pending holds a whole command for the waiter. */
static struct {
    bool tty;
    Buf pending;
    Proc *waiter;
    char *prompt;
    bool prompt_shown;  /* the prompt is on screen, nothing typed after it */
    bool at_eof;
    bool stop;
} rd;

void reader_init(void)
{
    rd.tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    if (rd.tty) {
        rl_readline_name = "cerl";
        using_history();
    }
}

void reader_abandon(Proc *p)
{
    if (rd.waiter == p)
        rd.waiter = NULL;
}

void reader_stop(void)
{
    rd.stop = true;
}

/* Takes the first whole command out of 'pending', or returns NULL. */
static char *take_command(void)
{
    size_t end;
    if (!rd.pending.len || !lexer_complete_command(rd.pending.s, rd.pending.len, &end))
        return NULL;
    char *cmd = xmalloc(end + 1);
    memcpy(cmd, rd.pending.s, end);
    cmd[end] = '\0';
    memmove(rd.pending.s, rd.pending.s + end, rd.pending.len - end + 1);
    rd.pending.len -= end;
    return cmd;
}

char *reader_get_command(const char *prompt)
{
    free(rd.prompt);
    rd.prompt = xstrdup(prompt);
    rd.prompt_shown = false;
    for (;;) {
        /* Let every other process run first (erl prints the next prompt
        ** only after their output): the idle hook wakes us. */
        rd.waiter = proc_current();
        sched_wait();
        rd.waiter = NULL;
        char *cmd = take_command();
        if (cmd)
            return cmd;
        if (rd.at_eof || rd.stop)
            return NULL;
    }
}

/* Reads one line into 'pending' (readline shows the prompt on a terminal).
** Returns false at end of input. */
static bool read_line(void)
{
    if (rd.tty) {
        char *line = readline(rd.waiter && rd.prompt ? rd.prompt : "");
        if (!line)
            return false;
        if (*line)
            add_history(line);
        buf_puts(&rd.pending, line);
        buf_putc(&rd.pending, '\n');
        free(line);
        return true;
    }
    char chunk[4096];
    if (!fgets(chunk, sizeof chunk, stdin))
        return false;
    buf_puts(&rd.pending, chunk);
    return true;
}

/* Sleeps until stdin has input or the next timeout is due. Returns true
** when input is there (or when nothing but input can be waited for). */
static bool wait_for_input(void)
{
    long t = sched_next_timeout();
    if (t < 0)
        return true;
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    return poll(&pfd, 1, (int)(t > 1000000 ? 1000000 : t)) > 0;
}

/* End of input: erl's closing line. */
static void terminate(void)
{
    fputs(rd.tty ? "\n*** Terminating erlang (nonode@nohost)\n" : "*** Terminating erlang (nonode@nohost)\n", stdout);
    fflush(stdout);
}

bool reader_idle(void)
{
    size_t end;
    fflush(stdout);
    if (rd.stop)
        return false;
    if (rd.waiter && rd.pending.len && lexer_complete_command(rd.pending.s, rd.pending.len, &end)) {
        /* text carried over from an earlier line: show its prompt, run it */
        if (!rd.tty)
            fputs(rd.prompt, stdout);
        else
            printf("%s%.*s\n", rd.prompt, (int)(end - strspn(rd.pending.s, " \t\n")),
                   rd.pending.s + strspn(rd.pending.s, " \t\n"));
        sched_make_runnable(rd.waiter);
        return true;
    }
    if (!rd.prompt_shown && rd.waiter && !rd.tty) {
        /* piped: erl shows the prompt once per command, with no echo */
        fputs(rd.prompt, stdout);
        fflush(stdout);
        rd.prompt_shown = true;
    }
    if (rd.at_eof) {
        /* input is over, but a process still waits for a timeout: honour it */
        long t = sched_next_timeout();
        if (t >= 0) {
            poll(NULL, 0, (int)(t > 1000000 ? 1000000 : t));
            return true;
        }
        terminate();
        return false;
    }
    if (!wait_for_input())
        return true; /* a timeout is due: let the scheduler fire it */
    if (!read_line()) {
        rd.at_eof = true;
        return true;
    }
    if (rd.waiter && lexer_complete_command(rd.pending.s, rd.pending.len, &end))
        sched_make_runnable(rd.waiter);
    return true;
}
