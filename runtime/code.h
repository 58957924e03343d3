/*
** code.h
** The code server: two versions per module (current and old), loading
** from the code path, purging (which kills processes running old code).
*/
#ifndef CERL_CODE_H
#define CERL_CODE_H

#include "cc.h"
#include "symtab.h"
#include "term.h"

/* One loaded version of a module.
** Invariant: every export's fn lies in [img.mem, img.mem + img.size);
** while this version is current, the export table points at those fns. */
typedef struct ModVersion {
    CcImage img;
    char *path;        /* absolute path of the object file it came from */
    char *vsn;         /* VSN("...") of its source, or NULL (OTP behaviours) */
    unsigned char md5[16];
    int nexports;
    struct ModExport {
        Term fun;
        int arity;
        void *fn;
    } *exports;        /* sorted by name, then arity */
    FnSym *funcs;      /* every function, static ones too, by address */
    size_t nfuncs;
    struct LineTable *lines; /* line numbers from -g (stacktrace.h), or NULL */
    unsigned scan_bit; /* its bit in the purge scan's summaries (purgescan.h): while
                       ** at most 64 versions are loaded, no other has it */
} ModVersion;

/* Invariant: old != NULL only if the module was loaded at least twice or
** deleted; a module with neither version is removed from the table. */
typedef struct Module {
    Term name;
    ModVersion *cur, *old;
    struct Module *next;
} Module;

/* Sets the code path to "." and hooks autoload into the export table. */
void code_init(void);
/* Appends / prepends a directory to the code path. */
void code_add_path(const char *dir, bool front);
/* The code path as a list of strings on heap h. */
Term code_get_path(Heap *h);

/* The module's table entry, or NULL when it has no loaded version. */
Module *code_module(Term mod);
/* Every module with a current version, in name order, as a malloc'd array
** of *n entries (caller frees the array). */
Module **code_loaded(size_t *n);

/* The object file for 'mod' on the code path ("<dir>/<mod>.o"), malloc'd,
** or NULL when there is none or 'mod' is not a valid module name. Sticky
** directories on the path are searched first. */
char *code_find_object(Term mod);
/* Whether 'mod' can name an object file in a directory of the code path:
** not empty, no '/' (as erl, l('../x') and l('a/b') find nothing). */
bool code_valid_name(Term mod);

/* code:stick_dir(Dir): modules in Dir cannot be shadowed by objects of the
** same name earlier in the path, nor reloaded once loaded (load_file
** answers {error, sticky_directory}). Returns 0, or -1 when Dir is not a
** directory. code:unstick_dir(Dir) undoes it; -1 likewise. */
int code_stick_dir(const char *dir);
int code_unstick_dir(const char *dir);
/* code:is_sticky(Mod): whether Mod is built in (erlang, code, ...), or its
** current version came from a sticky directory. */
bool code_is_sticky(Term mod);

/* code:load_file(Mod): {module, Mod}, or {error, nofile | badfile |
** not_purged | sticky_directory}. The object is read once and validated
** (objfile_check) before libtcc sees it; a corrupt or hostile object is
** badfile. On any error both versions stay exactly as they were. A
** diagnostic for badfile is appended to *why when why is not NULL. */
Term code_load_file(Heap *h, Term mod, char **why);
/* code:load_abs: as code_load_file, from the object file 'file' (c/2 with
** {outdir, Dir}); {error, nofile} is not among its answers. */
Term code_load_abs(Heap *h, Term mod, const char *file, char **why);

/* erl's error reports for a load's answer 'result' (appended to b, nothing
** for a success, nofile or sticky_directory): "Loading of /abs/t.o failed:
** not_purged" (badfile: first "Error loading module t:" with 'why').
** 'file' is the object loaded, or NULL for the one on the code path. */
struct Buf;
void code_report_load_failure(struct Buf *b, Term mod, const char *file, Term result, const char *why);
/* erl's report when code:delete(mod) is refused because old code is still
** there: "Module t must be purged before deleting"; nothing otherwise. */
void code_report_delete_failure(struct Buf *b, Term mod);
/* Whether loading another object of 'mod' must fail with sticky_directory:
** mod is sticky (code_is_sticky), or the object the code path holds for it
** lies in a sticky directory (the standard library, loaded or not yet), as
** erl refuses c(lists) and c(digraph). */
bool code_resides_in_sticky_dir(Term mod);
/* erl's report for it: "Can't load module 'lists' that resides in sticky dir". */
void code_report_sticky(struct Buf *b, Term mod);

/* Rolls back the last load of Mod (OTP behaviours' upgrade): the old
** version becomes current again, its export entries reinstalled, and the
** version that was current becomes old, so a process still running it
** runs on until the next purge. Returns 0, or -1 when Mod has no old
** version (nothing changes then). */
int code_revert(Term mod);

/* Whether no other loaded version has v's scan_bit (purgescan.h). */
bool code_scan_bit_unique(const ModVersion *v);

/* code:purge(Mod): kills every process running the old version (reason
** killed), then removes it. Returns whether a process was killed. With no
** old version: false. If the caller itself ran the old code it gets an exit
** signal, raised when it returns to process code. */
bool code_purge(Term mod);
/* code:soft_purge(Mod): true, or false (and nothing changes) when some
** process still runs the old version. */
bool code_soft_purge(Term mod);
/* code:delete(Mod): current becomes old. False when there is an old version
** already or no current one. */
bool code_delete(Term mod);
/* erlang:check_old_code/1. */
bool code_has_old(Term mod);
/* erlang:check_process_code(Pid, Mod). */
bool code_check_process(Term pid, Term mod);

/* The module, function and version ({Mod, Fun, current|old}) that the code
** address 'addr' belongs to, or ERL_NONE when it is in no module. */
Term code_address_info(Heap *h, uintptr_t addr);

/* The function 'addr' lies in, without allocating: its module, its name
** (undefined when it is in no function), its position among the version's
** functions (*index, from 0), the version's md5 and whether the version is
** old. False when addr is in no loaded version. */
bool code_function_at(uintptr_t addr, Term *mod, Term *name, long *index, unsigned char md5[16], bool *old);

/* Purged code: its address range stays reserved and inaccessible for a while
** (see code.c), so that a stale pointer into it faults. Whether addr lies in
** such a range, and {Mod, Fun, purged} for it (ERL_NONE when it does not). */
bool code_in_purged(uintptr_t addr);
Term code_purged_info(Heap *h, uintptr_t addr);

/* For signal handlers (no allocation, no locks): whether addr lies in the
** image of a loaded version (current or old), and whether it lies inside one
** of its functions (static ones included). */
bool code_runs_module(uintptr_t addr);
bool code_is_function(uintptr_t addr);
/* For signal handlers too: the image [*lo, *hi) of the loaded version that
** addr lies in; false (and *lo, *hi unchanged) when it lies in none. */
bool code_image_span(uintptr_t addr, uintptr_t *lo, uintptr_t *hi);

/* Stack traces: the loaded version (current or old) whose image holds
** addr, with its module's name in *mod; NULL when addr is in none. */
const ModVersion *code_version_of(uintptr_t addr, Term *mod);

#endif
