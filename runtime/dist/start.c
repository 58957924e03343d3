/*
** start.c
** Becoming a node: the listening socket, the name published to epmd, the
** node's name and creation given to every pid and reference, and the
** connection thread started.
*/
#include "dist.h"
#include "conn.h"
#include "sock.h"
#include "../node.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/* The node as ei knows it, and the socket that keeps its name in epmd.
** Set once by dist_start; the connection thread owns 'ec' afterwards. */
static struct {
    ei_cnode ec;
    int epmd_fd;
    bool hidden; /* -hidden */
} N = {.epmd_fd = -1};

void dist_set_net_ticktime(int seconds)
{
    dist_conn_set_ticktime(seconds);
}

void dist_set_hidden(void)
{
    N.hidden = true;
}

int dist_start(const char *name, const char *cookie)
{
    char alive[MAXATOMLEN_UTF8];
    const char *at = strchr(name, '@');
    if (!at || (size_t)(at - name) >= sizeof alive)
        return -1;
    snprintf(alive, sizeof alive, "%.*s", (int)(at - name), name);
    if (dist_epmd_ensure() != 0) {
        fprintf(stderr, "Protocol 'inet_tcp': register/listen error: econnrefused\n");
        return -1;
    }
    if (ei_init() != 0)
        return -1;
    struct in_addr loopback = {htonl(INADDR_LOOPBACK)};
    ei_socket_callbacks *cbs = dist_sock_callbacks(N.hidden, dist_conn_snoop);
    if (ei_connect_xinit_ussi(&N.ec, at + 1, alive, name, &loopback, cookie, 0, cbs, sizeof *cbs, NULL) < 0) {
        fprintf(stderr, "cerl: cannot become node %s\n", name);
        return -1;
    }
    int port = 0;
    int lfd = ei_listen(&N.ec, &port, 16);
    if (lfd < 0) {
        fprintf(stderr, "Protocol 'inet_tcp': register/listen error: %s\n", strerror(erl_errno));
        return -1;
    }
    N.epmd_fd = ei_publish(&N.ec, port);
    if (N.epmd_fd < 0) {
        fprintf(stderr, "Protocol 'inet_tcp': the name %s seems to be in use by another Erlang node\n", name);
        return -1;
    }
    node_set_this(erl_atom(name), ei_self(&N.ec)->creation);
    dist_ctrl_start();
    if (dist_conn_start(&N.ec, lfd) != 0) {
        fprintf(stderr, "cerl: cannot start the distribution's thread\n");
        return -1;
    }
    return 0;
}
