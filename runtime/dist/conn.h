/*
** conn.h
** The connection thread and the two queues between it and the scheduler:
** what processes send goes out through DistOut, what peers send comes in
** through DistIn. Only the thread touches sockets and ei; only the
** scheduler touches terms.
*/
#ifndef CERL_DIST_CONN_H
#define CERL_DIST_CONN_H

#include "../term.h"

#include <ei.h>
#include <stdbool.h>
#include <stddef.h>

/* Work for the thread. */
typedef enum {
    DOUT_SEND_PID,   /* bytes to the process 'to' on 'node' */
    DOUT_SEND_NAME,  /* bytes to the name 'toname' on 'node', from 'from' */
    DOUT_CONNECT,    /* connect to 'node'; answered by DIN_CONNECTED */
    DOUT_DISCONNECT, /* close the connection to 'node' */
    DOUT_CTRL        /* 'bytes' as they are (a whole packet: length, 'p', control
                     ** message, message), on the connection to 'node' if any */
} DistOutKind;

typedef struct DistOut {
    struct DistOut *next;
    DistOutKind kind;
    char node[MAXATOMLEN_UTF8];
    erlang_pid to, from;
    char toname[MAXATOMLEN_UTF8];
    size_t len;
    char bytes[]; /* the message, version byte first */
} DistOut;

/* What the thread hands the scheduler. */
typedef enum {
    DIN_MSG,       /* a message (msgtype as ei names it) from 'node' */
    DIN_UP,        /* 'node' is connected */
    DIN_DOWN,      /* the connection to 'node' is gone */
    DIN_CONNECTED  /* answer to DOUT_CONNECT: 'ok' */
} DistInKind;

typedef struct DistIn {
    struct DistIn *next;
    DistInKind kind;
    char node[MAXATOMLEN_UTF8];
    bool ok;
    erlang_msg msg; /* DIN_MSG: type, from, to, toname */
    size_t len;
    char bytes[];   /* DIN_MSG: for a SEND or REG_SEND, the message, version
                    ** byte first; for any other, the elements of the
                    ** control tuple after those ei decoded into 'msg' (all
                    ** of them but the type when ei does not know the type),
                    ** each without a version byte, then the message part
                    ** if the control message has one. ei reports a type
                    ** above 10 less 10 (MONITOR_P 19 as 9, SPAWN_REQUEST 29
                    ** as 19). */
} DistIn;

/* Starts the thread on the published listening socket 'lfd' of 'ec' (which
** it owns from then on). Returns 0, or -1. */
int dist_conn_start(ei_cnode *ec, int lfd);

/* From the scheduler: queues o for the thread (which frees it). Never
** blocks for longer than a mutex is held. */
void dist_conn_put(DistOut *o);

/* From the scheduler: everything the thread handed over since the last
** call, oldest first; the caller frees each element. */
DistIn *dist_conn_take(void);

/* From dist_start: the scheduler side takes what the thread hands over
** (ctrl.c). */
void dist_ctrl_start(void);

/* From a process: whether 'node' is connected, connecting first when it is
** not (the process waits; other processes run). False when not alive. */
bool dist_ctrl_reach(Term node);
/* monitor_node(Node, On) for the local process 'pid'. */
void dist_ctrl_monitor_node(Term pid, Term node, bool on);
/* Enters rpc:call/4,5 (rpc.c). */
void dist_rpc_init(void);

#endif
