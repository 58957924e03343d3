/*
** conn.c
** The connections to other nodes. A thread of their own accepts and makes
** them (ei does the handshake), keeps them alive with ticks and drops the
** peers that stop answering. Once a connection stands, its socket is
** non-blocking and served by whoever gets there first under one lock: the
** scheduler reads it while it waits in its idle poll (sched_set_poll_hook)
** and writes a send at once when nothing is queued before it; the thread
** takes over reading and writing when the scheduler has not looked for a
** while (a module that runs without yielding), so ticks are answered
** whatever processes do. Nothing here ever blocks a process.
*/
#include "conn.h"
#include "packet.h"
#include "../buf.h"
#include "../sched.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum {
    CONN_MAX = 64,          /* connections at once */
    BACKSTOP_MS = 200,      /* the thread serves the sockets when the scheduler has not for this long */
    THREAD_WAKE_MS = 100,   /* the thread looks at least this often */
    IO_TMO_MS = 5000,       /* a handshake that takes longer fails */
    CONNECT_TMO_MS = 5000,
    QUIET_ROUNDS = 4,       /* erl: down after this many tick rounds without a byte from the peer */
    EXIT_FLUSH_MS = 2000,   /* at exit, pending sends get this long to go out */
    FLUSH_AT = 32768        /* a send writes at once when this much waits; less waits for the idle poll */
};

/* One connection. 'fd' < 0: the slot is free. 'gen' changes each time the
** slot is taken, so that a poll's answer about an older connection is
** recognised. 'in' holds bytes read but not yet a whole packet; 'out'
** bytes not yet written, from 'out_off'. */
typedef struct Conn {
    int fd;
    unsigned gen;
    char node[MAXATOMLEN_UTF8];
    Buf in, out;
    size_t out_off;
    size_t try_at;           /* a send flushes once 'out' holds this much */
    bool heard, wrote;       /* since the last tick round */
    bool wrote_since_tick;   /* since the peer's last tick */
    int quiet;               /* tick rounds in a row without a byte from the peer */
} Conn;

/* Which connection a pollfd was filled for. */
typedef struct PollRef {
    int slot;
    unsigned gen;
} PollRef;

/* The connections' state. Invariants: everything but 'ec', 'lfd', 'kick',
** 'thread' and the scheduler's 'sched_refs' is touched under 'lock' only;
** 'inflight' counts the DistOuts queued for or being done by the thread (a
** send goes to the thread, behind them, while it is not 0, so that sends
** keep their order); 'kick' is readable while 'out' may be non-empty. */
static struct {
    pthread_mutex_t lock;
    DistOut *out, **out_tail; /* from the scheduler, oldest first */
    int inflight;
    DistIn *in, **in_tail;    /* to the scheduler, oldest first */
    bool thread_queued;       /* the thread queued to 'in': wake the scheduler */
    int kick;                 /* eventfd: the scheduler queued work */
    ei_cnode *ec;
    int lfd;
    pthread_t thread;
    Conn conns[CONN_MAX];
    bool sched_polling;       /* the scheduler waits in its idle poll, on the sockets */
    uint64_t sched_seen_ms;   /* when it last served them */
    int ticktime_s;           /* net_ticktime */
    Buf reports;              /* erl's reports, for the scheduler to print */
    PollRef sched_refs[CONN_MAX]; /* the scheduler's, between fill and serve */
    /* the handshake of the connection being accepted, as read (thread) */
    bool snooping;
    Buf snoop;
} T = {.lock = PTHREAD_MUTEX_INITIALIZER, .kick = -1, .ticktime_s = 60};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Whether the running thread is the connection thread. */
static __thread bool is_conn_thread;

static bool on_thread(void)
{
    return is_conn_thread;
}

void dist_conn_set_ticktime(int seconds)
{
    pthread_mutex_lock(&T.lock);
    T.ticktime_s = seconds > 0 ? seconds : 60;
    pthread_mutex_unlock(&T.lock);
}

/* An erl report ("=ERROR REPORT==== ... ===", the lines, an empty line),
** queued for the scheduler to print. Under the lock. */
static void report(const char *fmt, const char *node)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    buf_printf(&T.reports, "=ERROR REPORT==== %d-%s-%d::%02d:%02d:%02d.%06ld ===\n", tm.tm_mday,
               months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, (long)tv.tv_usec);
    buf_printf(&T.reports, fmt, node);
    buf_puts(&T.reports, "\n");
}

/* From the scheduler: prints the reports queued. */
static void print_reports(void)
{
    pthread_mutex_lock(&T.lock);
    char *text = T.reports.len ? buf_take(&T.reports) : NULL;
    pthread_mutex_unlock(&T.lock);
    if (text) {
        fputs(text, stdout);
        fflush(stdout);
        free(text);
    }
}

/* ====================================================== the two queues */

/* Hands e to the scheduler. Under the lock. */
static void queue_in(DistIn *e)
{
    e->next = NULL;
    *T.in_tail = e;
    T.in_tail = &e->next;
    if (on_thread())
        T.thread_queued = true;
}

static void queue_event(DistInKind kind, const char *node, bool ok)
{
    DistIn *e = xcalloc(1, sizeof *e);
    e->kind = kind;
    snprintf(e->node, sizeof e->node, "%s", node);
    e->ok = ok;
    queue_in(e);
    if (!on_thread()) /* the scheduler dropped a connection: its wake hook must run, not wait for a poll */
        sched_wake();
}

/* From the thread: wakes the scheduler if the thread queued anything. */
static void wake_scheduler(void)
{
    pthread_mutex_lock(&T.lock);
    bool wake = T.thread_queued;
    T.thread_queued = false;
    pthread_mutex_unlock(&T.lock);
    if (wake)
        sched_wake();
}

/* ======================================================== connections */

static Conn *find(const char *node)
{
    for (int i = 0; i < CONN_MAX; i++)
        if (T.conns[i].fd >= 0 && strcmp(T.conns[i].node, node) == 0)
            return &T.conns[i];
    return NULL;
}

/* Closes c and tells the scheduler. Under the lock. */
static void drop(Conn *c)
{
    close(c->fd);
    c->fd = -1;
    buf_free(&c->in);
    buf_free(&c->out);
    c->out_off = 0;
    queue_event(DIN_DOWN, c->node, false);
}

/* Writes what c has queued, as far as the socket takes it now. Under the
** lock. Returns false when c was dropped. */
static bool flush(Conn *c)
{
    while (c->out_off < c->out.len) {
        ssize_t n = send(c->fd, c->out.s + c->out_off, c->out.len - c->out_off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            c->out_off += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            /* the rest when the socket takes more; the bytes written go */
            if (c->out_off >= c->out.len / 2) {
                memmove(c->out.s, c->out.s + c->out_off, c->out.len - c->out_off);
                c->out.len -= c->out_off;
                c->out_off = 0;
            }
            c->try_at = c->out.len + FLUSH_AT;
            return true;
        } else {
            drop(c);
            return false;
        }
    }
    c->out.len = 0;
    c->out_off = 0;
    c->try_at = FLUSH_AT;
    return true;
}

/* Marks that something was queued for c, and writes. Under the lock. */
static bool wrote(Conn *c)
{
    c->wrote = c->wrote_since_tick = true;
    return flush(c);
}

/* An empty packet: the peer hears we are alive. Under the lock. */
static bool send_tick(Conn *c)
{
    buf_put(&c->out, "\0\0\0\0", 4);
    return wrote(c);
}

/* Takes fd as the connection to 'node' and tells the scheduler. Under the
** lock. Returns it, or NULL (fd closed) when every slot is taken. */
static Conn *add(int fd, const char *node)
{
    for (int i = 0; i < CONN_MAX; i++) {
        Conn *c = &T.conns[i];
        if (c->fd < 0) {
            int fl = fcntl(fd, F_GETFL);
            fcntl(fd, F_SETFL, fl | O_NONBLOCK);
            *c = (Conn){.fd = fd, .gen = c->gen + 1, .try_at = FLUSH_AT};
            snprintf(c->node, sizeof c->node, "%s", node);
            queue_event(DIN_UP, node, true);
            return c;
        }
    }
    close(fd);
    return NULL;
}

/* The peer's tick: answered when we wrote nothing since its last one, so
** that a peer whose tick time is shorter than ours keeps hearing from us,
** and two cerl nodes do not answer each other forever. Under the lock. */
static bool tick_in(Conn *c)
{
    bool answer = !c->wrote_since_tick;
    c->wrote_since_tick = false;
    return answer ? send_tick(c) : true;
}

/* Reads what c's socket has and queues its whole packets for the
** scheduler. Under the lock. */
static void read_conn(Conn *c)
{
    for (;;) {
        if (c->in.cap - c->in.len < 65536) {
            size_t want = c->in.len + 65536 + 1;
            c->in.s = xrealloc(c->in.s, want);
            c->in.cap = want;
        }
        size_t room = c->in.cap - c->in.len - 1;
        ssize_t n = read(c->fd, c->in.s + c->in.len, room);
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)) {
            drop(c);
            return;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        c->in.len += (size_t)n;
        c->heard = true;
        c->quiet = 0;
        if ((size_t)n < room)
            break;
    }
    size_t at = 0;
    const unsigned char *s = (const unsigned char *)c->in.s;
    while (c->in.len - at >= 4) {
        size_t len = (size_t)s[at] << 24 | (size_t)s[at + 1] << 16 | (size_t)s[at + 2] << 8 | s[at + 3];
        if (len == 0) {
            at += 4;
            if (!tick_in(c))
                return;
            continue;
        }
        if (c->in.len - at - 4 < len)
            break;
        DistIn *e = xmalloc(sizeof *e + len);
        memset(e, 0, sizeof *e);
        e->kind = DIN_MSG;
        snprintf(e->node, sizeof e->node, "%s", c->node);
        e->gen = c->gen;
        e->raw = true;
        e->len = len;
        memcpy(e->bytes, s + at + 4, len);
        queue_in(e);
        at += 4 + len;
    }
    if (at) {
        memmove(c->in.s, c->in.s + at, c->in.len - at);
        c->in.len -= at;
    }
}

/* ===================================================== the scheduler */

/* The idle poll's sockets: every connection, for reading, and for writing
** when something waits to go. */
static int sched_fill(struct pollfd *fds, int max)
{
    int n = 0;
    pthread_mutex_lock(&T.lock);
    T.sched_polling = true;
    for (int i = 0; i < CONN_MAX && n < max; i++) {
        Conn *c = &T.conns[i];
        if (c->fd < 0 || (c->out.len && !flush(c)))
            continue;
        T.sched_refs[n] = (PollRef){i, c->gen};
        fds[n++] = (struct pollfd){.fd = c->fd, .events = (short)(POLLIN | (c->out.len ? POLLOUT : 0))};
    }
    pthread_mutex_unlock(&T.lock);
    return n;
}

/* Serves the sockets the poll found ready; true when something waits for
** the wake hook. */
static bool sched_serve(const struct pollfd *fds, int n)
{
    pthread_mutex_lock(&T.lock);
    T.sched_polling = false;
    T.sched_seen_ms = now_ms();
    for (int k = 0; k < n; k++) {
        Conn *c = &T.conns[T.sched_refs[k].slot];
        if (!fds[k].revents || c->fd < 0 || c->gen != T.sched_refs[k].gen)
            continue;
        if (fds[k].revents & POLLOUT && !flush(c))
            continue;
        if (fds[k].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
            read_conn(c);
    }
    bool queued = T.in != NULL;
    bool reports = T.reports.len > 0;
    pthread_mutex_unlock(&T.lock);
    if (reports)
        print_reports();
    return queued;
}

/* Whether o may be written at once: a send to a connection that stands,
** with nothing for the thread before it (or o the first of them: 'first'). Writes it then. Under the lock. */
static bool send_now(DistOut *o, bool first)
{
    if ((T.inflight && !first) || (o->kind != DOUT_SEND_PID && o->kind != DOUT_SEND_NAME && o->kind != DOUT_RAW))
        return false;
    Conn *c = find(o->node);
    if (!c)
        return false;
    if (o->kind == DOUT_RAW)
        dist_packet_build_raw(&c->out, o->bytes, o->ctrl_len, o->bytes + o->ctrl_len, o->len - o->ctrl_len);
    else
        dist_packet_build_send(&c->out, &o->from, &o->to, o->kind == DOUT_SEND_NAME ? o->toname : NULL,
                               o->bytes, o->len);
    /* sends from a process that runs on go out together when it waits (the
    ** idle poll flushes: sched_fill) or once FLUSH_AT bytes wait */
    c->wrote = c->wrote_since_tick = true;
    if (c->out.len >= c->try_at)
        flush(c);
    return true;
}

void dist_conn_put(DistOut *o)
{
    o->next = NULL;
    pthread_mutex_lock(&T.lock);
    if (send_now(o, false)) {
        pthread_mutex_unlock(&T.lock);
        free(o);
        return;
    }
    *T.out_tail = o;
    T.out_tail = &o->next;
    T.inflight++;
    pthread_mutex_unlock(&T.lock);
    uint64_t one = 1;
    if (write(T.kick, &one, sizeof one) < 0) {
        /* the counter is full: the thread is kicked anyway */
    }
}

/* A raw packet taken apart for ctrl.c: bytes become the payload followed by
** the control tuple. NULL when it is malformed: the connection it came on
** is closed, with a report. */
static DistIn *parse_in(DistIn *e)
{
    DistPacket pk;
    if (dist_packet_parse((const unsigned char *)e->bytes, e->len, &pk) != 0) {
        pthread_mutex_lock(&T.lock);
        Conn *c = find(e->node);
        if (c && c->gen == e->gen) {
            report("** Malformed distribution message from node %s: connection closed **\n", e->node);
            drop(c);
        }
        pthread_mutex_unlock(&T.lock);
        free(e);
        return NULL;
    }
    DistIn *m = xmalloc(sizeof *m + pk.pay_len + pk.ctrl_len);
    *m = *e;
    m->raw = false;
    m->msg = pk.m;
    m->len = pk.pay_len;
    m->ctrl_len = pk.ctrl_len;
    memcpy(m->bytes, e->bytes + pk.pay_off, pk.pay_len);
    memcpy(m->bytes + pk.pay_len, e->bytes + pk.ctrl_off, pk.ctrl_len);
    free(e);
    return m;
}

DistIn *dist_conn_take(void)
{
    pthread_mutex_lock(&T.lock);
    DistIn *all = T.in;
    T.in = NULL;
    T.in_tail = &T.in;
    pthread_mutex_unlock(&T.lock);
    /* the packets taken apart; after a malformed one, the rest of its
    ** connection's are dropped with it */
    DistIn *head = NULL, **tail = &head;
    char bad_node[MAXATOMLEN_UTF8] = "";
    unsigned bad_gen = 0;
    for (DistIn *e = all, *next; e; e = next) {
        next = e->next;
        if (e->raw) {
            if (bad_node[0] && e->gen == bad_gen && strcmp(e->node, bad_node) == 0) {
                free(e);
                continue;
            }
            char node[MAXATOMLEN_UTF8];
            snprintf(node, sizeof node, "%s", e->node);
            unsigned gen = e->gen;
            DistIn *m = parse_in(e);
            if (!m) {
                snprintf(bad_node, sizeof bad_node, "%s", node);
                bad_gen = gen;
                continue;
            }
            e = m;
        }
        e->next = NULL;
        *tail = e;
        tail = &e->next;
    }
    print_reports();
    return head;
}

/* ========================================================== the thread */

/* The connection to 'node', made now if there is none; NULL if it cannot
** be made. The handshake runs without the lock. */
static bool reach(const char *node)
{
    pthread_mutex_lock(&T.lock);
    bool there = find(node) != NULL;
    pthread_mutex_unlock(&T.lock);
    if (there)
        return true;
    int fd = ei_connect_tmo(T.ec, (char *)node, CONNECT_TMO_MS);
    if (fd < 0)
        return false;
    pthread_mutex_lock(&T.lock);
    bool ok = find(node) || add(fd, node);
    pthread_mutex_unlock(&T.lock);
    return ok;
}

static void do_out(DistOut *o)
{
    if (o->kind == DOUT_CONNECT) {
        bool ok = reach(o->node);
        pthread_mutex_lock(&T.lock);
        queue_event(DIN_CONNECTED, o->node, ok);
        T.inflight--;
        pthread_mutex_unlock(&T.lock);
        return;
    }
    if (o->kind == DOUT_SEND_PID || o->kind == DOUT_SEND_NAME)
        reach(o->node); /* a message to a node that cannot be reached is dropped, as erl drops it */
    pthread_mutex_lock(&T.lock);
    T.inflight--;
    Conn *c = find(o->node);
    if (c && o->kind == DOUT_DISCONNECT) {
        drop(c);
    } else if (c) {
        send_now(o, true); /* o is the oldest: nothing is before it */
    }
    pthread_mutex_unlock(&T.lock);
}

void dist_conn_snoop(const char *bytes, size_t len)
{
    if (on_thread() && T.snooping && T.snoop.len + len < 4096)
        buf_put(&T.snoop, bytes, len);
}

/* The peer's name from the handshake bytes read, and whether its challenge
** reply came (then it was refused for its digest: the wrong cookie). */
static bool snooped_name(char *name, size_t size, bool *replied)
{
    const unsigned char *s = (const unsigned char *)T.snoop.s;
    size_t n = T.snoop.len, at = 0;
    bool found = false;
    *replied = false;
    while (n - at >= 2) {
        size_t len = (size_t)s[at] << 8 | s[at + 1];
        if (n - at - 2 < len || len == 0)
            break;
        const unsigned char *p = s + at + 2;
        if (p[0] == 'n' && len > 7) { /* 'n', version, flags(4), name */
            snprintf(name, size, "%.*s", (int)(len - 7), p + 7);
            found = true;
        } else if (p[0] == 'N' && len > 15) { /* 'N', flags(8), creation(4), length(2), name */
            size_t nl = (size_t)p[13] << 8 | p[14];
            if (nl <= len - 15) {
                snprintf(name, size, "%.*s", (int)nl, p + 15);
                found = true;
            }
        } else if (p[0] == 'r' && len == 21) {
            *replied = true;
        }
        at += 2 + len;
    }
    return found;
}

static void accept_one(void)
{
    ErlConnect con;
    T.snoop.len = 0;
    T.snooping = true;
    int fd = ei_accept_tmo(T.ec, T.lfd, &con, IO_TMO_MS);
    T.snooping = false;
    if (fd < 0) {
        /* ei has closed it; erl's report for a wrong cookie */
        char name[MAXATOMLEN_UTF8];
        bool replied;
        if (snooped_name(name, sizeof name, &replied) && replied) {
            pthread_mutex_lock(&T.lock);
            report("** Connection attempt from node %s rejected. Invalid challenge reply. **\n", name);
            T.thread_queued = true;
            pthread_mutex_unlock(&T.lock);
        }
        return;
    }
    pthread_mutex_lock(&T.lock);
    Conn *old = find(con.nodename);
    if (old) /* the peer restarted: its old connection is gone */
        drop(old);
    add(fd, con.nodename);
    pthread_mutex_unlock(&T.lock);
}

/* Every net_ticktime / 4, as erl's net_kernel: a tick to each connection
** we wrote nothing to since the last round, and a connection that sent
** nothing for QUIET_ROUNDS rounds dropped, with erl's report. Under the
** lock. */
static void tick_round(void)
{
    for (int i = 0; i < CONN_MAX; i++) {
        Conn *c = &T.conns[i];
        if (c->fd < 0)
            continue;
        if (!c->heard && ++c->quiet >= QUIET_ROUNDS) {
            report("** Node %s not responding **\n** Removing (timedout) connection **\n", c->node);
            drop(c);
            continue;
        }
        c->heard = false;
        if (!c->wrote && !send_tick(c))
            continue;
        c->wrote = false;
    }
}

static void *thread_main(void *arg)
{
    struct pollfd pf[CONN_MAX + 2];
    PollRef ref[CONN_MAX + 2];
    is_conn_thread = true;
    uint64_t next_round = now_ms() + (uint64_t)T.ticktime_s * 250;
    for (;;) {
        int n = 0;
        pf[n++] = (struct pollfd){.fd = T.kick, .events = POLLIN};
        pf[n++] = (struct pollfd){.fd = T.lfd, .events = POLLIN};
        pthread_mutex_lock(&T.lock);
        for (int i = 0; i < CONN_MAX; i++) /* sends the scheduler left waiting */
            if (T.conns[i].fd >= 0 && T.conns[i].out.len)
                flush(&T.conns[i]);
        uint64_t now = now_ms();
        bool backstop = !T.sched_polling && now - T.sched_seen_ms >= BACKSTOP_MS;
        for (int i = 0; backstop && i < CONN_MAX; i++) {
            Conn *c = &T.conns[i];
            if (c->fd < 0)
                continue;
            ref[n] = (PollRef){i, c->gen};
            pf[n++] = (struct pollfd){.fd = c->fd, .events = (short)(POLLIN | (c->out.len ? POLLOUT : 0))};
        }
        pthread_mutex_unlock(&T.lock);
        int wait = next_round > now ? (int)(next_round - now) : 0;
        if (wait > THREAD_WAKE_MS)
            wait = THREAD_WAKE_MS;
        int r = poll(pf, (nfds_t)n, wait);
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0 && pf[0].revents) {
            uint64_t count;
            if (read(T.kick, &count, sizeof count) < 0) {
                /* drained already */
            }
            pthread_mutex_lock(&T.lock);
            DistOut *all = T.out;
            T.out = NULL;
            T.out_tail = &T.out;
            pthread_mutex_unlock(&T.lock);
            for (DistOut *o = all, *next; o; o = next) {
                next = o->next;
                do_out(o);
                free(o);
                wake_scheduler();
            }
        }
        if (r > 0 && pf[1].revents)
            accept_one();
        pthread_mutex_lock(&T.lock);
        for (int k = 2; r > 0 && k < n; k++) {
            Conn *c = &T.conns[ref[k].slot];
            if (!pf[k].revents || c->fd < 0 || c->gen != ref[k].gen)
                continue;
            if (pf[k].revents & POLLOUT && !flush(c))
                continue;
            if (pf[k].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))
                read_conn(c);
        }
        now = now_ms();
        if (now >= next_round) {
            tick_round();
            next_round = now + (uint64_t)T.ticktime_s * 250;
        }
        pthread_mutex_unlock(&T.lock);
        wake_scheduler();
    }
    return NULL;
}

/* At exit: what processes sent last still goes out (a piped session may
** end right after a send), waiting at most EXIT_FLUSH_MS for slow peers. */
static void flush_at_exit(void)
{
    uint64_t end = now_ms() + EXIT_FLUSH_MS;
    for (;;) {
        struct pollfd pf[CONN_MAX];
        int n = 0;
        pthread_mutex_lock(&T.lock);
        for (int i = 0; i < CONN_MAX; i++) {
            Conn *c = &T.conns[i];
            if (c->fd >= 0 && c->out.len && flush(c) && c->out.len)
                pf[n++] = (struct pollfd){.fd = c->fd, .events = POLLOUT};
        }
        pthread_mutex_unlock(&T.lock);
        uint64_t now = now_ms();
        if (n == 0 || now >= end)
            return;
        poll(pf, (nfds_t)n, (int)(end - now));
    }
}

int dist_conn_start(ei_cnode *ec, int lfd)
{
    T.ec = ec;
    T.lfd = lfd;
    T.out_tail = &T.out;
    T.in_tail = &T.in;
    T.sched_seen_ms = now_ms();
    for (int i = 0; i < CONN_MAX; i++)
        T.conns[i].fd = -1;
    T.kick = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (T.kick < 0)
        return -1;
    sched_set_poll_hook(sched_fill, sched_serve);
    atexit(flush_at_exit);
    sigset_t all, old;
    sigfillset(&all); /* signals (Ctrl-C, the watchdog) stay the scheduler's */
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int r = pthread_create(&T.thread, NULL, thread_main, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (r != 0)
        return -1;
    pthread_detach(T.thread);
    return 0;
}
