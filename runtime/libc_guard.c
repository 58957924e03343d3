/*
** libc_guard.c
** The table of libc functions a module gets cerl's replacement for.
*/
#include "libc_guard.h"
#include "fault.h"
#include "stack.h"

#include <stddef.h>

const LibcGuard libc_guards[] = {
    /* a module that calls exit() ends its process, not the runtime */
    {"exit", (const void *)fault_module_exit},
    {"_exit", (const void *)fault_module_exit},
    {"_Exit", (const void *)fault_module_exit},
    /* a block that does not fit in the process's stack ends the process */
    {"alloca", (const void *)stack_alloca_},
    {NULL, NULL},
};
