/*
** fuzz_object.c
** libFuzzer target: the loader's path for an object file (objfile_check,
** then cc_link and symtab_load when it passes) on arbitrary bytes. A crash,
** an exit from inside libtcc or a hang here is a corrupt .o that would end
** or hang the runtime on l(M). The linked code is never run.
*/
#include "../../runtime/buf.h"
#include "../../runtime/cc.h"
#include "../../runtime/objfile.h"
#include "../../runtime/symtab.h"
#include "../../runtime/term.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    atom_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ObjFile o;
    Buf why = {0};
    objfile_from_bytes(&o, data, size);
    if (objfile_check(&o, &why) == 0) {
        CcImage img;
        char *err = NULL;
        CcLink *l = cc_link(&o, "fuzz.o", &img, &err);
        if (l) {
            size_t n;
            free(symtab_load(&o, (void *(*)(void *, const char *))cc_symbol, l, &n));
            cc_link_done(l);
            cc_image_free(&img);
        }
        free(err);
    }
    buf_free(&why);
    objfile_free(&o);
    return 0;
}
