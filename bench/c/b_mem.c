/*
** b_mem.c
** Memory per process, VmRSS + VmPTE counted on both sides: a chain of N
** processes (each knows only the next; the driver keeps no pid table that
** would count) waiting in receive.
**   idle: bytes per idle process; with K > 0 the chain then stands by while
**     l(t) runs K times, each with an old t to purge (the first l(t) apart
**     from the later ones);
**   message: bytes per idle process, then a small message {token, Hops}
**     goes down the chain (checking every process forwards it once) and
**     the bytes per process are read again;
**   hibernate: every process calls erlang:hibernate(b_mem, wake, [Next])
**     through the export table; bytes per hibernated process. A probe
**     first checks one such process wakes in wake/1 on a message.
*/
#include "bench.h"

MODULE(b_mem);
EXPORT(run/3, wake/1);

static Term idle(void)
{
    for (;;)
        erl_receive();
}

/* wake(Next): forwards the token with one more hop, then waits forever. */
Term wake(Term Next)
{
    Term Msg = erl_receive();
    erl_send(Next, erl_tuple(ATOM(token), erl_mk_int(erl_int_value(erl_element(Msg, 2)) + 1)));
    return idle();
}

static Term hibernating(Term Next)
{
    return erl_call(erlang, hibernate, ATOM(b_mem), ATOM(wake), erl_list(Next));
}

/* Sends the token down the chain from Head; returns the hops counted. */
static long token(Term Head)
{
    erl_send(Head, erl_tuple(ATOM(token), erl_mk_int(0)));
    Term Msg = erl_receive();
    return erl_int_value(erl_element(Msg, 2));
}

static int is_token_or_down(Term Msg, void *ctx)
{
    (void)ctx;
    return erl_is_tuple(Msg) && (erl_element(Msg, 1) == ATOM(token) || erl_element(Msg, 1) == ATOM(DOWN));
}

/* Whether erlang:hibernate/3 works here: one process hibernates and must
** wake in wake/1 on the token. Otherwise reports the figure as missing. */
static int hibernate_works(const char *key)
{
    Term PidRef = erl_spawn_monitor(hibernating, erl_self());
    erl_send(erl_element(PidRef, 1), erl_tuple(ATOM(token), erl_mk_int(0)));
    Term Msg = erl_receive_match(is_token_or_down, NULL, 10000);
    if (Msg != ERL_NONE && erl_element(Msg, 1) == ATOM(token)) {
        erl_demonitor_flush(erl_element(PidRef, 2));
        erl_exit2(erl_element(PidRef, 1), ATOM(kill));
        while (erl_is_process_alive(erl_element(PidRef, 1)) == ATOM(true))
            erl_yield();
        return 1;
    }
    char why[200] = "erlang:hibernate/3 did not wake in wake/1 within 10 s";
    if (Msg != ERL_NONE) {
        Term Reason = erl_element(Msg, 5);
        if (erl_is_tuple(Reason) && erl_tuple_size(Reason) > 0)
            Reason = erl_element(Reason, 1);
        snprintf(why, sizeof why, "erlang:hibernate/3 called from C through the export table ended the process: %s",
                 erl_is_atom(Reason) ? erl_atom_name(Reason) : "(not an atom)");
    }
    bench_missing(key, why);
    return 0;
}

/* l(t) k times with the chain standing by: prints the first and the
** median of the later ones. */
static void bystanders(long n, long k)
{
    double ms[64];
    if (k < 2 || k > 64)
        erl_error(ATOM(badarg));
    erl_call(code, ensure_loaded, ATOM(t));
    bench_reload(ATOM(t)); /* t has an old version now: every l(t) below purges one */
    for (long i = 0; i < k; i++)
        ms[i] = bench_reload(ATOM(t));
    bench_reportf(ms[0], "l_bystanders_first_ms_%ld", n);
    bench_reportf(bench_median(ms + 1, k - 1), "l_bystanders_ms_%ld", n);
}

static Term driver(Term N, Term Mode, Term K)
{
    long n = erl_int_value(N);
    int hib = Mode == ATOM(hibernate);
    char key[64];
    snprintf(key, sizeof key, "mem_%s_bytes_%ld", hib ? "hib" : "idle", n);
    if (hib && !hibernate_works(key))
        return ATOM(ok);
    long base = bench_process_count();
    int64_t m0 = bench_mem();
    Term Head = erl_self(), Last = ERL_NONE;
    for (long i = 0; i < n; i++) {
        Head = hib ? erl_spawn(hibernating, Head) : erl_spawn(wake, Head);
        if (i == 0)
            Last = Head;
    }
    bench_wait_waiting(Head);
    int64_t m1 = bench_mem();
    long alive = bench_process_count() - base;
    if (alive != n) {
        bench_error("b_mem: %ld processes alive of the %ld spawned", alive, n);
        return ATOM(ok);
    }
    bench_report(key, (double)(m1 - m0) / (double)n);
    if (Mode == ATOM(message)) {
        long hops = token(Head);
        bench_wait_waiting(Last);
        int64_t m2 = bench_mem();
        if (hops != n) {
            bench_error("b_mem: the token made %ld hops through a chain of %ld", hops, n);
            return ATOM(ok);
        }
        bench_reportf((double)(m2 - m0) / (double)n, "mem_msg_bytes_%ld", n);
    }
    if (Mode == ATOM(idle) && erl_int_value(K) > 0)
        bystanders(n, erl_int_value(K));
    return ATOM(ok);
}

/* run(N, idle | message | hibernate, K) -> ok. Prints mem_idle_bytes_<N>
** (idle, message), mem_msg_bytes_<N> (message), mem_hib_bytes_<N>
** (hibernate); with K > 0 (2..64, idle) also l_bystanders_first_ms_<N>
** and l_bystanders_ms_<N> (the median of the K - 1 later ones). The
** processes stay alive. */
Term run(Term N, Term Mode, Term K)
{
    return bench_drive(driver, N, Mode, K);
}
