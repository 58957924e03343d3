/*
** modapi.h
** The module API as the loader links it: every function include/cerl.h
** declares, by name. A module resolves these, libc and libm, nothing else.
*/
#ifndef CERL_MODAPI_H
#define CERL_MODAPI_H

typedef struct ModApiSym {
    const char *name; /* as declared in include/cerl.h */
    const void *fn;   /* the runtime's definition */
} ModApiSym;

/* Ended by {NULL, NULL}. tests/unit/test_loader.c checks that it names
** exactly the functions include/cerl.h declares. */
extern const ModApiSym modapi_symbols[];

/* The runtime's definition of the cerl.h function 'name', or NULL. */
const void *modapi_find(const char *name);

#endif
