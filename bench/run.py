#!/usr/bin/env python3
"""bench/run.py -- cerl against BEAM, side by side (issues 7, 12 and 15).

Every figure comes from fresh OS processes: per repetition one fresh
./cerl (a script of shell commands piped into it) and one fresh
`erl +S 1 -noshell`, the two interleaved (cerl first in odd repetitions,
BEAM first in even ones) so that both see the same machine load. The
benchmark modules (bench/c/*.c and their twins bench/erl/*.erl) time
themselves and print "@@ key value" lines; this script takes the medians,
prints a table of figures (cerl, BEAM, ratio BEAM / cerl: above 1 means
cerl is faster or smaller) and one of the issues' targets, and, on a full
run, writes bench/RESULTS.md.

    python3 bench/run.py [--quick] [--reps N] [--heavy-reps N] [--only NAME[,NAME..]] [--list]
                         [--cerl PATH] [--out FILE] [--timeout S]

--quick   small sizes, 2 repetitions: a smoke test of the harness.
--only    runs only the named cases (see --list); a name matches a case
          whose name starts with it (--only ring runs ring1k and ring100k).
--out     where to write the report; by default bench/RESULTS.md on a full
          run (no --quick, no --only), nowhere otherwise.
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
MISSING = re.compile(r"@@- (\S+) (.*)")
BENCH_ERROR = re.compile(r"BENCH-ERROR (.*)")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sz(n):
    """1000 -> 1k, 1000000 -> 1M: sizes in case names and labels."""
    if n >= 1000000 and n % 1000000 == 0:
        return "%dM" % (n // 1000000)
    if n >= 1000 and n % 1000 == 0:
        return "%dk" % (n // 1000)
    return str(n)


# ------------------------------------------------------------ runners

class Outcome:
    """What one run of one side printed: figures, figures it cannot
    produce (key -> why), and a problem (None when all went well)."""

    def __init__(self, text, problem):
        self.figures, self.missing = {}, {}
        for m in FIGURE.finditer(text):
            try:
                self.figures.setdefault(m.group(1), []).append(float(m.group(2)))
            except ValueError:
                pass
        for m in MISSING.finditer(text):
            self.missing[m.group(1)] = m.group(2).strip()
        err = BENCH_ERROR.search(text)
        self.problem = problem or (err and err.group(0))


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
        for f in os.listdir(os.path.join(HERE, "erl")):
            if f.endswith(".hrl") or f == "t.erl":
                shutil.copy(os.path.join(HERE, "erl", f), self.edir)

    def _run(self, args, cwd, stdin):
        try:
            p = subprocess.run(args, input=stdin, cwd=cwd, text=True, capture_output=True,
                               timeout=self.timeout)
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
            return Outcome(out, "timed out after %ds" % self.timeout)
        return p

    def run_cerl(self, case):
        script = "".join("c(%s).\n" % m for m in case.cerl_mods) + "".join(l + "\n" for l in case.cerl_lines)
        args = [self.cerl, "-watchdog", "0"]   # BEAM stops no long-running process either
        if case.big:
            args += ["+P", "4000000"]
        p = self._run(args, self.cdir, script)
        if isinstance(p, Outcome):
            return p
        problem = None
        if p.returncode != 0:
            err = (p.stderr.strip() or p.stdout.strip()[-300:]).splitlines()
            problem = "exit status %d: %s" % (p.returncode, err[-1] if err else "")
        elif "** exception" in p.stdout:
            problem = p.stdout[p.stdout.index("** exception"):].splitlines()[0]
        else:
            failed = [m for m in case.cerl_mods if "{ok,%s}" % m not in p.stdout]
            if failed:
                problem = "c(%s) did not compile: %s" % (failed[0], p.stdout.strip()[:300])
        return Outcome(p.stdout, problem)

    def run_beam(self, case):
        args = ["erl", "+S", "1", "-noshell", "-pa", self.edir]
        if case.big:
            args += ["+P", "4000000"]
        args += ["-eval", case.beam_expr, "-s", "init", "stop"]
        p = self._run(args, self.edir, None)
        if isinstance(p, Outcome):
            return p
        problem = None
        if p.returncode != 0:
            problem = "exit status %d: %s" % (p.returncode, (p.stderr.strip() or p.stdout.strip())[-300:])
        elif "Error in process" in p.stdout or "{\"init terminating" in p.stdout:
            problem = p.stdout.strip()[-300:]
        return Outcome(p.stdout, problem)


# ------------------------------------------------------------ cases

class Case:
    """One benchmark: a name for --only, the figures it prints, and how to
    run it once on each side (cerl: modules to compile and shell lines;
    BEAM: an -eval expression). big: BEAM needs +P for many processes."""

    def __init__(self, name, keys, cerl_mods, cerl_lines, beam_expr, big=False):
        self.name, self.keys = name, keys
        self.cerl_mods, self.cerl_lines = cerl_mods, cerl_lines
        self.beam_expr, self.big = beam_expr, big
        self.heavy = False   # a million processes: run --heavy-reps times


def call_case(name, keys, mod, call, big=False, extra_mods=()):
    """A case whose both sides are the one call mod:call."""
    return Case(name, keys, list(extra_mods) + [mod], ["%s:%s." % (mod, call)], "%s:%s" % (mod, call), big)


def ring_case(n, laps):
    return call_case("ring" + sz(n), ["ring_first_ns_%d" % n, "ring_warm_ns_%d" % n], "b_ring",
                     "run(%d, %d)" % (n, laps), big=True)


def spawn_case(n):
    return call_case("spawn" + sz(n), ["spawn_fresh_us_%d" % n, "spawn_reused_us_%d" % n, "kill_us_%d" % n],
                     "b_spawn", "run(%d)" % n, big=True)


def mem_case(n, loads):
    """Memory of n idle processes, then l(t) with them standing by ('loads'
    times: the first apart from the later ones), in one OS process:
    spawning 1M processes is the costly part."""
    return call_case("mem" + sz(n), ["mem_idle_bytes_%d" % n, "l_bystanders_first_ms_%d" % n,
                                     "l_bystanders_ms_%d" % n],
                     "b_mem", "run(%d, idle, %d)" % (n, loads), big=True, extra_mods=["t"])


def msg_mem_case(n):
    """Memory of n processes, idle and after one small message each."""
    return call_case("msgmem" + sz(n), ["mem_idle_bytes_%d" % n, "mem_msg_bytes_%d" % n],
                     "b_mem", "run(%d, message, 0)" % n, big=True)


def hib_case(n):
    return call_case("hib" + sz(n), ["mem_hib_bytes_%d" % n], "b_mem", "run(%d, hibernate, 0)" % n, big=True)


def purge_case(n):
    return call_case("purge" + sz(n), ["purge_ms_%d" % n, "purge_us_per_victim_%d" % n], "b_code",
                     "purge(%d)" % n, big=True, extra_mods=["b_purge"])


def code_case(reps):
    """c(t) and l(t) as typed at the prompt, each timed around the shell
    command (BEAM: c:c(t) and c:l(t), what its shell's c(t) and l(t) call)."""
    lines = []
    for cmd in ("c", "l"):
        for _ in range(reps):
            lines += ["T0 = b_clock:ns(), %s(t), b_clock:lap(%s_t_ms, T0)." % (cmd, cmd), "f(T0)."]
    return Case("code", ["c_t_ms", "l_t_ms"], ["b_clock"], lines, "b_code:c_t(%d), b_code:l_t(%d)" % (reps, reps))


def lists_fun_case(n):
    """lists:map and lists:foldl: on cerl with funs of C functions (fun
    b_lists_fun:inc/1), on BEAM with Erlang funs."""
    return Case("lists_fun", ["lists_map_ms", "lists_foldl_ms", "lists_foldl_bif_ms"], ["b_lists_fun"],
                ["b_lists_fun:run(%d, fun b_lists_fun:inc/1, fun b_lists_fun:add/2)." % n],
                "b_lists_fun:run(%d)" % n)


class Sizes:
    """The sizes of one mode: the issue's (full) or a smoke test's (quick)."""

    def __init__(self, quick):
        self.quick = quick
        self.ring_small, self.ring_big = (100, 1000) if quick else (1000, 100000)
        self.ring_laps_small, self.ring_laps_big = (100, 5) if quick else (1000, 10)
        self.spawn = (1000, 20000) if quick else (100000, 1000000)
        self.many = 20000 if quick else 1000000          # memory, hibernate, bystanders
        self.loads = 3                                   # l(t)s with the bystanders
        # processes with a message each: 100k, as 1M of them take ~21 GB
        # on cerl before issue 15's dense process memory (the VM has 24 GB)
        self.msg_mem = 2000 if quick else 100000
        self.purge = (1000, 10000) if quick else (10000, 100000)
        self.pingpong = 10000 if quick else 1000000
        self.msgs = 10000 if quick else 1000000
        self.bigmsg_reps = 10 if quick else 100
        self.calls = 1000000 if quick else 100000000
        self.code_reps = 3 if quick else 20
        self.lists = 10000 if quick else 1000000
        self.fact, self.fact_reps = (200, 10) if quick else (2000, 50)
        self.map = 10000 if quick else 1000000
        self.binary_reps = 10 if quick else 200


def all_cases(s):
    cases = [
        call_case("pingpong", ["pingpong_ns"], "b_pingpong", "run(%d)" % s.pingpong),
        ring_case(s.ring_small, s.ring_laps_small),
        ring_case(s.ring_big, s.ring_laps_big),
        spawn_case(s.spawn[0]), spawn_case(s.spawn[1]),
        mem_case(s.many, s.loads), msg_mem_case(s.msg_mem), hib_case(s.many),
        purge_case(s.purge[0]), purge_case(s.purge[1]),
        call_case("msg1mb", ["msg_1mb_us"], "b_bigmsg", "run(%d)" % s.bigmsg_reps),
        call_case("recv" + sz(s.msgs), ["recv_ns", "recv_heap_bytes"], "b_recv", "run(%d)" % s.msgs),
        call_case("lists", ["lists_sort_ms", "lists_reverse_ms"], "b_lists", "run(%d)" % s.lists),
        lists_fun_case(s.lists),
        call_case("calls", ["call_local_ns", "call_remote_ns"], "b_call", "run(%d)" % s.calls),
        code_case(s.code_reps),
        call_case("bignum", ["fact_us"], "b_bignum", "run(%d, %d)" % (s.fact, s.fact_reps)),
        call_case("map" + sz(s.map), ["map_put_ns", "map_get_ns"], "b_map", "run(%d)" % s.map),
        call_case("binary", ["binary_send_us"], "b_binary", "run(1048576, %d)" % s.binary_reps),
    ]
    for c in cases:   # a million processes, or a map of a million keys (~80 s a run on cerl)
        c.heavy = c.name.endswith("1M") and not c.name.startswith("recv")
    return cases


# ------------------------------------------------------------ figures

# key prefix -> (unit, label); the label's %s is the size in the key.
FIGURES = [
    ("pingpong_ns", "ns/round trip", "ping-pong round trip"),
    ("ring_first_ns_", "ns/hop", "ring hop, %s processes, first lap"),
    ("ring_warm_ns_", "ns/hop", "ring hop, %s processes, warm laps"),
    ("spawn_fresh_us_", "µs/spawn", "spawn onto fresh memory, %s"),
    ("spawn_reused_us_", "µs/spawn", "spawn onto reused memory, %s"),
    ("kill_us_", "µs/kill", "kill, %s"),
    ("mem_idle_bytes_", "B/process", "memory per idle process, %s (VmRSS+VmPTE)"),
    ("mem_msg_bytes_", "B/process", "memory per process after one small message, %s"),
    ("mem_hib_bytes_", "B/process", "memory per hibernated process, %s"),
    ("purge_ms_", "ms", "purge: second l(b_purge) killing %s old-code processes, all 'DOWN's in"),
    ("purge_us_per_victim_", "µs/victim", "purge per victim, %s"),
    ("l_bystanders_first_ms_", "ms", "l(t) with %s idle bystanders, first"),
    ("l_bystanders_ms_", "ms", "l(t) with %s idle bystanders, later (median)"),
    ("msg_1mb_us", "µs/round trip", "send a 1 MB list, get a reply"),
    ("recv_ns", "ns/msg", "receive {msgs} messages, per message"),
    ("recv_heap_bytes", "B", "receiver's heap after them"),
    ("lists_sort_ms", "ms", "lists:sort/1 of {lists} integers"),
    ("lists_reverse_ms", "ms", "lists:reverse/1 of {lists}"),
    ("lists_map_ms", "ms", "lists:map/2 over {lists}"),
    ("lists_foldl_ms", "ms", "lists:foldl/3 over {lists}"),
    ("lists_foldl_bif_ms", "ms", "lists:foldl/3 with fun erlang:'+'/2 over {lists}"),
    ("call_local_ns", "ns/call", "local call"),
    ("call_remote_ns", "ns/call", "fully qualified call (export table)"),
    ("c_t_ms", "ms", "c(t)"),
    ("l_t_ms", "ms", "l(t)"),
    ("fact_us", "µs", "factorial of {fact} (bignums)"),
    ("map_put_ns", "ns/put", "map put, {map} keys"),
    ("map_get_ns", "ns/get", "map get, {map} keys"),
    ("binary_send_us", "µs/round trip", "send a 1 MB binary, get a reply"),
]


def describe(key, sizes):
    """(unit, label) of a figure key."""
    for prefix, unit, label in FIGURES:
        if key == prefix or (prefix.endswith("_") and key.startswith(prefix)):
            if "%s" in label:
                label = label % sz(int(key[len(prefix):]))
            label = label.format(msgs=sz(sizes.msgs), lists=sz(sizes.lists), fact=sizes.fact, map=sz(sizes.map))
            return unit, label
    return "", key


def fmt(v):
    if v is None:
        return "-"
    if abs(v) >= 1e6:
        return "%.2fM" % (v / 1e6)
    if abs(v) >= 100:
        return "{:,.0f}".format(v)
    if abs(v) >= 10:
        return "%.1f" % v
    return "%.3g" % v


class Results:
    def __init__(self):
        self.values = {}     # key -> {"cerl": [..], "beam": [..]}
        self.missing = {}    # (key, side) -> why
        self.problems = []   # (case, side, text)
        self.order = []

    def add(self, side, outcome, keys):
        for k in keys:
            if k not in self.order:
                self.order.append(k)
            self.values.setdefault(k, {"cerl": [], "beam": []})[side] += outcome.figures.get(k, [])
            if k in outcome.missing:
                self.missing[(k, side)] = outcome.missing[k]

    def med(self, key, side):
        v = self.values.get(key, {}).get(side, [])
        return statistics.median(v) if v else None

    def span(self, key, side):
        v = self.values.get(key, {}).get(side, [])
        return (min(v), max(v)) if v else None

    def ratio(self, key):
        c, b = self.med(key, "cerl"), self.med(key, "beam")
        return b / c if c and b else None

    def why_none(self, key, side):
        if (key, side) in self.missing:
            return "missing: " + self.missing[(key, side)]
        return "failed"


def run_case(runner, res, case, reps):
    """reps fresh runs of each side, interleaved. A side that fails, or
    says it cannot produce its figures, is not run again."""
    stopped = set()
    for rep in range(reps):
        for side in (("cerl", "beam") if rep % 2 == 0 else ("beam", "cerl")):
            if side in stopped:
                continue
            t0 = time.time()
            out = runner.run_cerl(case) if side == "cerl" else runner.run_beam(case)
            res.add(side, out, case.keys)
            absent = [k for k in case.keys if k not in out.figures and k not in out.missing]
            if out.problem or absent:
                text = out.problem or "no figure printed for %s" % ", ".join(absent)
                res.problems.append((case.name, side, text))
                log("  %-4s %-13s FAILED: %s" % (side, case.name, text))
                stopped.add(side)
                continue
            if out.missing:
                log("  %-4s %-13s missing: %s" % (side, case.name, "; ".join(
                    "%s: %s" % kv for kv in out.missing.items())))
                stopped.add(side)
                continue
            log("  %-4s %-13s %s  (%.1fs)" % (side, case.name, " ".join(
                "%s=%s" % (k, fmt(statistics.median(out.figures[k]))) for k in case.keys if k in out.figures),
                time.time() - t0))


# ------------------------------------------------------------ targets

def targets(res, s):
    """Rows (issue, target, figure key, verdict, measured); verdict is met,
    missed or n/a (not measured in this run)."""
    rows = []
    big, huge = s.spawn
    p_small, p_big = s.purge

    def measured_note(key):
        c, b = res.med(key, "cerl"), res.med(key, "beam")
        if c is None:
            return "cerl " + res.why_none(key, "cerl")
        if b is None:
            return "BEAM " + res.why_none(key, "beam")
        return None

    def faster(issue, label, key, factor):
        if key not in res.values:
            rows.append((issue, label, key, "n/a", "not run"))
            return
        note = measured_note(key)
        if note:
            rows.append((issue, label, key, "missed", note))
            return
        r = res.ratio(key)
        rows.append((issue, label, key, "met" if r >= factor else "missed",
                     "ratio %.2f (cerl %s, BEAM %s)" % (r, fmt(res.med(key, "cerl")), fmt(res.med(key, "beam")))))

    def at_most(issue, label, key, limit):
        if key not in res.values:
            rows.append((issue, label, key, "n/a", "not run"))
            return
        c = res.med(key, "cerl")
        if c is None:
            rows.append((issue, label, key, "missed", "cerl " + res.why_none(key, "cerl")))
            return
        b = res.med(key, "beam")
        rows.append((issue, label, key, "met" if c <= limit else "missed",
                     "cerl %s B (BEAM %s B, ratio %s)" % (fmt(c), fmt(b), "%.2f" % (b / c) if b else "-")))

    faster(15, "ping-pong ≥ 10× BEAM", "pingpong_ns", 10)
    faster(15, "ring hop, %s processes, warm ≥ 6×" % sz(s.ring_small), "ring_warm_ns_%d" % s.ring_small, 6)
    faster(15, "ring hop, %s processes, warm ≥ 2×" % sz(s.ring_big), "ring_warm_ns_%d" % s.ring_big, 2)
    for n in (big, huge):
        faster(15, "spawn onto fresh memory ≥ 1× (%s)" % sz(n), "spawn_fresh_us_%d" % n, 1)
    for n in (big, huge):
        faster(15, "spawn onto reused memory ≥ 3× (%s)" % sz(n), "spawn_reused_us_%d" % n, 3)
    for n in (big, huge):
        faster(15, "kill ≥ 3× (%s)" % sz(n), "kill_us_%d" % n, 3)
    faster(15, "idle process ≤ BEAM's, page tables counted (%s)" % sz(s.many), "mem_idle_bytes_%d" % s.many, 1)
    at_most(15, "process after one small message ≤ 4,500 B (%s)" % sz(s.msg_mem), "mem_msg_bytes_%d" % s.msg_mem, 4500)
    at_most(15, "hibernated process ≤ 1,000 B (%s, erlang:hibernate/3)" % sz(s.many),
            "mem_hib_bytes_%d" % s.many, 1000)
    faster(15, "purge killing %s ≥ 5×" % sz(p_big), "purge_ms_%d" % p_big, 5)
    ks, kb = "purge_us_per_victim_%d" % p_small, "purge_us_per_victim_%d" % p_big
    cs, cb = res.med(ks, "cerl"), res.med(kb, "cerl")
    if ks in res.values and kb in res.values:
        if cs and cb:
            bs, bb = res.med(ks, "beam"), res.med(kb, "beam")
            rows.append((15, "purge linear in N: per victim at %s ≤ 1.5× per victim at %s" % (sz(p_big), sz(p_small)),
                         "%s / %s" % (kb, ks), "met" if cb <= 1.5 * cs else "missed",
                         "cerl %.2f µs / %.2f µs = %.2f (BEAM %s)" % (
                             cb, cs, cb / cs, "%.2f" % (bb / bs) if bs and bb else "-")))
        else:
            rows.append((15, "purge linear in N", "%s / %s" % (kb, ks), "missed", "cerl failed"))
    faster(15, "l(t) with %s idle bystanders ≥ 20× (later l(t)s)" % sz(s.many), "l_bystanders_ms_%d" % s.many, 20)
    faster(15, "1 MB message ≥ 2×", "msg_1mb_us", 2)
    faster(15, "receiving %s messages ≥ 2×" % sz(s.msgs), "recv_ns", 2)
    for key, fn in (("lists_sort_ms", "sort/1"), ("lists_reverse_ms", "reverse/1"), ("lists_map_ms", "map/2"),
                    ("lists_foldl_ms", "foldl/3 (a C fun)"), ("lists_foldl_bif_ms", "foldl/3 (fun erlang:'+'/2)")):
        faster(12, "lists:%s of %s at least as fast as BEAM" % (fn, sz(s.lists)), key, 1)
    faster(7, "c(t) ≥ 3× BEAM's c(t)", "c_t_ms", 3)
    if "l_t_ms" in res.values:
        l = res.med("l_t_ms", "cerl")
        rows.append((7, "l(t) under 0.5 ms", "l_t_ms", "n/a" if l is None else "met" if l < 0.5 else "missed",
                     "-" if l is None else "%.3f ms" % l))
    lc, rc = res.med("call_local_ns", "cerl"), res.med("call_remote_ns", "cerl")
    if lc is not None and rc is not None:
        rows.append((7, "external call within 1.5 ns of a local one", "call_remote_ns − call_local_ns",
                     "met" if rc - lc <= 1.5 else "missed", "%+.2f ns" % (rc - lc)))
    return rows


# ------------------------------------------------------------ report

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, text=True, capture_output=True).stdout.strip()
    except OSError:
        return "?"


def loadavg():
    return " / ".join(open("/proc/loadavg").read().split()[:3])


def machine():
    model, mem = "?", "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = "%.1f GiB" % (int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass
    return {
        "nproc": sh("nproc"),
        "model": model,
        "mem": mem,
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "kernel": sh("uname -sr"),
        "otp": sh("erl -noshell -eval 'io:format(\"~s ~s\", [erlang:system_info(otp_release), "
                  "erlang:system_info(emu_flavor)])' -s init stop"),
        "commit": sh("git -C %s describe --always --dirty" % ROOT),
        "tcc": sh("tcc -v"),
    }


def figure_rows(res, sizes, spans):
    head = "| figure | unit | cerl | BEAM | BEAM ÷ cerl |"
    rule = "|---|---|---:|---:|---:|"
    if spans:
        head = "| figure | unit | cerl median | cerl min–max | BEAM median | BEAM min–max | BEAM ÷ cerl |"
        rule = "|---|---|---:|---:|---:|---:|---:|"
    out = [head, rule]
    for k in res.order:
        unit, label = describe(k, sizes)
        c, b, r = res.med(k, "cerl"), res.med(k, "beam"), res.ratio(k)
        cell_c = fmt(c) if c is not None else "**%s**" % res.why_none(k, "cerl").split(":")[0]
        cell_b = fmt(b) if b is not None else "**%s**" % res.why_none(k, "beam").split(":")[0]
        cells = [label + " `%s`" % k if spans else label, unit, cell_c]
        if spans:
            sc, sb = res.span(k, "cerl"), res.span(k, "beam")
            cells += ["%s–%s" % (fmt(sc[0]), fmt(sc[1])) if sc else "-", cell_b,
                      "%s–%s" % (fmt(sb[0]), fmt(sb[1])) if sb else "-"]
        else:
            cells += [cell_b]
        cells.append("%.2f" % r if r else "-")
        out.append("| " + " | ".join(cells) + " |")
    return out


def target_rows(res, sizes):
    out = ["| issue | target | verdict | measured |", "|---|---|---|---|"]
    for issue, label, key, verdict, note in targets(res, sizes):
        out.append("| %d | %s | **%s** | %s |" % (issue, label, verdict, note))
    return out


def print_tables(res, sizes):
    print()
    for line in figure_rows(res, sizes, spans=False):
        print(line)
    print()
    for line in target_rows(res, sizes):
        if not line.endswith("| not run |"):
            print(line)
    for (key, side), why in sorted(res.missing.items()):
        print("missing: %s on %s: %s" % (key, side, why))
    for case, side, text in res.problems:
        print("FAILED: %s on %s: %s" % (case, side, text))


def write_results(path, res, sizes, mach, load0, load1, reps, heavy_reps, elapsed):
    out = []
    w = out.append
    w("# cerl against BEAM, measured side by side\n")
    w("Written by `make bench` (`bench/run.py`; the cluster round trips of `bench/dist/run.py` print "
      "after it and are not in this file). The notes at the end come from `bench/analysis.md`.\n")
    w("| | |\n|---|---|")
    w("| machine | %s, %s cores (`nproc`), %s RAM |" % (mach["model"], mach["nproc"], mach["mem"]))
    w("| kernel | %s |" % mach["kernel"])
    w("| date | %s |" % mach["date"])
    w("| cerl | %s, modules compiled by %s |" % (mach["commit"], mach["tcc"]))
    w("| BEAM | OTP %s, `erl +S 1 -noshell` (`+P 4000000` where many processes) |" % mach["otp"])
    w("| runs | %d fresh OS processes per side and figure (%d for the cases with 1M processes or map keys, "
      "which take most of the time), cerl and BEAM interleaved; medians (c(t)/l(t): %d timings per run) |"
      % (reps, heavy_reps, sizes.code_reps))
    w("| load average (1/5/15 min) | %s before, %s after: the machine is shared, figures are noisy |"
      % (load0, load1))
    slow = "" if elapsed <= 600 else (" (over the 10 minutes `make bench` is meant to take: with a load average "
                                      "above the %s cores every run takes longer)" % mach["nproc"])
    w("| total time | %.0f s%s |\n" % (elapsed, slow))
    w("## Figures\n")
    w("BEAM ÷ cerl: above 1 means cerl is faster (or smaller). Every benchmark runs in a process "
      "spawned for it on both sides; memory is VmRSS + VmPTE of /proc/self/status on both sides.\n")
    out += figure_rows(res, sizes, spans=True)
    w("\n## Targets\n")
    w("Issue 15's targets, issue 12's lists targets, and issue 7's that are still tracked.\n")
    out += target_rows(res, sizes)
    if res.missing:
        w("\n## Figures that could not be measured\n")
        for (key, side), why in sorted(res.missing.items()):
            w("- `%s` on %s: %s" % (key, side, why))
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
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[1:]))
    ap.add_argument("--reps", type=int, default=None, help="fresh runs per side (default 5, --quick 2)")
    ap.add_argument("--heavy-reps", type=int, default=None,
                    help="fresh runs per side of the cases with 1M processes or keys (default: 3, at most --reps)")
    ap.add_argument("--quick", action="store_true", help="small sizes, 2 repetitions")
    ap.add_argument("--only", default=None, help="comma-separated case names (prefixes); see --list")
    ap.add_argument("--list", action="store_true", help="list the cases and their figures")
    ap.add_argument("--cerl", default=os.path.join(ROOT, "cerl"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--timeout", type=int, default=240, help="seconds per run of one side")
    args = ap.parse_args()
    reps = args.reps or int(os.environ.get("BENCH_REPS", "2" if args.quick else "5"))
    heavy_reps = args.heavy_reps or min(reps, 3)
    sizes = Sizes(args.quick)
    cases = all_cases(sizes)
    if args.list:
        for c in cases:
            print("%-13s %s" % (c.name, " ".join(c.keys)))
        return 0
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        cases = [c for c in cases if any(c.name.lower().startswith(w.lower()) for w in wanted)]
        if not cases:
            print("no case matches %r; the cases are: %s" % (args.only, " ".join(c.name for c in all_cases(sizes))),
                  file=sys.stderr)
            return 2
    out = args.out or (None if args.quick or args.only else os.path.join(HERE, "RESULTS.md"))
    start = time.time()
    load0 = loadavg()
    mach = machine() if out else None   # the commit and date the run starts from
    res = Results()
    with tempfile.TemporaryDirectory(prefix="cerl-bench-") as tmp:
        runner = Runner(os.path.abspath(args.cerl), tmp, args.timeout)
        for case in cases:
            n = heavy_reps if case.heavy else reps
            log("%s (%d runs per side)" % (case.name, n))
            run_case(runner, res, case, n)
    load1 = loadavg()
    elapsed = time.time() - start
    print_tables(res, sizes)
    if out:
        write_results(out, res, sizes, mach, load0, load1, reps, heavy_reps, elapsed)
        print("wrote %s (%.0f s)" % (os.path.relpath(out), elapsed))
    else:
        print("(%.0f s; no report written: --quick or --only)" % elapsed)
    return 1 if res.problems else 0


if __name__ == "__main__":
    sys.exit(main())
