#!/usr/bin/env python3
# run_tty.py CERL
# The shell a person uses: cerl driven in a pseudo-terminal (history recall,
# tab completion, output above the line being typed, Ctrl-C's BREAK menu,
# killing a runaway process from it, Ctrl-G, Ctrl-D, a private history file),
# its command line (-eval, -s, -noshell, halt(N) exit status, --help,
# --version), and piped sessions that must go on where erl's would hang or
# cerl once died (a runaway process, an evaluator blocked at end of input,
# system_limit, hostile nesting and long lines).
# Skips with a message when no pseudo-terminal can be had.
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttylib import Tally, Tty, pty_unavailable  # noqa: E402

CERL = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else "./cerl")
TOP = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))

SPIN_C = """#include <cerl.h>

MODULE(spin);
EXPORT(start/0, loop/0);

Term loop(void)
{
    volatile long i = 0;
    for (;;)
        i++;
    return ATOM(ok);
}

Term start(void)
{
    return erl_spawn(loop);
}
"""

TICK_C = """#include <cerl.h>

MODULE(tick);
EXPORT(start/0);

static Term loop(void)
{
    for (int i = 0; i < 3; i++) {
        erl_sleep(200);
        io_format("tick ~p~n", erl_list(erl_mk_int(i)));
    }
    return ATOM(ok);
}

Term start(void)
{
    return erl_spawn(loop);
}
"""

MANY_C = """#include <cerl.h>

MODULE(many);
EXPORT(spawn_all/0);

static Term wait(void)
{
    return erl_receive();
}

Term spawn_all(void)
{
    for (;;)
        erl_spawn(wait);
    return ATOM(ok);
}
"""

TALLY = Tally()
check = TALLY.check


def session(work, home, args=(), env=None):
    t = Tty(CERL, list(args), work, home, env)
    t.expect(r"1> ")
    return t


def tty_cases(work, home):
    # history recall with the up arrow, and across sessions
    t = session(work, home)
    t.send(b"X = 42.\n")
    t.expect(r"\n42\n2> ")
    t.send(b"\x1b[A")
    ok = t.expect(r"X = 42\.") is not None
    t.send(b"\n")
    ok = ok and t.expect(r"\n42\n3> ") is not None
    check("up arrow recalls the previous command", ok, t)
    t.send(b"\x04")
    check("Ctrl-D on an empty line ends the session",
          t.expect(r"\*\*\* Terminating erlang \(nonode@nohost\)") is not None and t.wait_exit() == 0, t)
    t.close()
    t = session(work, home)
    t.send(b"\x1b[A")
    check("history persists in ~/.cerl_history", t.expect(r"X = 42\.") is not None, t)
    t.close()
    mode = os.stat(os.path.join(home, ".cerl_history")).st_mode & 0o777
    check("~/.cerl_history is created 0600", mode == 0o600)
    if mode != 0o600:
        print("     | mode %o" % mode)

    # tab completion of Mod:Fun
    t = session(work, home)
    t.send(b"c(t).\n")
    t.expect(r"\{ok,t\}\n2> ")
    t.send(b"t:st\t", 0.3)
    ok = t.expect(r"t:start\(") is not None
    t.send(b").\n")
    ok = ok and t.expect(r"true\n3> ") is not None
    check("Tab completes t:st to t:start(", ok, t)

    # output arriving while a line is being typed goes above it
    t.send(b"c(tick), tick:start().\n")
    t.expect(r"<0\.\d+\.0>\n4> ")
    t.send(b"abc", 1.2)
    ok = t.expect(r"tick 0\n4> abc.*tick 2\n4> abc") is not None
    t.send(b" = abc.\n")
    check("process output appears above the prompt and the typed line", ok and t.expect(r"\nabc\n5> ") is not None, t)

    # an unfinished command keeps its prompt
    t.send(b"1 +\n")
    ok = t.expect(r"1 \+\n5> ") is not None
    t.send(b"2.\n")
    check("a continuation line keeps the prompt", ok and t.expect(r"\n3\n6> ") is not None, t)

    # Ctrl-C: BREAK menu, c continues
    t.send(b"\x03", 0.3)
    ok = t.expect(r"BREAK: \(a\)bort \(A\)bort with dump \(c\)ontinue \(p\)roc info \(i\)nfo\n"
                  r"       \(l\)oaded \(v\)ersion \(k\)ill \(D\)b-tables \(d\)istribution\n") is not None
    t.send(b"v\n")
    ok = ok and t.expect(r"cerl emulator version") is not None
    t.send(b"c\n")
    t.send(b"7 * 6.\n")
    check("Ctrl-C shows the BREAK menu; c continues the session", ok and t.expect(r"\n42\n7> ") is not None, t)

    # Ctrl-G: User switch command, i interrupts the evaluator, c continues
    t.send(b"Self = self().\n")
    t.expect(r"8> ")
    t.send(b"\x07", 0.3)
    ok = t.expect(r"User switch command\n --> ") is not None
    t.send(b"i\n")
    t.send(b"c\n")
    ok = ok and t.expect(r"\*\* exception exit: killed\n") is not None
    t.send(b"Self =:= self().\n")
    check("Ctrl-G i interrupts the evaluator (new pid, bindings kept)", ok and t.expect(r"\nfalse\n9> ") is not None, t)
    t.close()

    # a UTF-8 terminal: typed UTF-8 is read as characters, and characters
    # from 128 up are written as UTF-8, as erl writes them there
    t = session(work, home, env={"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    t.send("\"h\u00e9\".\n".encode("utf-8"))
    ok = t.expect("\n\"h\u00e9\"\n2> ".encode("utf-8").decode("latin-1")) is not None
    t.send(b"[233, 255].\n")
    ok = ok and t.expect("\n\"\u00e9\u00ff\"\n3> ".encode("utf-8").decode("latin-1")) is not None
    t.send(b"io:format(\"~s|~n\", [[163]]).\n")
    ok = ok and t.expect("\n\u00a3\\|\nok\n4> ".encode("utf-8").decode("latin-1")) is not None
    check("a UTF-8 terminal reads and writes characters as UTF-8", ok, t)
    t.close()

    # a process that never yields: the watchdog reports it, Ctrl-C's k kills
    # it, another process and the bindings survive
    t = session(work, home, ["-watchdog", "500"])
    t.send(b"c(t), c(spin), t:start().\n")
    t.expect(r"true\n2> ")
    t.send(b"Spin = spin:start().\n", 0.2)
    ok = t.expect(r"has run for \d+ ms without yielding \(in \{spin,loop,current\}\)", 5) is not None
    check("the watchdog reports a process running without yielding", ok, t)
    t.send(b"\x03", 0.3)
    ok = t.expect(r"BREAK: ") is not None
    t.send(b"k\n", 0.3)
    ok = ok and t.expect(r"=proc:<0\.\d+\.0>\nState: Running\nSpawned as: spin:loop/0\nSpawned by: <0\.\d+\.0>\n"
                         r".*\nStack dump:\nProgram counter: 0x[0-9a-f]{16} \(spin:loop/0 \+ \d+\)\n"
                         r".*\(k\)ill \(n\)ext \(r\)eturn:\n") is not None
    t.send(b"k\n", 0.3)
    ok = ok and t.expect(r"Name: t\n.*\(k\)ill \(n\)ext \(r\)eturn:\n") is not None
    t.send(b"r\n", 0.3)
    t.send(b"is_process_alive(Spin).\n")
    ok = ok and t.expect(r"\nfalse\n\d+> ") is not None
    t.send(b"t ! hello.\n")
    ok = ok and t.expect(r"hello\nhello\n\d+> ") is not None
    check("BREAK k kills the runaway process; others and bindings live on", ok, t)
    t.close()


def run(args, cwd, stdin=b""):
    p = subprocess.run([CERL] + args, cwd=cwd, input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=30)
    return p.returncode, p.stdout.decode("latin-1"), p.stderr.decode("latin-1")


def cli_cases(work):
    rc, out, _ = run(["--help"], work)
    check("--help documents every option",
          rc == 0 and all(o in out for o in ["-pa", "-noshell", "-eval", "-s MOD", "-watchdog", "--help", "--version"]))
    rc, out, _ = run(["--version"], work)
    check("--version", rc == 0 and re.match(r"cerl \d+\.\d+\.\d+\n$", out) is not None)
    rc, out, _ = run(["-noshell", "-eval", 'io:format("hi~n")', "-eval", "io:format(\"~p~n\", [1 + 1])",
                      "-s", "init", "stop"], work)
    check("-noshell -eval ... -s init stop", rc == 0 and out == "hi\n2\n")
    rc, out, _ = run(["-noshell", "-eval", "c(t)", "-s", "t", "start", "-eval",
                      'io:format("~p~n", [is_pid(whereis(t))])', "-s", "init", "stop"], work)
    check("-s Mod Fun calls Mod:Fun()", rc == 0 and out == "true\n")
    rc, out, _ = run(["-noshell", "-eval", "halt(7)"], work)
    check("-eval 'halt(7)' exits with status 7", rc == 7)
    rc, out, err = run(["-noshell", "-eval", "1/0", "-s", "init", "stop"], work)
    check("a failing -eval: init terminating in do_boot, status 1",
          rc == 1 and out.startswith('{"init terminating in do_boot",{badarith,'))
    rc, out, _ = run([], work, b"halt(3).\n")
    check("halt(3) exits with status 3", rc == 3)
    rc, out, _ = run(["-eval", 'io:format("before~n")'], work, b"1.\n")
    check("-eval runs before the shell starts", rc == 0 and out.startswith("before\ncerl V"))


def run_limited(args, cwd, stdin, address_space=None, timeout=60):
    """(status, stdout, CPU seconds) of a piped session, under an address
    space limit if given; status None when it timed out."""
    def limit():
        if address_space:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        p = subprocess.run([CERL] + args, cwd=cwd, input=stdin, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout, preexec_fn=limit)
        rc, out = p.returncode, p.stdout.decode("latin-1")
    except subprocess.TimeoutExpired as e:
        rc, out = None, (e.stdout or b"").decode("latin-1")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return rc, out, cpu


def show(out):
    for line in out.splitlines()[-25:]:
        print("     | " + line[:200])


def piped_cases(work):
    # the watchdog with nobody to answer Ctrl-C: report (not lost in the
    # stdio buffer of a pipe), kill, go on
    rc, out, _ = run_limited(["-watchdog", "300"], work,
                             b"c(spin).\nSpin = spin:start().\nis_process_alive(Spin).\nX = 1.\n"
                             b"spin:loop().\nX + 1.\n", timeout=30)
    ok = rc == 0 and re.search(
        r"=WARNING REPORT==== .* ===\nprocess (<0\.\d+\.0>) has run for \d+ ms without yielding "
        r"\(in \{spin,loop,current\}\)\n\(no terminal to answer Ctrl-C: killed, as the BREAK menu's k would\)\n"
        r"\n\1\n3> false\n4> 1\n5> =WARNING REPORT==== .* ===\nprocess <0\.\d+\.0> has run for \d+ ms "
        r"without yielding \(in \{spin,loop,current\}\)\n.*killed.*\n\n\*\* exception exit: killed\n6> 2\n7> "
        r"\*\*\* Terminating erlang", out) is not None
    check("piped: the watchdog reports a runaway, kills it, and the session goes on", ok)
    if not ok:
        show(out)

    # end of input while the evaluator waits for a message nothing can send
    rc, out, _ = run_limited([], work, b"Y = 2.\nreceive X -> X end.\nY + 1.\nX.\n", timeout=30)
    ok = rc == 0 and out.endswith(
        "2> *** end of input, and nothing can wake the evaluator: killing it\n"
        "** exception exit: killed\n3> 3\n4> * 1:1: variable 'X' is unbound\n5> "
        "*** Terminating erlang (nonode@nohost)\n")
    check("piped: end of input does not drop the commands after a blocked one", ok)
    if not ok:
        show(out)

    # spawn up to system_limit, then an exception: a new evaluator still starts
    rc, out, _ = run_limited([], work, b"c(many).\nmany:spawn_all().\n1 + 1.\n1 / 0.\n2 + 2.\n",
                             address_space=3 << 30, timeout=60)
    ok = rc == 0 and "2> ** exception error: a system limit has been reached\n" \
        "     in function  many:spawn_all/0 (many.c, line 14)\n3> 2\n4> ** exception error: an " \
        "error occurred when evaluating an arithmetic expression" in out and "\n5> 4\n6> *** Terminating" in out
    check("piped: after system_limit the shell still restarts its evaluator", ok)
    if not ok:
        show(out)

    # a 2M-deep fun nest is refused while it is scanned: in far less memory
    # than the 2.6 GB it once took
    n = 2000000
    text = (b"fun() -> " * n + b"ok" + b" end" * n + b".\n1 + 1.\n")
    rc, out, _ = run_limited([], work, text, address_space=1536 << 20, timeout=120)
    ok = rc == 0 and re.search(r"1> \* 1:\d+: expression nested too deeply \(more than 500000 levels\)\n1> 2\n",
                               out) is not None
    check("piped: a 2M-deep fun nest is refused within 1.5 GB of address space", ok)
    if not ok:
        show(out)

    # a 30 MB line: the reader looks for the command's dot in new text only
    rc, out, cpu = run_limited([], work, b'length("' + b"a" * 30000000 + b'").\n', timeout=120)
    ok = rc == 0 and "1> 30000000\n" in out and cpu < 6
    check("piped: a 30 MB command is read in linear time (%.1f s of CPU)" % cpu, ok)
    if not ok:
        show(out)


def main():
    work = tempfile.mkdtemp(prefix="cerl-tty-")
    home = tempfile.mkdtemp(prefix="cerl-home-")
    try:
        shutil.copy(os.path.join(TOP, "examples", "t.c"), work)
        with open(os.path.join(work, "spin.c"), "w") as f:
            f.write(SPIN_C)
        with open(os.path.join(work, "tick.c"), "w") as f:
            f.write(TICK_C)
        with open(os.path.join(work, "many.c"), "w") as f:
            f.write(MANY_C)
        cli_cases(work)
        piped_cases(work)
        why = pty_unavailable()
        if why is not None:
            print("skip terminal tests: no pseudo-terminal (%s)" % why)
        else:
            tty_cases(work, home)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
    TALLY.finish("tty")


main()
