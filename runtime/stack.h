/*
** stack.h
** C stacks for processes: mmap'd, a guard page below each, reused through
** a pool so a spawn rarely pays for fresh pages.
*/
#ifndef CERL_STACK_H
#define CERL_STACK_H

#include <stdbool.h>
#include <stddef.h>

/* Invariant: [base, base + size) is readable and writable; the page just
** below base is PROT_NONE (the guard). A zeroed Stack holds nothing. */
typedef struct Stack {
    void *base;  /* lowest usable address */
    size_t size; /* usable bytes */
    unsigned valgrind_id; /* its registration with valgrind, if any */
} Stack;

enum { STACK_DEFAULT_SIZE = 256 * 1024, STACK_SHELL_SIZE = 16 * 1024 * 1024 };

/* Gets a stack of 'size' bytes (rounded up to pages). Returns false, with
** errno set, when the system refuses the memory. */
bool stack_get(Stack *s, size_t size);
/* Returns the stack to the pool (or to the system); *s is zeroed. */
void stack_put(Stack *s);
/* Whether addr lies in s's guard page. */
bool stack_in_guard(const Stack *s, const void *addr);

#endif
