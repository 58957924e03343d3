/*
** compile.c
** The shell's c/1, c/2 and l/1: erl's compile options turned into tcc's
** (-D, -I, the output directory), tcc's messages shown in the layout erl
** gives the compiler's, then purge and load as erl's c does.
*/
#include "compile.h"
#include "shell.h"
#include "../runtime/buf.h"
#include "../runtime/cc.h"
#include "../runtime/code.h"
#include "../runtime/error.h"
#include "../runtime/print.h"
#include "../runtime/proc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static Term pair(Term a, Term b)
{
    return term_tuple(heap_current(), 2, (Term[]){a, b});
}

/* =============================================================== l/1 */

Term compile_l(Term mod)
{
    if (!erl_is_atom(mod))
        exc_badarg("c:l", 1, &mod, NULL);
    code_purge(mod);
    proc_check_signals();
    char *why = NULL;
    Term r = code_load_file(heap_current(), mod, &why);
    Buf b = {0};
    code_report_load_failure(&b, mod, NULL, r, why);
    shell_print(buf_str(&b));
    buf_free(&b);
    free(why);
    return r;
}

/* ============================================================ options */

/* What c/2's options ask for. Strings live in 'text' (offsets, as it
** grows); erl ignores options it does not know, and so does c/2. */
typedef struct COpts {
    bool ret;          /* return, return_errors: {error, Errors, Warnings} */
    bool brief;        /* warnings without the source line */
    char outdir[PATH_MAX];
    size_t ndefines, nincludes;
    struct CcDefine defines[32];
    const char *includes[32];
    char text[8192];
    size_t used;
} COpts;

/* Copies s into o->text; NULL when it is full. */
static const char *opt_text(COpts *o, const char *s)
{
    size_t n = strlen(s) + 1;
    if (o->used + n > sizeof o->text)
        return NULL;
    char *at = o->text + o->used;
    memcpy(at, s, n);
    o->used += n;
    return at;
}

/* A -D value as C reads it: numbers and atoms as they are written, a
** string as a C string literal. False for any other term. */
static bool define_value(Term v, Buf *b)
{
    char s[1024];
    if (erl_is_number(v)) {
        print_write(b, v);
    } else if (erl_is_atom(v)) {
        buf_puts(b, erl_atom_name(v));
    } else if (v == ERL_NIL || (erl_is_cons(v) && shell_text_arg(v, s, sizeof s))) {
        buf_putc(b, '"');
        for (const char *p = v == ERL_NIL ? "" : s; *p; p++) {
            if (*p == '"' || *p == '\\')
                buf_putc(b, '\\');
            if (*p == '\n')
                buf_puts(b, "\\n");
            else
                buf_putc(b, *p);
        }
        buf_putc(b, '"');
    } else {
        return false;
    }
    return true;
}

static void parse_option(COpts *o, Term t)
{
    char s[PATH_MAX];
    if (t == erl_atom("return") || t == erl_atom("return_errors")) {
        o->ret = true;
    } else if (t == erl_atom("brief")) {
        o->brief = true;
    } else if (!erl_is_tuple(t) || !erl_is_atom(erl_element(t, 1))) {
        return; /* report, verbose, ... and anything unknown */
    }
    if (!erl_is_tuple(t))
        return;
    Term key = erl_element(t, 1);
    size_t n = erl_tuple_size(t);
    if (key == erl_atom("outdir") && n == 2 && shell_text_arg(erl_element(t, 2), s, sizeof s)) {
        snprintf(o->outdir, sizeof o->outdir, "%s", s);
    } else if (key == erl_atom("i") && n == 2 && shell_text_arg(erl_element(t, 2), s, sizeof s)) {
        const char *dir = opt_text(o, s);
        if (dir && o->nincludes < sizeof o->includes / sizeof *o->includes)
            o->includes[o->nincludes++] = dir;
    } else if (key == erl_atom("d") && (n == 2 || n == 3) && shell_text_arg(erl_element(t, 2), s, sizeof s)) {
        if (o->ndefines == sizeof o->defines / sizeof *o->defines)
            return;
        struct CcDefine *d = &o->defines[o->ndefines];
        d->name = opt_text(o, s);
        d->value = NULL;
        if (n == 3) {
            Buf v = {0};
            bool ok = define_value(erl_element(t, 3), &v);
            d->value = ok ? opt_text(o, buf_str(&v)) : NULL;
            buf_free(&v);
            if (!ok || !d->value)
                return;
        }
        if (d->name)
            o->ndefines++;
    }
}

/* c/2's Options: a list of options, or one option alone (as erl takes it). */
static void parse_options(COpts *o, Term opts)
{
    if (!erl_is_list(opts)) {
        parse_option(o, opts);
        return;
    }
    for (; erl_is_cons(opts); opts = erl_tl(opts))
        parse_option(o, erl_hd(opts));
}

/* The text of line 'n' of 'file' (without its newline) into out; false
** when there is none. */
static bool source_line(const char *file, long n, char *out, size_t size)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return false;
    bool found = false;
    for (long at = 1; fgets(out, (int)size, f); ) {
        size_t len = strlen(out);
        bool whole = len && out[len - 1] == '\n';
        if (at == n) {
            if (whole)
                out[len - 1] = '\0';
            found = true;
            break;
        }
        at += whole;
    }
    fclose(f);
    return found;
}

/* tcc's messages as erl shows the compiler's: a warning
** "t.c:9: warning: text" becomes erl's "t.c:9: Warning: text", followed
** (unless brief) by the source line as erl quotes it ("%    9| ...") and
** an empty line; errors stay as tcc words them. Appends to out; collects
** {Line, tcc, Text} entries for return into errors and warnings (reversed). */
static void show_diagnostics(const char *diag, bool brief, Buf *out, Term *errors, Term *warnings)
{
    Heap *h = heap_current();
    for (const char *line = diag; *line;) {
        size_t len = strcspn(line, "\n");
        char text[4096];
        snprintf(text, sizeof text, "%.*s", (int)len, line);
        line += len + (line[len] == '\n');
        char file[PATH_MAX];
        long n = 0;
        int at = 0;
        bool located = sscanf(text, "%4095[^:]:%ld: %n", file, &n, &at) == 2 && at > 0;
        const char *what = located ? text + at : text;
        bool warning = located && strncmp(what, "warning: ", 9) == 0;
        bool error = located && strncmp(what, "error: ", 7) == 0;
        if (!warning) {
            buf_printf(out, "%s\n", text);
            if (error)
                *errors = term_cons(h, term_tuple(h, 3, (Term[]){erl_mk_int(n), erl_atom("tcc"),
                                                                  term_string(h, what + 7, strlen(what + 7))}),
                                    *errors);
            continue;
        }
        what += 9;
        buf_printf(out, "%s:%ld: Warning: %s\n", file, n, what);
        char src[4096];
        if (!brief && source_line(file, n, src, sizeof src))
            buf_printf(out, "%%%5ld| %s\n\n", n, src);
        *warnings = term_cons(h, term_tuple(h, 3, (Term[]){erl_mk_int(n), erl_atom("tcc"),
                                                            term_string(h, what, strlen(what))}),
                              *warnings);
    }
}

/* [{File, Entries}] as compile:file returns them, [] when there are none. */
static Term file_entries(const char *src, Term reversed)
{
    Heap *h = heap_current();
    if (reversed == ERL_NIL)
        return ERL_NIL;
    Term list = ERL_NIL;
    for (; erl_is_cons(reversed); reversed = erl_tl(reversed))
        list = term_cons(h, erl_hd(reversed), list);
    return term_cons(h, pair(term_string(h, src, strlen(src)), list), ERL_NIL);
}

/* c(M, Options): compiles M.c to M.o (in the current directory, or outdir),
** purges M and loads the new object, as erl's c/2. */
static Term compile_and_load(Term arg, COpts *o)
{
    char name[PATH_MAX - 8];
    if (!shell_text_arg(arg, name, sizeof name))
        exc_badarg("c:c", 1, &arg, NULL);
    size_t len = strlen(name);
    if (len > 2 && strcmp(name + len - 2, ".c") == 0)
        name[len -= 2] = '\0';
    char src[PATH_MAX], obj[2 * PATH_MAX];
    snprintf(src, sizeof src, "%s.c", name);
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    if (o->outdir[0])
        snprintf(obj, sizeof obj, "%s/%s.o", o->outdir, base);
    else
        snprintf(obj, sizeof obj, "%s.o", base);
    struct stat st;
    if (stat(src, &st) != 0) {
        if (erl_is_atom(arg))
            return pair(AM_error, AM_non_existing);
        shell_printf("%s: no such file or directory\n", src);
        return AM_error;
    }
    char *diag = NULL;
    int rc = cc_compile_opts(src, obj, &(CcOptions){o->defines, o->ndefines, o->includes, o->nincludes}, &diag);
    Term errors = ERL_NIL, warnings = ERL_NIL;
    if (diag) {
        Buf out = {0};
        show_diagnostics(diag, o->brief, &out, &errors, &warnings);
        shell_print(buf_str(&out));
        buf_free(&out);
        free(diag);
    }
    if (rc != 0) {
        if (!o->ret)
            return AM_error;
        Heap *h = heap_current();
        return term_tuple(h, 3, (Term[]){AM_error, file_entries(src, errors), file_entries(src, warnings)});
    }
    Term mod = erl_atom(base);
    Term r;
    if (code_resides_in_sticky_dir(mod)) { /* c(lists): erl compiles, then refuses to load */
        Buf b = {0};
        code_report_sticky(&b, mod);
        shell_print(buf_str(&b));
        buf_free(&b);
        return pair(AM_error, erl_atom("sticky_directory"));
    }
    if (o->outdir[0]) {
        /* erl loads the object it wrote: code:purge, then code:load_abs */
        code_purge(mod);
        proc_check_signals();
        char *why = NULL, abs[PATH_MAX];
        r = code_load_abs(heap_current(), mod, realpath(obj, abs) ? abs : obj, &why);
        Buf b = {0};
        code_report_load_failure(&b, mod, obj, r, why);
        shell_print(buf_str(&b));
        buf_free(&b);
        free(why);
    } else {
        r = compile_l(mod);
    }
    if (erl_is_tuple(r) && erl_element(r, 1) == AM_module)
        return pair(AM_ok, mod);
    return AM_error;
}

Term compile_c1(Term arg)
{
    COpts o = {0};
    return compile_and_load(arg, &o);
}

Term compile_c2(Term arg, Term opts)
{
    COpts *o = xcalloc(1, sizeof *o);
    parse_options(o, opts);
    ErlCatch c;
    ErlException e;
    if (exc_try(&c) == 0) {
        Term r = compile_and_load(arg, o);
        exc_end(&c);
        free(o);
        return r;
    }
    exc_caught(&c, &e);
    free(o);
    exc_raise(e.cls, e.reason, e.where);
}
