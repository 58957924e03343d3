/*
** deep.c
** Calling a function on a stack of its own (x86-64), for walks too deep
** for the caller's stack.
*/
#include "deep.h"
#include "asan.h"
#include "stack.h"

#include <stdio.h>
#include <stdlib.h>

#if !defined(__x86_64__)
#error "deep.c switches stacks for x86-64 only"
#endif

enum { DEEP_MARGIN = 256 * 1024 };

/* What runs on the new stack, and what AddressSanitizer must be told of
** the stack it came from. */
typedef struct DeepCall {
    void (*fn)(void *);
    void *arg;
    const void *from_base;
    size_t from_size;
} DeepCall;

static void on_new_stack(void *v)
{
    DeepCall *c = v;
    ASAN_FINISH_SWITCH(NULL, &c->from_base, &c->from_size);
    c->fn(c->arg);
    ASAN_START_SWITCH(NULL, c->from_base, c->from_size); /* this stack is done */
}

/* Calls fn(arg) with the stack pointer at 'top' (16-aligned); the old stack
** pointer waits in rbx, which fn preserves. The frame-pointer chain goes on
** from the caller's frame. */
static void call_on(void *top, void (*fn)(void *), void *arg)
{
    __asm__ volatile("mov %%rsp, %%rbx\n\t"
                     "mov %[top], %%rsp\n\t"
                     "mov %[arg], %%rdi\n\t"
                     "call *%[fn]\n\t"
                     "mov %%rbx, %%rsp\n\t"
                     :
                     : [top] "r"(top), [fn] "r"(fn), [arg] "r"(arg)
                     : "rbx", "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "xmm0",
                       "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
                       "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "memory", "cc");
}

void deep_call(size_t bytes, void (*fn)(void *), void *arg)
{
    if (bytes <= DEEP_DIRECT_BYTES) {
        fn(arg);
        return;
    }
    Stack s;
    if (!stack_get(&s, bytes + DEEP_MARGIN)) {
        fprintf(stderr, "cerl: out of memory (a stack of %zu bytes for a deep term)\n", bytes);
        abort();
    }
    DeepCall c = {fn, arg, NULL, 0};
    void *fake = NULL;
    ASAN_START_SWITCH(&fake, s.base, s.size);
    call_on((char *)s.base + s.size, on_new_stack, &c);
    ASAN_FINISH_SWITCH(fake, NULL, NULL);
    stack_put(&s);
}
