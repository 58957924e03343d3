/*
** reader.c
** Shell input and output on the terminal: the idle hook that reads lines
** (readline's callback interface on a terminal, plain reads when piped)
** while timers keep firing, the carry-over of text typed after a command's
** dot, history, completion, and output that keeps the typed line intact.
*/
#include "reader.h"
#include "break.h"
#include "complete.h"
#include "inqueue.h"
#include "lexer.h"
#include "shell.h"
#include "../runtime/buf.h"
#include "../runtime/interrupt.h"
#include "../runtime/proc.h"
#include "../runtime/dist/dist.h"
#include "../runtime/node.h"
#include "../runtime/sched.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* HISTORY_MAX: lines kept; READER_NET_GRACE_MS: piped input over, how long a node waits
** for a message from another node to wake its evaluator before it kills it */
enum { HISTORY_MAX = 1000, READER_NET_GRACE_MS = 5000 };

/* Invariant: 'pending' holds input read but not yet handed out as a
** command; 'waiter' is the evaluator blocked in reader_get_command (or
** NULL) and 'prompt' what it asked to show. On a terminal, readline's
** callback handler is installed from the first idle call to the end of the
** session, with 'prompt' as its prompt while a waiter wants input and ""
** otherwise (what is typed meanwhile is kept for later). */
static struct {
    bool tty;
    bool utf8;          /* input is UTF-8 (a terminal in a UTF-8 locale), else Latin-1 */
    bool noshell;       /* cerl -noshell: no input at all */
    InputQueue pending;
    Proc *waiter;
    char *prompt;
    bool prompt_shown;  /* piped: the prompt of this command is out */
    uint64_t stuck_ms;  /* piped, input over: when the evaluator was first seen waiting, or 0 */
    bool at_eof;
    bool eof_given;     /* the evaluator was told that input is over */
    bool stop;
    bool installed;     /* readline's handler is installed */
    bool col0;          /* output so far ended with a newline */
    bool ctrl_g;        /* Ctrl-G typed: open the User switch menu */
    bool released;      /* the idle hook woke the waiter for a command */
    bool in_menu;       /* a menu owns the terminal (cooked mode) */
    char *history_path; /* ~/.cerl_history, or NULL without $HOME */
    int appended;       /* lines appended to it since the last truncation */
} rd = {.col0 = true};

/* ============================================================ output */

/* Writes device text: Latin-1 characters, one byte each. At a terminal
** whose locale is UTF-8 (where input is read as UTF-8 too) a character
** from 128 up goes out as its two UTF-8 bytes, as erl's standard_io
** writes it there. */
static void write_out(const char *s, size_t n)
{
    if (n)
        rd.col0 = s[n - 1] == '\n';
    if (!rd.utf8) {
        fwrite(s, 1, n, stdout);
        return;
    }
    while (n > 0) {
        size_t run = 0;
        while (run < n && (unsigned char)s[run] < 0x80)
            run++;
        fwrite(s, 1, run, stdout);
        s += run;
        n -= run;
        if (n > 0) {
            unsigned char c = (unsigned char)*s;
            putchar(0xc0 | (c >> 6));
            putchar(0x80 | (c & 0x3f));
            s++;
            n--;
        }
    }
}

/* Is readline showing something (a prompt or typed text) on the current line? */
static bool line_showing(void)
{
    return rd.installed && !rd.in_menu && ((rl_prompt && *rl_prompt) || rl_end > 0);
}

void reader_print(const char *s, size_t n)
{
    if (!n)
        return;
    if (!line_showing()) {
        write_out(s, n);
        if (rd.tty) {
            fflush(stdout);
            if (rd.col0 && rd.installed && !rd.in_menu)
                rl_on_new_line();
        }
        return;
    }
    /* the prompt and the partial line give way, the text takes its own
    ** line(s), then they are drawn again below it */
    rl_clear_visible_line();
    write_out(s, n);
    if (!rd.col0)
        write_out("\n", 1);
    fflush(stdout);
    rl_on_new_line();
    rl_redisplay();
}

/* =========================================================== history */

static void history_load(void)
{
    const char *home = getenv("HOME");
    using_history();
    stifle_history(HISTORY_MAX);
    if (!home || !*home)
        return;
    Buf b = {0};
    buf_printf(&b, "%s/.cerl_history", home);
    rd.history_path = buf_take(&b);
    read_history(rd.history_path);
    history_truncate_file(rd.history_path, HISTORY_MAX);
}

static void remember_line(const char *line)
{
    HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
    if (!*line || (last && strcmp(last->line, line) == 0))
        return;
    add_history(line);
    if (!rd.history_path)
        return;
    /* append as we go, so that halt() or a crash loses nothing; what is
    ** typed is nobody else's business: the file is made 0600, as shells do */
    int fd = open(rd.history_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0)
        close(fd);
    append_history(1, rd.history_path);
    if (++rd.appended >= 100) {
        history_truncate_file(rd.history_path, HISTORY_MAX);
        rd.appended = 0;
    }
}

/* ======================================================== completion */

static char **cands;
static size_t cand_next;

static char *next_candidate(const char *text, int state)
{
    if (!state)
        cand_next = 0;
    return cands && cands[cand_next] ? xstrdup(cands[cand_next++]) : NULL;
}

static char **attempt_completion(const char *text, int start, int end)
{
    rl_attempted_completion_over = 1; /* never file names */
    rl_completion_suppress_append = 1;
    cands = complete_word(text);
    char **m = cands ? rl_completion_matches(text, next_candidate) : NULL;
    for (size_t i = 0; cands && cands[i]; i++)
        free(cands[i]);
    free(cands);
    cands = NULL;
    return m;
}

/* ========================================================== readline */

static bool command_ready(void)
{
    return inq_ready(&rd.pending);
}

static void add_input(const char *s, size_t n);

/* readline's line handler: a line was entered (NULL: Ctrl-D on an empty line). */
static void on_line(char *line)
{
    if (!line) {
        rd.at_eof = true;
        inq_close(&rd.pending);
        rd.col0 = true; /* readline ended the line */
        rl_set_prompt("");
        return;
    }
    remember_line(line);
    add_input(line, strlen(line));
    add_input("\n", 1);
    free(line);
    rd.col0 = true;
    /* an unfinished command keeps its prompt for the next line; a finished
    ** one shows none until the evaluator asks for the next command */
    if (command_ready())
        rl_set_prompt("");
}

static int on_ctrl_g(int count, int key)
{
    rd.ctrl_g = true;
    return 0;
}

static void restore_terminal(void)
{
    if (rd.installed) {
        rd.installed = false;
        rl_callback_handler_remove();
    }
}

static void install(void)
{
    if (rd.installed)
        return;
    rl_callback_handler_install("", on_line);
    rd.installed = true;
}

/* Shows the prompt readline should show now, if it is not showing it. */
static void update_prompt(void)
{
    const char *want = rd.waiter && rd.prompt ? rd.prompt : "";
    if (strcmp(rl_prompt ? rl_prompt : "", want) == 0)
        return;
    if (!rd.col0) {
        write_out("\n", 1);
        rl_on_new_line();
    }
    rl_set_prompt(want);
    rl_forced_update_display();
}

/* ============================================================= setup */

void reader_init(bool noshell)
{
    rd.noshell = noshell;
    rd.tty = !noshell && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
    if (!rd.tty)
        return;
    setlocale(LC_CTYPE, "");
    rd.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    rl_readline_name = "cerl";
    rl_catch_signals = 0; /* Ctrl-C is interrupt.c's */
    rl_catch_sigwinch = 1;
    rl_attempted_completion_function = attempt_completion;
    rl_completer_word_break_characters = " \t\n\"\\'`@$><=;|&{(,[+-*/!#";
    rl_bind_key('\a', on_ctrl_g);
    history_load();
    atexit(restore_terminal);
}

bool reader_is_tty(void)
{
    return rd.tty;
}

void reader_abandon(Proc *p)
{
    if (rd.waiter != p)
        return;
    rd.waiter = NULL;
    /* a menu (Ctrl-G) disconnected it: its prompt is not redrawn after */
    if (rd.in_menu && rd.installed)
        rl_set_prompt("");
}

void reader_stop(void)
{
    rd.stop = true;
}

/* ============================================================ input */

/* Takes the first whole command out of 'pending', or returns NULL. */
static char *take_command(size_t *len)
{
    return inq_take(&rd.pending, len);
}

char *reader_get_command(const char *prompt, size_t *len)
{
    free(rd.prompt);
    rd.prompt = xstrdup(prompt);
    rd.prompt_shown = false;
    for (;;) {
        /* a shell job that Ctrl-G moved away from waits to be connected;
        ** meanwhile another job may have shown its own prompt */
        shell_wait_connected();
        if (strcmp(rd.prompt, prompt) != 0) {
            free(rd.prompt);
            rd.prompt = xstrdup(prompt);
        }
        /* Let every other process run first (erl prints the next prompt
        ** only after their output): the idle hook wakes us. A message
        ** arriving meanwhile wakes us too: wait again. */
        rd.waiter = proc_current();
        rd.released = false;
        rd.stuck_ms = 0;
        sched_wait();
        rd.waiter = NULL;
        if (!rd.released && !rd.at_eof && !rd.stop)
            continue;
        char *cmd = take_command(len);
        if (cmd)
            return cmd;
        if (rd.at_eof || rd.stop) {
            rd.eof_given = rd.at_eof;
            return NULL;
        }
    }
}

/* Waits until stdin has input or the next timeout is due (or a signal came).
** Returns true when input is there. */
static bool wait_for_input(void)
{
    long t = sched_next_timeout();
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
    return sched_poll(&pfd, 1, t < 0 ? -1 : (int)(t > 1000000 ? 1000000 : t)) > 0;
}

/* Appends typed or piped bytes to 'pending', in the encoding the scanner
** reads (UTF-8). As erl's, the input is UTF-8 at a terminal whose locale
** says so, and Latin-1 otherwise: there each byte is the character of
** that code. */
static void add_input(const char *s, size_t n)
{
    if (rd.utf8) {
        inq_add(&rd.pending, s, n);
        return;
    }
    while (n > 0) {
        size_t run = 0;
        while (run < n && (unsigned char)s[run] < 0x80)
            run++;
        inq_add(&rd.pending, s, run);
        s += run;
        n -= run;
        if (n > 0) {
            unsigned char c = (unsigned char)*s;
            char two[2] = {(char)(0xc0 | (c >> 6)), (char)(0x80 | (c & 0x3f))};
            inq_add(&rd.pending, two, 2);
            s++;
            n--;
        }
    }
}

/* Piped: reads what is there into 'pending'. Returns false at end of input. */
static bool read_chunk(void)
{
    char chunk[4096];
    ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN;
    if (n == 0)
        return false;
    add_input(chunk, (size_t)n);
    return true;
}

/* Hands the waiting evaluator its command (or the end of input). */
static void release(void)
{
    rd.released = true;
    sched_make_runnable(rd.waiter);
}

/* End of input: erl's closing line. */
static void terminate(void)
{
    restore_terminal();
    printf("%s*** Terminating erlang (%s)\n", rd.tty && !rd.col0 ? "\n" : "", erl_atom_name(node_this()));
    fflush(stdout);
}

bool reader_idle(void)
{
    fflush(stdout);
    if (rd.stop) {
        restore_terminal();
        return false;
    }
    if (interrupt_poll())
        return true; /* the BREAK menu may have woken or killed processes */
    if (rd.noshell) {
        /* like erl -noshell, run until stopped, even with nothing to run */
        long t = sched_next_timeout();
        sched_poll(NULL, 0, t < 0 ? -1 : (int)(t > 1000000 ? 1000000 : t));
        return true;
    }
    if (rd.ctrl_g) {
        rd.ctrl_g = false;
        break_user_switch();
        return true;
    }
    size_t end;
    if (rd.waiter && command_ready()) {
        /* text carried over from an earlier line: show its prompt, run it */
        if (!rd.tty) {
            fputs(rd.prompt, stdout);
        } else if (!rd.installed || rl_end == 0) {
            const char *text = rd.pending.text.s;
            lexer_complete_command(text, rd.pending.text.len, &end);
            size_t skip = strspn(text, " \t\n");
            Buf b = {0};
            buf_printf(&b, "%s%.*s\n", rd.prompt, (int)(end > skip ? end - skip : 0), text + skip);
            reader_print(b.s, b.len);
            buf_free(&b);
        }
        release();
        return true;
    }
    if (rd.at_eof) {
        if (rd.waiter && !rd.tty && !rd.prompt_shown) {
            fputs(rd.prompt, stdout); /* erl shows the last prompt, then ends */
            rd.prompt_shown = true;
        }
        /* input is over, but the last command still runs (and may wait
        ** for a timeout): let it finish. Once the shell has asked for more,
        ** the session ends, as erl's does, whatever timers are pending. */
        long t = rd.waiter || rd.eof_given ? -1 : sched_next_timeout();
        if (t >= 0) {
            sched_poll(NULL, 0, (int)(t > 1000000 ? 1000000 : t));
            return true;
        }
        /* piped, an evaluator blocked for good would drop the commands
        ** read after it: it dies instead, and they run (on a terminal,
        ** Ctrl-D means leave) */
        if (!rd.tty && !rd.waiter && !rd.eof_given && dist_alive()) {
            /* a node: a message from another node may still wake it */
            uint64_t now = sched_now_ms();
            if (!rd.stuck_ms)
                rd.stuck_ms = now;
            if (now - rd.stuck_ms < READER_NET_GRACE_MS) {
                sched_poll(NULL, 0, (int)(READER_NET_GRACE_MS - (now - rd.stuck_ms)));
                return true;
            }
        }
        if (!rd.tty && !rd.waiter && shell_kill_stuck_evaluator())
            return true;
        terminate();
        return false;
    }
    if (rd.tty) {
        install();
        update_prompt();
    } else if (!rd.prompt_shown && rd.waiter) {
        /* piped: erl shows the prompt once per command, with no echo */
        fputs(rd.prompt, stdout);
        fflush(stdout);
        rd.prompt_shown = true;
    }
    if (!wait_for_input())
        return true; /* a timeout is due or a signal came: back to the scheduler */
    if (rd.tty)
        rl_callback_read_char();
    else if (!read_chunk()) {
        rd.at_eof = true;
        inq_close(&rd.pending);
    }
    if (rd.waiter && (command_ready() || rd.at_eof))
        release();
    return true;
}

/* ============================================================= menus */

void reader_menu_begin(void)
{
    fflush(stdout);
    if (rd.installed && !rd.in_menu)
        rl_deprep_terminal(); /* cooked: the answer echoes as typed */
    rd.in_menu = true;
}

bool reader_menu_line(const char *prompt, char *buf, size_t size)
{
    fputs(prompt, stdout);
    fflush(stdout);
    size_t n = 0;
    bool ok = true;
    for (;;) {
        char c;
        if (!rd.tty && !inq_empty(&rd.pending)) {
            c = (char)inq_getc(&rd.pending); /* piped: what was read ahead comes first */
        } else {
            ssize_t r = read(STDIN_FILENO, &c, 1);
            if (r <= 0) {
                ok = false;
                break;
            }
        }
        if (c == '\n')
            break;
        if (n + 1 < size)
            buf[n++] = c;
    }
    buf[n] = '\0';
    rd.col0 = true;
    return ok;
}

void reader_menu_end(void)
{
    rd.in_menu = false;
    if (!rd.installed)
        return;
    rl_prep_terminal(1);
    rl_on_new_line();
    rl_redisplay();
}
