/*
** stack_limit.c
** No module frame may reach below its process's stack: the checks tcc is
** made to emit (large fixed frames, variable-length arrays) and the checked
** alloca modules are linked to.
**
** The guard below each stack (stack.h) catches a frame that touches it, but
** a frame larger than the guard steps over it onto the stack below. tcc
** makes a function's frame with one `sub $N, %rsp` in its prologue, a VLA
** with `sub %reg, %rsp`, a structure passed by value with `sub $N, %rsp`
** before the call, and alloca with a call to libtcc1's alloca: those are
** the only ways module code moves the stack pointer by more than a few
** words. The link wraps tcc's code generators for the first three
** (-Wl,--wrap, see the Makefile): a prologue whose frame is at least
** STACK_CHECKED_FRAME bytes, a call passing that many bytes of structures,
** and every VLA, first compare the stack pointer the frame would leave
** with the running process's stack base
** (sched_current->stack.base; no process running: no limit). A frame that
** does not fit calls stack_overflow_trap_ before the stack pointer moves,
** which ends the process with {stack_overflow, Where}. Smaller frames need
** no check: each one moves the stack pointer by less than the guard, and
** touches the guard before the next can move it further.
**
** Code generation is single-threaded like libtcc itself: the position of
** the prologue being compiled is the one piece of state here.
*/
#include "stack.h"
#include "fault.h"
#include "sched.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if !defined(__x86_64__)
#error "cerl: stack_limit.c emits x86-64 code"
#endif

/* ============================================== libtcc's code generator */

/* What the wrappers use of libtcc's internals (tcc.h, x86_64-gen.c of
** Debian's libtcc 0.9.27): the output position, the frame size so far, the
** byte emitter, the value stack and its "load into a register", and the
** size of a type. */
struct Sym;
struct CType {
    int t;
    struct Sym *ref;
};
/* The head of tcc's SValue (tcc.h), a value-stack entry; its size is
** measured (value_size). */
typedef struct TccValue {
    struct CType type;
    unsigned short r;
} TccValue;
enum {
    TCC_RC_INT = 0x0001,
    TCC_VT_VALMASK = 0x003f,
    TCC_VT_CMP = 0x0033,
    TCC_VT_BTYPE = 0x000f,
    TCC_VT_STRUCT = 7,
    TCC_VT_LDOUBLE = 10
};
extern int ind, loc;
extern TccValue *vtop;
void g(int c);
int gv(int rc);
void vpushi(int v);
void vpop(void);
int type_size(struct CType *type, int *a);

void __real_gfunc_prolog(struct Sym *func_sym);
void __real_gfunc_epilog(void);
void __real_gfunc_call(int nb_args);
void __real_gen_vla_alloc(struct CType *type, int align);
void __wrap_gfunc_prolog(struct Sym *func_sym);
void __wrap_gfunc_epilog(void);
void __wrap_gfunc_call(int nb_args);
void __wrap_gen_vla_alloc(struct CType *type, int align);

/* The prologue tcc writes (x86_64-gen.c): push %rbp; mov %rsp,%rbp;
** sub $imm32,%rsp, 11 bytes. */
enum { PROLOGUE_SIZE = 11 };

/* Where the prologue of the function being compiled starts. */
static int prologue_at = -1;

static void emit(const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g(b[i]);
}

static void emit32(uint32_t v)
{
    for (int i = 0; i < 4; i++)
        g((int)(v >> (8 * i)) & 0xff);
}

static void emit64(uint64_t v)
{
    for (int i = 0; i < 8; i++)
        g((int)(v >> (8 * i)) & 0xff);
}

/* movabs $v, %r10 (reg 10) or %r11 (reg 11) */
static void emit_movabs(int reg, uint64_t v)
{
    g(0x49);
    g(0xb8 + (reg - 8));
    emit64(v);
}

/* movabs $stack_overflow_trap_, %r11; call *%r11 */
static void emit_trap_call(void)
{
    emit_movabs(11, (uint64_t)(uintptr_t)stack_overflow_trap_);
    emit((const unsigned char[]){0x41, 0xff, 0xd3}, 3);
}

enum { TRAP_CALL_SIZE = 13 };

static uint32_t base_offset(void)
{
    return (uint32_t)(offsetof(Proc, stack) + offsetof(Stack, base));
}

void __wrap_gfunc_prolog(struct Sym *func_sym)
{
    prologue_at = ind;
    __real_gfunc_prolog(func_sym);
}

/* A check that the running process's stack has 'bytes' below %rsp,
** calling the trap when it has not:
**     movabs $&sched_current, %r11; mov (%r11), %r11
**     test %r11, %r11; jz ok                  no process: no limit
**     mov base(%r11), %r11; add $bytes, %r11
**     cmp %r11, %rsp; jae ok                  rsp - bytes >= base
**     call stack_overflow_trap_             (never returns)
** ok: */
static void emit_fixed_check(uint32_t bytes)
{
    emit_movabs(11, (uint64_t)(uintptr_t)&sched_current);
    emit((const unsigned char[]){0x4d, 0x8b, 0x1b, 0x4d, 0x85, 0xdb, 0x74, 19 + TRAP_CALL_SIZE}, 8);
    emit((const unsigned char[]){0x4d, 0x8b, 0x9b}, 3);
    emit32(base_offset());
    emit((const unsigned char[]){0x49, 0x81, 0xc3}, 3);
    emit32(bytes);
    emit((const unsigned char[]){0x4c, 0x39, 0xdc, 0x73, TRAP_CALL_SIZE}, 5);
    emit_trap_call();
}

/* After tcc's epilogue, when the frame is large: an out-of-line check the
** prologue jumps to instead of its `sub $N, %rsp`, which follows the check
** with a jump back. */
void __wrap_gfunc_epilog(void)
{
    __real_gfunc_epilog();
    int at = prologue_at;
    prologue_at = -1;
    uint32_t frame = (uint32_t)((-loc + 15) & -16);
    if (at < 0 || frame < STACK_CHECKED_FRAME)
        return;
    int back = at + PROLOGUE_SIZE;
    int stub = ind;
    emit_fixed_check(frame);
    emit((const unsigned char[]){0x48, 0x81, 0xec}, 3);
    emit32(frame);
    g(0xe9);
    emit32((uint32_t)(back - (ind + 4)));
    if (ind == stub)
        return; /* no code is being generated */
    /* the prologue's `sub` becomes `jmp stub` */
    int end = ind;
    ind = at + 4;
    g(0xe9);
    emit32((uint32_t)(stub - (ind + 4)));
    g(0x66);
    g(0x90);
    ind = end;
}

/* The size of an entry of tcc's value stack: the step of vtop when a
** constant is pushed (and popped again, which emits nothing). */
static size_t value_size(void)
{
    char *before = (char *)vtop;
    vpushi(0);
    size_t size = (size_t)((char *)vtop - before);
    vpop();
    return size;
}

/* Before a call that passes structures by value: tcc copies them below
** %rsp (`sub $size, %rsp` for each), a frame in all but name. The value
** stack holds the arguments at vtop[-nb_args + 1 .. 0]. */
void __wrap_gfunc_call(int nb_args)
{
    uint64_t bytes = 16; /* alignment pushes */
    size_t step = value_size();
    for (int i = 0; i < nb_args; i++) {
        TccValue *v = (TccValue *)((char *)vtop - (size_t)i * step);
        int bt = v->type.t & TCC_VT_BTYPE, align;
        if (bt == TCC_VT_STRUCT || bt == TCC_VT_LDOUBLE)
            bytes += ((uint64_t)type_size(&v->type, &align) + 15) & ~(uint64_t)15;
    }
    if (bytes >= STACK_CHECKED_FRAME && bytes <= INT32_MAX) {
        if ((vtop->r & TCC_VT_VALMASK) == TCC_VT_CMP)
            gv(TCC_RC_INT); /* the check needs the flags */
        emit_fixed_check((uint32_t)bytes);
    }
    __real_gfunc_call(nb_args);
}

/* Before tcc's `sub %reg, %rsp; and $-16, %rsp`, with the size in reg:
**     mov %rsp, %r11; sub %reg, %r11; jb overflow     size > rsp
**     and $-16, %r11
**     movabs $&sched_current, %r10; mov (%r10), %r10
**     test %r10, %r10; jz ok
**     cmp base(%r10), %r11; jae ok
** overflow: call stack_overflow_trap_
** ok: */
void __wrap_gen_vla_alloc(struct CType *type, int align)
{
    int r = gv(TCC_RC_INT);
    if (r >= 0 && r < 8) {
        emit((const unsigned char[]){0x49, 0x89, 0xe3, 0x49, 0x29, (unsigned char)(0xc3 | (r << 3))}, 6);
        emit((const unsigned char[]){0x72, 0x1f}, 2);
        emit((const unsigned char[]){0x49, 0x83, 0xe3, 0xf0}, 4);
        emit_movabs(10, (uint64_t)(uintptr_t)&sched_current);
        emit((const unsigned char[]){0x4d, 0x8b, 0x12, 0x4d, 0x85, 0xd2, 0x74, 0x09 + TRAP_CALL_SIZE}, 8);
        emit((const unsigned char[]){0x4d, 0x3b, 0x9a}, 3);
        emit32(base_offset());
        emit((const unsigned char[]){0x73, TRAP_CALL_SIZE}, 2);
        emit_trap_call();
    }
    __real_gen_vla_alloc(type, align);
}

/* ============================================================= traps */

void stack_overflow_trap_(void)
{
    uintptr_t where = (uintptr_t)__builtin_return_address(0) - 1;
    fault_stack_overflow(where);
}

/* The alloca modules are linked to (libc_guard.c). Called like libtcc1's:
** the size in %rdi, and on return %rsp and %rax are the bottom of the block
** carved from the caller's frame. stack_alloca_bottom_ computes that bottom
** with the caller's stack pointer, or ends the process when it would fall
** below the stack. */
__asm__(".text\n"
        ".globl stack_alloca_\n"
        ".type stack_alloca_, @function\n"
        "stack_alloca_:\n"
        "    movq %rsp, %rsi\n"
        "    subq $8, %rsp\n"
        "    call stack_alloca_bottom_\n"
        "    addq $8, %rsp\n"
        "    popq %rdx\n"
        "    movq %rax, %rsp\n"
        "    jmp *%rdx\n"
        ".size stack_alloca_, .-stack_alloca_\n");

uintptr_t stack_alloca_bottom_(size_t size, const uintptr_t *entry_sp)
{
    uintptr_t caller_sp = (uintptr_t)(entry_sp + 1);
    size_t n = (size + 15) & ~(size_t)15;
    Proc *p = sched_current;
    if (p && (size > SIZE_MAX - 15 || n > caller_sp || caller_sp - n < (uintptr_t)p->stack.base))
        fault_stack_overflow(*entry_sp - 1);
    return caller_sp - n;
}
