/*
** test_loader.c
** The module loader trusts nothing it is handed: a module links to cerl.h,
** libc and libm only; EXPORT is checked against the definitions; libc's
** exits end only the calling process; corrupt objects, FIFOs and terminals
** are refused without ending or hanging the runtime; module names stay in
** the code path; sticky directories cannot be shadowed.
*/
#include <check.h>
#include <libtcc.h>

#include "support.h"
#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../runtime/bif.h"
#include "../../runtime/buf.h"
#include "../../runtime/cc.h"
#include "../../runtime/code.h"
#include "../../runtime/export.h"
#include "../../runtime/fault.h"
#include "../../runtime/md5.h"
#include "../../runtime/modapi.h"
#include "../../runtime/objfile.h"
#include "../../runtime/proc.h"
#include "../../runtime/sched.h"

/* ============================================================ fixture */

static char start_dir[4096]; /* the directory the tests were started in */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static char *read_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    Buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return b.s ? buf_take(&b) : xstrdup("");
}

/* Compiles name.c holding src; returns cc_compile's result, *diag the
** messages (caller frees). */
static int compile(const char *name, const char *src, char **diag)
{
    char c[256], o[256];
    snprintf(c, sizeof c, "%s.c", name);
    snprintf(o, sizeof o, "%s.o", name);
    write_file(c, src);
    return cc_compile(c, o, diag);
}

/* code:load_file(name); *why the diagnostic (caller frees, may be NULL). */
static Term load(const char *name, char **why)
{
    char *w = NULL;
    Term r = code_load_file(heap_current(), erl_atom(name), &w);
    if (why)
        *why = w;
    else
        free(w);
    return r;
}

static bool is_error(Term r, const char *reason)
{
    return erl_is_tuple(r) && erl_element(r, 1) == AM_error && erl_element(r, 2) == erl_atom(reason);
}

static bool is_loaded(Term r)
{
    return erl_is_tuple(r) && erl_element(r, 1) == AM_module;
}

static Term call0(const char *mod, const char *fun)
{
    return export_apply(erl_atom(mod), erl_atom(fun), 0, NULL);
}

/* Long enough for a child under valgrind, whose exit alone takes seconds. */
enum { CHILD_SECONDS = 60 };

/* Runs fn in a child process with fd 0 a pipe nobody writes to (reading it
** blocks). Returns fn's result, or -1 when it has not finished within
** 'seconds' (it blocked) or died. */
static int in_child(int (*fn)(void), int seconds)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(p[0], 0);
        _exit(fn());
    }
    int status = 0;
    for (int i = 0; i < seconds * 100; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            close(p[0]);
            close(p[1]);
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    close(p[0]);
    close(p[1]);
    return -1;
}

/* ====================================== the module API and nothing else */

/* Every function include/cerl.h declares is in modapi_symbols, and the
** table names nothing else: header and table cannot drift apart. */
START_TEST(api_table_is_exactly_the_functions_cerl_h_declares)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/cerl.h", cc_include_dir());
    size_t len;
    char *h = read_bytes(path, &len);
    ck_assert_ptr_nonnull(h);
    int declared = 0;
    for (char *line = strtok(h, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "static inline", 13) == 0 || line[0] == '#' || line[0] == ' ' || line[0] == '/' ||
            line[0] == '*' || strncmp(line, "typedef", 7) == 0)
            continue;
        /* the first identifier erl_..., io_... or logger_... followed by '(' */
        char name[128] = "";
        for (char *paren = strchr(line, '('); paren && !name[0]; paren = strchr(paren + 1, '(')) {
            char *end = paren;
            while (end > line && end[-1] == ' ')
                end--;
            char *start = end;
            while (start > line && (isalnum((unsigned char)start[-1]) || start[-1] == '_'))
                start--;
            if ((strncmp(start, "erl_", 4) == 0 || strncmp(start, "io_", 3) == 0 || strncmp(start, "logger_", 7) == 0) &&
                end - start < 100)
                snprintf(name, sizeof name, "%.*s", (int)(end - start), start);
        }
        if (!name[0])
            continue;
        ck_assert_msg(modapi_find(name) != NULL, "cerl.h declares %s but modapi_symbols lacks it", name);
        declared++;
    }
    int table = 0;
    for (const ModApiSym *s = modapi_symbols; s->name; s++)
        table++;
    ck_assert_int_eq(table, declared);
    free(h);
}
END_TEST

/* name.o compiled by libtcc alone, as an object made outside c/1 would be:
** none of cc_compile's checks. */
static void tcc_object(const char *name, const char *src)
{
    char obj[256];
    snprintf(obj, sizeof obj, "%s.o", name);
    TCCState *s = tcc_new();
    ck_assert_ptr_nonnull(s);
    tcc_add_include_path(s, cc_include_dir());
    tcc_set_output_type(s, TCC_OUTPUT_OBJ);
    ck_assert_int_eq(tcc_compile_string(s, src), 0);
    ck_assert_int_eq(tcc_output_file(s, obj), 0);
    tcc_delete(s);
}

/* `void next(void);` declared, never defined: it used to bind to libtcc's
** lexer function of that name. Now c/1 fails naming it, and so does the
** load of such an object made elsewhere; the loaded version stays. */
START_TEST(helper_declared_but_never_defined_fails_naming_it)
{
    char *diag = NULL, *why = NULL;
    const char *v1 = "#include <cerl.h>\nMODULE(undef1);\nEXPORT(v/0);\nTerm v(void) { return erl_mk_int(1); }\n";
    const char *v2 = "#include <cerl.h>\nMODULE(undef1);\nEXPORT(v/0);\nvoid next(void);\n"
                     "Term v(void) { next(); return erl_mk_int(2); }\n";
    ck_assert_int_eq(compile("undef1", v1, &diag), 0);
    free(diag);
    ck_assert(is_loaded(load("undef1", NULL)));
    ck_assert_int_eq(compile("undef1", v2, &diag), -1);
    ck_assert_msg(diag && strstr(diag, "undef1.c: error: undefined symbol: next"), "%s", diag ? diag : "");
    free(diag);
    tcc_object("undef1", v2);
    Term r = load("undef1", &why);
    ck_assert(is_error(r, "badfile"));
    ck_assert_msg(why && strstr(why, "undefined symbol: next"), "%s", why ? why : "");
    free(why);
    ck_assert_int_eq(erl_int_value(call0("undef1", "v")), 1);
}
END_TEST

/* The runtime's own globals and libtcc's are not reachable from a module. */
START_TEST(module_cannot_link_to_runtime_internals)
{
    const char *internals[] = {"sched_current", "proc_first", "code_purge", "tcc_new", "atom_from", "next"};
    for (size_t i = 0; i < sizeof internals / sizeof *internals; i++) {
        char src[512], *diag = NULL, *why = NULL;
        snprintf(src, sizeof src,
                 "#include <cerl.h>\nMODULE(internal);\nEXPORT(v/0);\nextern char %s[];\n"
                 "Term v(void) { return erl_mk_int(%s[0]); }\n",
                 internals[i], internals[i]);
        ck_assert_int_eq(compile("internal", src, &diag), -1);
        ck_assert_msg(diag && strstr(diag, internals[i]), "%s: %s", internals[i], diag ? diag : "(no message)");
        free(diag);
        tcc_object("internal", src);
        ck_assert(is_error(load("internal", &why), "badfile"));
        ck_assert_msg(why && strstr(why, internals[i]), "%s: %s", internals[i], why ? why : "(no message)");
        free(why);
    }
}
END_TEST

/* Nor through libc's dlsym: cerl's symbols are not exported. */
START_TEST(dlsym_from_a_module_finds_no_runtime_internals)
{
    char *diag = NULL;
    ck_assert_int_eq(compile("dl", "#include <cerl.h>\n#include <dlfcn.h>\nMODULE(dl);\nEXPORT(v/0);\n"
                                   "Term v(void) { return erl_tuple(dlsym(RTLD_DEFAULT, \"sched_current\") ? ATOM(found) : "
                                   "ATOM(none), dlsym(RTLD_DEFAULT, \"tcc_new\") ? ATOM(found) : ATOM(none), "
                                   "dlsym(RTLD_DEFAULT, \"erl_spawn_fn\") ? ATOM(found) : ATOM(none)); }\n", &diag), 0);
    free(diag);
    ck_assert(is_loaded(load("dl", NULL)));
    Term r = call0("dl", "v");
    ck_assert(erl_element(r, 1) == erl_atom("none"));
    ck_assert(erl_element(r, 2) == erl_atom("none"));
    ck_assert(erl_element(r, 3) == erl_atom("none"));
}
END_TEST

START_TEST(module_links_to_libc_and_libm)
{
    char *diag = NULL;
    ck_assert_int_eq(compile("usesc", "#include <cerl.h>\n#include <math.h>\n#include <stdio.h>\n#include <string.h>\n"
                                      "#include <stdlib.h>\nMODULE(usesc);\nEXPORT(v/0);\n"
                                      "Term v(void) { char b[64]; snprintf(b, sizeof b, \"%.3f|%zu|%d\", sqrt(2.0), "
                                      "strlen(\"abcd\"), abs(-5)); void *p = malloc(8); free(p);\n"
                                      "  return erl_mk_string(b); }\n", &diag), 0);
    free(diag);
    ck_assert(is_loaded(load("usesc", NULL)));
    Term r = call0("usesc", "v");
    ck_assert(erl_eq(r, erl_mk_string("1.414|4|5")));
}
END_TEST

/* =================================================== EXPORT is checked */

START_TEST(exported_function_of_the_wrong_arity_is_a_compile_error_at_its_line)
{
    char *diag = NULL;
    int rc = compile("arity", "#include <cerl.h>\nMODULE(arity);\nEXPORT(start/0);\n\n"
                              "Term start(Term A, Term B) {\n    return A;\n}\n", &diag);
    ck_assert_int_eq(rc, -1);
    ck_assert_ptr_nonnull(diag);
    ck_assert_msg(strstr(diag, "arity.c:5: error: start does not match EXPORT(start/0): define it as Term start(void)"),
                  "%s", diag);
    free(diag);
    rc = compile("arity", "#include <cerl.h>\nMODULE(arity);\nEXPORT(f/2);\nTerm f(Term A) { return A; }\n", &diag);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(diag && strstr(diag, "arity.c:4: error: f does not match EXPORT(f/2): define it as Term f(Term, Term)"),
                  "%s", diag ? diag : "");
    free(diag);
}
END_TEST

START_TEST(exported_static_function_is_a_compile_error_saying_static)
{
    char *diag = NULL;
    int rc = compile("statexp", "#include <cerl.h>\nMODULE(statexp);\nEXPORT(start/0);\n"
                                "static Term start(void) { return ERL_NIL; }\n", &diag);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(diag && strstr(diag, "statexp.c:4: error: start/0 is exported, so it cannot be static"), "%s",
                  diag ? diag : "");
    free(diag);
}
END_TEST

START_TEST(missing_semicolon_after_module_is_reported_at_module)
{
    char *diag = NULL;
    int rc = compile("nosemi", "#include <cerl.h>\n/* MODULE(x) in a comment; */\nMODULE(nosemi)\nEXPORT(start/0);\n"
                               "Term start(void) { return ERL_NIL; }\n", &diag);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(diag && strcmp(diag, "nosemi.c:3: error: ';' expected after MODULE(nosemi)\n") == 0, "%s",
                  diag ? diag : "");
    free(diag);
}
END_TEST

START_TEST(a_correct_module_still_compiles_without_messages)
{
    char *diag = NULL;
    int rc = compile("fine", "#include <cerl.h>\nMODULE(fine);\nEXPORT(a/0, b/2, c/8);\n"
                             "static Term helper(Term x) { return x; }\n"
                             "Term a(void) { return helper(ERL_NIL); }\n"
                             "Term b(Term x, Term y) { return erl_tuple(x, y); }\n"
                             "Term c(Term a1, Term a2, Term a3, Term a4, Term a5, Term a6, Term a7, Term a8)\n"
                             "{ return erl_list(a1, a2, a3, a4, a5, a6, a7, a8); }\n", &diag);
    ck_assert_msg(rc == 0 && diag == NULL, "%s", diag ? diag : "");
    ck_assert(is_loaded(load("fine", NULL)));
}
END_TEST

/* An object compiled elsewhere (no compile-time check): the loader says
** that the exported function is static. */
START_TEST(loader_says_an_exported_function_is_static)
{
    char *diag = NULL, *why = NULL;
    /* EXPORT spelled through a macro: the compile-time scan cannot read it */
    ck_assert_int_eq(compile("statld", "#include <cerl.h>\n#define EXPORTS EXPORT(start/0)\nMODULE(statld);\n"
                                       "EXPORTS;\nstatic Term start(void) { return ERL_NIL; }\n"
                                       "Term other(void) { return start(); }\n", &diag), 0);
    free(diag);
    ck_assert(is_error(load("statld", &why), "badfile"));
    ck_assert_msg(why && strstr(why, "exported function start/0 is static"), "%s", why ? why : "");
    free(why);
}
END_TEST

/* ======================================= libc's exits end the process */

static const char *const exits_src =
    "#include <cerl.h>\n#include <err.h>\n#include <error.h>\n#include <stdlib.h>\n#include <pthread.h>\n"
    "#include <unistd.h>\n#include <sys/syscall.h>\nvoid quick_exit(int);\n"
    "MODULE(exits);\n"
    "EXPORT(e_errx/0, e_err/0, e_error/0, e_at_line/0, e_quick/0, e_thread/0, e_sys/0, e_warn/0);\n"
    "Term e_errx(void) { errx(3, \"errx %d\", 3); return ATOM(ok); }\n"
    "Term e_err(void) { err(4, \"err\"); return ATOM(ok); }\n"
    "Term e_error(void) { error(5, 0, \"error\"); return ATOM(ok); }\n"
    "Term e_at_line(void) { error_at_line(6, 0, \"f.c\", 1, \"at line\"); return ATOM(ok); }\n"
    "Term e_quick(void) { quick_exit(7); return ATOM(ok); }\n"
    "Term e_thread(void) { pthread_exit(0); return ATOM(ok); }\n"
    "Term e_sys(void) { syscall(SYS_exit_group, 8); return ATOM(ok); }\n"
    "Term e_warn(void) { error(0, 0, \"only a warning\"); return ATOM(survived); }\n";

static Heap keep;
static Term down_reason;
static void *victim;

static Term watch(void)
{
    Term pid = erl_spawn_fn(victim, 0, NULL);
    erl_monitor(pid);
    Term down = erl_receive();
    down_reason = term_copy(&keep, erl_element(down, 5));
    return AM_ok;
}

static Term exit_reason_of(const char *fun)
{
    victim = erl_export_entry("exits", fun, 0)->fn;
    down_reason = ERL_NONE;
    erl_spawn(watch);
    sched_run_until_idle();
    ck_assert_msg(down_reason != ERL_NONE, "%s: no 'DOWN'", fun);
    return down_reason;
}

static bool is_exit(Term r, long status)
{
    return erl_is_tuple(r) && erl_tuple_size(r) == 2 && erl_element(r, 1) == erl_atom("exit") &&
           erl_element(r, 2) == erl_mk_int(status);
}

START_TEST(libc_exits_end_only_the_calling_process)
{
    char *diag = NULL;
    ck_assert_msg(compile("exits", exits_src, &diag) == 0, "%s", diag ? diag : "");
    free(diag);
    ck_assert(is_loaded(load("exits", NULL)));
    ck_assert(is_exit(exit_reason_of("e_errx"), 3));
    ck_assert(is_exit(exit_reason_of("e_err"), 4));
    ck_assert(is_exit(exit_reason_of("e_error"), 5));
    ck_assert(is_exit(exit_reason_of("e_at_line"), 6));
    ck_assert(is_exit(exit_reason_of("e_quick"), 7));
    ck_assert(exit_reason_of("e_thread") == erl_atom("normal"));
    ck_assert(is_exit(exit_reason_of("e_sys"), 8));
    ck_assert(exit_reason_of("e_warn") == erl_atom("normal"));
}
END_TEST

/* ============================================== hostile object files */

static const char *const victim_v1 =
    "#include <cerl.h>\nMODULE(corrupt);\nEXPORT(v/0);\nTerm v(void) { return erl_mk_int(1); }\n";

/* Loads corrupt.o holding 'bytes': {error, badfile}, and the version loaded
** before is still current and still answers. */
static void refuse_corrupt(const char *what, const void *bytes, size_t len)
{
    Module *m = code_module(erl_atom("corrupt"));
    ck_assert(m && m->cur);
    ModVersion *cur = m->cur;
    write_bytes("corrupt.o", bytes, len);
    Term r = load("corrupt", NULL);
    ck_assert_msg(is_error(r, "badfile"), "%s: not refused", what);
    ck_assert_ptr_eq(code_module(erl_atom("corrupt"))->cur, cur);
    ck_assert_int_eq(erl_int_value(call0("corrupt", "v")), 1);
}

static char *good_object(size_t *len)
{
    char *diag = NULL;
    ck_assert_int_eq(compile("corrupt", victim_v1, &diag), 0);
    free(diag);
    char *bytes = read_bytes("corrupt.o", len);
    ck_assert_ptr_nonnull(bytes);
    if (!code_module(erl_atom("corrupt")))
        ck_assert(is_loaded(load("corrupt", NULL)));
    return bytes;
}

START_TEST(truncated_object_is_badfile_and_the_loaded_version_stays)
{
    size_t len;
    char *good = good_object(&len);
    refuse_corrupt("empty", good, 0);
    refuse_corrupt("header only", good, sizeof(Elf64_Ehdr));
    refuse_corrupt("half", good, len / 2);
    refuse_corrupt("all but one byte", good, len - 1);
    free(good);
}
END_TEST

START_TEST(huge_section_table_offset_is_badfile)
{
    size_t len;
    char *bytes = good_object(&len);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)bytes;
    eh->e_shoff = (Elf64_Off)1 << 40;
    refuse_corrupt("e_shoff 2^40", bytes, len);
    eh->e_shoff = len - 8;
    refuse_corrupt("e_shoff at the end", bytes, len);
    free(bytes);
}
END_TEST

START_TEST(bad_section_name_index_is_badfile)
{
    size_t len;
    char *bytes = good_object(&len);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)bytes;
    eh->e_shstrndx = 999;
    refuse_corrupt("e_shstrndx 999", bytes, len);
    eh->e_shstrndx = 1; /* .text: not a string table */
    refuse_corrupt("e_shstrndx .text", bytes, len);
    free(bytes);
}
END_TEST

START_TEST(huge_bss_and_shared_object_are_badfile)
{
    size_t len;
    char *good = good_object(&len);
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)good;
    for (int i = 1; i < eh->e_shnum; i++) {
        char *bytes = xmalloc(len);
        memcpy(bytes, good, len);
        /* copied: with -g's stabs tcc need not align the section table */
        Elf64_Shdr sh;
        memcpy(&sh, bytes + eh->e_shoff + i * sizeof sh, sizeof sh);
        sh.sh_size = (Elf64_Xword)1 << 33;
        memcpy(bytes + eh->e_shoff + i * sizeof sh, &sh, sizeof sh);
        refuse_corrupt("section of 8 GiB", bytes, len);
        free(bytes);
    }
    char *bytes = xmalloc(len);
    memcpy(bytes, good, len);
    ((Elf64_Ehdr *)bytes)->e_type = ET_DYN; /* libtcc would dlopen() it */
    refuse_corrupt("ET_DYN", bytes, len);
    free(bytes);
    free(good);
}
END_TEST

/* Every input the fuzzer found to end or corrupt the runtime. */
START_TEST(fuzz_regressions_are_badfile)
{
    size_t len;
    free(good_object(&len));
    char dir[4300];
    snprintf(dir, sizeof dir, "%s/fuzz/regress/object", start_dir);
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(dir, sizeof dir, "%s/tests/fuzz/regress/object", start_dir);
        d = opendir(dir);
    }
    ck_assert_msg(d != NULL, "no %s", dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[4600];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *bytes = read_bytes(path, &len);
        ck_assert_ptr_nonnull(bytes);
        refuse_corrupt(e->d_name, bytes, len);
        free(bytes);
        n++;
    }
    closedir(d);
    ck_assert_int_ge(n, 4);
}
END_TEST

/* ================================== FIFOs, devices and the terminal */

static int compile_fifo(void)
{
    char *diag = NULL;
    int rc = cc_compile("fifo.c", "fifo.o", &diag);
    int ok = rc == -1 && diag && strstr(diag, "fifo.c: error: not a regular file");
    free(diag);
    return ok ? 0 : 1;
}

START_TEST(compiling_a_fifo_is_an_error_not_a_wait)
{
    unlink("fifo.c");
    ck_assert_int_eq(mkfifo("fifo.c", 0600), 0);
    ck_assert_int_eq(in_child(compile_fifo, CHILD_SECONDS), 0);
}
END_TEST

/* Compiling name.c (src) fails with a diagnostic that holds 'want': 0 when
** it does, else 1 with the diagnostic on stderr (for in_child). */
static int compile_refused(const char *name, const char *src, const char *want)
{
    char *diag = NULL;
    int rc = compile(name, src, &diag);
    int ok = rc == -1 && diag && strstr(diag, want);
    if (!ok)
        fprintf(stderr, "%s", diag ? diag : "(no message)\n");
    free(diag);
    return ok ? 0 : 1;
}

static int compile_stdin_include(void)
{
    return compile_refused("incstdin",
                           "#include <cerl.h>\n#include \"/dev/stdin\"\nMODULE(incstdin);\nEXPORT(v/0);\n"
                           "Term v(void) { return ERL_NIL; }\n",
                           "incstdin.c:2: error: cannot include /dev/stdin: not a regular file");
}

START_TEST(include_of_dev_stdin_is_an_error_not_a_read)
{
    ck_assert_int_eq(in_child(compile_stdin_include, CHILD_SECONDS), 0);
}
END_TEST

static int compile_fifo_include(void)
{
    return compile_refused("incfifo",
                           "#include <cerl.h>\n#include \"pipe.h\"\nMODULE(incfifo);\nEXPORT(v/0);\n"
                           "Term v(void) { return ERL_NIL; }\n",
                           "incfifo.c:2: error: cannot include pipe.h: not a regular file");
}

START_TEST(include_of_a_fifo_is_an_error_not_a_wait)
{
    unlink("pipe.h");
    ck_assert_int_eq(mkfifo("pipe.h", 0600), 0);
    ck_assert_int_eq(in_child(compile_fifo_include, CHILD_SECONDS), 0);
}
END_TEST

static int load_fifo_object(void)
{
    Term r = load("fifoobj", NULL);
    return is_error(r, "badfile") ? 0 : 1;
}

START_TEST(loading_a_fifo_object_is_badfile_not_a_wait)
{
    unlink("fifoobj.o");
    ck_assert_int_eq(mkfifo("fifoobj.o", 0600), 0);
    ck_assert_int_eq(in_child(load_fifo_object, CHILD_SECONDS), 0);
    unlink("fifoobj.o");
}
END_TEST

/* ========================================================= the path */

START_TEST(module_names_with_a_slash_find_nothing)
{
    mkdir("sub", 0700);
    write_file("sub/nb.c", "#include <cerl.h>\nMODULE(nb);\nEXPORT(v/0);\nTerm v(void) { return ERL_NIL; }\n");
    char *diag = NULL;
    ck_assert_int_eq(cc_compile("sub/nb.c", "sub/nb.o", &diag), 0);
    free(diag);
    ck_assert(is_error(load("sub/nb", NULL), "nofile"));
    ck_assert(is_error(load("../nb", NULL), "nofile"));
    ck_assert(is_error(load("", NULL), "nofile"));
    ck_assert_ptr_null(code_find_object(erl_atom("sub/nb")));
    ck_assert(!code_valid_name(erl_atom("a/b")));
    ck_assert(code_valid_name(erl_atom("..")));
}
END_TEST

/* A planted ./stk.o cannot shadow the stk of a sticky directory later in
** the path, and the sticky one cannot be reloaded. */
START_TEST(sticky_directory_cannot_be_shadowed_or_reloaded)
{
    char *diag = NULL;
    mkdir("stdlib", 0700);
    write_file("stdlib/stk.c", "#include <cerl.h>\nMODULE(stk);\nEXPORT(who/0);\nTerm who(void) { return ATOM(real); }\n");
    ck_assert_int_eq(cc_compile("stdlib/stk.c", "stdlib/stk.o", &diag), 0);
    free(diag);
    ck_assert_int_eq(compile("stk", "#include <cerl.h>\nMODULE(stk);\nEXPORT(who/0);\n"
                                    "Term who(void) { return ATOM(planted); }\n", &diag), 0);
    free(diag);
    code_add_path("stdlib", false);
    ck_assert_int_eq(code_stick_dir("stdlib"), 0);
    ck_assert_int_eq(code_stick_dir("no-such-dir"), -1);
    ck_assert(!code_is_sticky(erl_atom("stk"))); /* not loaded yet */
    ck_assert(call0("stk", "who") == erl_atom("real"));
    ck_assert(code_is_sticky(erl_atom("stk")));
    ck_assert(is_error(load("stk", NULL), "sticky_directory"));
    ck_assert(call0("stk", "who") == erl_atom("real"));
    ck_assert_int_eq(code_unstick_dir("stdlib"), 0);
    ck_assert_int_eq(code_unstick_dir("no-such-dir"), -1);
    ck_assert(!code_is_sticky(erl_atom("stk")));
    ck_assert(is_loaded(load("stk", NULL)));
    ck_assert(call0("stk", "who") == erl_atom("planted"));
}
END_TEST

/* ===================================================== one read per load */

/* The bytes the md5 was taken of are the bytes that were linked: an object
** whose file changes after the load still reports the md5 of what runs. */
START_TEST(md5_is_of_the_bytes_that_were_loaded)
{
    char *diag = NULL;
    ck_assert_int_eq(compile("once", "#include <cerl.h>\nMODULE(once);\nEXPORT(v/0);\n"
                                     "Term v(void) { return erl_mk_int(1); }\n", &diag), 0);
    free(diag);
    size_t len;
    char *bytes = read_bytes("once.o", &len);
    ck_assert(is_loaded(load("once", NULL)));
    unsigned char want[16];
    md5_digest(bytes, len, want);
    ck_assert_int_eq(memcmp(code_module(erl_atom("once"))->cur->md5, want, 16), 0);
    free(bytes);
}
END_TEST

/* The validator accepts what tcc writes (a stand-in for the corpus). */
START_TEST(validator_accepts_objects_tcc_writes)
{
    size_t len;
    char *bytes = good_object(&len);
    ObjFile o;
    Buf why = {0};
    objfile_from_bytes(&o, bytes, len);
    ck_assert_msg(objfile_check(&o, &why) == 0, "%s", buf_str(&why));
    ObjSym s;
    ck_assert(objfile_find(&o, "v", &s));
    ck_assert_int_eq(s.bind, STB_GLOBAL);
    ck_assert_int_eq(s.type, STT_FUNC);
    objfile_free(&o);
    buf_free(&why);
    free(bytes);
}
END_TEST

Suite *loader_suite(void)
{
    if (!start_dir[0] && !getcwd(start_dir, sizeof start_dir))
        start_dir[0] = '\0';
    Suite *s = suite_create("loader");
    TCase *tc = tcase_create("loader");
    tcase_set_timeout(tc, 600);
    tcase_add_checked_fixture(tc, support_start_faulting_runtime, NULL);
    tcase_add_test(tc, api_table_is_exactly_the_functions_cerl_h_declares);
    tcase_add_test(tc, helper_declared_but_never_defined_fails_naming_it);
    tcase_add_test(tc, module_cannot_link_to_runtime_internals);
    tcase_add_test(tc, dlsym_from_a_module_finds_no_runtime_internals);
    tcase_add_test(tc, module_links_to_libc_and_libm);
    tcase_add_test(tc, exported_function_of_the_wrong_arity_is_a_compile_error_at_its_line);
    tcase_add_test(tc, exported_static_function_is_a_compile_error_saying_static);
    tcase_add_test(tc, missing_semicolon_after_module_is_reported_at_module);
    tcase_add_test(tc, a_correct_module_still_compiles_without_messages);
    tcase_add_test(tc, loader_says_an_exported_function_is_static);
    tcase_add_test(tc, libc_exits_end_only_the_calling_process);
    tcase_add_test(tc, truncated_object_is_badfile_and_the_loaded_version_stays);
    tcase_add_test(tc, huge_section_table_offset_is_badfile);
    tcase_add_test(tc, bad_section_name_index_is_badfile);
    tcase_add_test(tc, huge_bss_and_shared_object_are_badfile);
    tcase_add_test(tc, fuzz_regressions_are_badfile);
    tcase_add_test(tc, compiling_a_fifo_is_an_error_not_a_wait);
    tcase_add_test(tc, include_of_dev_stdin_is_an_error_not_a_read);
    tcase_add_test(tc, include_of_a_fifo_is_an_error_not_a_wait);
    tcase_add_test(tc, loading_a_fifo_object_is_badfile_not_a_wait);
    tcase_add_test(tc, module_names_with_a_slash_find_nothing);
    tcase_add_test(tc, sticky_directory_cannot_be_shadowed_or_reloaded);
    tcase_add_test(tc, md5_is_of_the_bytes_that_were_loaded);
    tcase_add_test(tc, validator_accepts_objects_tcc_writes);
    suite_add_tcase(s, tc);
    return s;
}
