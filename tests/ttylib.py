"""
ttylib.py
cerl in a pseudo-terminal, for the terminal tests (run_tty.py and
run_tty_jobs.py): what it writes is read with escape sequences and
carriage returns removed, and expect() searches what came since its last
match. Tally counts and prints the cases' outcomes.
"""
import os
import re
import select
import sys
import time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\r")


class Tty:
    """cerl in a pseudo-terminal; 'text' is everything it wrote, escape
    sequences and carriage returns removed."""

    def __init__(self, cerl, args, cwd, home, env=None):
        import pty
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            full = dict(os.environ, HOME=home, TERM="xterm", INPUTRC="/dev/null")
            full.update(env or {})
            os.execve(cerl, [cerl] + args, full)
        self.raw = b""

    def read(self, seconds):
        end = time.time() + seconds
        while time.time() < end:
            r, _, _ = select.select([self.fd], [], [], 0.02)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    return
                if not data:
                    return
                self.raw += data

    def text(self):
        return ANSI.sub(b"", self.raw).decode("latin-1")

    def expect(self, pattern, seconds=5.0):
        """Waits until 'pattern' (a regular expression) shows up in what was
        written since 'mark'; returns the match or None."""
        end = time.time() + seconds
        while True:
            m = re.search(pattern, self.text()[self.mark:], re.S)
            if m or time.time() >= end:
                if m:
                    self.mark += m.end()
                return m
            self.read(0.05)

    mark = 0

    def send(self, data, settle=0.15):
        os.write(self.fd, data)
        self.read(settle)

    def close(self):
        try:
            os.kill(self.pid, 9)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass

    def wait_exit(self, seconds=5.0):
        end = time.time() + seconds
        while time.time() < end:
            self.read(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
        return None


def pty_unavailable():
    """Why no pseudo-terminal can be had here (an exception), or None when
    one can."""
    try:
        import pty
        master, slave = pty.openpty()
        os.close(master)
        os.close(slave)
    except (ImportError, OSError) as e:
        return e
    return None


class Tally:
    """The cases' outcomes: check() prints "ok NAME", or "FAIL NAME" with
    the last 25 lines of the terminal when given, and counts them."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, ok, tty=None):
        if ok:
            self.passed += 1
            print("ok   " + name)
        else:
            self.failed += 1
            print("FAIL " + name)
            if tty is not None:
                for line in tty.text().splitlines()[-25:]:
                    print("     | " + line)

    def finish(self, what):
        """Prints the counts and exits, with status 1 when a case failed."""
        print("%s: %d passed, %d failed" % (what, self.passed, self.failed))
        sys.exit(1 if self.failed else 0)
