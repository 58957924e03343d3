/*
** bif_code.c
** The code module and erlang's code BIFs, module_info, and io:format;
** bif_init registers every built-in module.
*/
#include "bif.h"
#include "hibernate.h"
#include "buf.h"
#include "code.h"
#include "error.h"
#include "export.h"
#include "fun.h"
#include "node.h"
#include "dist/dist.h"
#include "print.h"
#include "proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static Term atom_arg(const char *name, Term a)
{
    if (!erl_is_atom(a))
        exc_badarg(name, 1, &a, NULL);
    return a;
}

static Term boolean(bool b)
{
    return b ? AM_true : AM_false;
}

/* ============================================================== code */

static Term bif_load_file(Term mod)
{
    atom_arg("code:load_file", mod);
    char *why = NULL;
    Term r = code_load_file(heap_current(), mod, &why);
    Buf b = {0};
    code_report_load_failure(&b, mod, NULL, r, why);
    if (b.len)
        bif_report(b.s, b.len);
    buf_free(&b);
    free(why);
    return r;
}

static Term bif_purge(Term mod)
{
    return boolean(code_purge(atom_arg("code:purge", mod)));
}

static Term bif_soft_purge(Term mod)
{
    return boolean(code_soft_purge(atom_arg("code:soft_purge", mod)));
}

static Term bif_delete(Term mod)
{
    if (code_delete(atom_arg("code:delete", mod)))
        return AM_true;
    Buf b = {0};
    code_report_delete_failure(&b, mod);
    if (b.len)
        bif_report(b.s, b.len);
    buf_free(&b);
    return AM_false;
}

static Term file_of(Heap *h, Module *m)
{
    const char *p = m->cur->path;
    return term_string(h, p, strlen(p));
}

static Term bif_is_loaded(Term mod)
{
    Heap *h = heap_current();
    if (export_is_builtin_module(atom_arg("code:is_loaded", mod)))
        return term_tuple(h, 2, (Term[]){AM_file, erl_atom("preloaded")});
    Module *m = code_module(mod);
    if (!m || !m->cur)
        return AM_false;
    return term_tuple(h, 2, (Term[]){AM_file, file_of(h, m)});
}

static Term bif_all_loaded(void)
{
    Heap *h = heap_current();
    size_t n;
    Module **v = code_loaded(&n);
    Term list = ERL_NIL;
    for (size_t i = n; i > 0; i--)
        list = term_cons(h, term_tuple(h, 2, (Term[]){v[i - 1]->name, file_of(h, v[i - 1])}), list);
    free(v);
    return list;
}

static Term bif_which(Term mod)
{
    Heap *h = heap_current();
    if (export_is_builtin_module(atom_arg("code:which", mod)))
        return erl_atom("preloaded");
    Module *m = code_module(mod);
    if (m && m->cur)
        return file_of(h, m);
    char *file = code_find_object(mod);
    if (!file)
        return AM_non_existing;
    Term r = term_string(h, file, strlen(file));
    free(file);
    return r;
}

static Term bif_ensure_loaded(Term mod)
{
    Heap *h = heap_current();
    Module *m = code_module(atom_arg("code:ensure_loaded", mod));
    if ((m && m->cur) || export_is_builtin_module(mod))
        return term_tuple(h, 2, (Term[]){AM_module, mod});
    return bif_load_file(mod);
}

static Term add_path(Term dir, bool front, const char *name)
{
    char buf[4096];
    size_t n = 0;
    for (Term t = dir; erl_is_cons(t); t = erl_tl(t)) {
        Term c = erl_hd(t);
        if (n + 1 >= sizeof buf || !erl_is_int(c))
            exc_badarg(name, 1, &dir, NULL);
        buf[n++] = (char)erl_int_value(c);
    }
    buf[n] = '\0';
    if (!erl_is_cons(dir))
        exc_badarg(name, 1, &dir, NULL);
    struct stat st;
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
        return term_tuple(heap_current(), 2, (Term[]){AM_error, erl_atom("bad_directory")});
    code_add_path(buf, front);
    return AM_true;
}

static Term bif_add_patha(Term dir)
{
    return add_path(dir, true, "code:add_patha");
}

static Term bif_add_pathz(Term dir)
{
    return add_path(dir, false, "code:add_pathz");
}

/* The directory named by a string argument, into buf; badarg otherwise. */
static void dir_arg(Term dir, char *buf, size_t size, const char *name)
{
    size_t n = 0;
    Term t = dir;
    for (; erl_is_cons(t); t = erl_tl(t)) {
        Term c = erl_hd(t);
        if (n + 1 >= size || !erl_is_int(c) || erl_int_value(c) <= 0 || erl_int_value(c) > 255)
            exc_badarg(name, 1, &dir, NULL);
        buf[n++] = (char)erl_int_value(c);
    }
    if (t != ERL_NIL)
        exc_badarg(name, 1, &dir, NULL);
    buf[n] = '\0';
}

static Term bif_stick_dir(Term dir)
{
    char buf[4096];
    dir_arg(dir, buf, sizeof buf, "code:stick_dir");
    return code_stick_dir(buf) == 0 ? AM_ok : AM_error;
}

static Term bif_unstick_dir(Term dir)
{
    char buf[4096];
    dir_arg(dir, buf, sizeof buf, "code:unstick_dir");
    return code_unstick_dir(buf) == 0 ? AM_ok : AM_error;
}

static Term bif_is_sticky(Term mod)
{
    return boolean(code_is_sticky(atom_arg("code:is_sticky", mod)));
}

static Term bif_get_path(void)
{
    return code_get_path(heap_current());
}

/* ======================================================= erlang: code */

static Term bif_check_process_code(Term pid, Term mod)
{
    if (!erl_is_pid(pid) || !erl_is_atom(mod))
        exc_badarg("check_process_code", 2, (Term[]){pid, mod}, NULL);
    return boolean(code_check_process(pid, mod));
}

static Term bif_purge_module(Term mod)
{
    if (!erl_is_atom(mod) || !code_has_old(mod))
        exc_badarg("purge_module", 1, &mod, NULL);
    code_purge(mod);
    return AM_true;
}

static Term bif_check_old_code(Term mod)
{
    return boolean(code_has_old(atom_arg("check_old_code", mod)));
}

static Term bif_module_loaded(Term mod)
{
    Module *m = code_module(atom_arg("module_loaded", mod));
    return boolean((m && m->cur) || export_is_builtin_module(mod));
}

/* ======================================================== module_info */

/* The source file an object was compiled from: Mod.o -> Mod.c. */
static Term source_of(Heap *h, const char *obj)
{
    Buf b = {0};
    buf_puts(&b, obj);
    if (b.len > 2 && strcmp(b.s + b.len - 2, ".o") == 0)
        b.s[b.len - 1] = 'c';
    Term src = term_string(h, b.s, b.len);
    buf_free(&b);
    return src;
}

/* Mod:module_info() and module_info/1 for a loaded C module. */
Term bif_module_info(Term mod, Term key)
{
    Heap *h = heap_current();
    Module *m = code_module(mod);
    if (!m || !m->cur)
        return ERL_NONE;
    ModVersion *v = m->cur;
    Term exports = ERL_NIL;
    exports = term_cons(h, term_tuple(h, 2, (Term[]){erl_atom("module_info"), erl_mk_int(1)}), exports);
    exports = term_cons(h, term_tuple(h, 2, (Term[]){erl_atom("module_info"), erl_mk_int(0)}), exports);
    for (int i = v->nexports; i > 0; i--)
        exports = term_cons(h, term_tuple(h, 2, (Term[]){v->exports[i - 1].fun, erl_mk_int(v->exports[i - 1].arity)}),
                            exports);
    Term md5 = term_binary(h, v->md5, 16);
    Term compile = term_cons(h, term_tuple(h, 2, (Term[]){erl_atom("source"), source_of(h, v->path)}),
                             ERL_NIL);
    Term attributes = ERL_NIL; /* [{vsn, "1.1"}] for a module with VSN("1.1"), as erl's -vsn */
    if (v->vsn)
        attributes = term_cons(h, term_tuple(h, 2, (Term[]){erl_atom("vsn"), erl_mk_string(v->vsn)}), ERL_NIL);
    if (key == erl_atom("module"))
        return mod;
    if (key == AM_exports)
        return exports;
    if (key == AM_md5)
        return md5;
    if (key == AM_attributes)
        return attributes;
    if (key == AM_compile)
        return compile;
    if (key != ERL_NONE)
        exc_badarg("module_info", 1, &key, NULL);
    Term items[5] = {
        term_tuple(h, 2, (Term[]){AM_module, mod}),
        term_tuple(h, 2, (Term[]){AM_exports, exports}),
        term_tuple(h, 2, (Term[]){AM_attributes, attributes}),
        term_tuple(h, 2, (Term[]){AM_compile, compile}),
        term_tuple(h, 2, (Term[]){AM_md5, md5}),
    };
    return erl_list_n(5, items);
}

/* ================================================================ io */

/* Where io output goes; the shell replaces it to keep its prompt intact. */
void (*bif_output)(const char *s, size_t n);

static void default_output(const char *s, size_t n)
{
    fwrite(s, 1, n, stdout);
}

void (*bif_report)(const char *s, size_t n);

/* io:format(Fmt, Args) written to 'out'; 'who' names the caller for the
** soundness check. */
static Term format_to(void (*out)(const char *, size_t), const char *who, const char *fmt, Term args)
{
    exc_check_term(who, args);
    Buf b = {0};
    if (print_format(&b, fmt, args) != 0) {
        buf_free(&b);
        Heap *h = heap_current();
        Term a[2] = {term_string(h, fmt, strlen(fmt)), args};
        exc_badarg("io:format", 2, a, NULL);
    }
    out(b.s ? b.s : "", b.len);
    buf_free(&b);
    return AM_ok;
}

Term io_format(const char *fmt, Term args)
{
    return format_to(bif_output, "io_format", fmt, args);
}

Term logger_format(const char *fmt, Term args)
{
    return format_to(bif_report, "logger_format", fmt, args);
}

/* ====================================================== registration */

void bif_init(void)
{
    if (!bif_output)
        bif_output = default_output;
    if (!bif_report)
        bif_report = default_output;
    bif_erlang_init();
    bif_process_init();
    bif_term_init();
    bif_maps_init();
    bif_binary_init();
    bif_number_init();
    bif_time_init();
    bif_dict_init();
    bif_info_init();
    bif_display_init();
    bif_typetest_init();
    bif_ops_init();
    bif_upgrade_init();
    node_bif_init(); /* pids, refs and nodes (node.c) */
    hibernate_init(); /* memory: erlang:hibernate/3 (hibernate.c) */
    dist_bif_init(); /* nodes(), net_adm:ping/1, monitor_node/2 (dist/ctrl.c) */
    fun_bif_init();  /* funs (fun.c) */
    bif_io_init();   /* io:format, put_chars, ... (bif_io.c) */
    export_builtin("erlang", "check_process_code", 2, (void *)bif_check_process_code)->autoimport = true;
    export_builtin("erlang", "purge_module", 1, (void *)bif_purge_module);
    export_builtin("erlang", "check_old_code", 1, (void *)bif_check_old_code)->autoimport = true;
    export_builtin("erlang", "module_loaded", 1, (void *)bif_module_loaded)->autoimport = true;
    export_builtin("code", "load_file", 1, (void *)bif_load_file);
    export_builtin("code", "purge", 1, (void *)bif_purge);
    export_builtin("code", "soft_purge", 1, (void *)bif_soft_purge);
    export_builtin("code", "delete", 1, (void *)bif_delete);
    export_builtin("code", "is_loaded", 1, (void *)bif_is_loaded);
    export_builtin("code", "all_loaded", 0, (void *)bif_all_loaded);
    export_builtin("code", "which", 1, (void *)bif_which);
    export_builtin("code", "ensure_loaded", 1, (void *)bif_ensure_loaded);
    export_builtin("code", "add_patha", 1, (void *)bif_add_patha);
    export_builtin("code", "add_pathz", 1, (void *)bif_add_pathz);
    export_builtin("code", "add_path", 1, (void *)bif_add_pathz);
    export_builtin("code", "get_path", 0, (void *)bif_get_path);
    export_builtin("code", "stick_dir", 1, (void *)bif_stick_dir);
    export_builtin("code", "unstick_dir", 1, (void *)bif_unstick_dir);
    export_builtin("code", "is_sticky", 1, (void *)bif_is_sticky);
}
