/*
** packet.c
** Distribution packets taken apart (the control tuple decoded into ei's
** erlang_msg) and put together (a send's control tuple encoded).
*/
#include "packet.h"
#include "../etf.h"
#include "../node.h"
#include "../term.h"

#include <stdio.h>
#include <string.h>

static bool pid_out(Term t, erlang_pid *out)
{
    if (!erl_is_pid(t))
        return false;
    Term node;
    uint32_t number, serial, creation;
    node_pid_parts(t, &node, &number, &serial, &creation);
    snprintf(out->node, sizeof out->node, "%s", erl_atom_name(node));
    out->num = number;
    out->serial = serial;
    out->creation = creation;
    return true;
}

int dist_packet_parse(const unsigned char *p, size_t n, DistPacket *out)
{
    memset(out, 0, sizeof *out);
    if (n < 2 || p[0] != 'p')
        return -1;
    Heap tmp;
    heap_init(&tmp);
    size_t used = 0;
    int r = -1;
    Term ctrl = etf_decode(&tmp, p + 1, n - 1, false, &used);
    if (ctrl == ERL_NONE || !erl_is_tuple(ctrl) || erl_tuple_size(ctrl) < 1)
        goto out_free_heap;
    long kind;
    if (!erl_is_int(erl_element(ctrl, 1)) || !erl_get_long(erl_element(ctrl, 1), &kind) || kind < 0)
        goto out_free_heap;
    size_t arity = erl_tuple_size(ctrl);
    erlang_msg *m = &out->m;
    m->msgtype = kind;
    switch (kind) {
    case ERL_SEND:
    case ERL_SEND_TT:
        if (arity < 3 || !pid_out(erl_element(ctrl, 3), &m->to))
            goto out_free_heap;
        break;
    case ERL_REG_SEND:
    case ERL_REG_SEND_TT:
        if (arity < 4 || !pid_out(erl_element(ctrl, 2), &m->from) || !erl_is_atom(erl_element(ctrl, 4)))
            goto out_free_heap;
        snprintf(m->toname, sizeof m->toname, "%s", erl_atom_name(erl_element(ctrl, 4)));
        break;
    default: /* the others: their pids, where they have them */
        if (arity >= 2)
            pid_out(erl_element(ctrl, 2), &m->from);
        if (arity >= 3)
            pid_out(erl_element(ctrl, 3), &m->to);
        break;
    }
    out->ctrl_off = 1;
    out->ctrl_len = used;
    out->pay_off = 1 + used;
    out->pay_len = n - 1 - used;
    if ((kind == ERL_SEND || kind == ERL_SEND_TT || kind == ERL_REG_SEND || kind == ERL_REG_SEND_TT) &&
        (out->pay_len == 0 || p[out->pay_off] != 131))
        goto out_free_heap;
    r = 0;
out_free_heap:
    heap_destroy(&tmp);
    return r;
}

static void put_header(Buf *b, size_t body)
{
    unsigned char h[5] = {(unsigned char)(body >> 24), (unsigned char)(body >> 16), (unsigned char)(body >> 8),
                          (unsigned char)body, 'p'};
    buf_put(b, (const char *)h, sizeof h);
}

void dist_packet_build_send(Buf *b, const erlang_pid *from, const erlang_pid *to, const char *toname,
                            const char *pay, size_t pay_len)
{
    char ctrl[2 * sizeof(erlang_pid) + MAXATOMLEN_UTF8 + 64];
    int i = 0;
    ei_encode_version(ctrl, &i);
    if (toname) {
        ei_encode_tuple_header(ctrl, &i, 4);
        ei_encode_long(ctrl, &i, ERL_REG_SEND);
        ei_encode_pid(ctrl, &i, from);
        ei_encode_atom(ctrl, &i, "");
        ei_encode_atom(ctrl, &i, toname);
    } else {
        ei_encode_tuple_header(ctrl, &i, 3);
        ei_encode_long(ctrl, &i, ERL_SEND);
        ei_encode_atom(ctrl, &i, "");
        ei_encode_pid(ctrl, &i, to);
    }
    dist_packet_build_raw(b, ctrl, (size_t)i, pay, pay_len);
}

void dist_packet_build_raw(Buf *b, const char *ctrl, size_t ctrl_len, const char *pay, size_t pay_len)
{
    put_header(b, 1 + ctrl_len + pay_len);
    buf_put(b, ctrl, ctrl_len);
    if (pay_len)
        buf_put(b, pay, pay_len);
}
