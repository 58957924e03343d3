#!/usr/bin/env python3
# pipe_fuzz.py [--cerl ./cerl] [--seconds 180] [--seed N] [--timeout 10] [--out DIR] [--as-gb 6]
# A mutation fuzzer for whole piped sessions: takes the transcript inputs
# (tests/transcripts/*/input, with each case's C modules), mutates them line
# by line and byte by byte (deleting, repeating, splicing lines, inserting
# commands from a dictionary of hostile ones, nesting, cutting), pipes each
# into cerl with a timeout and an address-space limit, and keeps every input
# after which cerl died of a signal, said "fault in cerl's runtime", ran out
# of memory, reported a sanitizer error, or hung. Each finding is written to
# DIR/NAME/ (input, the case's modules, what cerl printed); replay one with
#   cd DIR/NAME && CERL < input
# Stops after --seconds; prints the totals. Exits 1 when something was found.
# --as-gb 0 lifts the address-space limit (needed for an ASan build:
#   pipe_fuzz.py --cerl build-asan/cerl --as-gb 0).
import argparse
import glob
import hashlib
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))

# commands that reach the corners: history, exceptions, signals, processes,
# funs, binaries, deep or odd syntax
DICTIONARY = [
    "v(-1).", "v(1).", "v(-30).", "e(-1).", "e(1).", "h().", "f().", "b().", "f(X).",
    "catch v(2).", "exit(self(), kill).", "exit(self(), foo).", "self() ! x, flush().",
    "spawn_link(fun() -> exit(boom) end).", "spawn(fun() -> exit(boom) end).", "1/0.", "throw(x).",
    "erlang:error(foo).", "erlang:error({a, [1, 2]}).", "receive X -> X after 20 -> t end.",
    "[X || X <- [1,2,3], X > 1].", "<<1:3, 2:5>>.", "<<X:4, Y/binary>> = <<1, 2>>.",
    "\"abc\" ++ [1000].", "list_to_atom(\"\").", "io:format(\"~p ~w ~s~n\", [self(), a, \"s\"]).",
    "io:format(\"~999999p~n\", [x]).", "monitor(process, self()).", "Ref = make_ref().",
    "X = 1.", "X = 2.", "Y = X + 1.", "F = fun(N) -> N * 2 end, F(3).", "F(1, 2).",
    "G = fun G(0) -> 0; G(N) -> G(N - 1) end, G(100).", "fun() -> ok end().",
    "case 1 of 2 -> a end.", "if false -> a end.", "try throw(t) catch C:R -> {C, R} end.",
    "try 1 after exit(x) end.", "begin 1, 2 end.", "catch exit(normal).",
    "process_flag(trap_exit, true).", "link(spawn(fun() -> ok end)).",
    "erlang:send_after(10, self(), tick), receive tick -> ok end.", "timer:sleep(10).",
    "register(me, self()).", "me ! hi, flush().", "whereis(me).", "unregister(me).",
    "[self() || _ <- [a, b]].", "length([1 | 2]).", "hd([]).", "element(5, {a}).",
    "tuple_size(self()).", "atom_to_list(a, b).", "A = <<\"x\">>, <<A/binary, A/binary>>.",
    "$\\x{10FFFF}.", "'\\x{10FFFF}'.", "\"\\x{110000}\".", "16#FFFFFFFFFFFFFFFFFFFF.", "1.0e308 * 10.",
    "-0.0.", "2#102.", "36#ZZ.", "1 bsl 70.", "1 bsl 62.", "4611686018427387904.",
    "c(t).", "l(t).", "code:purge(t).", "code:delete(t).", "code:load_file(t).", "m(t).", "i().",
    "regs().", "erlang:process_info(self()).", "processes().", "nodes().", "node().",
    "spawn(t, start, []).", "t:start().", "t ! x.", "lists:reverse([1,2]).",
    "ok.", ".", "..", "1.", "fun.", "end.", "X = .", "#{}.", "#{a => 1}.", "#r{}.",
    "<<>>.", "[].", "{}.", "'a b'.", "\"\".", "$ .", "% comment only",
    "e(-1).", "v(-1). v(-1). v(-1).", "f(), b().", "X = fun() -> X end.", "exit(kill).",
    "spawn(fun() -> exit(self(), kill) end).", "process_flag(trap_exit, true), exit(self(), kill).",
    "self() ! {a, <<1,2,3>>, [1.5 | x]}, receive M -> M end.", "erlang:error(v(-1)).",
    "throw(v(-1)).", "exit(v(-1)).", "[v(N) || N <- [1, 2, 3]].", "length(h()).",
    "F = fun(G) -> G(G) end, F(F).", "spawn(fun() -> F = fun(G) -> G(G) end, F(F) end).",
    "erlang:cancel_timer(make_ref()).", "io:format(\"~s~n\", [[1000, 2000]]).",
    "io:format(\"~p\", []).", "io:format(\"~\").", "catch io:format(x, y).",
]

SAFE_DROP = re.compile(r"\b(halt|q|init:stop)\s*\(")


def load_seeds():
    seeds = []
    for d in sorted(glob.glob(os.path.join(TOP, "tests", "transcripts", "*", ""))):
        path = os.path.join(d, "input")
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            lines = f.read().decode("latin-1").split("\n")
        mods = sorted(glob.glob(os.path.join(d, "*.c")))
        seeds.append((os.path.basename(os.path.dirname(d)), lines, mods))
    return seeds


def mutate_line(rng, line):
    if not line:
        return rng.choice(DICTIONARY)
    i = rng.randrange(len(line) + 1)
    op = rng.randrange(6)
    if op == 0 and line:
        return line[:i] + line[i + 1:]                              # drop a char
    if op == 1:
        return line[:i] + rng.choice(".,;:()[]{}<>$%'\"\\#-+*/=|!_ 09aZ\t") + line[i:]
    if op == 2:
        return line[:i] + rng.choice(DICTIONARY) + line[i:]         # splice a command in
    if op == 3:
        k = rng.choice([2, 10, 1000, 100000])
        opener, closer = rng.choice([("begin ", " end"), ("(", ")"), ("[", "]"), ("{", "}"),
                                     ("fun() -> ", " end"), ("catch ", ""), ("-", "")])
        body = line.rstrip(".") or "ok"
        return opener * k + body + closer * k + "."
    if op == 4:
        j = rng.randrange(len(line) + 1)
        return line[:min(i, j)] + line[max(i, j):]                  # cut a piece out
    return line[:i] + chr(rng.choice([0, 7, 3, 4, 0x7f, 0xff, 0xe9])) + line[i:]


def mutate(rng, lines, seeds):
    lines = list(lines)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(8)
        n = len(lines)
        if op == 0 and n > 1:
            del lines[rng.randrange(n)]
        elif op == 1 and n:
            i = rng.randrange(n)
            lines[i:i] = [lines[i]] * rng.choice([1, 2, 20, 60])
        elif op == 2 and n > 1:
            i, j = rng.randrange(n), rng.randrange(n)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            other = rng.choice(seeds)[1]
            if other:
                lines.insert(rng.randrange(n + 1), rng.choice(other))
        elif op == 4:
            lines.insert(rng.randrange(n + 1), rng.choice(DICTIONARY))
        elif op == 5 and n:
            i = rng.randrange(n)
            lines[i] = mutate_line(rng, lines[i])
        elif op == 6 and n:
            i = rng.randrange(n)
            lines = lines[:i] + [lines[i][:rng.randrange(len(lines[i]) + 1)]]  # input ends mid-way
        else:
            lines.insert(rng.randrange(n + 1), " ".join(rng.choice(DICTIONARY) for _ in range(3)))
    # halt(), q() end the session early: keep them rare
    return [l for l in lines if not SAFE_DROP.search(l) or rng.random() < 0.05]


AS_LIMIT = 6 << 30


def limits():
    if AS_LIMIT:
        resource.setrlimit(resource.RLIMIT_AS, (AS_LIMIT, AS_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


FINDINGS = [
    ("fault", re.compile(r"fault in cerl's runtime")),
    ("sanitizer", re.compile(r"AddressSanitizer|UndefinedBehaviorSanitizer|runtime error:")),
    ("oom", re.compile(r"out of memory")),
    ("no-shell", re.compile(r"cannot start the shell")),
]


def classify(rc, out):
    for name, pat in FINDINGS:
        m = pat.search(out)
        if m:
            line = out[out.rfind("\n", 0, m.start()) + 1:out.find("\n", m.end()) if "\n" in out[m.end():] else len(out)]
            return name, re.sub(r"0x[0-9a-f]+", "0x?", line)[:160]
    if rc is None:
        return "hang", "hang"
    if rc < 0:
        return "signal", "signal %d" % -rc
    if rc >= 128:
        return "signal", "status %d" % rc
    return None, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cerl", default=os.path.join(TOP, "cerl"))
    ap.add_argument("--seconds", type=float, default=180)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--out", default=os.path.join(TOP, "build-fuzz", "pipe"))
    ap.add_argument("--as-gb", type=int, default=6)
    args = ap.parse_args()
    global AS_LIMIT
    AS_LIMIT = args.as_gb << 30
    cerl = os.path.realpath(args.cerl)
    rng = random.Random(args.seed)
    seeds = load_seeds()
    scratch = tempfile.mkdtemp(prefix="cerl-pipefuzz-")
    home = os.path.join(scratch, "home")
    os.mkdir(home)
    works = {}
    for name, _, mods in seeds:
        w = os.path.join(scratch, name)
        os.mkdir(w)
        for m in mods + [os.path.join(TOP, "examples", "t.c")]:
            if not os.path.exists(os.path.join(w, os.path.basename(m))):
                shutil.copy(m, w)
        works[name] = w
    env = dict(os.environ, HOME=home, ASAN_OPTIONS="detect_leaks=0")
    runs, found, signatures = 0, {}, set()
    end = time.time() + args.seconds
    print("pipe_fuzz: %s, seed %d, %d inputs, %.0f s" % (cerl, args.seed, len(seeds), args.seconds))
    try:
        while time.time() < end:
            name, lines, _ = rng.choice(seeds)
            text = "\n".join(mutate(rng, lines, seeds))
            if rng.random() < 0.8:
                text += "\n"
            data = text.encode("latin-1", "replace")
            # a session of many short waits may just be slow: a hang is one
            # that does not end in four times the time either
            for limit in (args.timeout, 4 * args.timeout):
                try:
                    p = subprocess.run([cerl], cwd=works[name], input=data, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, timeout=limit, env=env, preexec_fn=limits)
                    rc, out = p.returncode, p.stdout.decode("latin-1")
                    break
                except subprocess.TimeoutExpired as e:
                    rc, out = None, (e.stdout or b"").decode("latin-1")
            runs += 1
            kind, sig = classify(rc, out)
            if not kind:
                continue
            found[kind] = found.get(kind, 0) + 1
            h = hashlib.sha1(data).hexdigest()[:12]
            new = sig not in signatures
            signatures.add(sig)
            d = os.path.join(args.out, "%s-%s-%s" % (kind, name, h))
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "input"), "wb") as f:
                f.write(data)
            with open(os.path.join(d, "output"), "w") as f:
                f.write(out[-20000:])
            for m in glob.glob(os.path.join(TOP, "tests", "transcripts", name, "*.c")):
                shutil.copy(m, d)
            if not os.path.exists(os.path.join(d, "t.c")):
                shutil.copy(os.path.join(TOP, "examples", "t.c"), d)
            print("%s %s: %s -> %s" % ("NEW " if new else "    ", kind, sig, d))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("pipe_fuzz: %d runs, %d findings (%s), %d distinct" %
          (runs, sum(found.values()), ", ".join("%s %d" % kv for kv in sorted(found.items())) or "none",
           len(signatures)))
    sys.exit(1 if found else 0)


main()
