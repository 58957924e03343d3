/*
** support.c
** Shared fixtures of the unit tests (see support.h).
*/
#include "support.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../runtime/bif.h"
#include "../../runtime/cc.h"
#include "../../runtime/code.h"
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
