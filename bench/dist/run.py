#!/usr/bin/env python3
"""bench/dist/run.py -- messages across a real Erlang cluster: cerl <-> BEAM
next to BEAM <-> BEAM, measured in the same run.

A BEAM node e1 (erl +S 1) holds an echo process and a sink. Each round
starts a fresh BEAM node e2 (erl +S 1) and a fresh cerl (module dist_rt),
one after the other, and each of them times
  - round trips: N times {self(), I} to the echo, waiting for its answer;
  - messages per second: a one-way stream of M messages to the sink, which
    answers once when it has them all.
The rounds interleave the two; the medians are printed, with the ratio
BEAM / cerl for latency and cerl / BEAM for throughput (above 1: cerl is
faster). An epmd of its own on the loopback; everything it starts, it ends.

    python3 bench/dist/run.py [--cerl PATH] [-n N] [-m M] [--rounds R]
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = socket.gethostname().split(".")[0]
FIGURE = re.compile(r"@@ (\S+) (\S+)")
SERVE = ('register(echo, spawn(fun L() -> receive {P, M} -> P ! M, L() end end)), '
         'register(sink, spawn(fun S() -> receive {start, P, N} -> '
         '(fun C(0) -> P ! done; C(K) -> receive {msg, _} -> C(K - 1) end end)(N), S() end end)), '
         'io:format("ready~n"), receive after infinity -> ok end.')
BEAM = ('Node = %(node)s, {echo, Node} ! {self(), warm}, receive warm -> ok end, '
        '{T, _} = timer:tc(fun() -> lists:foreach(fun(I) -> {echo, Node} ! {self(), I}, '
        'receive _ -> ok end end, lists:seq(1, %(n)d)) end), '
        'io:format("@@ beam_beam_rt_us ~.2f~n", [T / %(n)d]), '
        '{T2, _} = timer:tc(fun() -> {sink, Node} ! {start, self(), %(m)d}, '
        'lists:foreach(fun(I) -> {sink, Node} ! {msg, I} end, lists:seq(1, %(m)d)), '
        'receive done -> ok end end), '
        'io:format("@@ beam_beam_msgs_per_s ~b~n", [round(%(m)d / (T2 / 1.0e6))]), halt().')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cerl", default=os.path.join(HERE, "..", "..", "cerl"))
    ap.add_argument("-n", type=int, default=10000, help="round trips per run")
    ap.add_argument("-m", type=int, default=100000, help="messages per stream")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="cerl-dist-bench-")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, ERL_EPMD_PORT=str(port), ERL_EPMD_ADDRESS="127.0.0.1", HOME=work)
    common = ["+S", "1", "-setcookie", "bench", "-noshell", "-kernel", "inet_dist_use_interface", "{127,0,0,1}"]
    e1 = subprocess.Popen(["erl", "-sname", "e1", *common, "-eval", SERVE], env=env, cwd=work,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    runs = {}
    try:
        if "ready" not in e1.stdout.readline():
            raise SystemExit("e1 did not start")
        node = "e1@" + HOST
        shutil.copy(os.path.join(HERE, "dist_rt.c"), work)
        script = "c(dist_rt).\ndist_rt:run(echo, %s, %d).\ndist_rt:stream(sink, %s, %d).\n" % (
            node, a.n, node, a.m)
        for r in range(a.rounds):
            out = subprocess.run(["erl", "-sname", "e2_%d" % r, *common, "-eval",
                                  BEAM % {"node": node, "n": a.n, "m": a.m}],
                                 env=env, cwd=work, capture_output=True, text=True, timeout=600).stdout
            out += subprocess.run([os.path.abspath(a.cerl), "-sname", "c1_%d" % r, "-setcookie", "bench"],
                                  input=script, cwd=work, env=env, capture_output=True, text=True,
                                  timeout=600).stdout
            for k, v in FIGURE.findall(out):
                runs.setdefault(k, []).append(float(v))
            print("round %d: %s" % (r + 1, "  ".join("%s %s" % kv for kv in FIGURE.findall(out))), flush=True)
    finally:
        e1.kill()
        e1.wait()
        for _ in range(50):
            r = subprocess.run(["epmd", "-kill"], env=env, capture_output=True, text=True)
            if "Killed" in r.stdout or "Cannot connect" in r.stdout + r.stderr:
                break
            time.sleep(0.2)
        shutil.rmtree(work, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in runs.items()}
    bb, cb = med.get("beam_beam_rt_us"), med.get("cerl_beam_rt_us")
    bt, ct = med.get("beam_beam_msgs_per_s"), med.get("cerl_beam_msgs_per_s")
    if not (bb and cb and bt and ct):
        print("dist bench: figures missing: %r" % runs)
        return 1
    print("round trip, %d messages, median of %d:  BEAM<->BEAM %.1f us   cerl<->BEAM %.1f us   "
          "BEAM/cerl %.2f" % (a.n, a.rounds, bb, cb, bb / cb))
    print("one-way stream, %d messages, median of %d:  BEAM->BEAM %.0f msg/s   cerl->BEAM %.0f msg/s   "
          "cerl/BEAM %.2f" % (a.m, a.rounds, bt, ct, ct / bt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
