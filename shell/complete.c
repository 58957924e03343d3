/*
** complete.c
** What Tab offers: the candidates for a word, from the code server, the
** export table, the shell's commands, the registry and the bindings.
*/
#include "complete.h"
#include "shell.h"
#include "../runtime/bif.h"
#include "../runtime/buf.h"
#include "../runtime/code.h"
#include "../runtime/export.h"
#include "../runtime/proc.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

/* Candidates collected so far. Invariant: v[0..n) malloc'd, all starting
** with 'prefix'. */
typedef struct Cands {
    const char *prefix;
    char **v;
    size_t n, cap;
} Cands;

static void add(Cands *c, const char *s)
{
    if (strncmp(s, c->prefix, strlen(c->prefix)) != 0)
        return;
    if (c->n + 2 > c->cap) {
        c->cap = c->cap ? 2 * c->cap : 32;
        c->v = xrealloc(c->v, c->cap * sizeof *c->v);
    }
    c->v[c->n++] = xstrdup(s);
}

static void add_suffixed(Cands *c, const char *name, const char *suffix)
{
    Buf b = {0};
    buf_puts(&b, name);
    buf_puts(&b, suffix);
    add(c, buf_str(&b));
    buf_free(&b);
}

static const char *const builtin_modules[] = {"erlang", "code", "io", "timer"};

/* ------------------------------------------------------------ Mod:Fun */

/* "mod:fun(" for each function of mod: the exports of its current version,
** or the built-in functions of a runtime module. */
static void functions_of(Cands *c, Term mod)
{
    const char *m = erl_atom_name(mod);
    Module *loaded = code_module(mod);
    if (loaded && loaded->cur) {
        ModVersion *v = loaded->cur;
        for (int i = 0; i < v->nexports; i++) {
            Buf b = {0};
            buf_printf(&b, "%s:%s(", m, erl_atom_name(v->exports[i].fun));
            add(c, buf_str(&b));
            buf_free(&b);
        }
        add_suffixed(c, m, ":module_info(");
        return;
    }
    if (!export_is_builtin_module(mod))
        return;
    size_t natoms = atom_count();
    for (size_t i = 0; i < natoms; i++) {
        Term fun = ATOM_OF_INDEX(i);
        for (int arity = 0; arity <= PROC_MAX_ARGS; arity++) {
            Export *e = export_find(mod, fun, arity);
            if (e && e->builtin) {
                Buf b = {0};
                buf_printf(&b, "%s:%s(", m, erl_atom_name(fun));
                add(c, buf_str(&b));
                buf_free(&b);
                break;
            }
        }
    }
}

/* ------------------------------------------------------- plain words */

/* Modules: loaded, built in, and every Mod.o on the code path. */
static void modules(Cands *c)
{
    size_t n;
    Module **v = code_loaded(&n);
    for (size_t i = 0; i < n; i++)
        add_suffixed(c, erl_atom_name(v[i]->name), ":");
    free(v);
    for (size_t i = 0; i < sizeof builtin_modules / sizeof *builtin_modules; i++)
        add_suffixed(c, builtin_modules[i], ":");
    Heap h;
    heap_init(&h);
    for (Term dirs = code_get_path(&h); erl_is_cons(dirs); dirs = erl_tl(dirs)) {
        Buf dir = {0};
        for (Term s = erl_hd(dirs); erl_is_cons(s); s = erl_tl(s))
            buf_putc(&dir, (char)erl_int_value(erl_hd(s)));
        DIR *d = opendir(buf_str(&dir));
        buf_free(&dir);
        if (!d)
            continue;
        for (struct dirent *e; (e = readdir(d));) {
            size_t len = strlen(e->d_name);
            if (len > 2 && strcmp(e->d_name + len - 2, ".o") == 0 && islower((unsigned char)e->d_name[0])) {
                e->d_name[len - 2] = '\0';
                add_suffixed(c, e->d_name, ":");
            }
        }
        closedir(d);
    }
    heap_destroy(&h);
}

static void commands_and_bifs(Cands *c)
{
    int arity;
    const char *name;
    for (size_t i = 0; (name = shell_command(i, &arity)); i++)
        add_suffixed(c, name, "(");
    size_t natoms = atom_count();
    for (size_t i = 0; i < natoms; i++) {
        Term fun = ATOM_OF_INDEX(i);
        for (int arity = 0; arity <= 3; arity++)
            if (bif_autoimported(fun, arity)) {
                add_suffixed(c, erl_atom_name(fun), "(");
                break;
            }
    }
}

static void registered(Cands *c)
{
    for (Proc *p = proc_first(); p; p = proc_next(p))
        if (p->name != ERL_NONE)
            add(c, erl_atom_name(p->name));
}

static void variables(Cands *c)
{
    Bindings *b = shell_bindings();
    for (size_t i = 0; i < b->n; i++)
        add(c, erl_atom_name(b->v[i].name));
}

/* ------------------------------------------------------------- entry */

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **complete_word(const char *text)
{
    Cands c = {.prefix = text};
    const char *colon = strchr(text, ':');
    if (colon) {
        Term mod = atom_lookup(text, (size_t)(colon - text));
        if (mod != ERL_NONE)
            functions_of(&c, mod);
    } else if (isupper((unsigned char)text[0]) || text[0] == '_') {
        variables(&c);
    } else {
        modules(&c);
        commands_and_bifs(&c);
        registered(&c);
    }
    if (!c.n) {
        free(c.v);
        return NULL;
    }
    qsort(c.v, c.n, sizeof *c.v, by_text);
    size_t out = 0;
    for (size_t i = 0; i < c.n; i++) {
        if (out && strcmp(c.v[out - 1], c.v[i]) == 0)
            free(c.v[i]);
        else
            c.v[out++] = c.v[i];
    }
    c.v[out] = NULL;
    return c.v;
}
