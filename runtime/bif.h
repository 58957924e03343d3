/*
** bif.h
** Built-in functions: the erlang, code and io modules, and the process API
** of cerl.h that C modules call.
*/
#ifndef CERL_BIF_H
#define CERL_BIF_H

#include "term.h"

/* Enters every built-in function in the export table. Call once, after
** atom_init, proc_init and code_init. */
void bif_init(void);

/* Enters the BIFs on numbers and the external term format (bif_term.c);
** bif_init calls it. */
void bif_term_init(void);
/* Enters the BIFs on binaries and iolists (bif_binary.c). */
void bif_binary_init(void);
/* Enters put/2, get/0,1 and erase/1 (bif_dict.c). */
void bif_dict_init(void);
/* Mod:module_info() (key ERL_NONE) and Mod:module_info(Key) for a loaded C
** module; ERL_NONE when Mod has no current version (bif_code.c). */
Term bif_module_info(Term mod, Term key);
/* Enters compile:file/1, code:revert/1 and erlang:get_module_info/2
** (bif_upgrade.c). */
void bif_upgrade_init(void);
/* Enters the maps module and the erlang BIFs on maps (bif_maps.c). */
void bif_maps_init(void);
/* Enter the erlang module's process BIFs (bif_erlang.c) and receive, the
** timers and the rest of the process BIFs (bif_process.c); bif_init calls
** them. */
void bif_erlang_init(void);
void bif_process_init(void);

/* Value of process_info(Pid, Key) for the atom named key: ERL_NONE when
** Pid is not alive (or, for registered_name, has no name). Raises badarg
** as process_info does for a key it does not know (bif_info.c). */
Term bif_process_info_value(Term pid, const char *key);

/* ------------------------------------------ the BIFs people type (issue 12) */

/* cerl's version, as erlang:system_info(version) reports it (the shell's
** CERL_VERSION is the same number). */
#define BIF_VERSION "0.1.0"

/* Enter their BIFs in the export table; bif_init calls each. */
void bif_number_init(void); /* round, float_to_list, ... (bif_number.c) */
void bif_time_init(void);   /* the clocks, unique_integer (bif_time.c) */
void bif_dict_init(void);   /* put, get, erase (bif_dict.c) */
void bif_info_init(void);   /* system_info, memory, statistics, process_info (bif_info.c) */
void bif_display_init(void); /* erlang:display (bif_display.c) */
void bif_ops_init(void); /* erlang:'+'/2 and the other operators as functions (bif_ops.c) */
void bif_typetest_init(void); /* erlang:is_atom/1 and the other type tests (bif_typetest.c) */
void bif_io_init(void); /* the io module (bif_io.c) */

/* A process dictionary (Proc.dict) as erl's get/0 lists it: [{Key, Value}],
** built on h. */
Term bif_dict_list(Heap *h, Term dict);

/* Nanoseconds of erlang:monotonic_time() (native unit), and since
** bif_time_init ran (statistics(wall_clock)). Callable from anywhere. */
int64_t bif_monotonic_ns(void);
int64_t bif_uptime_ns(void);

/* erlang:memory()'s figures in bytes, measured now: processes are their
** heaps, structs, used stacks and links; system is what the runtime holds
** besides (malloc'd memory other than process heaps, and the code). */
typedef struct BifMemory {
    size_t total, processes, processes_used, system, atom, atom_used, code;
} BifMemory;
void bif_memory_figures(BifMemory *m);

/* Where io:format and the other printing BIFs write: stdout unless the
** shell sets its own (which prints above the prompt). */
extern void (*bif_output)(const char *s, size_t n);
/* Where reports write (logger_format, code loading's failure reports):
** stdout unless the shell sets its own, which holds them back until the
** value of the command that caused them is printed, as erl's logger does. */
extern void (*bif_report)(const char *s, size_t n);

/* The first function of a process started by spawn/3 (Mod:Fun(Args)):
** process_info reports such a process's initial_call from its arguments. */
Term spawn3_entry_(Term mod, Term fun, Term args);

/* Pid ! Msg as the shell's '!' does it: no scheduling budget; badarg (in
** operator !/2) for an unregistered name. Returns msg. */
Term bif_send(Term to, Term msg);

/* receive over the running process's mailbox: the oldest message for which
** match(Msg, ctx) is true (any message when match is NULL), removed; waits
** up to timeout_ms (-1: forever, 0: only what is queued). Returns ERL_NONE
** when the timeout passed. Raises the process's pending exit signal. */
Term bif_receive(bool (*match)(Term msg, void *ctx), void *ctx, long timeout_ms);

/* Converts a proper list of at most 8 elements to an array; returns the
** count, or -1 when 'list' is not such a list. */
int bif_list_to_args(Term list, Term out[8]);

/* Applies a fun term (the shell's evaluator provides it: funs are the
** shell's). NULL until the shell starts. */
extern Term (*bif_apply_fun)(Term fun, int argc, const Term *argv);

/* The built-in 'erlang:fun/arity' the shell may call without "erlang:", or
** NULL. */
void *bif_autoimported(Term fun, int arity);

#endif
