/*
** ctx_x86_64.S
** ctx_switch for x86-64 System V: the six callee-saved registers and the
** floating-point control state (MXCSR, x87 control word), no system call.
** Frame of a suspended context (low to high):
**     fpctl r15 r14 r13 r12 rbx rbp ret
** where fpctl holds MXCSR in its low 32 bits and the x87 control word at
** byte 4: the ABI makes both callee-saved, and each process keeps its own
** rounding mode and exception masks (a process calling fesetround changes
** its own arithmetic, never the shell's or another process's).
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
    pushq $0
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movl (%rsp), %eax
    movzwl 4(%rsp), %edx
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    /* loading the control registers costs more than comparing them, and
    ** nearly every switch finds them equal */
    cmpl (%rsp), %eax
    jne 1f
    cmpw 4(%rsp), %dx
    jne 1f
2:  addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
1:  ldmxcsr (%rsp)
    fldcw 4(%rsp)
    jmp 2b
    .size ctx_switch, .-ctx_switch
    .section .note.GNU-stack,"",@progbits
#else
#error "cerl: no context switch for this CPU yet (see runtime/ctx.h)"
#endif
