/*
** cerl.h
** The one header a cerl module includes: terms, processes, messages and
** calls, spelled the way the Erlang they mirror reads.
**
** A module is a C file Name.c:
**
**     #include <cerl.h>
**     MODULE(t);                          -module(t).
**     EXPORT(start/0);                    -export([start/0]).
**
**     static Term do_loop(void) { ... }   do_loop() -> ...
**     Term start(void) { ... }            start() -> ...
**
** Every function a module exports takes and returns Terms: `Term f(Term A, Term B)`
** is f/2. Exported functions are plain (non-static) C functions; everything
** else should be static.
**
** Where terms may be kept: in locals and arguments of the running process,
** and in messages. A Term lives on the heap of the process that built it;
** never keep one in a C global or in malloc'd memory, and never hand one to
** another process except by erl_send (which copies it).
**
** Names all start with erl_, io_ or an upper-case macro, so a module never
** collides with libc (no bare send, exit, link or register).
*/
#ifndef CERL_H
#define CERL_H

/* No system headers here: a module that includes nothing else compiles
** from this file alone, which is most of what c(Mod) costs. The integer
** types are spelled out for LP64 (x86-64, aarch64 Linux): long is 64 bits. */

/* ---------------------------------------------------------------- terms */

/* A term is one machine word. The low bits say what it is:
**   ...xxx1  small integer (63 bits, signed)
**   ...x000  pointer to a boxed object (tuple, float, ref, binary), 8-aligned
**   ...x010  pointer to a cons cell (two words: head, tail)
**   ...x100  atom (index << 3)
**   ...0110  pid of this node ((serial << 32 | number) << 4)
**   ...1110  other immediates: [] is 0x0e
** 0 is never a valid term (ERL_NONE: "no value"). */
typedef unsigned long Term;
_Static_assert(sizeof(Term) == 8, "cerl needs 64-bit longs");

#define ERL_NONE ((Term)0)
#define ERL_NIL  ((Term)0x0e)

#define ERL_TAG_MASK   ((Term)7)
#define ERL_TAG_BOXED  ((Term)0)
#define ERL_TAG_CONS   ((Term)2)
#define ERL_TAG_ATOM   ((Term)4)
#define ERL_TAG_IMM    ((Term)6)

/* Kinds of boxed objects; the header word is (size << 8) | kind, where size
** counts the words after the header (for a binary: see erl_bit_size). */
enum {
    ERL_BOX_TUPLE = 1,
    ERL_BOX_FLOAT = 2,
    ERL_BOX_REF = 3,
    ERL_BOX_BINARY = 4,
    ERL_BOX_FUN = 5,
    ERL_BOX_BIGNUM = 6,
    ERL_BOX_MAP = 7,     /* a map of at most 32 keys, flat */
    ERL_BOX_MAPNODE = 8, /* a node of a larger map's hash trie */
    /* pids and references of other nodes (runtime/node.h) */
    ERL_BOX_EXTPID = 12, /* [Node atom][Number][Serial][Creation] */
    ERL_BOX_EXTREF = 13  /* [Node atom][Creation][Word0]..: 0 to 5 words */
};

#define ERL_SMALL_MAX ((long)(((unsigned long)1 << 62) - 1))
#define ERL_SMALL_MIN (-ERL_SMALL_MAX - 1)

static inline int erl_is_int(Term t) { return (int)(t & 1); }
static inline int erl_is_atom(Term t) { return (t & ERL_TAG_MASK) == ERL_TAG_ATOM; }
static inline int erl_is_nil(Term t) { return t == ERL_NIL; }
static inline int erl_is_cons(Term t) { return (t & ERL_TAG_MASK) == ERL_TAG_CONS; }
static inline int erl_is_list(Term t) { return erl_is_cons(t) || t == ERL_NIL; }
static inline int erl_is_boxed(Term t) { return t != 0 && (t & ERL_TAG_MASK) == ERL_TAG_BOXED; }

static inline Term *erl_box_ptr(Term t) { return (Term *)(unsigned long)t; }
static inline unsigned erl_box_kind(Term t) { return (unsigned)(*erl_box_ptr(t) & 0xff); }
static inline unsigned long erl_box_size(Term t) { return *erl_box_ptr(t) >> 8; }
/* A pid of this node is an immediate, as fast to test as before; a pid of
** another node (binary_to_term of one, list_to_pid("<N.X.Y>")) is boxed. */
static inline int erl_is_pid(Term t)
{
    return (t & 15) == 6 || (erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_EXTPID);
}
static inline int erl_is_tuple(Term t) { return erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_TUPLE; }
static inline int erl_is_float(Term t) { return erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_FLOAT; }
static inline int erl_is_ref(Term t)
{
    return erl_is_boxed(t) && (erl_box_kind(t) == ERL_BOX_REF || erl_box_kind(t) == ERL_BOX_EXTREF);
}
/* Binaries and bitstrings: is_bitstring, bit_size, byte_size (the bits
** rounded up to bytes), is_binary (a bitstring of whole bytes). The bytes
** are at erl_binary_bytes(t), most significant bit first. */
static inline int erl_is_bitstring(Term t) { return erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_BINARY; }
static inline unsigned long erl_bit_size(Term t) { return erl_box_size(t) >> 1; }
static inline unsigned long erl_binary_size(Term t) { return (erl_bit_size(t) + 7) >> 3; }
static inline int erl_is_binary(Term t) { return erl_is_bitstring(t) && (erl_bit_size(t) & 7) == 0; }

static inline int erl_is_bignum(Term t) { return erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_BIGNUM; }
static inline int erl_is_map(Term t)
{
    return erl_is_boxed(t) && (erl_box_kind(t) == ERL_BOX_MAP || erl_box_kind(t) == ERL_BOX_MAPNODE);
}

/* Integers of any size. One that fits in [ERL_SMALL_MIN, ERL_SMALL_MAX] is
** a small integer (erl_is_int, read with erl_int_value); any other is a
** bignum (erl_is_bignum). erl_is_integer is true for both. */
static inline long erl_int_value(Term t) { return (long)t >> 1; }
static inline int erl_is_integer(Term t) { return erl_is_int(t) || erl_is_bignum(t); }
static inline int erl_is_number(Term t) { return erl_is_integer(t) || erl_is_float(t); }
/* The integer v, or (unsigned) u; never fail. */
Term erl_mk_int(long v);
Term erl_mk_uint64(unsigned long u);
/* If integer t fits in a long (an unsigned long), stores it in *v and
** returns 1; returns 0 when t is no integer or does not fit. */
int erl_get_long(Term t, long *v);
int erl_get_ulong(Term t, unsigned long *v);

/* Cons cells and tuples. The accessors assume the right kind. */
static inline Term erl_hd(Term t) { return ((Term *)(unsigned long)(t - ERL_TAG_CONS))[0]; }
static inline Term erl_tl(Term t) { return ((Term *)(unsigned long)(t - ERL_TAG_CONS))[1]; }
static inline unsigned long erl_tuple_size(Term t) { return erl_box_size(t); }
/* Element i, counting from 1 as element/2 does. */
static inline Term erl_element(Term t, unsigned long i) { return erl_box_ptr(t)[i]; }

/* Constructors: each allocates on the calling process's heap and cannot fail
** (running out of memory ends the runtime with a message). */
Term erl_cons(Term head, Term tail);
Term erl_tuple_n(int n, const Term *elems);
Term erl_list_n(int n, const Term *elems);
Term erl_mk_float(double d);
double erl_float_value(Term t);
Term erl_mk_binary(const void *bytes, unsigned long len);
const unsigned char *erl_binary_bytes(Term t);
/* A string is a list of character codes, as in Erlang: "abc" is [97,98,99]. */
Term erl_mk_string(const char *s);

/* erl_tuple(a, b, c) is {a,b,c}; erl_list(a, b) is [a,b]; erl_list() is [].
** (Each macro counts its own arguments with ERL_NARGS_: tcc miscounts an
** empty __VA_ARGS__ handed on to another macro.) */
#define ERL_NARGS_(z, a, b, c, d, e, f, g, h, n, ...) n
#define erl_tuple(...) erl_tuple_n(ERL_NARGS_(0, ##__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0), (Term[]){0, __VA_ARGS__} + 1)
#define erl_list(...) erl_list_n(ERL_NARGS_(0, ##__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0), (Term[]){0, __VA_ARGS__} + 1)

/* ----------------------------------------------------------- arithmetic */

/* erl's operators on numbers of any size: A + B, A - B, A * B, A div B,
** A rem B, A / B (always a float), band, bor, bxor, bsl, bsr, -A. Each
** raises what erl raises: badarith for a non-number (a non-integer for
** div, rem and the bitwise ones), division by zero or a float that
** overflows; system_limit for an integer beyond erl's size limit. */
Term erl_add(Term a, Term b);
Term erl_sub(Term a, Term b);
Term erl_mul(Term a, Term b);
Term erl_div(Term a, Term b);
Term erl_rem(Term a, Term b);
Term erl_fdiv(Term a, Term b);
Term erl_band(Term a, Term b);
Term erl_bor(Term a, Term b);
Term erl_bxor(Term a, Term b);
Term erl_bsl(Term a, Term b);
Term erl_bsr(Term a, Term b);
Term erl_neg(Term a);

/* ----------------------------------------------------------------- maps */

/* #{}; M#{K => V} (a new map: maps are values, M is unchanged); the value
** of K in M, or ERL_NONE when M has no key =:= K; map_size(M). The map
** arguments must be maps (erl_is_map). */
Term erl_map_new(void);
Term erl_map_put(Term m, Term k, Term v);
Term erl_map_get(Term m, Term k);
unsigned long erl_map_size(Term m);
/* Calls fn(K, V, ctx) for every pair of m: in key order for a map of up to
** 32 keys, in its trie's order for a larger one (as maps:fold walks it:
** erl's order for keys that are numbers, binaries, lists or tuples). */
void erl_map_foreach(Term m, void (*fn)(Term k, Term v, void *ctx), void *ctx);

/* ---------------------------------------------------------------- atoms */

/* The atom named by the NUL-terminated UTF-8 'name'. Never fails for names up to
** 255 characters; longer names raise system_limit. */
Term erl_atom(const char *name);
/* The name of atom 'a' (static storage, never freed). */
const char *erl_atom_name(Term a);
/* ATOM(ok) is the atom ok, looked up once per use site. */
#define ATOM(name) ({ static Term erl_atom_; erl_atom_ ? erl_atom_ : (erl_atom_ = erl_atom(#name)); })

/* Structural equality and Erlang's term order (-1, 0, 1). */
int erl_eq(Term a, Term b);
int erl_compare(Term a, Term b);

/* ------------------------------------------------------------ processes */

/* The calling process's pid. */
Term erl_self(void);

/* spawn(fun() -> f(Args) end): starts a process running the module
** function f with up to 8 Term arguments; returns its pid at once. */
Term erl_spawn_fn(void *fn, int argc, const Term *argv);
#define erl_spawn(f, ...) erl_spawn_fn((void *)(f), ERL_NARGS_(0, ##__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0), (Term[]){0, __VA_ARGS__} + 1)
/* spawn_link(fun() -> f(Args) end): as erl_spawn, linked to the caller. */
Term erl_spawn_link_fn(void *fn, int argc, const Term *argv);
#define erl_spawn_link(f, ...) \
    erl_spawn_link_fn((void *)(f), ERL_NARGS_(0, ##__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0), (Term[]){0, __VA_ARGS__} + 1)
/* link(Pid) -> true; noproc error when Pid is dead (unless trapping exits).
** unlink(Pid) -> true. */
Term erl_link(Term pid);
Term erl_unlink(Term pid);
/* process_flag(trap_exit, Bool): returns the old value. */
Term erl_trap_exit(Term on);

/* erlang:apply(Fun, Args): calls any fun (made at the prompt, fun M:F/A,
** or made in C below) with the arguments in the list Args (at most 8);
** raises badfun for a non-fun and badarity when the counts differ, as erl
** does. */
Term erl_apply(Term fun, Term args);
static inline int erl_is_function(Term t) { return erl_is_boxed(t) && erl_box_kind(t) == ERL_BOX_FUN; }

/* ---- funs made in C (runtime/fun.h) */
/* fun Mod:Fun/Arity: calls reach the current version of Mod when the fun
** is applied, as erl's export funs do. Mod and Fun must be atoms and
** 0 <= Arity <= 255 (else badarg). ERL_FUN(lists, map, 2) is fun lists:map/2. */
Term erl_mk_export_fun(Term mod, Term fun, int arity);
#define ERL_FUN(m, f, n) erl_mk_export_fun(ATOM(m), ATOM(f), n)
/* A local fun of 'arity' arguments with 'nenv' captured terms: applying it
** to Args calls fn(Arg1, .., ArgN, Env1, .., EnvK) (as BEAM passes a fun's
** free variables after its arguments; at most 8 in all). fn must be a
** function of a loaded module (static ones too): the fun prints as
** #Fun<Mod.Index.Uniq>, erlang:fun_info names the function, and a process
** holding such a fun counts as running that module version's code (purge
** kills it once the version is old). Raises badarg otherwise.
** erl_mk_closure(adder, 1, N) is fun(X) -> adder(X, N) end. */
Term erl_mk_closure_fn(void *fn, int arity, int nenv, const Term *env);
#define erl_mk_closure(fn, arity, ...) \
    erl_mk_closure_fn((void *)(fn), arity, ERL_NARGS_(0, ##__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0), (Term[]){0, __VA_ARGS__} + 1)

/* spawn(M, F, Args): the process starts in the current version of M:F/N. */
Term erl_spawn3(Term mod, Term fun, Term args);

/* Pid ! Msg, where 'to' is a pid or a registered name. Copies msg into the
** receiver's heap; returns msg. An unregistered name raises badarg ({Name,
** node()} naming no one does not, as in erl); a dead pid is silently
** ignored. */
Term erl_send(Term to, Term msg);

/* receive Msg -> Msg end: blocks until a message arrives and returns the
** oldest one, removed from the mailbox. */
Term erl_receive(void);

/* receive Msg -> Msg after Ms -> none end: the oldest message, or ERL_NONE
** when none arrived within ms milliseconds (0: only look; -1: forever).
** Looking counts as work: a loop of polls lets the others run now and then. */
Term erl_receive_timeout(long ms);

/* Selective receive: the oldest message for which match(Msg, ctx) returns
** non-zero, removed from the mailbox; the others stay, in order. Waits up to
** ms milliseconds (-1: forever); ERL_NONE on timeout. match may receive
** itself: the scan goes on with the messages still queued, skipping none,
** and a message match took is not returned again. */
Term erl_receive_match(int (*match)(Term msg, void *ctx), void *ctx, long ms);

/* timer:sleep(Ms). Returns ok. */
Term erl_sleep(long ms);
/* erlang:send_after(Ms, Dest, Msg) -> TimerRef; Dest is a pid or a name
** (looked up when the timer fires). erlang:cancel_timer(TimerRef) -> the
** milliseconds that were left, or false. */
Term erl_send_after(long ms, Term dest, Term msg);
Term erl_cancel_timer(Term ref);

/* Gives the other runnable processes a turn. */
void erl_yield(void);

/* register(Name, Pid) -> true; badarg when the name is taken, the pid
** already has a name, or the process is dead. */
Term erl_register(Term name, Term pid);
Term erl_unregister(Term name);
/* The pid registered as 'name', or the atom undefined. */
Term erl_whereis(Term name);

/* erlang:monitor(process, PidOrName) -> Ref. */
Term erl_monitor(Term pid_or_name);

/* When module code crashes, only its process ends (runtime/fault.h).
** A fault is not an exception: it cannot be caught (only erl_catch_fault,
** below, for the runtime's behaviours, receives it), and the process's frames
** are abandoned. Links and monitors see these exit reasons, where Where is
** {Mod, Fun, current | old}, the innermost module function on the stack
** (the one that called into libc when the fault is inside libc), and Addr
** an integer:
**     {segv, Where, Addr}            SIGSEGV: bad memory access at Addr
**     {sigbus, Where, Addr}          SIGBUS: e.g. a mapping past its file's end
**     {badarith, Where}              SIGFPE: integer division by zero
**     {sigill, Where}                SIGILL: illegal instruction
**     {abort, Where}                 abort(), or a failed assert()
**     {stack_overflow, Where}        the process ran off its stack, or a
**                                    frame, VLA or alloca() would not fit
**                                    in it (Where is undefined if no
**                                    module is on it)
**     {sigtrap, Where}               SIGTRAP: a breakpoint (int3)
**     {purged_code, {Mod, Fun, purged}, Addr}
**                                    a call through a pointer into code
**                                    that has been purged
**     {badterm, Crossing, What}      a term handed to the runtime is not a
**                                    term of the process's own heap: What
**                                    is the first bad word as an integer
**                                    (e.g. 16 for (Term)0x10, or the address
**                                    of a term kept after its owner died),
**                                    or cycle for a term made to contain
**                                    itself. Crossing says where it was
**                                    handed over: erl_send, erl_exit,
**                                    erl_exit2, erl_error, erl_throw,
**                                    erl_spawn, erl_spawn_link,
**                                    erl_send_after, io_format,
**                                    erl_compare, erl_mk_closure, or
**                                    {Mod, Fun, Arity} for
**                                    the value a module function returned
**     {unsupported, Call, Where}     Call (an atom) cannot run in a
**                                    process: fork, vfork, clone, daemon,
**                                    the exec family, pthread_create,
**                                    thrd_create, setcontext, swapcontext,
**                                    and arming alarm, ualarm, setitimer
**                                    or timer_create
**     {signal, Sig, Where}           kill() or raise() sent the runtime a
**                                    signal that would end or stop it (Sig
**                                    an atom: sigkill, sigusr1, ...)
** and, like an uncaught error, each is reported ("=ERROR REPORT===="). A
** module calling exit(Status), _exit(Status) or _Exit(Status) ends its
** process with reason {exit, Status}, like erl_exit (no report). So do the
** other ways out of libc, each ending only the calling process:
**     quick_exit(Status)                      {exit, Status}
**     err, errx, verr, verrx(Status, ...)     {exit, Status}, after the
**                                             message libc prints
**     error, error_at_line(Status, ...)       {exit, Status} when Status is
**                                             not 0, after libc's message
**     syscall(SYS_exit or SYS_exit_group, S)  {exit, S}
**     pthread_exit(_), thrd_exit(_)           normal
**     __stack_chk_fail, __fortify_fail        {abort, Where}, after libc's
**                                             "*** ... ***: terminated"
** The runtime keeps its signals: signal() and sigaction() accept only
** SIG_DFL and SIG_IGN, for signals the runtime does not use (else EINVAL);
** blocking one it uses is ignored; sigaltstack() cannot change the stack
** (EPERM); kill() to the process group or to every process fails (EPERM).
** syscall() gives the same answers for the system calls behind these.
** pause() and sigsuspend() block the calling process until it is killed;
** kill(getpid(), SIGTERM) shuts cerl down as SIGTERM shuts down erl. Each
** process has its own floating-point rounding mode and exception masks,
** the default ones when it starts. */

/* exit(Reason): ends the calling process. Never returns. */
__attribute__((noreturn)) void erl_exit(Term reason);
/* exit(Pid, Reason). Returns true. */
Term erl_exit2(Term pid, Term reason);

/* erlang:error(Reason) and throw(Term): raise in the calling process.
** Uncaught, they end it. Never return. */
__attribute__((noreturn)) void erl_error(Term reason);
__attribute__((noreturn)) void erl_throw(Term term);

/* The process dictionary of the calling process (BIFs of issue 12):
** put(Key, Value) returns the old value or undefined; get(Key) the value or
** undefined; erase(Key) removes it and returns the old value or undefined.
** Keys compare with =:=. */
Term erl_put(Term key, Term value);
Term erl_get(Term key);
Term erl_erase(Term key);
/* erlang:display(Term): writes Term as the emulator does, on a line of its
** own. Returns true. */
Term erl_display(Term t);

/* --- OTP behaviours (gen_server, sys, supervisor) --- */

/* try Fn(Ctx) catch Class:Reason -> ... end: calls fn(ctx). Returns 1 when
** it returned, its value in *value; 0 when it raised, the class (the atom
** error, exit or throw) in *cls and the reason in *value. A fault (see
** above) is not an exception and is never caught. */
int erl_catch(Term (*fn)(void *ctx), void *ctx, Term *value, Term *cls);
/* try Fn(Ctx) catch Class:Reason:Stack -> ... end: as erl_catch, and when
** fn raised, *stack is the exception's stack trace as erl gives it,
** [{Mod, Fun, Arity, [{file, File}, {line, Line}]}, ...], innermost first. */
int erl_catch_stack(Term (*fn)(void *ctx), void *ctx, Term *value, Term *cls, Term *stack);

/* --- fault catching (issue 13: callbacks that fault end their server as OTP does) --- */

/* As erl_catch_stack (stack may be NULL), and a fault of the code fn runs
** (see above) lands here too, as an exception of class exit whose reason is
** the fault's exit reason ({segv, Where, Addr}, ...), when it is safe to go
** on: the fault is in module code or a library it called (not in cerl's
** runtime), the catch frame looks intact, and at least 64 KB of stack are
** left below it. The frames between are abandoned as with an exception
** (catch frames among them, erl_catch's included, are passed by). Otherwise,
** and always for purged_code and badterm, the process ends as today. A fault
** caught here is not reported: the catcher decides what to print. For the
** runtime's behaviours (gen_server); the shell's catch keeps faults
** uncatchable, as erl has no faults to catch. */
int erl_catch_fault(Term (*fn)(void *ctx), void *ctx, Term *value, Term *cls, Term *stack);

/* --- hibernation (issue 15, memory) --- */

/* erlang:hibernate(M, F, Args): the running process's call stack is
** discarded (C locals, catch frames and all), its heap collected, its stack
** pages given back; it waits, and the next message (or one already queued)
** starts it afresh in M:F(Args...); when that returns, it exits normal.
** Raises badarg when M or F is not an atom or Args not a proper list. */
__attribute__((noreturn)) void erl_hibernate(Term m, Term f, Term args);

/* ------------------------------------------------------------------ io */

/* io:format(Fmt, Args) with Args a list: ~p ~w ~s ~n ~~ (and ~b ~c ~e ~f ~g
** ~i). Returns ok; a format that does not fit its arguments raises badarg. */
Term io_format(const char *fmt, Term args);

/* As io_format, for a report ("=ERROR REPORT==== ..."): it goes the way
** erl's logger output goes, so at the prompt it comes out after the value
** of the command that caused it, where io_format's text comes out before.
** Returns ok; raises badarg as io_format does. */
Term logger_format(const char *fmt, Term args);

/* ------------------------------------------- for the standard library */

/* Added for the modules of modules/; any module may use them. */

/* erlang:error(Reason, Args) raised from the module function that calls it,
** so that erl's report names that function and the call:
**     erl_error_args(ATOM(badarg), "argument 1: not a number", X);
** in sqrt/1 of module math prints
**     ** exception error: bad argument
**          in function  math:sqrt/1
**             called as math:sqrt(a)
**             *** argument 1: not a number
** Note is a C string or NULL (no *** line). The function is the C caller's
** (__func__), its "_N" arity suffix dropped (seq_2 is seq/2): call it from
** the exported function itself, or use erl_error_in with the name spelled
** out (mod, fun: C strings). erl_error_args needs MODULE() above its use.
** Never return. */
__attribute__((noreturn)) void erl_error_in(Term reason, const char *note, const char *mod, const char *fun,
                                            int argc, const Term *argv);
#define erl_error_args(Reason, Note, ...) \
    erl_error_in(Reason, Note, cerl_module, __func__, ERL_NARGS_(0, ##__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0), \
                 (Term[]){0, __VA_ARGS__} + 1)

/* The function_clause error of a module function none of whose clauses
** takes its arguments, named as erl names it:
**     Term nth(Term N, Term List)
**     {
**         if (!erl_is_integer(N)) erl_function_clause(N, List);
** prints "no function clause matching lists:nth(a,[]) (lists.c, line 3)".
** Call it from the exported function itself (it names __func__ as
** erl_error_args does). Never returns. */
#define erl_function_clause(...) erl_error_args(ATOM(function_clause), 0, __VA_ARGS__)

/* F(A1, ..., An): erlang:apply(F, [A1, ..., An]) with the arguments in a C
** array, so that a loop applying a fun allocates nothing for them:
** erl_fun_call(F, X, Acc) is F(X, Acc). At most 8 arguments; raises what
** erl_apply raises. */
Term erl_apply_n(Term fun, int argc, const Term *argv);
#define erl_fun_call(F, ...) \
    erl_apply_n(F, ERL_NARGS_(0, ##__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0), (Term[]){0, __VA_ARGS__} + 1)

/* ------------------------------------------ prepared fun calls (listspeed) */

/* A fun that a loop applies many times with 'argc' arguments (lists:foldl,
** lists:map): erl_fun_prepare looks at it once; erl_prepared_call(pf, argv)
** is then exactly erl_apply_n(fun, argc, argv), only without the lookup of
** an export fun's Mod:Fun/Arity per call. An export fun still reaches the
** current version of its module at every call, and what that returns is
** still checked (a non-term ends only the calling process). The fun must
** stay reachable (on the caller's stack) while pf is used. */
typedef struct ErlPreparedFun {
    Term fun;
    void *entry; /* the export entry of a fun Mod:Fun/Arity, or NULL */
    int argc;
} ErlPreparedFun;
void erl_fun_prepare(ErlPreparedFun *pf, Term fun, int argc);
Term erl_prepared_call(const ErlPreparedFun *pf, const Term *argv);
/* The caller is about to allocate 'words' words that all stay live (the
** cells of a list of known length, two words each): the calling process's
** next collection is put off by that much, so that it does not scan the
** list while it is being built. The next collection sets the threshold
** afresh from what is live. */
void erl_heap_reserve(unsigned long words);
/* The loops of lists:reverse/2, lists:map/2 and lists:foldl/3, compiled
** with the runtime. erl_list_reverse returns [reverse(List) | Tail], or
** ERL_NONE when List is not a proper list. erl_list_map and erl_list_foldl
** apply Fun to each element of *List in order (raising what Fun raises) and
** leave in *List the tail they stopped at: [] for a proper list, else the
** caller raises; erl_list_map returns the results as a proper list. */
Term erl_list_reverse(Term List, Term Tail);
Term erl_list_map(Term Fun, Term *List);
Term erl_list_foldl(Term Fun, Term Acc, Term *List);

/* Does t match the Erlang pattern in the string 'pattern'? When it does,
** its variables are stored through the Term pointers that follow, in the
** order of their first appearance, and 1 is returned; when it does not, 0,
** and nothing is stored:
**     Term Key, Value;
**     if (erl_match(P, "{Key, Value}", &Key, &Value)) ...
**     if (erl_match(R, "{true, Y}", &Y)) ...      a tuple tagged true
**     if (erl_match(L, "[H | T]", &H, &T)) ...    a non-empty list
** Patterns are Erlang's: tuples, lists ([], [A, B], [H | T]), atoms (ok,
** 'EXIT'), integers, "strings" (no escapes), variables (upper-case
** names; one appearing twice matches equal (=:=) terms only) and _ or
** _Name, which match anything and bind nothing. At most 16 variables; a
** pointer may be NULL to skip a variable. A malformed pattern raises
** {badpattern, Pattern}. */
int erl_match(Term t, const char *pattern, ...);

/* io_lib:format(Fmt, Args): the text io:format would print, as a list of
** character codes shaped as erl's: the format's characters and the text
** of ~n ~c ~f ... spliced in, the text of each ~p ~w ~s a list of its own.
** Fmt is a string, binary or atom, Args a list; a format that does not fit
** its arguments raises badarg in io_lib:format/2. */
Term io_lib_format(Term fmt, Term args);

/* ---- the C API that reads like Erlang (issue 12, section 5) */

/* erlang:demonitor(Ref) -> true: removes the monitor Ref (nothing happens
** when it has fired or was removed already). A 'DOWN' message already sent
** stays in the mailbox. Raises badarg when Ref is not a reference. */
Term erl_demonitor(Term ref);
/* erlang:demonitor(Ref, [flush]) -> true: as erl_demonitor, and removes the
** monitor's {'DOWN', Ref, ...} message from the mailbox if it is there. */
Term erl_demonitor_flush(Term ref);
/* spawn_monitor(fun() -> f(Args) end) -> {Pid, Ref}: as erl_spawn, with a
** monitor Ref on the new process set up before it runs. */
Term erl_spawn_monitor_fn(void *fn, int argc, const Term *argv);
#define erl_spawn_monitor(f, ...) \
    erl_spawn_monitor_fn((void *)(f), ERL_NARGS_(0, ##__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0), (Term[]){0, __VA_ARGS__} + 1)
/* make_ref(): a reference unique among the refs of this node. */
Term erl_make_ref(void);
/* is_process_alive(Pid): the atom true or false. Raises badarg when Pid is
** not a pid of this node. */
Term erl_is_process_alive(Term pid);
/* The number of elements of the proper list t ([] is 0); -1 when t is no
** proper list (an improper list or not a list). Never raises: length(T)
** that raises badarg is erl_call(erlang, length, T). */
long erl_list_length(Term t);
/* The bytes of iodata t (an iolist or a binary, as iolist_to_binary takes)
** as a C string, with snprintf's contract: writes at most size - 1 bytes and
** a NUL into buf (nothing when size is 0) and returns the number of bytes
** of t, so the text was cut short when the result is >= size. Bytes of t
** that are 0 are copied as they are. Raises badarg as iolist_to_binary(t)
** does when t is not iodata. */
unsigned long erl_iolist_to_cstring(Term t, char *buf, unsigned long size);
/* erlang:monotonic_time(Unit) and erlang:system_time(Unit): Unit is second,
** millisecond, microsecond, nanosecond, native, perf_counter, a positive
** integer (parts per second), or the deprecated seconds, milli_seconds,
** micro_seconds, nano_seconds; anything else raises badarg as erl does. */
Term erl_monotonic_time(Term unit);
Term erl_system_time(Term unit);

/* ------------------------------------------------------ external calls */

/* The export table: one entry per Mod:Fun/Arity, never moved or freed.
** 'fn' is the current version's function; while Mod has no current code it
** is a stub that loads Mod from the code path, or raises undef. */
typedef struct ErlExport {
    void *fn;
} ErlExport;

ErlExport *erl_export_entry(const char *mod, const char *fun, int arity);
/* The function to call for 'e': loads the module when needed; raises
** undef when it cannot be found. */
void *erl_export_fn(ErlExport *e);

typedef Term (*ErlFn0)(void);
typedef Term (*ErlFn1)(Term);
typedef Term (*ErlFn2)(Term, Term);
typedef Term (*ErlFn3)(Term, Term, Term);
typedef Term (*ErlFn4)(Term, Term, Term, Term);
typedef Term (*ErlFn5)(Term, Term, Term, Term, Term);
typedef Term (*ErlFn6)(Term, Term, Term, Term, Term, Term);
typedef Term (*ErlFn7)(Term, Term, Term, Term, Term, Term, Term);
typedef Term (*ErlFn8)(Term, Term, Term, Term, Term, Term, Term, Term);
#define ERL_FNTYPE(n) ERL_FNTYPE_(n)
#define ERL_FNTYPE_(n) ErlFn##n

#define ERL_EXPORT_OF(m, f, n) ({ static ErlExport *erl_e_; \
    erl_e_ ? erl_e_ : (erl_e_ = erl_export_entry(#m, #f, n)); })
#define ERL_FN_OF(m, f, n) (ERL_EXPORT_OF(m, f, n)->fn)

/* erl_call(m, f, Args...) is the fully qualified call m:f(Args...): it goes
** through the export table, so it reaches the current version of m. */
#define erl_call(m, f, ...) \
    ((ERL_FNTYPE(ERL_NARGS_(0, ##__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)))ERL_FN_OF(m, f, ERL_NARGS_(0, ##__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)))(__VA_ARGS__)

/* erl_tail(m, f, Args...) is m:f(Args...) in tail position: the frame of
** the function that calls it is dropped, and the current version of m:f
** runs in its place and returns to that function's caller, as in Erlang.
** Never returns to the function that calls it. A loop of tail calls runs in
** constant stack, and leaves no frame of old code behind (see purge). */
__attribute__((noreturn)) void erl_tail_call(ErlExport *e, int argc, const Term *argv);
#define erl_tail(m, f, ...) \
    erl_tail_call(ERL_EXPORT_OF(m, f, ERL_NARGS_(0, ##__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0)), ERL_NARGS_(0, ##__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1, 0), (Term[]){0, __VA_ARGS__} + 1)

/* ------------------------------------------------------ module header */

/* MODULE(t) is -module(t).  EXPORT(start/0, do_loop/0) is
** -export([start/0, do_loop/0]). Each names a global symbol the loader reads.
** c(Mod) checks them: a missing ';' after either, and an exported function
** that is static or whose definition is not Term f(Term, ...) with the
** exported arity (at most 8), are compile errors at their line.
** A name exported at several arities, EXPORT(seq/2, seq/3), is served by one
** C function per arity named Name_Arity: Term seq_2(Term, Term) and
** Term seq_3(Term, Term, Term). A name exported once is its C function's.
**
** What a module links to: the functions this header declares, libc and
** libm; nothing else of cerl or of its compiler. A call to anything else
** (say a helper declared but never defined) makes the load fail, naming
** the symbol: c/1 returns error, l/1 {error, badfile}, and the loaded
** versions stay. */
#define MODULE(name) const char cerl_module[] = #name
#define EXPORT(...) const char cerl_exports[] = #__VA_ARGS__
/* VSN("1.1") is -vsn("1.1").: the module's version, a string, which
** Mod:module_info(attributes) shows as [{vsn, "1.1"}], as erl does. A
** release upgrade reads it before loading the new version, to hand it to
** code_change/3 as OldVsn. Optional; without it the attributes are []. */
#define VSN(string) const char cerl_vsn[] = string

#endif
