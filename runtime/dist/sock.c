/*
** sock.c
** The socket layer given to ei (its user-supplied socket interface): ei's
** own TCP sockets, whose handshake messages announce the flags cerl
** serves, and whose reads conn.c sees (to name a refused peer).
**
** Why here: ei's handshake sends a fixed set of flags, with no option to
** change them, and every handshake byte passes through this layer. The
** flags are not covered by the cookie's digest (which hashes the cookie
** and the challenge only), so the peer sees them as if ei had sent them.
** After the handshake ei never writes to a connection (conn.c does), so
** only handshake messages are ever rewritten.
*/
#include "sock.h"

#include <string.h>

static struct {
    uint64_t add, clear; /* flags added to and taken from ei's */
    void (*on_read)(const char *bytes, size_t len);
    ei_socket_callbacks cbs;
} S;

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
        put_be(body + 1, 8, (f | S.add) & ~S.clear);
    } else if (body[0] == 'n' && n >= 7) {
        uint64_t f = get_be(body + 3, 4);
        put_be(body + 3, 4, ((f | S.add) & ~S.clear) & 0xffffffffu);
    } else if (body[0] == 'c' && n >= 5) {
        uint64_t f = get_be(body + 1, 4) << 32;
        put_be(body + 1, 4, ((f | S.add) & ~S.clear) >> 32);
    }
}

/* A handshake message goes out whole in one call (ei writes each in one
** piece; a partial write's rest does not look like a message). */
static int s_write(void *ctx, const char *buf, ssize_t *len, unsigned tmo)
{
    unsigned char small[512];
    if (*len > (ssize_t)sizeof small)
        return ei_default_socket_callbacks.write(ctx, buf, len, tmo);
    memcpy(small, buf, (size_t)*len);
    patch_flags(small, (size_t)*len);
    return ei_default_socket_callbacks.write(ctx, (const char *)small, len, tmo);
}

static int s_read(void *ctx, char *buf, ssize_t *len, unsigned tmo)
{
    int r = ei_default_socket_callbacks.read(ctx, buf, len, tmo);
    if (r == 0 && S.on_read)
        S.on_read(buf, (size_t)*len);
    return r;
}

ei_socket_callbacks *dist_sock_callbacks(bool hidden, void (*on_read)(const char *bytes, size_t len))
{
    S.add = DIST_FLAG_DIST_MONITOR_NAME | DIST_FLAG_SPAWN | DIST_FLAG_UNICODE_IO | (hidden ? 0 : DIST_FLAG_PUBLISHED);
    S.clear = DIST_FLAG_UNLINK_ID | (hidden ? DIST_FLAG_PUBLISHED : 0);
    S.on_read = on_read;
    S.cbs = ei_default_socket_callbacks;
    S.cbs.writev = NULL; /* ei then writes through 'write', where the flags are */
    S.cbs.write = s_write;
    S.cbs.read = s_read;
    return &S.cbs;
}
