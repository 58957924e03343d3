/*
** frames.c
** The frame walker (see frames.h): frame-pointer steps through cerl's and
** the modules' code, libunwind through everything else.
**
** libunwind is used through an address space of our own (unw_create_addr_
** space) rather than its local one, so that every word it reads goes through
** access_mem below, which reads only the walked process's stack and the
** segments of the object whose unwind table is being read. Its local mode
** would read wherever a corrupt frame points, and checks addresses only
** with system calls, and only on some paths.
*/
#include "frames.h"
#include "code.h"
#include "ctx.h"
#include "sched.h"

#include <libunwind.h>
#include <link.h>
#include <string.h>

#if !defined(__x86_64__)
#error "cerl: frames.c steps x86-64 frames (see runtime/frames.h)"
#endif

/* The bounds of the main program's code, defined by the linker. */
extern const char __executable_start[], etext[];

/* libunwind's lookup of an address in one object's .eh_frame_hdr search
** table. libunwind exports it for address spaces like ours (its ptrace and
** core-dump back-ends build their find_proc_info on it), but no public
** header declares it. */
int _Ux86_64_dwarf_search_unwind_table(unw_addr_space_t as, unw_word_t ip, unw_dyn_info_t *di,
                                       unw_proc_info_t *pi, int need_unwind_info, void *arg);

enum {
    NREGS = UNW_X86_64_RIP + 1,
    MAX_SEGS = 16, /* loadable segments of one object */
    PAGE = 4096
};

#define BIT(r) (1u << (r))
/* What a frame-pointer step through cerl code leaves known: cerl functions
** save callee-saved registers where only their unwind tables say. */
#define AFTER_FP_STEP (BIT(UNW_X86_64_RIP) | BIT(UNW_X86_64_RSP) | BIT(UNW_X86_64_RBP))
/* The registers a function must preserve (and tcc code never touches:
** its allocator uses only rax, rcx, rdx, rsi, rdi, r8-r11 and xmm). */
#define CALLEE_SAVED (BIT(UNW_X86_64_RBX) | BIT(UNW_X86_64_R12) | BIT(UNW_X86_64_R13) | \
                      BIT(UNW_X86_64_R14) | BIT(UNW_X86_64_R15))

typedef struct Span {
    uintptr_t lo, hi;
} Span;

/* One walk.
** Invariants: pc, sp and fp are the frame about to be stepped; reg[i]
** means something only when bit i of 'known' is set; obj[] holds the
** readable segments of the object find_proc_info last looked in. */
typedef struct Walk {
    Span stack;            /* the process's whole stack mapping */
    uintptr_t pc, sp, fp;
    bool exact;            /* pc is an interrupted instruction, not a return address */
    unw_word_t reg[NREGS]; /* libunwind's numbering */
    uint32_t known;
    Span obj[MAX_SEGS];
    int nobj;
    bool no_info;          /* find_proc_info found no unwind table entry */
    Span module;           /* the module image a frame was last found in */
} Walk;

/* Created once by frames_init, never changed: the accessors below. */
static unw_addr_space_t unwinder;

/* ============================================================ memory */

static bool in_span(Span s, uintptr_t a, size_t n)
{
    return a >= s.lo && a <= s.hi && s.hi - a >= n;
}

static bool in_cerl(uintptr_t pc)
{
    return pc >= (uintptr_t)__executable_start && pc < (uintptr_t)etext;
}

/* Whether a lies in module code. The image found last is asked first: a
** process's module frames are mostly in one module. */
static inline bool in_module(Walk *w, uintptr_t a)
{
    if (a >= w->module.lo && a < w->module.hi)
        return true;
    return code_image_span(a, &w->module.lo, &w->module.hi);
}

/* Reads the word at a on the walked stack. */
__attribute__((no_sanitize_address))
static bool stack_word(const Walk *w, uintptr_t a, uintptr_t *v)
{
    if ((a & 7) || !in_span(w->stack, a, 8))
        return false;
    *v = *(const volatile uintptr_t *)a;
    return true;
}

/* ======================================================== the objects */

/* What dl_iterate_phdr is asked: the object whose code holds pc. */
typedef struct ObjQuery {
    uintptr_t pc;
    bool found;
    Span text;             /* the executable segment holding pc */
    uintptr_t eh_frame_hdr; /* 0 when the object has none */
    Span segs[MAX_SEGS];   /* its readable segments, whole pages */
    int nsegs;
} ObjQuery;

static int find_object(struct dl_phdr_info *info, size_t size, void *arg)
{
    ObjQuery *q = arg;
    const ElfW(Phdr) *text = NULL, *hdr = NULL;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && q->pc >= lo && q->pc - lo < ph->p_memsz)
            text = ph;
        else if (ph->p_type == PT_GNU_EH_FRAME)
            hdr = ph;
    }
    if (!text)
        return 0;
    q->found = true;
    q->text.lo = info->dlpi_addr + text->p_vaddr;
    q->text.hi = q->text.lo + text->p_memsz;
    q->eh_frame_hdr = hdr ? info->dlpi_addr + hdr->p_vaddr : 0;
    q->nsegs = 0;
    for (int i = 0; i < info->dlpi_phnum && q->nsegs < MAX_SEGS; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_R))
            continue;
        uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
        q->segs[q->nsegs++] = (Span){lo & ~(uintptr_t)(PAGE - 1),
                                     (lo + ph->p_memsz + PAGE - 1) & ~(uintptr_t)(PAGE - 1)};
    }
    return 1;
}

bool frames_pc_in_cerl(uintptr_t pc)
{
    return in_cerl(pc);
}

bool frames_pc_in_code(uintptr_t pc)
{
    if (in_cerl(pc) || code_runs_module(pc))
        return true;
    ObjQuery q = {.pc = pc};
    dl_iterate_phdr(find_object, &q);
    return q.found;
}

/* ================================================= libunwind accessors */

/* Size of a DW_EH_PE-encoded value by its encoding; -1 for one not used in
** .eh_frame_hdr. */
static int encoded_size(uint8_t enc)
{
    if (enc == 0xff) /* DW_EH_PE_omit */
        return 0;
    switch (enc & 0x0f) {
    case 0x00: return 8; /* absptr */
    case 0x02: case 0x0a: return 2;
    case 0x03: case 0x0b: return 4;
    case 0x04: case 0x0c: return 8;
    default: return -1;
    }
}

/* The unwind information for ip: found in the .eh_frame_hdr search table of
** the object holding ip, which libunwind then reads through access_mem. */
static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi, int need_unwind_info,
                          void *arg)
{
    Walk *w = arg;
    w->no_info = true;
    ObjQuery q = {.pc = ip};
    dl_iterate_phdr(find_object, &q);
    if (!q.found || !q.eh_frame_hdr)
        return -UNW_ENOINFO;
    memcpy(w->obj, q.segs, sizeof q.segs);
    w->nobj = q.nsegs;
    /* version, eh_frame_ptr encoding, fde_count encoding, table encoding */
    const uint8_t *h = (const uint8_t *)q.eh_frame_hdr;
    int ptr_size = encoded_size(h[1]), count_size = encoded_size(h[2]);
    if (h[0] != 1 || h[3] != 0x3b /* datarel | sdata4: binary-searchable */ || ptr_size < 0 || count_size <= 0)
        return -UNW_ENOINFO;
    const uint8_t *p = h + 4 + ptr_size;
    uint64_t count = 0;
    memcpy(&count, p, (size_t)count_size); /* little-endian */
    unw_dyn_info_t di;
    memset(&di, 0, sizeof di);
    di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
    di.start_ip = q.text.lo;
    di.end_ip = q.text.hi;
    di.u.rti.segbase = q.eh_frame_hdr;
    di.u.rti.table_data = (unw_word_t)(uintptr_t)(p + count_size);
    di.u.rti.table_len = count * 8 / sizeof(unw_word_t); /* entries of two int32 */
    int r = _Ux86_64_dwarf_search_unwind_table(as, ip, &di, pi, need_unwind_info, arg);
    w->no_info = r < 0;
    return r;
}

static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
    /* libunwind frees the DWARF information it allocated itself */
}

static int get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *addr, void *arg)
{
    return -UNW_ENOINFO; /* no code registered with libunwind at run time */
}

/* Reads only the walked stack and the current object's segments. */
__attribute__((no_sanitize_address))
static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write, void *arg)
{
    const Walk *w = arg;
    if (write || (addr & 7))
        return -UNW_EINVAL;
    bool ok = in_span(w->stack, addr, 8);
    for (int i = 0; !ok && i < w->nobj; i++)
        ok = in_span(w->obj[i], addr, 8);
    if (!ok)
        return -UNW_EINVAL;
    *val = *(const volatile unw_word_t *)(uintptr_t)addr;
    return 0;
}

static int access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val, int write, void *arg)
{
    const Walk *w = arg;
    if (write || reg < 0 || reg >= NREGS || !(w->known & BIT(reg)))
        return -UNW_EBADREG;
    *val = w->reg[reg];
    return 0;
}

static int access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val, int write, void *arg)
{
    return -UNW_EBADREG;
}

static int resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
    return -UNW_EINVAL; /* walks only look */
}

int frames_init(void)
{
    static unw_accessors_t acc = {
        .find_proc_info = find_proc_info,
        .put_unwind_info = put_unwind_info,
        .get_dyn_info_list_addr = get_dyn_info_list_addr,
        .access_mem = access_mem,
        .access_reg = access_reg,
        .access_fpreg = access_fpreg,
        .resume = resume,
    };
    if (unwinder)
        return 0;
    unw_addr_space_t as = unw_create_addr_space(&acc, 0);
    if (!as)
        return -1;
    /* what libunwind learns of a pc from the tables is kept for the next
    ** walk (the loaded libraries never move); it takes its cache's lock
    ** with every signal blocked */
    unw_set_caching_policy(as, UNW_CACHE_GLOBAL);
    unw_get_accessors(as); /* libunwind's own set-up, now rather than in a handler */
    unwinder = as;
    return 0;
}

/* ============================================================ stepping */

/* A frame whose code keeps a frame pointer, past its prologue: fp points at
** the saved frame pointer, the return address above it. Through module
** code the callee-saved registers stay as they were (tcc never uses them). */
static inline bool fp_step(Walk *w, bool cerl)
{
    uintptr_t fp = w->fp, up, ra;
    if (fp < w->sp || !stack_word(w, fp, &up) || !stack_word(w, fp + 8, &ra))
        return false;
    w->pc = ra;
    w->sp = fp + 16;
    w->fp = up;
    w->exact = false;
    w->known = cerl ? AFTER_FP_STEP : (w->known & CALLEE_SAVED) | AFTER_FP_STEP;
    return ra != 0; /* 0: the bottom frame ctx_prepare built */
}

/* Whether the instruction just before ra is a call (direct, or indirect
** through a register or memory): ra is then a return address. */
static bool after_call(uintptr_t ra)
{
    const uint8_t *c = (const uint8_t *)ra;
    return c[-5] == 0xe8                                 /* call rel32 */
           || (c[-2] == 0xff && (c[-1] & 0xf8) == 0xd0)  /* call *%reg */
           || (c[-2] == 0xff && (c[-1] & 0xf8) == 0x10)  /* call *(%reg) */
           || (c[-3] == 0xff && (c[-2] & 0xf8) == 0x50)  /* call *d8(%reg) */
           || (c[-6] == 0xff && (c[-5] & 0xf8) == 0x90)  /* call *d32(%reg) */
           || (c[-6] == 0xff && c[-5] == 0x15);          /* call *d32(%rip) */
}

static bool fp_code(uintptr_t a)
{
    return in_cerl(a) || code_runs_module(a);
}

/* The innermost frame of an interrupted context at a pc in no code: a call
** or jump to a wild address, which faults fetching the first instruction,
** before anything ran there. If it was a call, the return address is at
** [sp]: it is taken when it returns into frame-pointer code just after a
** call instruction. */
static bool wild_step(Walk *w)
{
    uintptr_t ra;
    if (!w->exact || frames_pc_in_code(w->pc) || !stack_word(w, w->sp, &ra))
        return false;
    if (!fp_code(ra) || !fp_code(ra - 6) || !after_call(ra))
        return false;
    w->pc = ra;
    w->sp += 8;
    w->exact = false;
    w->known &= CALLEE_SAVED | BIT(UNW_X86_64_RBP);
    return true;
}

/* The innermost frame of an interrupted context in module code: at the
** first instruction of a function (push %rbp) or just after it, or at ret
** after leave, rbp is not this function's frame pointer yet or any more. */
static bool module_exact_step(Walk *w)
{
    const uint8_t *c = (const uint8_t *)w->pc;
    static const uint8_t frame_setup[] = {0x48, 0x89, 0xe5}; /* mov %rsp,%rbp */
    uintptr_t ra, up;
    bool readable = code_runs_module(w->pc + 3);
    if (readable && c[0] == 0x55 && !memcmp(c + 1, frame_setup, 3)) {
        if (!stack_word(w, w->sp, &ra))
            return false;
        w->sp += 8;
    } else if (readable && code_runs_module(w->pc - 1) && c[-1] == 0x55 && !memcmp(c, frame_setup, 3)) {
        if (!stack_word(w, w->sp, &up) || !stack_word(w, w->sp + 8, &ra))
            return false;
        w->fp = up;
        w->sp += 16;
    } else if (c[0] == 0xc3) { /* ret */
        if (!stack_word(w, w->sp, &ra))
            return false;
        w->sp += 8;
    } else {
        return fp_step(w, false);
    }
    w->pc = ra;
    w->exact = false;
    w->known = (w->known & CALLEE_SAVED) | AFTER_FP_STEP;
    return ra != 0;
}

/* A frame stepped from its unwind table. Returns false when there is none,
** or when the caller's frame would not lie further up the stack. */
static bool unwind_step(Walk *w)
{
    /* a return address is looked up as the call before it, as libunwind
    ** does itself for the frames it reaches */
    w->reg[UNW_X86_64_RIP] = w->exact ? w->pc : w->pc - 1;
    w->reg[UNW_X86_64_RSP] = w->sp;
    w->reg[UNW_X86_64_RBP] = w->fp;
    w->known |= AFTER_FP_STEP;
    w->nobj = 0;
    unw_cursor_t c;
    w->no_info = false;
    if (unw_init_remote(&c, unwinder, w) < 0)
        return false;
    unw_word_t ip, sp, v;
    int stepped = unw_step(&c);
    /* without unwind information unw_step guesses a frame: not taken */
    if (w->no_info || stepped <= 0 || unw_get_reg(&c, UNW_REG_IP, &ip) < 0 ||
        unw_get_reg(&c, UNW_REG_SP, &sp) < 0)
        return false;
    if (sp <= w->sp || !in_span(w->stack, sp, 0))
        return false;
    static const int kept[] = {UNW_X86_64_RBX, UNW_X86_64_RBP, UNW_X86_64_R12,
                               UNW_X86_64_R13, UNW_X86_64_R14, UNW_X86_64_R15};
    uint32_t known = BIT(UNW_X86_64_RIP) | BIT(UNW_X86_64_RSP);
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        if (unw_get_reg(&c, kept[i], &v) == 0) {
            w->reg[kept[i]] = v;
            known |= BIT(kept[i]);
        }
    w->known = known;
    w->pc = ip;
    w->sp = sp;
    w->fp = (known & BIT(UNW_X86_64_RBP)) ? w->reg[UNW_X86_64_RBP] : 0;
    w->exact = false;
    return ip != 0;
}

static bool step(Walk *w)
{
    uintptr_t at = w->exact ? w->pc : w->pc - 1;
    if (in_cerl(at)) /* cerl's tables are exact at any instruction */
        return w->exact ? unwind_step(w) || fp_step(w, true) : fp_step(w, true);
    if (in_module(w, at))
        return w->exact ? module_exact_step(w) : fp_step(w, false);
    return unwind_step(w) || wild_step(w);
}

/* Visits each frame and steps to the next. The common case, a return into
** frame-pointer code, is stepped here in registers; everything else by
** step(). Every step moves sp up the stack, so the walk ends: no frame
** count limits it (old code may lie below thousands of frames). */
__attribute__((no_sanitize_address))
static bool run(Walk *w, FrameVisit visit, void *arg)
{
    uintptr_t pc = w->pc, sp = w->sp, fp = w->fp;
    uint32_t known = w->known;
    const Span stack = w->stack;
    bool exact = w->exact;
    for (;;) {
        uintptr_t at = exact ? pc : pc - 1;
        if (visit(at, arg))
            return true;
        bool cerl = in_cerl(at);
        if (!exact && (cerl || in_module(w, at))) {
            if (fp < sp || (fp & 7) || !in_span(stack, fp, 16))
                return false;
            pc = ((const volatile uintptr_t *)fp)[1];
            sp = fp + 16;
            fp = ((const volatile uintptr_t *)fp)[0];
            known = cerl ? AFTER_FP_STEP : (known & CALLEE_SAVED) | AFTER_FP_STEP;
            if (!pc)
                return false; /* the bottom frame ctx_prepare built */
            continue;
        }
        w->pc = pc;
        w->sp = sp;
        w->fp = fp;
        w->known = known;
        if (!step(w))
            return false;
        pc = w->pc;
        sp = w->sp;
        fp = w->fp;
        known = w->known;
        exact = w->exact;
    }
}

/* ============================================================= walks */

/* Only what every walk reads: reg[] counts only where 'known' says. */
static void walk_init(Walk *w, const Proc *p)
{
    w->stack.lo = (uintptr_t)p->stack.base;
    w->stack.hi = w->stack.lo + p->stack.size;
    w->exact = false;
    w->known = 0;
    w->nobj = 0;
    w->module = (Span){0, 0};
}

__attribute__((noinline)) bool frames_walk(Proc *p, FrameVisit visit, void *arg)
{
    if (p->state == PS_EXITING || !p->sp)
        return false;
    if (!unwinder && frames_init() != 0)
        return false;
    Walk w;
    walk_init(&w, p);
    if (p == sched_current) {
        /* from our caller: our frame holds its frame pointer and our return */
        uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
        w.sp = fp;
        w.fp = fp;
        if (!fp_step(&w, true))
            return false;
    } else {
        const uintptr_t *saved = p->sp;
        w.pc = saved[CTX_SAVED_IP];
        w.fp = saved[CTX_SAVED_FP];
        /* ctx_switch's other saved registers are not read: the first frame
        ** is cerl's, and a frame-pointer step forgets them */
        w.sp = (uintptr_t)(saved + CTX_SAVED_WORDS);
    }
    return run(&w, visit, arg);
}

bool frames_walk_signal(const Proc *p, const ucontext_t *uc, FrameVisit visit, void *arg)
{
    if (!unwinder)
        return false;
    const greg_t *g = uc->uc_mcontext.gregs;
    static const struct {
        int unw, greg;
    } map[] = {
        {UNW_X86_64_RAX, REG_RAX}, {UNW_X86_64_RDX, REG_RDX}, {UNW_X86_64_RCX, REG_RCX},
        {UNW_X86_64_RBX, REG_RBX}, {UNW_X86_64_RSI, REG_RSI}, {UNW_X86_64_RDI, REG_RDI},
        {UNW_X86_64_RBP, REG_RBP}, {UNW_X86_64_RSP, REG_RSP}, {UNW_X86_64_R8, REG_R8},
        {UNW_X86_64_R9, REG_R9},   {UNW_X86_64_R10, REG_R10}, {UNW_X86_64_R11, REG_R11},
        {UNW_X86_64_R12, REG_R12}, {UNW_X86_64_R13, REG_R13}, {UNW_X86_64_R14, REG_R14},
        {UNW_X86_64_R15, REG_R15}, {UNW_X86_64_RIP, REG_RIP},
    };
    Walk w;
    walk_init(&w, p);
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        w.reg[map[i].unw] = (unw_word_t)g[map[i].greg];
    w.known = BIT(NREGS) - 1;
    w.pc = (uintptr_t)g[REG_RIP];
    w.sp = (uintptr_t)g[REG_RSP];
    w.fp = (uintptr_t)g[REG_RBP];
    w.exact = true;
    return run(&w, visit, arg);
}
