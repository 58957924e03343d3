#!/usr/bin/env python3
"""bench/dist/run.py -- message round trips across a real Erlang cluster:
cerl <-> BEAM next to BEAM <-> BEAM, measured in the same run.

An echo process on a BEAM node e1; first a BEAM node e2, then cerl (module
dist_rt), each make N round trips to it ({self(), I} out, the echo back).
An epmd of its own on the loopback; everything it starts, it ends.

    python3 bench/dist/run.py [--cerl PATH] [-n N]
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = socket.gethostname().split(".")[0]
FIGURE = re.compile(r"@@ (\S+) (\S+)")
ECHO = ('register(echo, spawn(fun L() -> receive {P, M} -> P ! M, L() end end)), '
        'receive after infinity -> ok end.')
BEAM_RT = ('{T, _} = timer:tc(fun() -> lists:foreach(fun(I) -> {echo, %s} ! {self(), I}, '
           'receive _ -> ok end end, lists:seq(1, %d)) end), '
           'io:format("@@ beam_beam_rt_us ~.2f~n", [T / %d]), halt().')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cerl", default=os.path.join(HERE, "..", "..", "cerl"))
    ap.add_argument("-n", type=int, default=10000)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="cerl-dist-bench-")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, ERL_EPMD_PORT=str(port), ERL_EPMD_ADDRESS="127.0.0.1", HOME=work)
    common = ["-setcookie", "bench", "-noshell", "-kernel", "inet_dist_use_interface", "{127,0,0,1}"]
    e1 = subprocess.Popen(["erl", "-sname", "e1", *common, "-eval", ECHO], env=env, cwd=work,
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    figures = {}
    try:
        time.sleep(2)
        node = "e1@" + HOST
        out = subprocess.run(["erl", "-sname", "e2", *common, "-eval", BEAM_RT % (node, a.n, a.n)],
                             env=env, cwd=work, capture_output=True, text=True, timeout=300).stdout
        figures.update(FIGURE.findall(out))
        shutil.copy(os.path.join(HERE, "dist_rt.c"), work)
        script = "c(dist_rt).\ndist_rt:run(echo, %s, %d).\n" % (node, a.n)
        out = subprocess.run([os.path.abspath(a.cerl), "-sname", "c1", "-setcookie", "bench"],
                             input=script, cwd=work, env=env, capture_output=True, text=True,
                             timeout=300).stdout
        figures.update(FIGURE.findall(out))
    finally:
        e1.kill()
        e1.wait()
        for _ in range(50):
            r = subprocess.run(["epmd", "-kill"], env=env, capture_output=True, text=True)
            if "Killed" in r.stdout or "Cannot connect" in r.stdout + r.stderr:
                break
            time.sleep(0.2)
        shutil.rmtree(work, ignore_errors=True)
    bb, cb = figures.get("beam_beam_rt_us"), figures.get("cerl_beam_rt_us")
    print("round trip, %d messages, mean:  BEAM<->BEAM %s us   cerl<->BEAM %s us" % (a.n, bb, cb))
    return 0 if bb and cb else 1


if __name__ == "__main__":
    sys.exit(main())
