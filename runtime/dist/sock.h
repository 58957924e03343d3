/*
** sock.h
** The sockets ei uses, given to it as its user-supplied socket layer
** (ei_connect_xinit_ussi): ei's own TCP sockets, except that the handshake
** announces the distribution flags cerl serves, which ei's own fixed flags
** lack, and that what ei reads is shown to conn.c (which names a peer whose
** handshake was refused, as erl does).
*/
#ifndef CERL_DIST_SOCK_H
#define CERL_DIST_SOCK_H

#include <ei.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The distribution flags (erl_dist_protocol) cerl changes in ei's. */
enum {
    DIST_FLAG_PUBLISHED = 0x1,          /* a visible node: in the peer's nodes() */
    DIST_FLAG_DIST_MONITOR_NAME = 0x20, /* MONITOR_P may name a registered process */
    DIST_FLAG_UNICODE_IO = 0x1000,      /* io requests carry their encoding (io_server.c) */
    DIST_FLAG_UNLINK_ID = 0x2000000     /* UNLINK_ID / UNLINK_ID_ACK instead of UNLINK */
};
#define DIST_FLAG_SPAWN ((uint64_t)1 << 32) /* SPAWN_REQUEST / SPAWN_REPLY */

/* ei's own socket callbacks (libei exports them; ei.h does not declare
** them). */
extern ei_socket_callbacks ei_default_socket_callbacks;

/* The socket layer for ei_connect_xinit_ussi: ei's own, whose handshake
** messages announce ei's flags plus DIST_MONITOR_NAME, SPAWN and UNICODE_IO
** (served by links.c, spawn.c and io_server.c), plus PUBLISHED unless
** 'hidden', and without
** UNLINK_ID (ei cannot read UNLINK_ID_ACK: the old UNLINK, which OTP 25
** still takes, is used both ways); every read ei makes through it is also
** given to on_read (bytes, count; from whichever thread reads). Once a
** connection stands, conn.c reads and writes its socket itself: only the
** handshakes pass through here. Call before any connection is made. */
ei_socket_callbacks *dist_sock_callbacks(bool hidden, void (*on_read)(const char *bytes, size_t len));

#endif
