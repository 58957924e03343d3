/*
** epmd.c
** The Erlang port mapper on this machine: found, or started as erl starts
** it (`epmd -daemon`), before the node publishes its port there.
*/
#include "dist.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


/* Whether something accepts connections on epmd's port of the loopback. */
static bool epmd_answers(void)
{
    const char *env = getenv("ERL_EPMD_PORT");
    int port = env && atoi(env) > 0 ? atoi(env) : 4369;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

int dist_epmd_ensure(void)
{
    if (epmd_answers())
        return 0;
    /* epmd -daemon forks itself into the background and its first process
    ** exits at once: wait for that one, then for the port to answer */
    char *argv[] = {"epmd", "-daemon", NULL};
    pid_t pid;
    if (posix_spawnp(&pid, "epmd", NULL, NULL, argv, environ) == 0)
        waitpid(pid, NULL, 0);
    for (int i = 0; i < 100; i++) {
        if (epmd_answers())
            return 0;
        nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
    return -1;
}
