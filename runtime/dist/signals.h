/*
** signals.h
** The control messages of the distribution beyond sends (erl_dist_protocol):
** links, exits and monitors across nodes (links.c) and spawn requests
** (spawn.c). ctrl.c hands each to its owner and sends theirs.
*/
#ifndef CERL_DIST_SIGNALS_H
#define CERL_DIST_SIGNALS_H

#include "../term.h"

#include <stdbool.h>

#include <stddef.h>

/* The control message types (the first element of the control tuple). */
enum {
    DOP_LINK = 1,
    DOP_EXIT = 3,
    DOP_UNLINK = 4,
    DOP_EXIT2 = 8,
    DOP_MONITOR_P = 19,
    DOP_DEMONITOR_P = 20,
    DOP_MONITOR_P_EXIT = 21,
    DOP_SPAWN_REQUEST = 29,
    DOP_SPAWN_REPLY = 31
};

/* From the scheduler or a process: the control message ctl (a tuple),
** followed by the message part msg unless it is ERL_NONE, on the
** connection to 'node' if there is one (a signal never makes one: the
** caller connects first where erl would). Returns false (nothing sent)
** when something in it cannot travel (a local fun). */
bool dist_ctrl_signal(Term node, Term ctl, Term msg);

/* The control message 'type' from 'node', whose elements after the type
** are elems[0..n) (the message part, if any, last). From the scheduler
** (ctrl.c). */
void dist_links_on_signal(Term node, int type, const Term *elems, int n);
void dist_spawn_on_signal(Term node, int type, const Term *elems, int n);

/* The connection to 'node' is gone: 'EXIT' and 'DOWN' noconnection for
** what crossed it, and what the peer held is forgotten (links.c); spawn
** requests waiting for it are answered (spawn.c). */
void dist_links_node_down(Term node);

/* A spawn request served (spawn.c): the link and the monitor it asked for,
** as incoming LINK and MONITOR_P would have made them. */
void dist_links_add_link(Term local, Term remote);
void dist_links_add_watcher(Term remote_watcher, Term local_target, Term ref);

/* Enters erlang:spawn/4 and erpc's two entry points (spawn.c). */
void dist_spawn_init(void);

#endif
