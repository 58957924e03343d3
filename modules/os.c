/*
** os.c
** The os module: the operating system's environment, clocks and shell, as
** OTP's os. Environment variables and commands are strings (lists of
** characters); os:cmd runs /bin/sh and reads its output while the other
** processes run on.
*/
#include <cerl.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

MODULE(os);
EXPORT(cmd/1, env/0, find_executable/1, find_executable/2, getenv/0, getenv/1, getenv/2,
       putenv/2, unsetenv/1, getpid/0, type/0, version/0, timestamp/0, system_time/0,
       system_time/1, perf_counter/0, perf_counter/1);

/* From stdlib.h, which would also declare libc's putenv and unsetenv: this
** module's own putenv/2 and unsetenv/1 take those names. */
char *getenv(const char *name);
int setenv(const char *name, const char *value, int overwrite);
/* ...and from unistd.h, which would declare libc's getpid */
int access(const char *path, int mode);
long read(int fd, void *buf, unsigned long n);
void *dlsym(void *handle, const char *name);
/* libc's getpid under its other name: getpid/0 is this module's own. */
int __getpid(void);

/* ------------------------------------------------------------ helpers */

/* libc's environ: data beyond the reach of a module's 32-bit relative
** addressing, so its address is asked of the dynamic linker. */
static char **environment(void)
{
    return *(char ***)dlsym(0 /* RTLD_DEFAULT */, "environ");
}

/* The characters of a string (or, when 'atom_ok', of an atom's name) as a
** NUL-terminated C string in buf; returns 0 when S is neither or does not
** fit. */
static int c_string(Term S, int atom_ok, char *buf, unsigned long size)
{
    if (erl_is_atom(S) && atom_ok) {
        const char *name = erl_atom_name(S);
        unsigned long i = 0;
        for (; name[i] && i + 1 < size; i++)
            buf[i] = name[i];
        buf[i] = '\0';
        return name[i] == '\0';
    }
    unsigned long n = 0;
    for (; erl_is_cons(S); S = erl_tl(S)) {
        Term C = erl_hd(S);
        if (!erl_is_int(C) || erl_int_value(C) < 1 || erl_int_value(C) > 255 || n + 1 >= size)
            return 0;
        buf[n++] = (char)erl_int_value(C);
    }
    buf[n] = '\0';
    return S == ERL_NIL;
}

/* Nanoseconds on the clock 'id' (CLOCK_REALTIME, CLOCK_MONOTONIC). */
static Term clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return erl_add(erl_mul(erl_mk_int(ts.tv_sec), erl_mk_int(1000000000)), erl_mk_int(ts.tv_nsec));
}

/* The parts per second of a time unit, or 0 for none. */
static long per_second(Term Unit)
{
    long n;
    if (Unit == ATOM(second) || Unit == ATOM(seconds))
        return 1;
    if (Unit == ATOM(millisecond) || Unit == ATOM(milli_seconds))
        return 1000;
    if (Unit == ATOM(microsecond) || Unit == ATOM(micro_seconds))
        return 1000000;
    if (Unit == ATOM(nanosecond) || Unit == ATOM(nano_seconds) || Unit == ATOM(native) ||
        Unit == ATOM(perf_counter))
        return 1000000000;
    if (erl_get_long(Unit, &n) && n > 0)
        return n;
    return 0;
}

/* Nanoseconds Ns in Unit, rounded down as erlang:convert_time_unit does. */
static Term in_unit(Term Ns, long per)
{
    return erl_div(erl_mul(Ns, erl_mk_int(per)), erl_mk_int(1000000000));
}

/* -------------------------------------------------------------- shell */

/* cmd(Command): the output of /bin/sh -c Command, as a string. While the
** command has nothing to say, the calling process sleeps a millisecond at a
** time and the others run. */
Term cmd(Term Command)
{
    char line[32768];
    if (!c_string(Command, 1, line, sizeof line))
        erl_error_args(ATOM(badarg), "argument 1: not a list of characters", Command);
    FILE *out = popen(line, "r");
    if (!out)
        return ERL_NIL;
    int fd = fileno(out);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    Term Rev = ERL_NIL;
    for (;;) {
        unsigned char buf[4096];
        long n = read(fd, buf, sizeof buf);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
            break;
        if (n < 0)
            erl_sleep(1);
        for (long i = 0; i < n; i++)
            Rev = erl_cons(erl_mk_int(buf[i]), Rev);
    }
    pclose(out);
    return erl_call(lists, reverse, Rev);
}

/* -------------------------------------------------------- environment */

/* getenv() -> ["VAR=Value", ...]. */
Term getenv_0(void)
{
    Term Vars = ERL_NIL;
    for (char **e = environment(); *e; e++)
        Vars = erl_cons(erl_mk_string(*e), Vars);
    return erl_call(lists, reverse, Vars);
}

/* getenv(VarName) -> Value | false. */
Term getenv_1(Term Name)
{
    char name[4096];
    if (!c_string(Name, 0, name, sizeof name))
        erl_error_args(ATOM(badarg), "argument 1: not a list", Name);
    const char *value = getenv(name);
    return value ? erl_mk_string(value) : ATOM(false);
}

/* getenv(VarName, Default) -> Value, or Default when it is not set. */
Term getenv_2(Term Name, Term Default)
{
    Term Value = getenv_1(Name);
    return Value == ATOM(false) ? Default : Value;
}

/* putenv(VarName, Value) -> true. */
Term putenv(Term Name, Term Value)
{
    char name[4096], value[32768];
    if (!c_string(Name, 0, name, sizeof name))
        erl_error_args(ATOM(badarg), "argument 1: not a list", Name, Value);
    if (!c_string(Value, 0, value, sizeof value))
        erl_error_args(ATOM(badarg), "argument 2: not a list", Name, Value);
    if (setenv(name, value, 1) != 0)
        erl_error_args(ATOM(badarg), 0, Name, Value);
    return ATOM(true);
}

/* unsetenv(VarName) -> true. */
Term unsetenv(Term Name)
{
    char name[4096];
    if (!c_string(Name, 0, name, sizeof name))
        erl_error_args(ATOM(badarg), "argument 1: not a list", Name);
    /* out of environ, as libc's unsetenv takes it */
    unsigned long len = 0;
    while (name[len])
        len++;
    for (char **e = environment(); *e;) {
        int same = 1;
        for (unsigned long i = 0; same && i < len; i++)
            same = (*e)[i] == name[i];
        if (same && (*e)[len] == '=') {
            for (char **m = e; *m; m++)
                m[0] = m[1];
        } else {
            e++;
        }
    }
    return ATOM(true);
}

/* env() -> [{"VAR", "Value"}, ...]. */
Term env(void)
{
    Term Vars = ERL_NIL;
    for (char **e = environment(); *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        Term Name = erl_call(lists, sublist, erl_mk_string(*e), erl_mk_int(eq - *e));
        Vars = erl_cons(erl_tuple(Name, erl_mk_string(eq + 1)), Vars);
    }
    return erl_call(lists, reverse, Vars);
}



/* Is path an executable regular file? */
static int executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, 1 /* X_OK */) == 0;
}

/* find_executable(Name, Path): the first Dir/Name of the directories of
** Path (separated by ':') that is an executable file, or false. */
Term find_executable_2(Term Name, Term Path)
{
    char name[4096], path[32768], file[8192];
    if (!c_string(Name, 0, name, sizeof name) || !c_string(Path, 0, path, sizeof path))
        erl_error_args(ATOM(badarg), 0, Name, Path);
    if (strchr(name, '/'))
        return executable(name) ? Name : ATOM(false);
    for (char *dir = path, *end; dir; dir = end ? end + 1 : 0) {
        end = strchr(dir, ':');
        int len = end ? (int)(end - dir) : (int)strlen(dir);
        snprintf(file, sizeof file, "%.*s%s%s", len, len ? dir : ".", len && dir[len - 1] == '/' ? "" : "/", name);
        if (executable(file))
            return erl_mk_string(file);
    }
    return ATOM(false);
}

/* find_executable(Name) -> find_executable(Name, os:getenv("PATH", "")). */
Term find_executable_1(Term Name)
{
    return find_executable_2(Name, getenv_2(erl_mk_string("PATH"), ERL_NIL));
}

/* version() -> {Major, Minor, Release} of the kernel. */
Term version(void)
{
    struct utsname u;
    long v[3] = {0, 0, 0};
    if (uname(&u) == 0) {
        const char *s = u.release;
        for (int i = 0; i < 3 && *s >= '0' && *s <= '9'; i++) {
            while (*s >= '0' && *s <= '9')
                v[i] = v[i] * 10 + (*s++ - '0');
            if (*s == '.')
                s++;
        }
    }
    return erl_tuple(erl_mk_int(v[0]), erl_mk_int(v[1]), erl_mk_int(v[2]));
}

/* getpid() -> the operating system's process id, as a string. */
Term getpid(void)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d", __getpid());
    return erl_mk_string(buf);
}

/* type() -> {unix, linux}. */
Term type(void)
{
    return erl_tuple(ATOM(unix), ATOM(linux));
}

/* --------------------------------------------------------------- time */

/* timestamp() -> {MegaSecs, Secs, MicroSecs} of the wall clock. */
Term timestamp(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return erl_tuple(erl_mk_int(ts.tv_sec / 1000000), erl_mk_int(ts.tv_sec % 1000000), erl_mk_int(ts.tv_nsec / 1000));
}

/* system_time(Unit): the wall clock since the Unix epoch, in Unit. */
Term system_time_1(Term Unit)
{
    long per = per_second(Unit);
    if (per == 0)
        erl_error_args(ATOM(badarg), "argument 1: invalid time unit", Unit);
    return in_unit(clock_ns(CLOCK_REALTIME), per);
}

/* system_time() -> system_time(native), in nanoseconds. */
Term system_time_0(void)
{
    return clock_ns(CLOCK_REALTIME);
}

/* perf_counter(Unit): a monotonic clock, in Unit. */
Term perf_counter_1(Term Unit)
{
    long per = per_second(Unit);
    if (per == 0)
        erl_error_args(ATOM(badarg), "argument 1: invalid time unit", Unit);
    return in_unit(clock_ns(CLOCK_MONOTONIC), per);
}

/* perf_counter() -> perf_counter(perf_counter), in nanoseconds. */
Term perf_counter_0(void)
{
    return clock_ns(CLOCK_MONOTONIC);
}
