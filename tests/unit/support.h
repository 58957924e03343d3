/*
** support.h
** What several unit-test files need: a started runtime in a scratch
** directory, C modules written, compiled and loaded there, and small
** helpers for checking what they did.
*/
#ifndef CERL_TEST_SUPPORT_H
#define CERL_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "../../include/cerl.h"

/* atom/proc/code/bif init (idempotent), then, once per test run, chdir into
** a fresh temporary directory where modules are written and loaded from. */
void support_start_runtime(void);

/* Writes name.c with 'src' and compiles it to name.o; fails the running
** Check test on a compile error. */
void support_compile_module(const char *name, const char *src);

/* support_start_runtime, then the fault handlers installed (fault_init):
** the fixture of the tests whose modules fault on purpose. */
void support_start_faulting_runtime(void);

/* Loads name.o from the working directory as name's current version; fails
** the running Check test unless the load returns {module, Name}. */
void support_load(const char *name);

/* Unless name has a current version: writes and compiles name.c from src
** (support_compile_module) and loads it (support_load). */
void support_load_current(const char *name, const char *src);

/* The C function that serves mod:fun/arity; fails the running Check test
** when the export table has none. */
void *support_fn_of(const char *mod, const char *fun, int arity);

/* t as erl's ~w prints it, for failure messages: static storage, which the
** next call overwrites. */
const char *support_show(Term t);

/* 'head', then 'unit' n times, then 'tail', in a fresh string (caller
** frees). */
char *support_repeat(const char *head, const char *unit, long n, const char *tail);

/* 'open' n times, 'mid', 'close' n times, then 'end', in a fresh string
** (caller frees): support_nest("[", 3, "", "]", ".") is "[[[]]].". */
char *support_nest(const char *open, long n, const char *mid, const char *close, const char *end);

/* Hex text ("83640001...") to bytes, malloc'd (caller frees); *n gets the
** length. */
unsigned char *support_unhex(const char *s, size_t *n);

/* What the process writes to its stdout between support_capture_begin and
** support_capture_end, which returns it as a string (caller frees). Not
** nested. */
void support_capture_begin(void);
char *support_capture_end(void);

/* Reads fd to its end into buf (at most cap - 1 bytes, then a NUL) and
** closes it: what a child process wrote to its pipe. */
void support_read_pipe(int fd, char *buf, size_t cap);

/* RUNNING_ON_VALGRIND: true under valgrind, which reports a faulting access
** before the handler runs; the tests that fault on purpose skip it. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* ------------------------------------------- purge scan fixtures */

/* Writes, compiles and loads version 'vsn' of module 'name', whose loop/0
** waits in a receive of the module's own code ('go' moves it to the current
** version, a fully qualified tail call), make/1 returns a closure of its
** code and vsn/0 makes each version's code differ. True when loaded. */
bool support_load_version(const char *name, int vsn);
/* The code address of name:loop/0, for erl_spawn_fn. */
void *support_loop_fn(const char *mod);
/* A process body that waits in the runtime's code (no module frame) and on
** {call, Mod} enters Mod:loop() for good; it returns on 'never'. */
Term support_bystander(void);
/* A purge scan of every process: a soft_purge of two new versions of
** module 'unrelated', which nobody runs. */
void support_scan_now(const char *unrelated);

#endif
