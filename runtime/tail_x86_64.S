/*
** tail_x86_64.S
** erl_tail_call for x86-64 System V. Called by module function F (compiled
** by tcc: a frame-pointer frame, no callee-saved register used), it drops
** F's frame and jumps to the target as if F's caller had called it: the
** target returns to F's caller with F's caller's callee-saved registers.
**
** F's frame (fp = F's %rbp):  [fp] = caller's %rbp, [fp + 8] = return
** address into the caller. Up to six arguments travel in registers: the
** target starts with %rsp = fp + 8. Seven or eight need stack slots the
** caller did not reserve, so F's frame becomes a small frame of ours that
** calls the target and returns its result (tail_trampoline_return_); the
** next tail call drops that frame too (tail.c), so loops stay bounded.
*/
#if defined(__x86_64__)
    .text
    .globl erl_tail_call
    .type erl_tail_call, @function
erl_tail_call:                  /* rdi = export, esi = argc, rdx = argv */
    pushq %rbp
    movq %rsp, %rbp
    pushq %rbx                  /* F left these as its caller had them */
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $88, %rsp              /* args[8] at 0, frame at 64, argc at 72 */
    movl %esi, 72(%rsp)
    movq 0(%rbp), %rax          /* F's frame pointer */
    movq %rax, 64(%rsp)
    movq %rsp, %rcx             /* tail_prepare(e, argc, argv, args, &frame) */
    leaq 64(%rsp), %r8
    call tail_prepare           /* rax = target; raises undef or badarg */
    movq -8(%rbp), %rbx
    movq -16(%rbp), %r12
    movq -24(%rbp), %r13
    movq -32(%rbp), %r14
    movq -40(%rbp), %r15
    movq 64(%rsp), %r11         /* the frame to drop */
    cmpl $6, 72(%rsp)
    jg 1f
    movq 0(%rsp), %rdi
    movq 8(%rsp), %rsi
    movq 16(%rsp), %rdx
    movq 24(%rsp), %rcx
    movq 32(%rsp), %r8
    movq 40(%rsp), %r9
    movq 0(%r11), %rbp
    leaq 8(%r11), %rsp          /* at the return address into F's caller */
    jmp *%rax
1:  /* 7 or 8 arguments: the two stack slots go just below fp, in what was
    ** F's frame and above our own (where args lie): nothing still to be
    ** read is overwritten */
    leaq -24(%r11), %r10
    andq $-16, %r10             /* the call's stack pointer, 16-aligned */
    movq 48(%rsp), %rdi
    movq %rdi, 0(%r10)
    movq 56(%rsp), %rdi
    movq %rdi, 8(%r10)
    movq 0(%rsp), %rdi
    movq 8(%rsp), %rsi
    movq 16(%rsp), %rdx
    movq 24(%rsp), %rcx
    movq 32(%rsp), %r8
    movq 40(%rsp), %r9
    movq %r11, %rbp             /* our frame: [fp] caller's rbp, [fp + 8] its return */
    movq %r10, %rsp
    call *%rax
    .globl tail_trampoline_return_
tail_trampoline_return_:
    leave
    ret
    .size erl_tail_call, .-erl_tail_call
    .section .note.GNU-stack,"",@progbits
#else
#error "cerl: no tail call for this CPU yet (see runtime/tail.h)"
#endif
