/*
** support.h
** What several unit-test files need: a started runtime in a scratch
** directory, and C modules written and compiled there.
*/
#ifndef CERL_TEST_SUPPORT_H
#define CERL_TEST_SUPPORT_H

/* atom/proc/code/bif init (idempotent), then, once per test run, chdir into
** a fresh temporary directory where modules are written and loaded from. */
void support_start_runtime(void);

/* Writes name.c with 'src' and compiles it to name.o; fails the running
** Check test on a compile error. */
void support_compile_module(const char *name, const char *src);

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

#endif
