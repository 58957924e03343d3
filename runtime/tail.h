/*
** tail.h
** Tail calls (erl_tail in cerl.h): the frame of the module function that
** makes one is dropped and the call takes its place, so the target returns
** to that function's caller, as in Erlang, and a loop of tail calls runs in
** constant stack. The frame surgery is per CPU (tail_x86_64.S); this is the
** portable part it calls.
*/
#ifndef CERL_TAIL_H
#define CERL_TAIL_H

#include "proc.h"

#include <stdint.h>

/* For erl_tail_call only, before it touches the stack. Resolves e (loading
** its module; raises undef), raises badarg for argc outside 0..8 or a frame
** that is not on the running stack, copies argv to args (the rest zeroed),
** and moves *frame -- the frame pointer of the function making the tail
** call -- up past the frames tail_trampoline_return_ heads: they only pass
** a result on, so they are dropped too. Returns the function to jump to. */
void *tail_prepare(ErlExport *e, int argc, const Term *argv, Term args[PROC_MAX_ARGS], uintptr_t *frame);

/* The return address in the small frame erl_tail_call builds for a target
** that takes arguments on the stack (7 or 8): the caller of the dropped
** frame reserved no room for them. */
void tail_trampoline_return_(void);

#endif
