#!/usr/bin/env python3
# run_tty_jobs.py CERL
# Ctrl-G's job control in a pseudo-terminal, against what erl 25 prints:
# the User switch menu and its help, s (a new shell job with its own
# bindings, numbering and history), j, c [N], i [N], k [N], r (refused: no
# distribution, "Not alive" as a non-distributed erl says), unknown
# commands and jobs, and q. Skips with a message when no pseudo-terminal
# can be had.
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ttylib import Tally, Tty, pty_unavailable  # noqa: E402

CERL = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else "./cerl")

# erl 25's answer to h and ? at the " --> " prompt
SWITCH_HELP = ("  c [nn]            - connect to job\n"
               "  i [nn]            - interrupt job\n"
               "  k [nn]            - kill job\n"
               "  j                 - list all jobs\n"
               "  s [shell]         - start local shell\n"
               "  r [node [shell]]  - start remote shell\n"
               "  q                 - quit erlang\n"
               "  ? | h             - this message\n")


class JobsTty(Tty):
    """cerl in a pseudo-terminal, with the Ctrl-G menu's steps."""

    def __init__(self, cwd, home):
        super().__init__(CERL, [], cwd, home)

    def menu(self):
        """Ctrl-G: waits for the User switch prompt."""
        self.send(b"\x07", 0.2)
        return self.expect(r"\nUser switch command\n --> ") is not None

    def answer(self, line, reply):
        """Types a line at " --> " and expects 'reply' (a regular
        expression) followed by the next " --> "."""
        self.send(line.encode() + b"\n")
        return self.expect(re.escape(line) + r"\n" + reply + r" --> ") is not None


TALLY = Tally()
check = TALLY.check


def jobs_cases(work, home):
    t = JobsTty(work, home)
    t.expect(r"1> ")
    t.send(b"X = 1.\n")
    t.expect(r"\n1\n2> ")

    ok = t.menu()
    check("Ctrl-G shows erl's User switch prompt", ok, t)
    check("h prints erl's help", t.answer("h", re.escape(SWITCH_HELP)), t)
    check("? prints erl's help", t.answer("?", re.escape(SWITCH_HELP)), t)
    check("j lists the first job as erl", t.answer("j", re.escape("   1* {shell,start,[init]}\n")), t)

    ok = t.answer("s", "")
    ok = ok and t.answer("j", re.escape("   1  {shell,start,[init]}\n   2* {shell,start,[]}\n"))
    check("s starts a second job and makes it current", ok, t)

    t.send(b"c\n")
    ok = t.expect(r"^c\ncerl V[0-9.]+  \(abort with \^G\)\n1> ") is not None
    check("c connects the new job: its banner and prompt 1>", ok, t)
    t.send(b"X.\n")
    ok = t.expect(r"\* 1:1: variable 'X' is unbound\n2> ") is not None
    t.send(b"Y = 2.\n")
    ok = ok and t.expect(r"\n2\n3> ") is not None
    check("the new job has its own bindings and numbering", ok, t)

    ok = t.menu() and t.answer("j", re.escape("   1  {shell,start,[init]}\n   2* {shell,start,[]}\n"))
    t.send(b"c 1\n")
    t.send(b"Y.\n")
    ok = ok and t.expect(r"\* 1:1: variable 'Y' is unbound\n3> ") is not None
    t.send(b"X.\n")
    ok = ok and t.expect(r"\n1\n4> ") is not None
    check("c 1 goes back to the first job, its bindings and numbering kept", ok, t)
    t.send(b"h().\n")
    ok = t.expect(r"1: X = 1\n-> 1\n2: Y\n-> \{'EXIT',\{unbound_var,'Y'\}\}\n3: X\n-> 1\nok\n5> ") is not None
    check("each job keeps its own history (h())", ok, t)

    t.send(b"Self = self().\n")
    t.expect(r"6> ")
    ok = t.menu() and t.answer("i", "")
    t.send(b"c\n")
    ok = ok and t.expect(r"^c\n\*\* exception exit: killed\n6> ") is not None
    t.send(b"{Self =:= self(), X}.\n")
    ok = ok and t.expect(r"\{false,1\}\n7> ") is not None
    check("i interrupts the job: exception exit: killed, new pid, bindings kept", ok, t)

    ok = t.menu() and t.answer("k 2", "")
    ok = ok and t.answer("j", re.escape("   1* {shell,start,[init]}\n"))
    ok = ok and t.answer("c 2", "Unknown job\n")
    ok = ok and t.answer("k 9", "Unknown job\n")
    ok = ok and t.answer("i 9", "Unknown job\n")
    check("k 2 ends the second job; unknown jobs are refused as erl", ok, t)

    ok = t.answer("r", "Not alive\n")
    check("r is refused as a non-distributed erl refuses it", ok, t)
    ok = t.answer("x", "Unknown command\n") and t.answer("q 1", "Unknown command\n")
    check("unknown commands answer Unknown command", ok, t)

    ok = t.answer("s foo", "") and t.answer("j", re.escape("   1  {shell,start,[init]}\n   3* {foo,start,[]}\n"))
    t.send(b"c\n")
    ok = ok and t.expect(re.escape("*** ERROR: Shell process terminated! (^G to start new job) ***\n")) is not None
    check("s with another module lists it; connecting to it fails as erl", ok, t)

    ok = t.menu() and t.answer("j", re.escape("   1  {shell,start,[init]}\n"))
    t.send(b"c 1\n")
    t.send(b"X + 1.\n")
    ok = ok and t.expect(r"\n2\n8> ") is not None
    check("after a failed job, c 1 connects the first job again", ok, t)

    ok = t.menu() and t.answer("k", "") and t.answer("j", "") and t.answer("c", "Unknown job\n")
    ok = ok and t.answer("s shell", "") and t.answer("j", re.escape("   4* {shell,start,[]}\n"))
    t.send(b"c\n")
    ok = ok and t.expect(r"cerl V[0-9.]+  \(abort with \^G\)\n1> ") is not None
    check("k kills the current job; s shell starts another", ok, t)

    # a command left running in a job that is not connected answers once
    # the job is connected again
    t.send(b"receive after 1000 -> done end.\n", 0.1)
    ok = t.menu() and t.answer("s", "")
    t.send(b"c\n")
    ok = ok and t.expect(r"^c\ncerl V[0-9.]+  \(abort with \^G\)\n1> ") is not None
    t.read(1.5)
    ok = ok and "done" not in t.text()[t.mark:]
    ok = ok and t.menu()
    t.send(b"c 4\n")
    ok = ok and t.expect(r"^c 4\ndone\n2> ") is not None
    check("a job's answer waits until the job is connected", ok, t)

    ok = t.menu()
    t.send(b"q\n")
    check("q quits", ok and t.wait_exit() == 0, t)
    t.close()


def main():
    work = tempfile.mkdtemp(prefix="cerl-jobs-")
    home = tempfile.mkdtemp(prefix="cerl-home-")
    try:
        why = pty_unavailable()
        if why is not None:
            print("skip job control tests: no pseudo-terminal (%s)" % why)
        else:
            jobs_cases(work, home)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
    TALLY.finish("tty jobs")


main()
