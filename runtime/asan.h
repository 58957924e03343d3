/*
** asan.h
** Telling AddressSanitizer about process stacks: which stack runs after a
** switch, and that a reused stack's old frames are gone. No-ops otherwise.
*/
#ifndef CERL_ASAN_H
#define CERL_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define ASAN_START_SWITCH(fake, base, size) __sanitizer_start_switch_fiber(fake, base, size)
#define ASAN_FINISH_SWITCH(fake, base, size) __sanitizer_finish_switch_fiber(fake, base, size)
#define ASAN_UNPOISON(addr, size) __asan_unpoison_memory_region(addr, size)
#define ASAN_POISON(addr, size) __asan_poison_memory_region(addr, size)
#else
#define ASAN_START_SWITCH(fake, base, size) ((void)(fake), (void)(base), (void)(size))
#define ASAN_FINISH_SWITCH(fake, base, size) ((void)(fake), (void)(base), (void)(size))
#define ASAN_UNPOISON(addr, size) ((void)(addr), (void)(size))
#define ASAN_POISON(addr, size) ((void)(addr), (void)(size))
#endif

#endif
