/*
** bif_upgrade.c
** What a live upgrade needs besides load_file (modules/upgrade.c):
** compile:file/1, which compiles without loading, code:revert/1, which
** takes a load back, and erlang:get_module_info/2.
*/
#include "bif.h"
#include "cc.h"
#include "code.h"
#include "error.h"
#include "export.h"
#include "heap.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* compile:file(File): compiles File.c (a string or an atom, ".c"
** optional) to Base.o in the current directory, as erl's writes
** Base.beam, and loads nothing. {ok, Base} or error; the compiler's
** diagnostics are printed. */
static Term bif_compile_file(Term file)
{
    char name[PATH_MAX - 8];
    size_t n = 0;
    if (erl_is_atom(file)) {
        snprintf(name, sizeof name, "%s", erl_atom_name(file));
    } else {
        for (Term t = file; erl_is_cons(t); t = erl_tl(t)) {
            Term c = erl_hd(t);
            if (!erl_is_int(c) || erl_int_value(c) <= 0 || erl_int_value(c) > 255 || n + 1 >= sizeof name)
                exc_badarg("compile:file", 1, &file, NULL);
            name[n++] = (char)erl_int_value(c);
        }
        name[n] = '\0';
        if (n == 0)
            exc_badarg("compile:file", 1, &file, NULL);
    }
    size_t len = strlen(name);
    if (len > 2 && strcmp(name + len - 2, ".c") == 0)
        name[len - 2] = '\0';
    char src[PATH_MAX], obj[PATH_MAX];
    snprintf(src, sizeof src, "%s.c", name);
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    snprintf(obj, sizeof obj, "%s.o", base);
    struct stat st;
    if (stat(src, &st) != 0) {
        char msg[PATH_MAX + 64];
        int k = snprintf(msg, sizeof msg, "%s: no such file or directory\n", src);
        bif_output(msg, (size_t)k < sizeof msg ? (size_t)k : sizeof msg - 1);
        return AM_error;
    }
    char *diag = NULL;
    int rc = cc_compile(src, obj, &diag);
    if (diag) {
        bif_output(diag, strlen(diag));
        free(diag);
    }
    if (rc != 0)
        return AM_error;
    return term_tuple(heap_current(), 2, (Term[]){AM_ok, erl_atom(base)});
}

/* code:revert(Mod) -> true | false: see code_revert. */
static Term bif_revert(Term mod)
{
    if (!erl_is_atom(mod))
        exc_badarg("code:revert", 1, &mod, NULL);
    return code_revert(mod) == 0 ? AM_true : AM_false;
}

/* erlang:get_module_info(Mod, Key): Mod:module_info(Key), for a module
** that calls it through the export table. */
static Term bif_get_module_info(Term mod, Term key)
{
    Term r = erl_is_atom(mod) && erl_is_atom(key) ? bif_module_info(mod, key) : ERL_NONE;
    if (r == ERL_NONE)
        exc_badarg("erlang:get_module_info", 2, (Term[]){mod, key}, NULL);
    return r;
}

void bif_upgrade_init(void)
{
    export_builtin("erlang", "get_module_info", 2, (void *)bif_get_module_info);
    export_builtin("compile", "file", 1, (void *)bif_compile_file);
    export_builtin("code", "revert", 1, (void *)bif_revert);
}
