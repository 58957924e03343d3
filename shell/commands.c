/*
** commands.c
** The shell's built-in commands (c/1, l/1, flush/0, ...) and the hooks the
** evaluator calls for calls, sends and receives.
*/
#include "eval.h"
#include "eval_hooks.h"
#include "cmdhist.h"
#include "cmd_system.h"
#include "compile.h"
#include "shell.h"
#include "../runtime/bif.h"
#include "../runtime/buf.h"
#include "../runtime/cc.h"
#include "../runtime/code.h"
#include "../runtime/error.h"
#include "../runtime/export.h"
#include "../runtime/md5.h"
#include "../runtime/objfile.h"
#include "../runtime/node.h"
#include "../runtime/print.h"
#include "../runtime/proc.h"
#include "../runtime/sched.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ============================================================ helpers */

/* The text of a string or atom argument into buf; false if it is neither. */
static bool text_arg(Term t, char *buf, size_t size)
{
    if (erl_is_atom(t)) {
        snprintf(buf, size, "%s", erl_atom_name(t));
        return true;
    }
    size_t n = 0;
    for (; erl_is_cons(t); t = erl_tl(t)) {
        Term c = erl_hd(t);
        if (n + 1 >= size || !erl_is_int(c) || erl_int_value(c) <= 0 || erl_int_value(c) > 255)
            return false;
        buf[n++] = (char)erl_int_value(c);
    }
    buf[n] = '\0';
    return t == ERL_NIL && n > 0;
}

bool shell_text_arg(Term t, char *buf, size_t size)
{
    return text_arg(t, buf, size);
}

static void print_term_line(const char *prefix, Term t, int column)
{
    Buf b = {0};
    buf_puts(&b, prefix);
    print_pretty(&b, t, column, 80, -1);
    buf_putc(&b, '\n');
    shell_print(buf_str(&b));
    buf_free(&b);
}

/* ============================================================= flush */

static Term cmd_flush(void)
{
    Proc *self = proc_current();
    while (self->mbox.head) {
        Term msg = mbox_take(&self->mbox, &self->mbox.head);
        print_term_line("Shell got ", msg, 11);
    }
    return AM_ok;
}

/* ============================================================ modules */

static void hex_md5(const unsigned char md5[16], char out[33])
{
    for (int i = 0; i < 16; i++)
        sprintf(out + 2 * i, "%02x", md5[i]);
}

static Term cmd_m0(void)
{
    size_t n;
    Module **v = code_loaded(&n);
    shell_printf("Module                File\n");
    for (size_t i = 0; i < n; i++)
        shell_printf("%-20s  %s\n", erl_atom_name(v[i]->name), v[i]->cur->path);
    free(v);
    return AM_ok;
}

static Term cmd_m1(Term mod)
{
    Module *m = erl_is_atom(mod) ? code_module(mod) : NULL;
    if (!m || !m->cur)
        exc_raise(AM_error, AM_undef, term_tuple(heap_current(), 3, (Term[]){mod, erl_atom("module_info"), ERL_NIL}));
    ModVersion *v = m->cur;
    char hex[33];
    hex_md5(v->md5, hex);
    shell_printf("Module: %s\nMD5: %s\nObject file: %s\nCompiler options:  []\nExports: \n", erl_atom_name(mod), hex,
           v->path);
    /* module_info/0,1 sort among the module's own exports */
    bool info_done = false;
    for (int i = 0; i <= v->nexports; i++) {
        if (!info_done && (i == v->nexports || strcmp(erl_atom_name(v->exports[i].fun), "module_info") > 0)) {
            shell_printf("         module_info/0\n         module_info/1\n");
            info_done = true;
        }
        if (i < v->nexports)
            shell_printf("         %s/%d\n", erl_atom_name(v->exports[i].fun), v->exports[i].arity);
    }
    return AM_ok;
}

/* Loaded modules whose object file on disk is not what was loaded. */
static Term modified_modules(void)
{
    size_t n;
    Module **v = code_loaded(&n);
    Heap *h = heap_current();
    Term list = ERL_NIL;
    for (size_t i = n; i > 0; i--) {
        Module *m = v[i - 1];
        /* the object on disk, read the way a load reads it */
        ObjFile o;
        Buf why = {0};
        unsigned char md5[16];
        bool readable = objfile_read(m->cur->path, &o, &why) == 0;
        if (readable) {
            md5_digest(o.data, o.len, md5);
            objfile_free(&o);
        }
        if (!readable || memcmp(md5, m->cur->md5, 16) != 0)
            list = term_cons(h, m->name, list);
        buf_free(&why);
    }
    free(v);
    return list;
}

static Term cmd_lm(void)
{
    Heap *h = heap_current();
    Term mods = modified_modules(), out = ERL_NIL, *link = &out;
    for (; erl_is_cons(mods); mods = erl_tl(mods)) {
        *link = term_cons(h, compile_l(erl_hd(mods)), ERL_NIL);
        link = &cons_ptr(*link)[1];
    }
    return out;
}

/* ========================================================= bindings */

static Term cmd_b(void)
{
    size_t n;
    Binding *v = bindings_sorted(shell_bindings(), &n);
    for (size_t i = 0; i < n; i++) {
        Buf b = {0};
        const Ast *src = eval_fun_source(v[i].value);
        if (src && src->n) { /* a fun made at the prompt: its source, as erl_pp */
            /* at column 4: after "X = ", or under a longer name */
            const char *name = erl_atom_name(v[i].name);
            buf_printf(&b, strlen(name) == 1 ? "%s = " : "%s =\n    ", name);
            cmdhist_fun_layout(&b, src, 4);
        } else {
            buf_printf(&b, "%s = ", erl_atom_name(v[i].name));
            print_pretty_shell(&b, v[i].value, (int)b.len + 1, 30); /* shell:pp */
        }
        buf_putc(&b, '\n');
        shell_print(buf_str(&b));
        buf_free(&b);
    }
    free(v);
    return AM_ok;
}

static Term cmd_f0(void)
{
    bindings_clear(shell_bindings());
    return AM_ok;
}

static Term cmd_f1(Term var)
{
    if (erl_is_atom(var))
        bindings_forget(shell_bindings(), var);
    return AM_ok;
}

/* ======================================================= directories */

static Term cmd_pwd(void)
{
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd))
        shell_printf("%s\n", cwd);
    return AM_ok;
}

/* erl 25's cd/1: changes directory if it can, then prints where it is,
** without a word about a directory it could not change to. */
static Term cmd_cd(Term dir)
{
    char d[PATH_MAX];
    if (text_arg(dir, d, sizeof d) && chdir(d) != 0) {
        /* as file:set_cwd: the failure is its answer, and c:cd ignores it */
    }
    return cmd_pwd();
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* erl's file:format_error for an errno: "no such file or directory". */
static void print_file_error(int err)
{
    char msg[128];
    snprintf(msg, sizeof msg, "%s", strerror(err));
    msg[0] = (char)tolower((unsigned char)msg[0]);
    shell_printf("%s\n", msg);
}

/* c:ls_print: names in columns as wide as the longest (at most 40) plus 5,
** a new line before a column would reach 80, and one at the end (so a full
** last line is followed by an empty one, as erl's is). */
static void ls_print(char **names, size_t n)
{
    if (!n)
        return;
    size_t width = 0;
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) > width)
            width = strlen(names[i]);
    width = (width < 40 ? width : 40) + 5;
    Buf b = {0};
    size_t len = 0;
    for (size_t i = 0; i <= n;) {
        if (width + len >= 80) {
            buf_putc(&b, '\n');
            len = 0;
        } else if (i == n) {
            buf_putc(&b, '\n');
            break;
        } else {
            buf_printf(&b, "%-*s", (int)width, names[i++]);
            len += width;
        }
    }
    shell_print(buf_str(&b));
    buf_free(&b);
}

static Term list_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        int err = errno;
        if (err == ENOTDIR) /* erl lists a file as itself */
            ls_print((char *[]){(char *)dir}, 1);
        else
            print_file_error(err);
        return AM_ok;
    }
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        names = xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    ls_print(names, n);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return AM_ok;
}

static Term cmd_ls0(void)
{
    return list_dir(".");
}

static Term cmd_ls1(Term dir)
{
    char d[PATH_MAX];
    if (!text_arg(dir, d, sizeof d)) {
        shell_print("bad argument\n"); /* file:format_error(badarg) */
        return AM_ok;
    }
    return list_dir(d);
}

/* ============================================================ history */

/* v(N) and e(N) with N known only when they run (literal ones were checked
** before the command ran, as erl does). */
static int history_arg(Term n)
{
    shell_use_history();
    if (!erl_is_int(n) || !cmdhist_has((int)erl_int_value(n), shell_command_number(), false)) {
        Buf b = {0};
        buf_puts(&b, "* ");
        print_write(&b, n);
        buf_puts(&b, ": command not found");
        exc_raise(AM_error, term_string(heap_current(), b.s, b.len), ERL_NONE);
    }
    return (int)erl_int_value(n);
}

static Term cmd_h(void)
{
    Buf b = {0};
    shell_use_history();
    cmdhist_list(&b, shell_command_number());
    shell_print(buf_str(&b));
    buf_free(&b);
    return AM_ok;
}

static Term cmd_v(Term n)
{
    Term v = cmdhist_value(history_arg(n), shell_command_number(), heap_current());
    return v != ERL_NONE ? v : AM_ok;
}

/* e(N): evaluates command N's expressions again, with the shell's bindings,
** inside the command that called it. */
static Term cmd_e(Term n)
{
    const char *text = cmdhist_command(history_arg(n), shell_command_number());
    Buf src = {0};
    buf_printf(&src, "%s.\n", text);
    Arena arena = {0};
    Ast *ast = NULL;
    char *msg = NULL;
    if (parser_parse(src.s, src.len, &arena, &ast, &msg) != PARSE_OK) {
        buf_free(&src);
        arena_free(&arena);
        Term m = term_string(heap_current(), msg ? msg : "", msg ? strlen(msg) : 0);
        free(msg);
        exc_raise(AM_error, m, ERL_NONE);
    }
    buf_free(&src);
    ErlCatch c;
    ErlException x;
    if (exc_try(&c) == 0) {
        Term v = eval_shell_command(ast, shell_bindings(), shell_records());
        exc_end(&c);
        arena_free(&arena);
        return v;
    }
    exc_caught(&c, &x);
    arena_free(&arena);
    exc_reraise(&x);
}

/* ========================================================= processes */

/* erl's mfa_string: "m:f/a". */
static void put_mfa(Buf *b, Term mfa)
{
    if (!erl_is_tuple(mfa) || erl_tuple_size(mfa) != 3) {
        print_write(b, mfa);
        return;
    }
    print_write(b, erl_element(mfa, 1));
    buf_putc(b, ':');
    print_write(b, erl_element(mfa, 2));
    buf_putc(b, '/');
    print_write(b, erl_element(mfa, 3));
}

/* io:format("~-21ts ~-33ts ~8s ~8s ~4s~n"): fields padded and cut to width. */
static void iformat(Buf *b, const char *a1, const char *a2, const char *a3, const char *a4, const char *a5)
{
    buf_printf(b, "%-21.21s %-33.33s %8.8s %8.8s %4.4s\n", a1, a2, a3, a4, a5);
}

static Term cmd_i0(void)
{
    Buf out = {0};
    iformat(&out, "Pid", "Initial Call", "Heap", "Reds", "Msgs");
    iformat(&out, "Registered", "Current Function", "Stack", "", "");
    long long heap = 0, reds = 0, msgs = 0, stack = 0;
    size_t n = proc_count(), k = 0;
    Term *pids = xmalloc((n + 1) * sizeof *pids);
    for (Proc *p = proc_first(); p && k < n; p = proc_next(p))
        pids[k++] = p->pid;
    for (size_t i = 0; i < k; i++) {
        Proc *p = proc_find(pids[i]);
        if (!p)
            continue;
        Buf pid = {0}, ic = {0}, name = {0}, cf = {0};
        char hs[32], rs[32], ms[32], ss[32];
        long long h = erl_int_value(bif_process_info_value(p->pid, "heap_size"));
        long long r = erl_int_value(bif_process_info_value(p->pid, "reductions"));
        long long m = erl_int_value(bif_process_info_value(p->pid, "message_queue_len"));
        long long s = erl_int_value(bif_process_info_value(p->pid, "stack_size"));
        heap += h, reds += r, msgs += m, stack += s;
        print_write(&pid, p->pid);
        put_mfa(&ic, bif_process_info_value(p->pid, "initial_call"));
        if (p->name != ERL_NONE)
            print_write(&name, p->name);
        put_mfa(&cf, bif_process_info_value(p->pid, "current_function"));
        snprintf(hs, sizeof hs, "%lld", h);
        snprintf(rs, sizeof rs, "%lld", r);
        snprintf(ms, sizeof ms, "%lld", m);
        snprintf(ss, sizeof ss, "%lld", s);
        iformat(&out, buf_str(&pid), buf_str(&ic), hs, rs, ms);
        iformat(&out, buf_str(&name), buf_str(&cf), ss, "", "");
        buf_free(&pid), buf_free(&ic), buf_free(&name), buf_free(&cf);
    }
    free(pids);
    char hs[32], rs[32], ms[32], ss[32];
    snprintf(hs, sizeof hs, "%lld", heap);
    snprintf(rs, sizeof rs, "%lld", reds);
    snprintf(ms, sizeof ms, "%lld", msgs);
    snprintf(ss, sizeof ss, "%lld", stack);
    iformat(&out, "Total", "", hs, rs, ms);
    iformat(&out, "", "", ss, "", "");
    shell_print(buf_str(&out));
    buf_free(&out);
    return AM_ok;
}

static Term pid_of(Term x, Term y, Term z)
{
    if (!erl_is_int(x) || !erl_is_int(y) || !erl_is_int(z) || erl_int_value(y) < 0)
        exc_badarg("c:pid", 3, (Term[]){x, y, z}, NULL);
    return erl_int_value(x) == 0 && erl_int_value(z) == 0 ? pid_make((uint64_t)erl_int_value(y)) : ERL_NONE;
}

static Term cmd_pid(Term x, Term y, Term z)
{
    Term pid = pid_of(x, y, z);
    if (pid == ERL_NONE)
        exc_badarg("c:pid", 3, (Term[]){x, y, z}, NULL);
    return pid;
}

static Term cmd_i3(Term x, Term y, Term z)
{
    Term pid = pid_of(x, y, z);
    if (pid == ERL_NONE || !proc_find(pid))
        return AM_undefined;
    return export_apply(AM_erlang, erl_atom("process_info"), 1, &pid);
}

static int by_atom(const void *a, const void *b)
{
    return strcmp(erl_atom_name(*(const Term *)a), erl_atom_name(*(const Term *)b));
}

static Term cmd_regs(void)
{
    size_t n = 0;
    Term *names = xmalloc((proc_count() + 1) * sizeof *names);
    for (Proc *p = proc_first(); p; p = proc_next(p))
        if (p->name != ERL_NONE)
            names[n++] = p->name;
    qsort(names, n, sizeof *names, by_atom);
    Buf out = {0}, node = {0};
    print_write(&node, node_this()); /* quoted as erl writes it */
    buf_printf(&out, "\n** Registered procs on node %s **\n", buf_str(&node));
    buf_printf(&out, "%-21.21s %-12.12s %-25.25s %12.12s %4.4s\n", "Name", "Pid", "Initial Call", "Reds", "Msgs");
    for (size_t i = 0; i < n; i++) {
        Proc *p = proc_whereis(names[i]);
        if (!p)
            continue;
        Buf name = {0}, pid = {0}, ic = {0};
        print_write(&name, names[i]);
        print_write(&pid, p->pid);
        put_mfa(&ic, bif_process_info_value(p->pid, "initial_call"));
        buf_printf(&out, "%-21.21s %-12.12s %-25.25s %12lld %4lld\n", buf_str(&name), buf_str(&pid), buf_str(&ic),
                   (long long)erl_int_value(bif_process_info_value(p->pid, "reductions")),
                   (long long)erl_int_value(bif_process_info_value(p->pid, "message_queue_len")));
        buf_free(&name), buf_free(&pid), buf_free(&ic);
    }
    free(names);
    buf_printf(&out, "\n** Registered ports on node %s **\n", buf_str(&node));
    buf_free(&node);
    buf_printf(&out, "%-21s %-15s %-40s\n", "Name", "Id", "Command");
    shell_print(buf_str(&out));
    buf_free(&out);
    return AM_ok;
}

/* ============================================================== misc */

/* help(): erl's lines, in erl's order, for the commands cerl has (a line
** shows only when its command is in the table below). cerl's own: c/2,
** halt/0,1. */
static const struct {
    const char *name;
    int arity;
    const char *text;
} help_lines[] = {
    {"b", 0, "b()        -- display all variable bindings"},
    {"e", 1, "e(N)       -- repeat the expression in query <N>"},
    {"f", 0, "f()        -- forget all variable bindings"},
    {"f", 1, "f(X)       -- forget the binding of variable X"},
    {"h", 0, "h()        -- history"},
    {"history", 1, "history(N) -- set how many previous commands to keep"},
    {"results", 1, "results(N) -- set how many previous command results to keep"},
    {"catch_exception", 1, "catch_exception(B) -- how exceptions are handled"},
    {"v", 1, "v(N)       -- use the value of query <N>"},
    {"rd", 2, "rd(R,D)    -- define a record"},
    {"rf", 0, "rf()       -- remove all record information"},
    {"rf", 1, "rf(R)      -- remove record information about R"},
    {"rl", 0, "rl()       -- display all record information"},
    {"rl", 1, "rl(R)      -- display record information about R"},
    {"rp", 1, "rp(Term)   -- display Term using the shell's record information"},
    {"rr", 1, "rr(File)   -- read record information from File (wildcards allowed)"},
    {"rr", 2, "rr(F,R)    -- read selected record information from file(s)"},
    {"rr", 3, "rr(F,R,O)  -- read selected record information with options"},
    {NULL, 0, "** commands in module c **"},
    {"bt", 1, "bt(Pid)    -- stack backtrace for a process"},
    {"c", 1, "c(Mod)     -- compile and load module or file <Mod>"},
    {"c", 2, "c(Mod,Opts) -- compile and load <Mod> with options"},
    {"cd", 1, "cd(Dir)    -- change working directory"},
    {"flush", 0, "flush()    -- flush any messages sent to the shell"},
    {"halt", 0, "halt()     -- stop cerl at once"},
    {"halt", 1, "halt(N)    -- stop cerl at once, with exit status N"},
    {"help", 0, "help()     -- help info"},
    {"i", 0, "i()        -- information about the system"},
    {"ni", 0, "ni()       -- information about the networked system"},
    {"i", 3, "i(X,Y,Z)   -- information about pid <X,Y,Z>"},
    {"l", 1, "l(Module)  -- load or reload module"},
    {"lm", 0, "lm()       -- load all modified modules"},
    {"ls", 0, "ls()       -- list files in the current directory"},
    {"ls", 1, "ls(Dir)    -- list files in directory <Dir>"},
    {"m", 0, "m()        -- which modules are loaded"},
    {"m", 1, "m(Mod)     -- information about module <Mod>"},
    {"mm", 0, "mm()       -- list all modified modules"},
    {"memory", 0, "memory()   -- memory allocation information"},
    {"memory", 1, "memory(T)  -- memory allocation information of type <T>"},
    {"pid", 3, "pid(X,Y,Z) -- convert X,Y,Z to a Pid"},
    {"pwd", 0, "pwd()      -- print working directory"},
    {"q", 0, "q()        -- quit - shorthand for init:stop()"},
    {"regs", 0, "regs()     -- information about registered processes"},
    {"nregs", 0, "nregs()    -- information about all registered processes"},
    {"uptime", 0, "uptime()   -- print node uptime"},
};

static bool is_command(const char *name, int arity);

/* The record commands rd/2, rf/0,1, rl/0,1 and rp/1 are evaluated by the
** evaluator itself (shell/records.c), not through the table below. */
static bool is_record_command(const char *name, int arity)
{
    return (!strcmp(name, "rd") && arity == 2) || (!strcmp(name, "rp") && arity == 1) ||
           ((!strcmp(name, "rf") || !strcmp(name, "rl")) && arity <= 1);
}

void shell_help(Buf *b)
{
    buf_puts(b, "** shell internal commands **\n");
    for (size_t i = 0; i < sizeof help_lines / sizeof *help_lines; i++)
        if (!help_lines[i].name || is_command(help_lines[i].name, help_lines[i].arity) ||
            is_record_command(help_lines[i].name, help_lines[i].arity))
            buf_printf(b, "%s\n", help_lines[i].text);
}

static Term cmd_help(void)
{
    Buf b = {0};
    shell_help(&b);
    shell_print(buf_str(&b));
    buf_free(&b);
    return AM_true;
}

static Term cmd_q(void)
{
    shell_quit();
    return AM_ok;
}

static Term cmd_halt0(void)
{
    fflush(stdout);
    exit(0);
}

static Term cmd_halt1(Term status)
{
    fflush(stdout);
    exit(erl_is_int(status) ? (int)(erl_int_value(status) & 255) : 1);
}

/* ============================================================== hooks */

static const struct {
    const char *name;
    int arity;
    void *fn;
} commands[] = {
    {"c", 1, (void *)compile_c1},    {"c", 2, (void *)compile_c2},  {"l", 1, (void *)compile_l},       {"flush", 0, (void *)cmd_flush},
    {"m", 0, (void *)cmd_m0},        {"m", 1, (void *)cmd_m1},      {"mm", 0, (void *)modified_modules},
    {"lm", 0, (void *)cmd_lm},       {"b", 0, (void *)cmd_b},       {"f", 0, (void *)cmd_f0},
    {"f", 1, (void *)cmd_f1},        {"pwd", 0, (void *)cmd_pwd},   {"cd", 1, (void *)cmd_cd},
    {"ls", 0, (void *)cmd_ls0},      {"ls", 1, (void *)cmd_ls1},       {"help", 0, (void *)cmd_help}, {"q", 0, (void *)cmd_q},
    {"halt", 0, (void *)cmd_halt0},  {"halt", 1, (void *)cmd_halt1},
    {"h", 0, (void *)cmd_h},         {"v", 1, (void *)cmd_v},       {"e", 1, (void *)cmd_e},
    {"i", 0, (void *)cmd_i0},        {"ni", 0, (void *)cmd_i0},     {"i", 3, (void *)cmd_i3},
    {"regs", 0, (void *)cmd_regs},   {"nregs", 0, (void *)cmd_regs}, {"pid", 3, (void *)cmd_pid},
    /* the system and the history's limits (cmd_system.c) */
    {"memory", 0, (void *)cmd_memory0}, {"memory", 1, (void *)cmd_memory1}, {"uptime", 0, (void *)cmd_uptime},
    {"bt", 1, (void *)cmd_bt},       {"history", 1, (void *)cmd_history}, {"results", 1, (void *)cmd_results},
};

static bool is_command(const char *name, int arity)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (commands[i].arity == arity && strcmp(commands[i].name, name) == 0)
            return true;
    return false;
}

const char *shell_command(size_t i, int *arity)
{
    if (i >= sizeof commands / sizeof *commands)
        return NULL;
    *arity = commands[i].arity;
    return commands[i].name;
}

Term eval_hook_local_call(Term name, int argc, Term *argv)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (commands[i].arity == argc && strcmp(commands[i].name, erl_atom_name(name)) == 0)
            return proc_apply(commands[i].fn, argc, argv);
    void *bif = bif_autoimported(name, argc);
    if (bif)
        return proc_apply(bif, argc, argv);
    Heap *h = heap_current();
    Term args = ERL_NIL;
    for (int i = argc; i > 0; i--)
        args = term_cons(h, argv[i - 1], args);
    exc_raise(AM_error, AM_undef, term_tuple(h, 3, (Term[]){AM_shell, name, args}));
}

Term eval_hook_remote_call(Term mod, Term fun, int argc, Term *argv)
{
    /* the atoms this looks for, found once: every call of a fun M:F/A
    ** made at the prompt passes here */
    static Term am_module_info, am_init, am_stop, am_halt, am_c, am_shell_default;
    if (!am_module_info) {
        am_module_info = erl_atom("module_info");
        am_init = erl_atom("init");
        am_stop = erl_atom("stop");
        am_halt = erl_atom("halt");
        am_c = erl_atom("c");
        am_shell_default = erl_atom("shell_default");
    }
    if (fun == am_module_info && argc <= 1 && !export_is_builtin_module(mod)) {
        Module *m = code_module(mod);
        if (!m || !m->cur)
            export_autoload(mod);
        Term r = bif_module_info(mod, argc ? argv[0] : ERL_NONE);
        if (r != ERL_NONE)
            return r;
    }
    if (mod == am_init && fun == am_stop && argc == 0)
        return cmd_q();
    if (mod == AM_erlang && fun == am_halt)
        return argc ? cmd_halt1(argv[0]) : cmd_halt0();
    if (mod == am_c || mod == am_shell_default)
        return eval_hook_local_call(fun, argc, argv);
    return export_apply(mod, fun, argc, argv);
}

Term eval_hook_send(Term to, Term msg)
{
    return bif_send(to, msg);
}

Term eval_hook_receive(bool (*match)(Term msg, void *ctx), void *ctx, long timeout_ms)
{
    return bif_receive(match, ctx, timeout_ms);
}
