/*
** conn.h
** The connections and the two queues between them and the scheduler:
** what processes send goes out through DistOut (or straight to the socket),
** what peers send comes in through DistIn. Only conn.c touches sockets and
** ei's connections (the thread, or the scheduler in its idle poll); only
** the scheduler touches terms.
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
    DOUT_RAW         /* a control message to 'node', on its connection if
                     ** there is one (it never makes one): bytes are the
                     ** control tuple (ctrl_len bytes), then its payload, if
                     ** any (each version byte first) */
} DistOutKind;

typedef struct DistOut {
    struct DistOut *next;
    DistOutKind kind;
    char node[MAXATOMLEN_UTF8];
    erlang_pid to, from;
    char toname[MAXATOMLEN_UTF8];
    size_t len;
    size_t ctrl_len; /* DOUT_RAW: how many of the bytes are the control tuple */
    char bytes[];    /* the message, version byte first */
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
    erlang_msg msg; /* DIN_MSG: type (any control message's), from, to, toname */
    size_t len;     /* the payload's bytes; 0: the control message has none */
    size_t ctrl_len;/* DIN_MSG: the control tuple's bytes, after the payload's */
    unsigned gen;   /* conn.c's: which connection to 'node' it came on */
    bool raw;       /* conn.c's: not yet taken apart (never so once taken) */
    char bytes[];   /* DIN_MSG: the payload, then the control tuple, each
                    ** version byte first */
} DistIn;

/* What ei reads through the socket layer (sock.c's on_read): recorded
** while the thread accepts, so that a peer whose handshake it refused can
** be named as erl names it. Ignores reads from other threads. */
void dist_conn_snoop(const char *bytes, size_t len);

/* net_ticktime in seconds (60 unless -kernel net_ticktime N): a tick each
** quarter of it, and a peer heard from not at all for four quarters
** dropped. Before dist_conn_start. */
void dist_conn_set_ticktime(int seconds);

/* Starts the thread on the published listening socket 'lfd' of 'ec' (which
** it owns from then on). Returns 0, or -1. */
int dist_conn_start(ei_cnode *ec, int lfd);

/* From the scheduler: a send to a connection that stands, with nothing
** queued for the thread before it, goes on that connection's bytes, which
** are written when the scheduler next polls (or at once past 32 KB; what
** the socket does not take goes when it takes more); anything else is
** queued for the thread. Takes o (frees it).
** Never blocks for longer than a mutex is held. */
void dist_conn_put(DistOut *o);

/* From the scheduler: everything the connections handed over since the
** last call, oldest first, each message taken apart; the caller frees each
** element. A malformed packet closes its connection (a DIN_DOWN follows)
** with a report, and is not among them. */
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
/* Enters global:sync/0 (global.c). */
void dist_global_init(void);

/* The group leader cerl gives what it starts on other nodes (spawn/4,
** rpc): its I/O server (io_server.c), started by the first call, and again
** if it was killed. From a process. */
Term dist_io_group_leader(void);
/* An error's stack trace from M:F(A...) as erpc:execute_call gives it
** (erpc's trim_stack): [{M, F, A, []}] when empty; else ending in the
** frame of M:F/length(A), which is added as {M, F, Arity, []} when the
** trace does not end in it; a full-depth trace as it is. (spawn.c) */
Term dist_erpc_trim_stack(Term stack, Term m, Term f, Term a);
/* Where ctrl.c keeps that server's pid: ERL_NONE before it is started. */
Term dist_ctrl_io_server(void);
void dist_ctrl_set_io_server(Term pid);

#endif
