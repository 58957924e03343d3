/*
** ctx_x86_64.S
** ctx_switch for x86-64 System V: six callee-saved registers, no system call.
** Frame of a suspended context (low to high): r15 r14 r13 r12 rbx rbp ret.
*/
#if defined(__x86_64__)
    .text
    .globl ctx_switch
    .type ctx_switch, @function
ctx_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size ctx_switch, .-ctx_switch
    .section .note.GNU-stack,"",@progbits
#else
#error "cerl: no context switch for this CPU yet (see runtime/ctx.h)"
#endif
