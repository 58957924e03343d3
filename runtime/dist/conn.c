/*
** conn.c
** The connection thread: accepts and makes connections (ei does the
** handshake), reads whole messages and hands them to the scheduler, writes
** what processes send, and keeps every connection alive with ticks. It runs
** apart from the scheduler, so a module that never yields does not stop the
** node from answering its peers.
*/
#include "conn.h"
#include "../buf.h"
#include "../sched.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

enum {
    CONN_MAX = 64,          /* connections at once */
    TICK_MS = 15000,        /* a tick after this long without sending (erl's net_ticktime / 4) */
    IO_TMO_MS = 5000,       /* a peer that takes longer to take or give a message is dropped */
    CONNECT_TMO_MS = 5000
};

/* One connection. 'fd' < 0: the slot is free. */
typedef struct Conn {
    int fd;
    char node[MAXATOMLEN_UTF8];
    uint64_t sent_ms; /* when we last wrote to it */
} Conn;

/* The thread's state. Invariants: 'out' and 'in' are touched under 'lock'
** only; 'kick' is readable while 'out' may be non-empty; the rest belongs
** to the thread alone once it runs. */
static struct {
    pthread_mutex_t lock;
    DistOut *out, **out_tail; /* from the scheduler, oldest first */
    DistIn *in, **in_tail;    /* to the scheduler, oldest first */
    int kick;                 /* eventfd: the scheduler queued work */
    ei_cnode *ec;
    int lfd;
    Conn conns[CONN_MAX];
} T = {.lock = PTHREAD_MUTEX_INITIALIZER, .kick = -1};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ====================================================== the two queues */

void dist_conn_put(DistOut *o)
{
    o->next = NULL;
    pthread_mutex_lock(&T.lock);
    *T.out_tail = o;
    T.out_tail = &o->next;
    pthread_mutex_unlock(&T.lock);
    uint64_t one = 1;
    if (write(T.kick, &one, sizeof one) < 0) {
        /* the counter is full: the thread is kicked anyway */
    }
}

DistIn *dist_conn_take(void)
{
    pthread_mutex_lock(&T.lock);
    DistIn *all = T.in;
    T.in = NULL;
    T.in_tail = &T.in;
    pthread_mutex_unlock(&T.lock);
    return all;
}

/* Hands 'e' to the scheduler and wakes it. */
static void hand_over(DistIn *e)
{
    e->next = NULL;
    pthread_mutex_lock(&T.lock);
    *T.in_tail = e;
    T.in_tail = &e->next;
    pthread_mutex_unlock(&T.lock);
    sched_wake();
}

static void hand_event(DistInKind kind, const char *node, bool ok)
{
    DistIn *e = xcalloc(1, sizeof *e);
    e->kind = kind;
    snprintf(e->node, sizeof e->node, "%s", node);
    e->ok = ok;
    hand_over(e);
}

static DistOut *take_out(void)
{
    pthread_mutex_lock(&T.lock);
    DistOut *all = T.out;
    T.out = NULL;
    T.out_tail = &T.out;
    pthread_mutex_unlock(&T.lock);
    return all;
}

/* ======================================================== connections */

static Conn *find(const char *node)
{
    for (int i = 0; i < CONN_MAX; i++)
        if (T.conns[i].fd >= 0 && strcmp(T.conns[i].node, node) == 0)
            return &T.conns[i];
    return NULL;
}

/* Takes fd as the connection to 'node' and tells the scheduler. Returns it,
** or NULL (fd closed) when every slot is taken. */
static Conn *add(int fd, const char *node)
{
    for (int i = 0; i < CONN_MAX; i++) {
        Conn *c = &T.conns[i];
        if (c->fd < 0) {
            c->fd = fd;
            snprintf(c->node, sizeof c->node, "%s", node);
            c->sent_ms = now_ms();
            hand_event(DIN_UP, node, true);
            return c;
        }
    }
    ei_close_connection(fd);
    return NULL;
}

static void drop(Conn *c)
{
    ei_close_connection(c->fd);
    c->fd = -1;
    hand_event(DIN_DOWN, c->node, false);
}

/* The connection to 'node', made now if there is none; NULL if it cannot
** be made. */
static Conn *reach(const char *node)
{
    Conn *c = find(node);
    if (c)
        return c;
    int fd = ei_connect_tmo(T.ec, (char *)node, CONNECT_TMO_MS);
    return fd < 0 ? NULL : add(fd, node);
}

/* Writes bytes[0..len) to fd, waiting up to IO_TMO_MS for room each time.
** Returns 0, or -1. */
static int write_all(int fd, const char *bytes, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, bytes, len);
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
            struct pollfd pf = {.fd = fd, .events = POLLOUT};
            if (poll(&pf, 1, IO_TMO_MS) <= 0 && errno != EINTR)
                return -1;
            continue;
        }
        if (w <= 0)
            return -1;
        bytes += w;
        len -= (size_t)w;
    }
    return 0;
}

static void do_out(DistOut *o)
{
    Conn *c = NULL;
    int r = 0;
    switch (o->kind) {
    case DOUT_CONNECT:
        hand_event(DIN_CONNECTED, o->node, reach(o->node) != NULL);
        break;
    case DOUT_DISCONNECT:
        if ((c = find(o->node)))
            drop(c);
        break;
    case DOUT_SEND_PID:
        if ((c = reach(o->node)))
            r = ei_send_encoded_tmo(c->fd, &o->to, o->bytes, (int)o->len, IO_TMO_MS);
        break;
    case DOUT_SEND_NAME:
        if ((c = reach(o->node)))
            r = ei_send_reg_encoded_tmo(c->fd, &o->from, o->toname, o->bytes, (int)o->len, IO_TMO_MS);
        break;
    case DOUT_CTRL: /* on the connection there is: a signal needs no new one */
        if ((c = find(o->node)))
            r = write_all(c->fd, o->bytes, o->len);
        break;
    }
    if (r < 0) /* a peer that does not take what we send: erl drops it too */
        drop(c);
    else if ((o->kind == DOUT_SEND_PID || o->kind == DOUT_SEND_NAME || o->kind == DOUT_CTRL) && c)
        c->sent_ms = now_ms();
}

/* An empty message: the peer hears we are alive. */
static void send_tick(Conn *c)
{
    static const char empty[4] = {0, 0, 0, 0};
    c->sent_ms = now_ms();
    if (write(c->fd, empty, sizeof empty) != sizeof empty)
        drop(c);
}

/* A whole message from c, or its end. ei_receive_encoded_tmo rather than
** ei_xreceive_msg_tmo: the latter reads the control messages ei has no
** name for (MONITOR_P, SPAWN_REQUEST, ...) and then fails with EIO; the
** former hands them over as they are (see DistIn). */
static void do_in(Conn *c)
{
    int size = 256, len = 0;
    char *buf = xmalloc((size_t)size);
    erlang_msg m;
    int r = ei_receive_encoded_tmo(c->fd, &buf, &size, &m, &len, IO_TMO_MS);
    if (r == ERL_TICK) {
        /* answered at once, whatever the peer's tick time: erl drops a
        ** peer it has not heard from for its net_ticktime */
        send_tick(c);
    } else if (r == ERL_ERROR) {
        if (erl_errno != EAGAIN)
            drop(c);
    } else {
        DistIn *e = xmalloc(sizeof *e + (size_t)len);
        memset(e, 0, sizeof *e);
        e->kind = DIN_MSG;
        snprintf(e->node, sizeof e->node, "%s", c->node);
        e->msg = m;
        e->len = (size_t)len;
        memcpy(e->bytes, buf, e->len);
        hand_over(e);
    }
    free(buf);
}

static void accept_one(void)
{
    ErlConnect con;
    int fd = ei_accept_tmo(T.ec, T.lfd, &con, IO_TMO_MS);
    if (fd < 0)
        return; /* a failed handshake (a wrong cookie, say): ei has closed it */
    Conn *old = find(con.nodename);
    if (old) /* the peer restarted: its old connection is gone */
        drop(old);
    add(fd, con.nodename);
}

/* A tick (an empty message) to each connection we have not written to for
** TICK_MS, so the peer's net_kernel knows we are alive. */
static void tick(void)
{
    uint64_t now = now_ms();
    for (int i = 0; i < CONN_MAX; i++) {
        Conn *c = &T.conns[i];
        if (c->fd >= 0 && now - c->sent_ms >= TICK_MS)
            send_tick(c);
    }
}

static void *thread_main(void *arg)
{
    struct pollfd pf[CONN_MAX + 2];
    Conn *of[CONN_MAX + 2];
    for (;;) {
        int n = 0;
        pf[n++] = (struct pollfd){.fd = T.kick, .events = POLLIN};
        pf[n++] = (struct pollfd){.fd = T.lfd, .events = POLLIN};
        for (int i = 0; i < CONN_MAX; i++)
            if (T.conns[i].fd >= 0) {
                of[n] = &T.conns[i];
                pf[n++] = (struct pollfd){.fd = T.conns[i].fd, .events = POLLIN};
            }
        int r = poll(pf, (nfds_t)n, 1000);
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0) {
            if (pf[0].revents) {
                uint64_t count;
                if (read(T.kick, &count, sizeof count) < 0) {
                    /* drained already */
                }
                for (DistOut *o = take_out(), *next; o; o = next) {
                    next = o->next;
                    do_out(o);
                    free(o);
                }
            }
            if (pf[1].revents)
                accept_one();
            for (int i = 2; i < n; i++)
                if (pf[i].revents && of[i]->fd == pf[i].fd)
                    do_in(of[i]);
        }
        tick();
    }
    return NULL;
}

int dist_conn_start(ei_cnode *ec, int lfd)
{
    T.ec = ec;
    T.lfd = lfd;
    T.out_tail = &T.out;
    T.in_tail = &T.in;
    for (int i = 0; i < CONN_MAX; i++)
        T.conns[i].fd = -1;
    T.kick = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (T.kick < 0)
        return -1;
    pthread_t th;
    sigset_t all, old;
    sigfillset(&all); /* signals (Ctrl-C, the watchdog) stay the scheduler's */
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int r = pthread_create(&th, NULL, thread_main, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (r != 0)
        return -1;
    pthread_detach(th);
    return 0;
}
