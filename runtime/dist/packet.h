/*
** packet.h
** One message of a distribution connection as it travels once the
** handshake is done: a 4-byte big-endian length (0: a tick), then 'p'
** (pass through: ei announces no atom cache), the control tuple in the
** external term format, and the payload for the kinds that carry one.
** Parsed on the scheduler (it makes atoms); built anywhere.
*/
#ifndef CERL_DIST_PACKET_H
#define CERL_DIST_PACKET_H

#include "../buf.h"

#include <ei.h>
#include <stddef.h>

/* A parsed packet body. 'm' is filled as ei's receive fills it: msgtype is
** the control tuple's first element; 'from' and 'to' the pids of the
** control messages that name them (LINK, EXIT, MONITOR_P...: the second and
** third elements when they are pids), 'to' for SEND, 'from' and 'toname'
** for REG_SEND. Offsets count from the packet body's first byte ('p'). */
typedef struct DistPacket {
    erlang_msg m;
    size_t ctrl_off, ctrl_len; /* the control tuple, version byte first */
    size_t pay_off, pay_len;   /* the payload, version byte first; pay_len 0: none */
} DistPacket;

/* Parses the packet body p[0..n) (after its length). Returns 0, or -1 when
** it is not 'p' followed by a whole control tuple whose first element is a
** small integer and whose pids and name are where its kind puts them.
** Never reads outside p[0..n). */
int dist_packet_parse(const unsigned char *p, size_t n, DistPacket *out);

/* Appends to 'b' a whole packet (length first): SEND ({2, '', To}) when
** toname is NULL, else REG_SEND ({6, From, '', ToName}), followed by the
** payload pay[0..pay_len) (version byte first). */
void dist_packet_build_send(Buf *b, const erlang_pid *from, const erlang_pid *to, const char *toname,
                            const char *pay, size_t pay_len);

/* Appends to 'b' a whole packet: the control tuple ctrl[0..ctrl_len) and
** the payload pay[0..pay_len) (each version byte first, pay_len 0: none),
** as they are. */
void dist_packet_build_raw(Buf *b, const char *ctrl, size_t ctrl_len, const char *pay, size_t pay_len);

#endif
