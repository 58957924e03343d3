/*
** test_shelljobs.c
** The parts of erl's shell that transcripts cannot reach: c/2's {outdir,
** Dir} into a directory of its own, -D and -I reaching tcc, help()'s lines
** and order, erl's code-loading reports, and one command history per shell
** job (Ctrl-G s).
*/
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"
#include "../../runtime/bif.h"
#include "../../runtime/buf.h"
#include "../../runtime/cc.h"
#include "../../runtime/code.h"
#include "../../runtime/export.h"
#include "../../shell/cmdhist.h"
#include "../../shell/eval_hooks.h"
#include "../../shell/shell.h"

static void setup(void)
{
    support_start_runtime();
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static Term call0(const char *mod, const char *fun)
{
    return export_apply(erl_atom(mod), erl_atom(fun), 0, NULL);
}

static Term c2(const char *mod, Term opts)
{
    Term argv[2] = {erl_atom(mod), opts};
    return eval_hook_local_call(erl_atom("c"), 2, argv);
}

static bool is_ok(Term r, const char *mod)
{
    return erl_is_tuple(r) && erl_element(r, 1) == AM_ok && erl_element(r, 2) == erl_atom(mod);
}

/* ======================================================= c/2 options */

static const char *const od_src = "#include <cerl.h>\n"
                                  "#include \"od_extra.h\"\n"
                                  "MODULE(od);\n"
                                  "EXPORT(n/0, tag/0);\n"
                                  "Term n(void) { return erl_mk_int(N * EXTRA); }\n"
                                  "Term tag(void) { return erl_mk_string(TAG); }\n";

START_TEST(c2_outdir_puts_the_object_there_and_loads_it_from_there)
{
    char dir[] = "/tmp/cerl-outdir-XXXXXX", inc[] = "/tmp/cerl-inc-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_ptr_nonnull(mkdtemp(inc));
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/od_extra.h", inc);
    write_file(path, "#define EXTRA 3\n");
    write_file("od.c", od_src);
    unlink("od.o");
    Heap *h = heap_current();
    /* [{outdir, Dir}, {i, Inc}, {d, 'N', 14}, {d, 'TAG', "x\"y"}] */
    Term opts = erl_list(erl_tuple(erl_atom("outdir"), term_string(h, dir, strlen(dir))),
                         erl_tuple(erl_atom("i"), term_string(h, inc, strlen(inc))),
                         erl_tuple(erl_atom("d"), erl_atom("N"), erl_mk_int(14)),
                         erl_tuple(erl_atom("d"), erl_atom("TAG"), erl_mk_string("x\"y")));
    ck_assert(is_ok(c2("od", opts), "od"));
    struct stat st;
    snprintf(path, sizeof path, "%s/od.o", dir);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_ne(stat("od.o", &st), 0); /* nothing in the current directory */
    ck_assert(call0("od", "n") == erl_mk_int(42));
    ck_assert(erl_compare(call0("od", "tag"), erl_mk_string("x\"y")) == 0);
    /* loaded from there: code:which names the object in Dir, absolute */
    char real[PATH_MAX];
    ck_assert_ptr_nonnull(realpath(path, real));
    ck_assert_str_eq(code_module(erl_atom("od"))->cur->path, real);
    unlink(path);
    snprintf(path, sizeof path, "%s/od_extra.h", inc);
    unlink(path);
    rmdir(dir);
    rmdir(inc);
}
END_TEST

START_TEST(c2_without_the_include_dir_fails_and_return_gives_the_errors)
{
    write_file("od.c", od_src);
    Term r = c2("od", erl_atom("return"));
    /* {error, [{"od.c", [{2, tcc, Text}]}], []} */
    ck_assert(erl_is_tuple(r) && erl_tuple_size(r) == 3 && erl_element(r, 1) == AM_error);
    ck_assert(erl_element(r, 3) == ERL_NIL);
    Term files = erl_element(r, 2);
    ck_assert(erl_is_cons(files) && erl_tl(files) == ERL_NIL);
    Term entry = erl_hd(erl_element(erl_hd(files), 2));
    ck_assert(erl_element(entry, 1) == erl_mk_int(2));
    ck_assert(erl_element(entry, 2) == erl_atom("tcc"));
    ck_assert(c2("od", ERL_NIL) == AM_error);
}
END_TEST

START_TEST(warnings_do_not_fail_a_compile_but_implicit_declarations_do)
{
    char *diag = NULL;
    write_file("wn.c", "#include <cerl.h>\nMODULE(wn);\nEXPORT(f/0);\n"
                       "Term f(void) { char *p = 5; return ATOM(ok); }\n");
    ck_assert_int_eq(cc_compile("wn.c", "wn.o", &diag), 0);
    ck_assert_ptr_nonnull(diag);
    ck_assert_ptr_nonnull(strstr(diag, "wn.c:4: warning: "));
    free(diag);
    write_file("wi.c", "#include <cerl.h>\nMODULE(wi);\nEXPORT(f/0);\n"
                       "Term f(void) { return nowhere(1); }\n");
    ck_assert_int_eq(cc_compile("wi.c", "wi.o", &diag), -1);
    ck_assert_ptr_nonnull(strstr(diag, "wi.c:4: error: implicit declaration of function 'nowhere'"));
    free(diag);
    struct stat st;
    ck_assert_int_ne(stat("wi.o", &st), 0);
}
END_TEST

/* ============================================================= help/0 */

START_TEST(help_shows_erls_lines_for_the_commands_cerl_has_in_erls_order)
{
    Buf b = {0};
    shell_help(&b);
    const char *s = buf_str(&b);
    /* erl's texts, in erl's order */
    const char *const in_order[] = {
        "** shell internal commands **\nb()        -- display all variable bindings\n",
        "\nv(N)       -- use the value of query <N>\n",
        "\n** commands in module c **\n",
        "\nc(Mod)     -- compile and load module or file <Mod>\n",
        "\nc(Mod,Opts) -- compile and load <Mod> with options\n",
        "\ncd(Dir)    -- change working directory\n",
        "\nl(Module)  -- load or reload module\n",
        "\npwd()      -- print working directory\n",
        "\nnregs()    -- information about all registered processes\n",
    };
    const char *at = s;
    for (size_t i = 0; i < sizeof in_order / sizeof *in_order; i++) {
        const char *found = strstr(at, in_order[i]);
        ck_assert_msg(found, "help() lacks, or misplaces: %s", in_order[i]);
        at = found + 1;
    }
    /* nothing for what cerl does not have */
    ck_assert_ptr_null(strstr(s, "\nnl(Module)"));
    ck_assert_ptr_null(strstr(s, "\ny(File)"));
    ck_assert_ptr_null(strstr(s, "ih()"));
    buf_free(&b);
}
END_TEST

/* ===================================================== load reports */

START_TEST(load_reports_are_erls_texts)
{
    Buf b = {0};
    Heap *h = heap_current();
    Term not_purged = erl_tuple(AM_error, AM_not_purged);
    code_report_load_failure(&b, erl_atom("t"), "/nonexistent/dir/t.o", not_purged, NULL);
    const char *s = buf_str(&b);
    ck_assert(strncmp(s, "=ERROR REPORT==== ", 18) == 0);
    ck_assert_ptr_nonnull(strstr(s, " ===\nLoading of /nonexistent/dir/t.o failed: not_purged\n\n"));
    ck_assert_int_eq(s[b.len - 1], '\n');
    ck_assert_int_ne(s[b.len - 3], '\n'); /* one empty line after, as erl */
    buf_free(&b);

    code_report_load_failure(&b, erl_atom("t"), "/x/t.o", erl_tuple(AM_error, AM_badfile), "not an ELF object file");
    s = buf_str(&b);
    const char *first = strstr(s, " ===\nError loading module t:\n  not an ELF object file\n\n\n=ERROR REPORT==== ");
    ck_assert_ptr_nonnull(first);
    ck_assert_ptr_nonnull(strstr(first, " ===\nLoading of /x/t.o failed: badfile\n\n"));
    buf_free(&b);

    code_report_load_failure(&b, erl_atom("t"), "/x/t.o", erl_tuple(AM_error, AM_nofile), NULL);
    code_report_load_failure(&b, erl_atom("t"), "/x/t.o", term_tuple(h, 2, (Term[]){AM_module, erl_atom("t")}), NULL);
    ck_assert_int_eq(b.len, 0);
    code_report_delete_failure(&b, erl_atom("never_loaded"));
    ck_assert_int_eq(b.len, 0);
    buf_free(&b);
}
END_TEST

START_TEST(delete_with_old_code_reports_must_be_purged)
{
    write_file("dl.c", "#include <cerl.h>\nMODULE(dl);\nEXPORT(f/0);\nTerm f(void) { return ATOM(ok); }\n");
    char *diag = NULL;
    ck_assert_int_eq(cc_compile("dl.c", "dl.o", &diag), 0);
    free(diag);
    Term dl = erl_atom("dl");
    code_purge(dl);
    code_load_file(heap_current(), dl, NULL);
    code_load_file(heap_current(), dl, NULL);
    Term again = code_load_file(heap_current(), dl, NULL); /* current and old: not_purged */
    ck_assert(erl_element(again, 2) == AM_not_purged);
    ck_assert(!code_delete(dl));
    Buf b = {0};
    code_report_delete_failure(&b, dl);
    ck_assert_ptr_nonnull(strstr(buf_str(&b), " ===\nModule dl must be purged before deleting\n\n\n"));
    buf_free(&b);
    code_purge(dl);
    ck_assert(code_delete(dl));
    code_purge(dl);
}
END_TEST

/* ==================================================== job histories */

START_TEST(each_job_keeps_a_history_of_its_own)
{
    cmdhist_use(NULL);
    cmdhist_reset();
    cmdhist_add(1, "X = 1");
    cmdhist_set_value(1, erl_mk_int(1));
    CmdHist *job2 = cmdhist_new();
    cmdhist_use(job2);
    ck_assert(!cmdhist_has(1, 2, false));
    cmdhist_add(1, "Y = 2");
    cmdhist_set_value(1, erl_mk_int(2));
    ck_assert(cmdhist_value(1, 2, heap_current()) == erl_mk_int(2));
    cmdhist_use(NULL);
    ck_assert(cmdhist_value(1, 2, heap_current()) == erl_mk_int(1));
    ck_assert_str_eq(cmdhist_command(1, 2), "X = 1");
    cmdhist_use(job2);
    cmdhist_delete(job2); /* in use: the first history is used again */
    ck_assert_str_eq(cmdhist_command(1, 2), "X = 1");
    cmdhist_reset();
}
END_TEST

Suite *shelljobs_suite(void)
{
    Suite *s = suite_create("shelljobs");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, c2_outdir_puts_the_object_there_and_loads_it_from_there);
    tcase_add_test(tc, c2_without_the_include_dir_fails_and_return_gives_the_errors);
    tcase_add_test(tc, warnings_do_not_fail_a_compile_but_implicit_declarations_do);
    tcase_add_test(tc, help_shows_erls_lines_for_the_commands_cerl_has_in_erls_order);
    tcase_add_test(tc, load_reports_are_erls_texts);
    tcase_add_test(tc, delete_with_old_code_reports_must_be_purged);
    tcase_add_test(tc, each_job_keeps_a_history_of_its_own);
    suite_add_tcase(s, tc);
    return s;
}
