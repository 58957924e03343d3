/*
** dist.h
** cerl as a node of an Erlang cluster: Erlang's own distribution (epmd, the
** handshake, the external term format) through Debian's erl_interface (ei).
**
** Two sides. The connections (conn.c): a thread of their own accepts and
** makes them (ei does the handshake) and ticks them; once made, a socket
** is non-blocking and served under one mutex by the scheduler, which waits
** on it in its idle poll and writes sends at once, or by the thread when
** the scheduler has not looked for a while (a module that spins): ticks are
** answered whatever processes do, and nothing ever blocks a process. The
** scheduler side (ctrl.c) turns what comes in into deliveries, and sends
** into packets; conn.c never touches a term outside the scheduler.
*/
#ifndef CERL_DIST_H
#define CERL_DIST_H

#include "../term.h"

#include <stdbool.h>

/* ------------------------------------------------ start-up (main thread) */

/* The node's name from -sname N (longnames false) or -name N[@Host]: N@Host
** in 'out' (size 'size'), Host being this machine's short name for -sname,
** its fully qualified one for -name without a host. Returns 0, or -1 with
** erl's complaint printed on stderr. */
int dist_name_make(const char *arg, bool longnames, char *out, size_t size);

/* The cookie: 'given' (-setcookie) when not NULL, else ~/.erlang.cookie,
** created as erl creates it (20 random capitals, mode 0400) when missing.
** A file readable by group or others is refused with erl's message on
** stderr. Returns a malloc'd string, or NULL. */
char *dist_cookie_get(const char *given);

/* Makes sure an epmd answers on this machine (ERL_EPMD_PORT or 4369):
** starts `epmd -daemon` as erl does when none does, and waits for it.
** Returns 0, or -1 when none could be reached. */
int dist_epmd_ensure(void);

/* -kernel net_ticktime N: seconds (erl's default 60). A peer that sends
** nothing for that long is dropped ({nodedown, Node}, erl's report); a tick
** goes to each peer every quarter of it. Before dist_start. */
void dist_set_net_ticktime(int seconds);

/* Makes this node 'name' (N@Host) with 'cookie': listens, publishes the
** port to epmd, starts the connection thread, and from then on node()
** is 'name'. Returns 0, or -1 with the reason on stderr. Nothing listens
** unless this is called. */
int dist_start(const char *name, const char *cookie);

/* -hidden: the node will not be published to its peers (it stays out of
** their nodes()). Call before dist_start. */
void dist_set_hidden(void);

/* Whether dist_start succeeded. */
bool dist_alive(void);

/* ------------------------------------------------------- scheduler side */

/* The sends of the runtime (from a process): Msg to the process Pid of
** another node, and to {Name, Node}. Encode msg now and queue it; a node
** that is not connected is connected first (by the thread), and a message
** to a node that cannot be reached is dropped, as erl drops it. Raise
** badarg for what cannot travel (a local fun). No-ops when not alive. */
void dist_send_pid(Term pid, Term msg);
void dist_send_name(Term name, Term node, Term msg);

/* ------------------------- links and monitors across nodes (links.c) */

/* monitor(process, Target) from the running process, for a pid of another
** node or {Name, Node} of another node: MONITOR_P to it, the node being
** connected first; 'DOWN' noconnection at once when it cannot be, or when
** not alive. Returns the reference (on the running process's heap). */
Term dist_monitor(Term target);
/* demonitor(Ref) of such a monitor of the running process: DEMONITOR_P to
** its node. Returns false when the running process holds no such monitor. */
bool dist_demonitor(Term ref);
/* link(Pid) / unlink(Pid) from the running process, Pid of another node:
** LINK (the node connected first; an exit signal noconnection when it
** cannot be) / UNLINK. */
void dist_link(Term pid);
void dist_unlink(Term pid);
/* The local process pid has ended with 'reason' (from its teardown): EXIT
** to its remote links, MONITOR_P_EXIT to its remote watchers, DEMONITOR_P
** for what it watched. No-op when not alive. */
void dist_proc_exited(Term pid, Term reason);

/* Enters nodes/0, net_adm:ping/1, erlang:disconnect_node/1,
** erlang:monitor_node/2, is_alive/0. */
void dist_bif_init(void);

#endif
