/*
** commands.c
** The shell's built-in commands (c/1, l/1, flush/0, ...) and the hooks the
** evaluator calls for calls, sends and receives.
*/
#include "eval_hooks.h"
#include "cmdhist.h"
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

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

Term bif_module_info(Term mod, Term key);

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

static Term tuple2(Term a, Term b)
{
    return term_tuple(heap_current(), 2, (Term[]){a, b});
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

/* =========================================================== c and l */

/* l(M): purge, then load from the code path. If the purge killed a process
** linked to the shell, the shell's exit is raised here, before loading. */
static Term cmd_l(Term mod)
{
    if (!erl_is_atom(mod))
        exc_badarg("c:l", 1, &mod, NULL);
    code_purge(mod);
    proc_check_signals();
    char *why = NULL;
    Term r = code_load_file(heap_current(), mod, &why);
    if (why) {
        shell_printf("=ERROR REPORT==== Loading of %s.o failed: %s\n", erl_atom_name(mod), why);
        free(why);
    }
    return r;
}

/* c(M): compile M.c to M.o in the current directory, then l(M). */
static Term cmd_c(Term arg)
{
    char name[PATH_MAX - 8];
    if (!text_arg(arg, name, sizeof name))
        exc_badarg("c:c", 1, &arg, NULL);
    size_t len = strlen(name);
    if (len > 2 && strcmp(name + len - 2, ".c") == 0)
        name[len -= 2] = '\0';
    char src[PATH_MAX], obj[PATH_MAX];
    snprintf(src, sizeof src, "%s.c", name);
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    snprintf(obj, sizeof obj, "%s.o", base);
    struct stat st;
    if (stat(src, &st) != 0) {
        if (erl_is_atom(arg))
            return tuple2(AM_error, AM_non_existing);
        shell_printf("%s: no such file or directory\n", src);
        return AM_error;
    }
    char *diag = NULL;
    int rc = cc_compile(src, obj, &diag);
    if (diag) {
        shell_print(diag);
        free(diag);
    }
    if (rc != 0)
        return AM_error;
    Term mod = erl_atom(base);
    Term r = cmd_l(mod);
    if (erl_is_tuple(r) && erl_element(r, 1) == AM_module)
        return tuple2(AM_ok, mod);
    return AM_error;
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
        *link = term_cons(h, cmd_l(erl_hd(mods)), ERL_NIL);
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
        buf_printf(&b, "%s = ", erl_atom_name(v[i].name));
        print_pretty_shell(&b, v[i].value, (int)b.len + 1, 30); /* shell:pp */
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

static Term cmd_cd(Term dir)
{
    char d[PATH_MAX];
    if (!text_arg(dir, d, sizeof d) || chdir(d) != 0)
        shell_printf("Cannot change directory to %s\n", text_arg(dir, d, sizeof d) ? d : "?");
    return cmd_pwd();
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static Term list_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        shell_printf("%s: no such file or directory\n", dir);
        return AM_ok;
    }
    char **names = NULL;
    size_t n = 0, width = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        names = xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = xstrdup(e->d_name);
        if (strlen(e->d_name) > width)
            width = strlen(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    size_t col = width + 2, per_line = col < 80 ? 80 / col : 1, at = 0;
    for (size_t i = 0; i < n; i++) {
        shell_printf("%-*s", (int)col, names[i]);
        if (++at == per_line || i + 1 == n) {
            shell_printf("\n");
            at = 0;
        }
        free(names[i]);
    }
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
    if (!text_arg(dir, d, sizeof d))
        exc_badarg("c:ls", 1, &dir, NULL);
    return list_dir(d);
}

/* ============================================================ history */

/* v(N) and e(N) with N known only when they run (literal ones were checked
** before the command ran, as erl does). */
static int history_arg(Term n)
{
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
    exc_raise(x.cls, x.reason, x.where);
}

/* ========================================================= processes */

static Term pinfo(Proc *p, const char *key)
{
    Term args[2] = {p->pid, erl_atom(key)};
    Term r = export_apply(AM_erlang, erl_atom("process_info"), 2, args);
    return erl_is_tuple(r) ? erl_element(r, 2) : ERL_NONE;
}

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
        long long h = erl_int_value(pinfo(p, "heap_size")), r = erl_int_value(pinfo(p, "reductions"));
        long long m = erl_int_value(pinfo(p, "message_queue_len")), s = erl_int_value(pinfo(p, "stack_size"));
        heap += h, reds += r, msgs += m, stack += s;
        print_write(&pid, p->pid);
        put_mfa(&ic, pinfo(p, "initial_call"));
        if (p->name != ERL_NONE)
            print_write(&name, p->name);
        put_mfa(&cf, pinfo(p, "current_function"));
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
        put_mfa(&ic, pinfo(p, "initial_call"));
        buf_printf(&out, "%-21.21s %-12.12s %-25.25s %12lld %4lld\n", buf_str(&name), buf_str(&pid), buf_str(&ic),
                   (long long)erl_int_value(pinfo(p, "reductions")),
                   (long long)erl_int_value(pinfo(p, "message_queue_len")));
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

static Term cmd_help(void)
{
    shell_print("** shell internal commands **\n"
                "b()        -- display all variable bindings\n"
                "e(N)       -- repeat the expression in query <N>\n"
                "f()        -- forget all variable bindings\n"
                "f(X)       -- forget the binding of variable X\n"
                "h()        -- history\n"
                "v(N)       -- use the value of query <N>\n"
                "rd(R,D)    -- define a record\n"
                "rf()       -- remove all record information\n"
                "rf(R)      -- remove record information about R\n"
                "rl()       -- display all record information\n"
                "rl(R)      -- display record information about R\n"
                "rp(Term)   -- display Term using the shell's record information\n"
                "** commands in module c **\n"
                "c(Mod)     -- compile Mod.c and load Mod.o (purging first)\n"
                "cd(Dir)    -- change working directory\n"
                "flush()    -- flush any messages sent to the shell\n"
                "halt()     -- stop cerl at once (halt(N): with exit status N)\n"
                "help()     -- help info\n"
                "i()        -- information about the system\n"
                "ni()       -- information about the networked system\n"
                "i(X,Y,Z)   -- information about pid <X,Y,Z>\n"
                "l(Module)  -- purge Module, then load Module.o from the code path\n"
                "lm()       -- load all modified modules\n"
                "ls()       -- list files in the current directory\n"
                "ls(Dir)    -- list files in directory <Dir>\n"
                "m()        -- which modules are loaded\n"
                "m(Mod)     -- information about module <Mod>\n"
                "mm()       -- list all modified modules\n"
                "pid(X,Y,Z) -- convert X,Y,Z to a Pid\n"
                "pwd()      -- print working directory\n"
                "q()        -- quit - shorthand for init:stop()\n"
                "regs()     -- information about registered processes\n"
                "nregs()    -- information about all registered processes\n");
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
    {"c", 1, (void *)cmd_c},         {"l", 1, (void *)cmd_l},       {"flush", 0, (void *)cmd_flush},
    {"m", 0, (void *)cmd_m0},        {"m", 1, (void *)cmd_m1},      {"mm", 0, (void *)modified_modules},
    {"lm", 0, (void *)cmd_lm},       {"b", 0, (void *)cmd_b},       {"f", 0, (void *)cmd_f0},
    {"f", 1, (void *)cmd_f1},        {"pwd", 0, (void *)cmd_pwd},   {"cd", 1, (void *)cmd_cd},
    {"ls", 0, (void *)cmd_ls0},      {"ls", 1, (void *)cmd_ls1},       {"help", 0, (void *)cmd_help}, {"q", 0, (void *)cmd_q},
    {"halt", 0, (void *)cmd_halt0},  {"halt", 1, (void *)cmd_halt1},
    {"h", 0, (void *)cmd_h},         {"v", 1, (void *)cmd_v},       {"e", 1, (void *)cmd_e},
    {"i", 0, (void *)cmd_i0},        {"ni", 0, (void *)cmd_i0},     {"i", 3, (void *)cmd_i3},
    {"regs", 0, (void *)cmd_regs},   {"nregs", 0, (void *)cmd_regs}, {"pid", 3, (void *)cmd_pid},
};

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
    if (fun == erl_atom("module_info") && argc <= 1 && !export_is_builtin_module(mod)) {
        Module *m = code_module(mod);
        if (!m || !m->cur)
            export_autoload(mod);
        Term r = bif_module_info(mod, argc ? argv[0] : ERL_NONE);
        if (r != ERL_NONE)
            return r;
    }
    if (mod == erl_atom("init") && fun == erl_atom("stop") && argc == 0)
        return cmd_q();
    if (mod == AM_erlang && fun == erl_atom("halt"))
        return argc ? cmd_halt1(argv[0]) : cmd_halt0();
    if (mod == erl_atom("c") || mod == erl_atom("shell_default"))
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
