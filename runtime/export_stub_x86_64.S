/*
** export_stub_x86_64.S
** The code every unresolved export entry's thunk jumps to: keeps the
** caller's arguments, asks export_stub_resolve (r11 = the entry) for the
** function (loading the module, or raising undef), and tail-jumps to it.
*/
#if defined(__x86_64__)
    .text
    .globl export_stub_common
    .type export_stub_common, @function
export_stub_common:
    pushq %rbp
    movq %rsp, %rbp
    pushq %rdi
    pushq %rsi
    pushq %rdx
    pushq %rcx
    pushq %r8
    pushq %r9
    movq %r11, %rdi
    call export_stub_resolve
    popq %r9
    popq %r8
    popq %rcx
    popq %rdx
    popq %rsi
    popq %rdi
    popq %rbp
    jmp *%rax
    .size export_stub_common, .-export_stub_common
    .section .note.GNU-stack,"",@progbits
#else
#error "cerl: no export stub for this CPU yet (see runtime/export.c)"
#endif
