/*
** purgescan.h
** The purge's view of the processes: one slot per live process in dense
** arrays, a "ran since its stack was last walked" mark set on every resume,
** and what that walk found (which module versions its frames return into),
** so that purge, soft_purge and check_process_code walk only the stacks that
** may have changed or may hold the old code.
*/
#ifndef CERL_PURGESCAN_H
#define CERL_PURGESCAN_H

#include "proc.h"

#include <stdbool.h>
#include <stdint.h>

struct ModVersion;

/* Per slot: 0 when the process has not run since its frames were last
** summarised; PURGESCAN_RAN when it may have; PURGESCAN_STARTED when it
** may have and began on a fresh stack since (spawned, or woken from
** hibernation) without blocking yet: its first block summarises it
** (purgescan_blocking). Slot 0 belongs to no process: a Proc that was never
** added (zeroed scan_slot) marks it harmlessly. */
extern uint8_t *purgescan_ran_;
enum { PURGESCAN_RAN = 1, PURGESCAN_STARTED = 2 };

/* The one store on the switch path: called in the process's own context
** each time it resumes (sched.c), so a stack that is not marked is exactly
** as it was when last walked. Any new way of switching to a process must
** call it too, and so must anything that changes a suspended process's
** frames, saved sp or entry_fn without resuming it. */
static inline void purgescan_mark_ran(const Proc *p)
{
    purgescan_ran_[p->scan_slot] = PURGESCAN_RAN;
}

/* The same for a process that starts on a fresh stack (its sp was NULL):
** called in its own context before it runs any of its code (sched.c). */
static inline void purgescan_mark_started(const Proc *p)
{
    purgescan_ran_[p->scan_slot] = PURGESCAN_STARTED;
}

/* ---- purgeidle: summaries made off the purge's path (issue 15). A
** process that blocks for the first time since it started is likely to stay
** blocked (a server, a bystander): its frames are summarised then, while
** they are hot in cache, so that the first purge after a mass spawn walks
** none of them. Later blocks cost nothing (a process that runs often is
** walked by the purge, once, as before). */
void purgescan_summarise_self_(Proc *p);

/* Forgets what purgescan_summarise_self_ remembers of a version's image:
** code.c calls it whenever it frees a version. */
void purgescan_version_gone(void);

/* From the scheduler's stack while no process is runnable (sched.c's idle
** point): summarises a bounded batch (about a millisecond) of waiting
** processes marked since their last summary, going round the slots.
** Returns true while another step may find more; false once a whole lap
** found none (the next step starts a new lap). */
bool purgescan_idle_step(void);
/* What the last idle step returned. */
bool purgescan_idle_pending(void);

/* Called by the running process p just before it switches out to wait
** (sched.c), when nothing can change its frames until it resumes (and
** resuming marks it). Summarises p when this is its first block since it
** started. */
static inline void purgescan_blocking(Proc *p)
{
    if (purgescan_ran_[p->scan_slot] == PURGESCAN_STARTED)
        purgescan_summarise_self_(p);
}

/* Gives p a slot (marked started); from proc_spawn, once p is in the pid table.
** Cannot fail (out of memory ends the runtime). */
void purgescan_add(Proc *p);
/* Frees p's slot; from the teardown of p, when it leaves the pid table. */
void purgescan_remove(Proc *p);

/* Called with each process found; returns true to stop the search. */
typedef bool (*PurgeHit)(Proc *p, void *arg);

/* Finds the live processes that run code of version v: a frame of theirs
** returns into v's image, or (only when 'closures': some closure of v's code
** may exist, fun.h) their heap holds a closure of it. Erlang's rule, the same
** answer as walking every process; a process whose mark is clear and whose
** summary does not name v is answered without touching it. hit(p, arg) is
** called for each in slot order; it must not end processes (collect first).
** Returns whether hit stopped the search. */
bool purgescan_find(const struct ModVersion *v, bool closures, PurgeHit hit, void *arg);
/* The same question for one process. */
bool purgescan_runs(Proc *p, const struct ModVersion *v, bool closures);

/* The process in slot s, or NULL when s is not in use. */
Proc *purgescan_proc(uint32_t s);

/* Slots in use (tests). */
size_t purgescan_count(void);

#endif
