/*
** name.c
** Who this node is: its name from -sname or -name, and its cookie from
** -setcookie or ~/.erlang.cookie, as erl finds, makes and checks them.
*/
#include "dist.h"
#include "../buf.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int dist_name_make(const char *arg, bool longnames, char *out, size_t size)
{
    const char *at = strchr(arg, '@');
    size_t alive = at ? (size_t)(at - arg) : strlen(arg);
    if (alive == 0 || alive > 255 || strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") < alive) {
        fprintf(stderr, "Invalid node name: %s\n", arg);
        return -1;
    }
    if (at) {
        if (!at[1] || (!longnames && strchr(at + 1, '.'))) {
            fprintf(stderr, "Can't set %s node name!\nHostname %s is illegal\n",
                    longnames ? "long" : "short", at + 1);
            return -1;
        }
        snprintf(out, size, "%s", arg);
        return 0;
    }
    char host[256];
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = 0;
    if (!longnames) {
        char *dot = strchr(host, '.');
        if (dot)
            *dot = 0;
    } else if (!strchr(host, '.')) {
        struct addrinfo hints = {.ai_flags = AI_CANONNAME}, *ai = NULL;
        if (getaddrinfo(host, NULL, &hints, &ai) == 0 && ai->ai_canonname && strchr(ai->ai_canonname, '.'))
            snprintf(host, sizeof host, "%s", ai->ai_canonname);
        if (ai)
            freeaddrinfo(ai);
        if (!strchr(host, '.')) {
            fprintf(stderr, "Can't set long node name!\nPlease check your configuration\n");
            return -1;
        }
    }
    snprintf(out, size, "%.*s@%s", (int)alive, arg, host);
    return 0;
}

/* A new cookie file at 'path': 20 random capitals, owner read-only, as erl
** writes it. Returns 0, or -1. */
static int cookie_create(const char *path)
{
    char c[20];
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    int rnd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    unsigned char r[20];
    if (rnd < 0 || read(rnd, r, sizeof r) != (ssize_t)sizeof r)
        for (size_t i = 0; i < sizeof r; i++)
            r[i] = (unsigned char)rand_r(&seed);
    if (rnd >= 0)
        close(rnd);
    for (size_t i = 0; i < sizeof c; i++)
        c[i] = (char)('A' + r[i] % 26);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0400);
    if (fd < 0)
        return -1;
    int ok = write(fd, c, sizeof c) == (ssize_t)sizeof c;
    close(fd);
    return ok ? 0 : -1;
}

char *dist_cookie_get(const char *given)
{
    if (given)
        return xstrdup(given);
    const char *home = getenv("HOME");
    Buf path = {0};
    buf_printf(&path, "%s/.erlang.cookie", home ? home : ".");
    char *cookie = NULL;
    struct stat st;
    if (stat(buf_str(&path), &st) != 0 && errno == ENOENT && cookie_create(buf_str(&path)) != 0) {
        fprintf(stderr, "Failed to create cookie file '%s': %s\n", buf_str(&path), strerror(errno));
        goto out_free_path;
    }
    if (stat(buf_str(&path), &st) != 0) {
        fprintf(stderr, "Failed to read cookie file '%s': %s\n", buf_str(&path), strerror(errno));
        goto out_free_path;
    }
    if (st.st_mode & 077) {
        fprintf(stderr, "Cookie file %s must be accessible by owner only\n", buf_str(&path));
        goto out_free_path;
    }
    FILE *f = fopen(buf_str(&path), "r");
    if (!f) {
        fprintf(stderr, "Failed to read cookie file '%s': %s\n", buf_str(&path), strerror(errno));
        goto out_free_path;
    }
    char line[256] = "";
    if (!fgets(line, sizeof line, f))
        line[0] = 0;
    fclose(f);
    line[strcspn(line, " \t\r\n")] = 0; /* erl reads the first word */
    cookie = xstrdup(line);
out_free_path:
    buf_free(&path);
    return cookie;
}
