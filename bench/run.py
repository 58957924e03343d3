#!/usr/bin/env python3
"""bench/run.py -- cerl against BEAM, side by side (GitHub issue 7).

Runs each benchmark in a fresh cerl (a script of shell commands piped into
./cerl) and a fresh `erl +S 1 -noshell`, several times, reads the
"@@ key value" lines the benchmark modules print, and writes one line per
figure plus bench/RESULTS.md.

    python3 bench/run.py [--reps N] [--quick] [--cerl PATH] [--out FILE]

--quick uses small sizes and 2 repetitions (a smoke test of the harness).
"""
import argparse
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIGURE = re.compile(r"@@ (\S+) (\S+)")

# Sizes the issue asks for, and the size used instead when cerl cannot run
# one (see "Runtime limits found" in RESULTS.md).
FALLBACK_N = 30000


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------ runners

class Runner:
    def __init__(self, cerl, workdir, timeout):
        self.cerl = cerl
        self.cdir = os.path.join(workdir, "c")
        self.edir = os.path.join(workdir, "erl")
        self.timeout = timeout
        os.makedirs(self.cdir)
        os.makedirs(self.edir)
        for f in os.listdir(os.path.join(HERE, "c")):
            shutil.copy(os.path.join(HERE, "c", f), self.cdir)
        shutil.copy(os.path.join(ROOT, "examples", "t.c"), self.cdir)
        erls = [os.path.join(HERE, "erl", f) for f in sorted(os.listdir(os.path.join(HERE, "erl")))
                if f.endswith(".erl")]
        subprocess.run(["erlc", "-o", self.edir] + erls, check=True)
        shutil.copy(os.path.join(HERE, "erl", "t.erl"), self.edir)
        for f in os.listdir(os.path.join(HERE, "erl")):
            if f.endswith(".hrl"):
                shutil.copy(os.path.join(HERE, "erl", f), self.edir)

    @staticmethod
    def parse(text):
        figures = {}
        for m in FIGURE.finditer(text):
            try:
                figures.setdefault(m.group(1), []).append(float(m.group(2)))
            except ValueError:
                pass
        return figures

    def cerl_run(self, modules, lines):
        """Compiles 'modules' and runs the shell 'lines' in a fresh cerl.
        Returns (figures, problem): problem is None or what went wrong."""
        script = "".join("c(%s).\n" % m for m in modules) + "".join(l + "\n" for l in lines)
        try:
            p = subprocess.run([self.cerl], input=script, cwd=self.cdir, text=True,
                               capture_output=True, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return {}, "timed out after %ds" % self.timeout
        problem = None
        if p.returncode != 0:
            err = (p.stderr.strip() or p.stdout.strip()[-300:]).splitlines()
            problem = "exit status %d: %s" % (p.returncode, err[-1] if err else "")
        elif "** exception" in p.stdout:
            problem = p.stdout[p.stdout.index("** exception"):].splitlines()[0]
        return self.parse(p.stdout), problem

    def beam_run(self, expr, big=False):
        args = ["erl", "+S", "1", "-noshell", "-pa", self.edir]
        if big:
            args += ["+P", "4000000"]
        args += ["-eval", expr, "-s", "init", "stop"]
        try:
            p = subprocess.run(args, cwd=self.edir, text=True, capture_output=True, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return {}, "timed out after %ds" % self.timeout
        problem = None if p.returncode == 0 else "exit status %d: %s" % (p.returncode, p.stderr.strip()[-300:])
        if "error" in p.stdout and "@@" not in p.stdout:
            problem = p.stdout.strip()[-300:]
        return self.parse(p.stdout), problem


# ------------------------------------------------------------ cases

class Case:
    """One benchmark: how to run it once on each side, which figures it
    prints, and what to run instead when cerl cannot (fallback)."""

    def __init__(self, name, keys, cerl_mods, cerl_lines, beam_expr, big=False, fallback=None):
        self.name, self.keys = name, keys
        self.cerl_mods, self.cerl_lines = cerl_mods, cerl_lines
        self.beam_expr, self.big, self.fallback = beam_expr, big, fallback


def spawn_case(n):
    return Case("spawn %d" % n, ["spawn_us_%d" % n, "spawn_bytes_%d" % n, "kill_us_%d" % n],
                ["b_spawn"], ["b_spawn:run(%d)." % n], "b_spawn:run(%d)" % n, big=True,
                fallback=(lambda: spawn_case(FALLBACK_N)) if n > FALLBACK_N else None)


def ring_case(n, m):
    return Case("ring %dx%d" % (n, m), ["ring_ns_%dx%d" % (n, m)],
                ["b_ring"], ["b_ring:run(%d, %d)." % (n, m)], "b_ring:run(%d, %d)" % (n, m), big=True,
                fallback=(lambda: ring_case(FALLBACK_N, n * m // FALLBACK_N)) if n > FALLBACK_N else None)


def purge_case(n):
    lines = ["b_purge:start(%d)." % n, "l(b_purge).",
             "T0 = b_clock:ns(), l(b_purge), b_purge:wait_down(%d), b_clock:lap(purge_ms_%d, T0)." % (n, n)]
    return Case("purge %d" % n, ["purge_ms_%d" % n], ["b_clock", "b_purge"], lines,
                "b_code:purge(%d)" % n, big=True,
                fallback=(lambda: purge_case(FALLBACK_N)) if n > FALLBACK_N else None)


def code_case(reps):
    lines = []
    for cmd in ("c", "l"):
        for _ in range(reps):
            lines += ["T0 = b_clock:ns(), %s(t), b_clock:lap(%s_t_ms, T0)." % (cmd, cmd), "f(T0)."]
    return Case("c(t) and l(t)", ["c_t_ms", "l_t_ms"], ["b_clock"], lines,
                "b_code:c_t(%d), b_code:l_t(%d)" % (reps, reps))


def lists_fun_case(n):
    """lists:map and lists:foldl over n integers: on cerl with funs of C
    functions (fun b_lists_fun:inc/1), on BEAM with Erlang funs."""
    return Case("lists map/foldl %s" % ("1M" if n == 1000000 else n), ["lists_map_ms", "lists_foldl_ms"],
                ["b_lists_fun"], ["b_lists_fun:run(%d, fun b_lists_fun:inc/1, fun b_lists_fun:add/2)." % n],
                "b_lists_fun:run(%d)" % n)


def all_cases(quick):
    if quick:
        return [spawn_case(1000), ring_case(100, 100), Case("ping-pong", ["pingpong_ns"], ["b_pingpong"],
                ["b_pingpong:run(10000)."], "b_pingpong:run(10000)"),
                Case("calls", ["call_local_ns", "call_remote_ns"], ["b_call"], ["b_call:run(1000000)."],
                     "b_call:run(1000000)"),
                code_case(3), purge_case(1000),
                Case("receive", ["recv_msgs_per_s", "recv_heap_bytes"], ["b_recv"], ["b_recv:run(10000)."],
                     "b_recv:run(10000)"),
                Case("factorial of 200", ["fact_us"], ["b_bignum"], ["b_bignum:run(200, 10)."],
                     "b_bignum:run(200, 10)"),
                Case("map of 10k keys", ["map_put_ns", "map_get_ns"], ["b_map"], ["b_map:run(10000)."],
                     "b_map:run(10000)"),
                Case("1 MB binary", ["binary_send_us"], ["b_binary"], ["b_binary:run(1048576, 10)."],
                     "b_binary:run(1048576, 10)"),
                Case("lists 10k", ["lists_sort_ms", "lists_reverse_ms"], ["b_lists"], ["b_lists:run(10000)."],
                     "b_lists:run(10000)"),
                lists_fun_case(10000)]
    return [spawn_case(10000), spawn_case(100000), spawn_case(1000000),
            ring_case(1000, 1000), ring_case(100000, 10),
            Case("ping-pong", ["pingpong_ns"], ["b_pingpong"], ["b_pingpong:run(1000000)."],
                 "b_pingpong:run(1000000)"),
            Case("calls", ["call_local_ns", "call_remote_ns"], ["b_call"], ["b_call:run(100000000)."],
                 "b_call:run(100000000)"),
            code_case(20),
            purge_case(10000), purge_case(100000),
            Case("receive 1M", ["recv_msgs_per_s", "recv_heap_bytes"], ["b_recv"], ["b_recv:run(1000000)."],
                 "b_recv:run(1000000)"),
            Case("factorial of 2000", ["fact_us"], ["b_bignum"], ["b_bignum:run(2000, 50)."],
                 "b_bignum:run(2000, 50)"),
            Case("map of 1M keys", ["map_put_ns", "map_get_ns"], ["b_map"], ["b_map:run(1000000)."],
                 "b_map:run(1000000)"),
            Case("1 MB binary", ["binary_send_us"], ["b_binary"], ["b_binary:run(1048576, 200)."],
                 "b_binary:run(1048576, 200)"),
            Case("lists 1M", ["lists_sort_ms", "lists_reverse_ms"], ["b_lists"], ["b_lists:run(1000000)."],
                 "b_lists:run(1000000)"),
            lists_fun_case(1000000)]


# ------------------------------------------------------------ figures

UNITS = {"spawn_us": "µs/spawn", "spawn_bytes": "bytes/process", "kill_us": "µs/kill",
         "ring_ns": "ns/hop", "pingpong_ns": "ns/round trip", "call_local_ns": "ns/call",
         "call_remote_ns": "ns/call", "c_t_ms": "ms", "l_t_ms": "ms", "purge_ms": "ms",
         "recv_msgs_per_s": "msgs/s", "recv_heap_bytes": "bytes", "fact_us": "µs/factorial",
         "map_put_ns": "ns/put", "map_get_ns": "ns/get", "binary_send_us": "µs/round trip",
         "lists_sort_ms": "ms", "lists_reverse_ms": "ms", "lists_map_ms": "ms", "lists_foldl_ms": "ms"}


def unit_of(key):
    for prefix, u in UNITS.items():
        if key.startswith(prefix):
            return u
    return ""


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 1e6:
        return "%.2fM" % (v / 1e6)
    if abs(v) >= 100:
        return "%.0f" % v
    if abs(v) >= 10:
        return "%.1f" % v
    return "%.3g" % v


class Results:
    def __init__(self):
        self.values = {}   # key -> {"cerl": [..], "beam": [..]}
        self.problems = []  # (case, side, text)
        self.order = []
        self.ran = set()    # names of the cases run

    def add(self, side, figures, keys):
        for k in keys:
            if k not in self.order:
                self.order.append(k)
            self.values.setdefault(k, {"cerl": [], "beam": []})[side] += figures.get(k, [])

    def med(self, key, side):
        v = self.values.get(key, {}).get(side, [])
        return statistics.median(v) if v else None

    def span(self, key, side):
        v = self.values.get(key, {}).get(side, [])
        return (min(v), max(v)) if v else None

    def ratio(self, key):
        c, b = self.med(key, "cerl"), self.med(key, "beam")
        return b / c if c and b else None


def run_case(runner, res, case, reps):
    res.ran.add(case.name)
    cerl_failed = None
    for _ in range(reps):
        figs, problem = runner.cerl_run(case.cerl_mods, case.cerl_lines)
        missing = [k for k in case.keys if k not in figs]
        if problem or missing:
            cerl_failed = problem or "no figure printed for %s" % ", ".join(missing)
            res.problems.append((case.name, "cerl", cerl_failed))
            log("  cerl  %-16s FAILED: %s" % (case.name, cerl_failed))
            res.add("cerl", figs, case.keys)
            break
        res.add("cerl", figs, case.keys)
        log("  cerl  %-16s %s" % (case.name, " ".join("%s=%s" % (k, fmt(statistics.median(figs[k])))
                                                      for k in case.keys)))
    for _ in range(reps):
        figs, problem = runner.beam_run(case.beam_expr, case.big)
        if problem:
            res.problems.append((case.name, "beam", problem))
            log("  beam  %-16s FAILED: %s" % (case.name, problem))
            break
        res.add("beam", figs, case.keys)
        log("  beam  %-16s %s" % (case.name, " ".join("%s=%s" % (k, fmt(statistics.median(figs.get(k, [0]))))
                                                      for k in case.keys)))
    if cerl_failed and case.fallback:
        fb = case.fallback()
        if fb.name in res.ran:
            return
        log("  cerl could not run %s; running %s on both instead" % (case.name, fb.name))
        run_case(runner, res, fb, reps)


# ------------------------------------------------------------ targets

def targets(res):
    """(target, figure, verdict) rows; verdict is 'met', 'missed' or 'n/a'."""
    rows = []

    def faster(label, key, factor):
        r = res.ratio(key)
        if r is None and res.med(key, "cerl") is None and res.med(key, "beam") is not None:
            rows.append((label, key, "missed", "cerl failed at this size (see Runs that failed)"))
        elif r is None:
            rows.append((label, key, "n/a", "no figure"))
        else:
            rows.append((label, key, "met" if r >= factor else "missed",
                         "%.2f× faster" % r if r >= 1 else "%.2f× slower" % (1 / r)))

    faster("ring hop ≥10× faster (1000×1000)", "ring_ns_1000x1000", 10)
    for k in res.order:
        if k.startswith("ring_ns_") and k != "ring_ns_1000x1000":
            faster("ring hop ≥10× faster (%s)" % k[8:], k, 10)
    faster("ping-pong ≥10× faster", "pingpong_ns", 10)
    for k in res.order:
        if k.startswith("spawn_us_"):
            faster("spawn ≥3× faster (N=%s)" % k[9:], k, 3)
    big = [k for k in res.order if k.startswith("spawn_bytes_") and res.med(k, "cerl") is not None]
    want = "spawn_bytes_1000000"
    b = res.med(want, "cerl")
    if b is not None:
        rows.append(("1M processes alive, < 4.5 KB each", want, "met" if b < 4608 else "missed",
                     "%.0f B (%.2f KiB)" % (b, b / 1024)))
    else:
        alt = big[-1] if big else None
        note = "cerl cannot hold 1M processes"
        if alt:
            note += "; at N=%s: %.0f B (%.2f KiB) each" % (alt[12:], res.med(alt, "cerl"),
                                                          res.med(alt, "cerl") / 1024)
        rows.append(("1M processes alive, < 4.5 KB each", want, "missed", note))
    lc, rc = res.med("call_local_ns", "cerl"), res.med("call_remote_ns", "cerl")
    if lc is not None and rc is not None:
        rows.append(("external call within 1.5 ns of local", "call_remote_ns - call_local_ns",
                     "met" if rc - lc <= 1.5 else "missed", "%+.2f ns" % (rc - lc)))
    faster("c(t) ≥3× faster", "c_t_ms", 3)
    l = res.med("l_t_ms", "cerl")
    rows.append(("l(t) under 0.5 ms", "l_t_ms", "n/a" if l is None else "met" if l < 0.5 else "missed",
                 "-" if l is None else "%.3f ms" % l))
    if res.med("purge_ms_100000", "cerl") is not None:
        faster("purge of 100k old-code processes ≥3× faster", "purge_ms_100000", 3)
    else:
        k = "purge_ms_%d" % FALLBACK_N
        r = res.ratio(k)
        rows.append(("purge of 100k old-code processes ≥3× faster", "purge_ms_100000", "missed",
                     "cerl cannot hold 100k processes" + ("; at N=%d: BEAM/cerl = %.2f" % (FALLBACK_N, r) if r else "")))
    return rows


# ------------------------------------------------------------ report

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, text=True, capture_output=True).stdout.strip()
    except OSError:
        return "?"


def machine():
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": sh("nproc"),
        "model": model,
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "kernel": sh("uname -sr"),
        "otp": sh("erl -noshell -eval 'io:format(\"~s ~s\", [erlang:system_info(otp_release), "
                  "erlang:system_info(emu_flavor)])' -s init stop"),
        "commit": sh("git -C %s describe --always --dirty" % ROOT),
        "tcc": sh("tcc -v"),
        "max_map_count": sh("cat /proc/sys/vm/max_map_count"),
    }


def write_results(path, res, mach, load0, load1, reps, elapsed):
    out = []
    w = out.append
    w("# cerl against BEAM, measured side by side\n")
    w("Generated by `make bench` (bench/run.py); the analysis sections at the end come from "
      "bench/analysis.md.\n")
    w("| | |\n|---|---|")
    w("| machine | %s cores (`nproc`), %s |" % (mach["nproc"], mach["model"]))
    w("| date | %s |" % mach["date"])
    w("| kernel | %s, vm.max_map_count = %s |" % (mach["kernel"], mach["max_map_count"]))
    w("| cerl | %s, modules compiled by %s |" % (mach["commit"], mach["tcc"]))
    w("| BEAM | OTP %s, `erl +S 1 -noshell` (+P 4000000 where many processes) |" % mach["otp"])
    w("| repetitions | %d fresh runs per figure (c(t)/l(t): 20 per run, so %d samples); medians, min–max |"
      % (reps, 20 * reps))
    w("| load average | %s at start, %s at end (the machine is shared: figures are noisy) |" % (load0, load1))
    w("| total time | %.0f s |\n" % elapsed)
    w("## Figures\n")
    w("ratio = BEAM / cerl: above 1 means cerl is faster (smaller), except for msgs/s where above 1 "
      "means BEAM receives more per second.\n")
    w("| figure | unit | cerl median | cerl min–max | BEAM median | BEAM min–max | ratio |")
    w("|---|---|---:|---:|---:|---:|---:|")
    for k in res.order:
        cs, bs = res.span(k, "cerl"), res.span(k, "beam")
        r = res.ratio(k)
        w("| %s | %s | %s | %s | %s | %s | %s |" % (
            k, unit_of(k), fmt(res.med(k, "cerl")) if cs else "**failed**",
            "%s–%s" % (fmt(cs[0]), fmt(cs[1])) if cs else "-",
            fmt(res.med(k, "beam")), "%s–%s" % (fmt(bs[0]), fmt(bs[1])) if bs else "-",
            "%.2f" % r if r else "-"))
    w("\n## Targets of the issue\n")
    w("| target | figure | verdict | measured |\n|---|---|---|---|")
    for label, key, verdict, note in targets(res):
        w("| %s | %s | **%s** | %s |" % (label, key, verdict, note))
    if res.problems:
        w("\n## Runs that failed\n")
        for case, side, text in res.problems:
            w("- %s, %s: `%s`" % (case, side, text.replace("`", "'")))
    analysis = os.path.join(HERE, "analysis.md")
    if os.path.exists(analysis):
        w("")
        w(open(analysis).read().rstrip())
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", "5")))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--cerl", default=os.path.join(ROOT, "cerl"))
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS.md"))
    ap.add_argument("--timeout", type=int, default=240)
    args = ap.parse_args()
    if args.quick:
        args.reps = 2
    start = time.time()
    load0 = open("/proc/loadavg").read().split()[0]
    res = Results()
    with tempfile.TemporaryDirectory(prefix="cerl-bench-") as tmp:
        runner = Runner(os.path.abspath(args.cerl), tmp, args.timeout)
        for case in all_cases(args.quick):
            log("%s (%d reps)" % (case.name, args.reps))
            run_case(runner, res, case, args.reps)
    load1 = open("/proc/loadavg").read().split()[0]
    elapsed = time.time() - start
    for k in res.order:
        r = res.ratio(k)
        c = res.med(k, "cerl")
        print("%s: cerl=%s beam=%s ratio=%s" % (k, fmt(c) if c is not None else "FAILED",
                                                  fmt(res.med(k, "beam")), "%.2f" % r if r else "-"))
    write_results(args.out, res, machine(), load0, load1, args.reps, elapsed)
    print("wrote %s (%.0f s)" % (os.path.relpath(args.out), elapsed))


if __name__ == "__main__":
    main()
