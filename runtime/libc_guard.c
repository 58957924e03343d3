/*
** libc_guard.c
** The table of libc functions a module gets cerl's replacement for.
*/
#include "libc_guard.h"
#include "fault.h"

#include <stddef.h>

const LibcGuard libc_guards[] = {
    /* a module that calls exit() ends its process, not the runtime */
    {"exit", (const void *)fault_module_exit},
    {"_exit", (const void *)fault_module_exit},
    {"_Exit", (const void *)fault_module_exit},
    /* a longjmp with a garbage jmp_buf would restore a garbage signal mask
    ** and stack pointer: it ends its process instead */
    {"longjmp", (const void *)fault_module_longjmp},
    {"_longjmp", (const void *)fault_module_longjmp},
    {"siglongjmp", (const void *)fault_module_longjmp},
    {NULL, NULL},
};
