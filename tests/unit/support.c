/*
** support.c
** Shared fixtures of the unit tests (see support.h).
*/
#include "support.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../runtime/bif.h"
#include "../../runtime/buf.h"
#include "../../runtime/cc.h"
#include "../../runtime/code.h"
#include "../../runtime/fault.h"
#include "../../runtime/print.h"
#include "../../runtime/proc.h"

void support_start_runtime(void)
{
    static char workdir[] = "/tmp/cerl-test-XXXXXX";
    static bool done;
    atom_init();
    proc_init();
    code_init();
    bif_init();
    if (!done) {
        ck_assert_ptr_nonnull(mkdtemp(workdir));
        ck_assert_int_eq(chdir(workdir), 0);
        done = true;
    }
}

void support_compile_module(const char *name, const char *src)
{
    char path[256], obj[256];
    snprintf(path, sizeof path, "%s.c", name);
    snprintf(obj, sizeof obj, "%s.o", name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(src, f);
    fclose(f);
    char *diag = NULL;
    int rc = cc_compile(path, obj, &diag);
    ck_assert_msg(rc == 0, "compile %s: %s", name, diag ? diag : "");
    free(diag);
}

void support_start_faulting_runtime(void)
{
    support_start_runtime();
    ck_assert_int_eq(fault_init(), 0);
}

void support_load(const char *name)
{
    Term r = code_load_file(heap_current(), erl_atom(name), NULL);
    ck_assert(erl_is_tuple(r) && erl_element(r, 1) == AM_module);
}

void support_load_current(const char *name, const char *src)
{
    Module *m = code_module(erl_atom(name));
    if (m && m->cur)
        return;
    support_compile_module(name, src);
    support_load(name);
}

void *support_fn_of(const char *mod, const char *fun, int arity)
{
    void *fn = erl_export_entry(mod, fun, arity)->fn;
    ck_assert_ptr_nonnull(fn);
    return fn;
}

const char *support_show(Term t)
{
    static char text[512];
    Buf b = {0};
    print_write(&b, t);
    snprintf(text, sizeof text, "%s", buf_str(&b));
    buf_free(&b);
    return text;
}

char *support_repeat(const char *head, const char *unit, long n, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(hl + ul * (size_t)n + tl + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, head, hl);
    for (long i = 0; i < n; i++)
        memcpy(s + hl + ul * (size_t)i, unit, ul);
    memcpy(s + hl + ul * (size_t)n, tail, tl + 1);
    return s;
}

char *support_nest(const char *open, long n, const char *mid, const char *close, const char *end)
{
    char *a = support_repeat("", open, n, mid);
    char *b = support_repeat(a, close, n, end);
    free(a);
    return b;
}

unsigned char *support_unhex(const char *s, size_t *n)
{
    size_t len = strlen(s) / 2;
    unsigned char *b = malloc(len ? len : 1);
    for (size_t i = 0; i < len; i++) {
        unsigned v;
        sscanf(s + 2 * i, "%2x", &v);
        b[i] = (unsigned char)v;
    }
    *n = len;
    return b;
}

static int saved_stdout = -1;
static FILE *capture_file;

void support_capture_begin(void)
{
    fflush(stdout);
    capture_file = tmpfile();
    ck_assert_ptr_nonnull(capture_file);
    saved_stdout = dup(STDOUT_FILENO);
    dup2(fileno(capture_file), STDOUT_FILENO);
}

char *support_capture_end(void)
{
    fflush(stdout);
    dup2(saved_stdout, STDOUT_FILENO);
    close(saved_stdout);
    long n = ftell(capture_file);
    char *s = calloc(1, (size_t)n + 1);
    rewind(capture_file);
    ck_assert_int_eq(fread(s, 1, (size_t)n, capture_file), (size_t)n);
    fclose(capture_file);
    return s;
}

void support_read_pipe(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    ssize_t r;
    while ((r = read(fd, buf + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
    close(fd);
}

/* ============================================ purge scan fixtures */

static const char version_src[] =
    "#include <cerl.h>\nMODULE(%s);\nEXPORT(loop/0, make/1, vsn/0);\n"
    "Term vsn(void) { return erl_mk_int(%d); }\n"
    "static Term add(Term X, Term N) { return erl_add(X, N); }\n"
    "Term make(Term N) { return erl_mk_closure(add, 1, N); }\n"
    "Term loop(void) { for (;;) if (erl_receive() == ATOM(go)) erl_tail(%s, loop); }\n";

bool support_load_version(const char *name, int vsn)
{
    char src[1024];
    snprintf(src, sizeof src, version_src, name, vsn, name);
    support_compile_module(name, src);
    Term r = code_load_file(heap_current(), erl_atom(name), NULL);
    return erl_is_tuple(r) && erl_element(r, 1) == AM_module;
}

void *support_loop_fn(const char *mod)
{
    return erl_export_fn(erl_export_entry(mod, "loop", 0));
}

Term support_bystander(void)
{
    Term m;
    while ((m = erl_receive()) != erl_atom("never"))
        if (erl_is_tuple(m) && erl_element(m, 1) == erl_atom("call"))
            erl_apply(erl_mk_export_fun(erl_element(m, 2), erl_atom("loop"), 0), ERL_NIL);
    return m;
}

void support_scan_now(const char *unrelated)
{
    static int vsn;
    ck_assert(support_load_version(unrelated, ++vsn));
    ck_assert(support_load_version(unrelated, ++vsn));
    ck_assert(code_soft_purge(erl_atom(unrelated)));
}
