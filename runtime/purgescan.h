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

/* Per slot: 1 when the process may have run since its frames were last
** summarised (or never were). Slot 0 belongs to no process: a Proc that was
** never added (zeroed scan_slot) marks it harmlessly. */
extern uint8_t *purgescan_ran_;

/* The one store on the switch path: called in the process's own context
** each time it resumes (sched.c), so a stack that is not marked is exactly
** as it was when last walked. Any new way of switching to a process must
** call it too, and so must anything that changes a suspended process's
** frames, saved sp or entry_fn without resuming it. */
static inline void purgescan_mark_ran(const Proc *p)
{
    purgescan_ran_[p->scan_slot] = 1;
}

/* Gives p a slot (marked ran); from proc_spawn, once p is in the pid table.
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
