/*
** sock.c
** The socket layer given to ei (its user-supplied socket interface): plain
** TCP sockets, whose handshake messages announce the flags cerl serves.
**
** Why here: ei's handshake sends a fixed set of flags, with no option to
** change them, and every handshake byte passes through this layer. The
** flags are not covered by the cookie's digest (which hashes the cookie
** and the challenge only), so the peer sees them as if ei had sent them.
** Only the messages written before the handshake completes are touched.
*/
#include "sock.h"
#include "../buf.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* One socket. 'shaken' once its handshake is over: from then on its bytes
** pass untouched. */
typedef struct Sock {
    int fd;
    bool shaken;
} Sock;

static struct {
    uint64_t add, clear; /* flags added to and taken from ei's */
} F;

static Sock *sock_new(int fd)
{
    Sock *s = xcalloc(1, sizeof *s);
    s->fd = fd;
    return s;
}

static int s_socket(void **ctx, void *setup_ctx)
{
    (void)setup_ctx;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    *ctx = sock_new(fd);
    return 0;
}

static int s_close(void *ctx)
{
    Sock *s = ctx;
    int r = close(s->fd) < 0 ? errno : 0;
    free(s);
    return r;
}

static int s_listen(void *ctx, void *addr, int *len, int backlog)
{
    Sock *s = ctx;
    socklen_t l = (socklen_t)*len;
    if (bind(s->fd, addr, l) < 0 || listen(s->fd, backlog) < 0 || getsockname(s->fd, addr, &l) < 0)
        return errno;
    *len = (int)l;
    return 0;
}

static int s_accept(void **ctx, void *addr, int *len, unsigned tmo)
{
    (void)tmo; /* ei polls for the timeout before calling */
    Sock *ls = *ctx;
    socklen_t l = (socklen_t)*len;
    int fd = accept4(ls->fd, addr, &l, SOCK_CLOEXEC);
    if (fd < 0)
        return errno;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    *len = (int)l;
    *ctx = sock_new(fd);
    return 0;
}

static int s_connect(void *ctx, void *addr, int len, unsigned tmo)
{
    (void)tmo;
    Sock *s = ctx;
    if (connect(s->fd, addr, (socklen_t)len) < 0)
        return errno;
    int one = 1;
    setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return 0;
}

static uint64_t get_be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static void put_be(unsigned char *p, int n, uint64_t v)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

/* Rewrites the flags of the handshake message m (2-byte length first) in
** place: 'N' (name or challenge, 8 bytes of flags after the tag), 'n' (the
** old forms: 2 bytes of version, then the low 4 bytes) and 'c' (the
** complement: the high 4 bytes). */
static void patch_flags(unsigned char *m, size_t len)
{
    if (len < 3 || get_be(m, 2) != len - 2)
        return;
    unsigned char *body = m + 2;
    size_t n = len - 2;
    if (body[0] == 'N' && n >= 9) {
        uint64_t f = get_be(body + 1, 8);
        put_be(body + 1, 8, (f | F.add) & ~F.clear);
    } else if (body[0] == 'n' && n >= 7) {
        uint64_t f = get_be(body + 3, 4);
        put_be(body + 3, 4, ((f | F.add) & ~F.clear) & 0xffffffffu);
    } else if (body[0] == 'c' && n >= 5) {
        uint64_t f = get_be(body + 1, 4) << 32;
        put_be(body + 1, 4, ((f | F.add) & ~F.clear) >> 32);
    }
}

static int s_write(void *ctx, const char *buf, ssize_t *len, unsigned tmo)
{
    (void)tmo;
    Sock *s = ctx;
    const char *out = buf;
    unsigned char small[512];
    if (!s->shaken && *len <= (ssize_t)sizeof small) {
        memcpy(small, buf, (size_t)*len);
        patch_flags(small, (size_t)*len);
        out = (const char *)small;
    }
    ssize_t w = write(s->fd, out, (size_t)*len);
    if (w < 0)
        return errno;
    *len = w;
    return 0;
}

static int s_read(void *ctx, char *buf, ssize_t *len, unsigned tmo)
{
    (void)tmo;
    Sock *s = ctx;
    ssize_t r = read(s->fd, buf, (size_t)*len);
    if (r < 0)
        return errno;
    *len = r;
    return 0;
}

static int s_header_size(void *ctx, int *sz)
{
    (void)ctx;
    *sz = 2; /* TCP: the handshake's messages carry a 2-byte length */
    return 0;
}

static int s_shaken(void *ctx)
{
    ((Sock *)ctx)->shaken = true;
    return 0;
}

static int s_get_fd(void *ctx, int *fd)
{
    *fd = ((Sock *)ctx)->fd;
    return 0;
}

static ei_socket_callbacks callbacks = {
    .flags = 0, /* ei waits for readiness (timeouts) itself */
    .socket = s_socket,
    .close = s_close,
    .listen = s_listen,
    .EI_ACCEPT_NAME = s_accept,
    .connect = s_connect,
    .writev = NULL, /* ei writes through 'write' */
    .write = s_write,
    .read = s_read,
    .handshake_packet_header_size = s_header_size,
    .connect_handshake_complete = s_shaken,
    .accept_handshake_complete = s_shaken,
    .get_fd = s_get_fd,
};

ei_socket_callbacks *dist_sock_callbacks(bool hidden)
{
    F.add = DIST_FLAG_DIST_MONITOR_NAME | DIST_FLAG_SPAWN | (hidden ? 0 : DIST_FLAG_PUBLISHED);
    F.clear = DIST_FLAG_UNLINK_ID | (hidden ? DIST_FLAG_PUBLISHED : 0);
    return &callbacks;
}
