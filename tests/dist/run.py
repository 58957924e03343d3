#!/usr/bin/env python3
"""
tests/dist/run.py
cerl as a node of a real Erlang cluster: each case starts cerl and real
BEAM nodes (erl) with an epmd of their own, on the loopback only, drives
cerl through piped input and checks what both sides print.

    python3 tests/dist/run.py ./cerl [CASE...]

Every process started here is ended here (epmd with -kill on its own port);
every wait has a timeout. Exits 1 when a case fails.
"""
import os
import select
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HOST = socket.gethostname().split(".")[0]
COOKIE = "s3cret"
LOOPBACK = ["-kernel", "inet_dist_use_interface", "{127,0,0,1}"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """An epmd port, a HOME and the processes of one case."""

    def __init__(self, cerl):
        self.cerl = os.path.abspath(cerl)
        self.home = tempfile.mkdtemp(prefix="cerl-dist-")
        self.env = dict(os.environ, ERL_EPMD_PORT=str(free_port()),
                        ERL_EPMD_ADDRESS="127.0.0.1", HOME=self.home)
        self.procs = []

    def epmd_names(self):
        r = subprocess.run(["epmd", "-names"], env=self.env, capture_output=True,
                           text=True, timeout=10)
        return r.stdout

    def wait_registered(self, name, timeout=15):
        end = time.time() + timeout
        while time.time() < end:
            if "name %s at port" % name in self.epmd_names():
                return True
            time.sleep(0.1)
        return False

    def beam(self, name, expr, extra=()):
        """erl -sname NAME running EXPR (it should end with halt())."""
        p = subprocess.Popen(["erl", "-sname", name, "-setcookie", COOKIE, "-noshell",
                              *LOOPBACK, *extra, "-eval", expr],
                             env=self.env, cwd=self.home, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.procs.append(p)
        return p

    def cerl_start(self, args, cwd=None):
        p = subprocess.Popen([self.cerl, *args], env=self.env, cwd=cwd or self.home,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        self.procs.append(p)
        return p

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            try:
                p.communicate(timeout=5)
            except Exception:
                pass
        # epmd refuses -kill while a node is registered: the nodes' sockets
        # close with their processes, and epmd notices soon after
        end = time.time() + 10
        while time.time() < end:
            r = subprocess.run(["epmd", "-kill"], env=self.env, capture_output=True,
                               text=True, timeout=10)
            if "Killed" in r.stdout or r.returncode != 0 and "Cannot connect" in r.stdout + r.stderr:
                break
            time.sleep(0.2)
        shutil.rmtree(self.home, ignore_errors=True)


def feed(p, lines, pause=0.3):
    """Writes each command, pausing after it (a number in 'lines' is a
    pause of its own)."""
    for line in lines:
        if isinstance(line, (int, float)):
            time.sleep(line)
            continue
        p.stdin.write(line + "\n")
        p.stdin.flush()
        time.sleep(pause)


def wait_output(p, needle, timeout=15):
    """Reads p's output line by line until a line holds needle."""
    end = time.time() + timeout
    while time.time() < end:
        ready, _, _ = select.select([p.stdout], [], [], 0.2)
        if ready and needle in p.stdout.readline():
            return True
    return False


def finish(p, timeout=30):
    out, _ = p.communicate(timeout=timeout)
    return out


def expect(out, *needles):
    missing = [n for n in needles if n not in out]
    if missing:
        raise AssertionError("missing %r in:\n%s" % (missing, out))


# ---------------------------------------------------------------- cases

def case_name_prompt_and_epmd(c):
    """-sname: epmd started when none runs, the name published, erl's prompt
    and node()."""
    assert "name c1 at port" not in c.epmd_names()
    p = c.cerl_start(["-sname", "c1", "-setcookie", COOKIE])
    assert c.wait_registered("c1"), "c1 never appeared in epmd"
    feed(p, ["node().", "is_alive()."])
    out = finish(p)
    expect(out, "(c1@%s)1> c1@%s\n" % (HOST, HOST), "(c1@%s)2> true\n" % HOST,
           "*** Terminating erlang (c1@%s)" % HOST)


def case_long_name(c):
    """-name N@Host keeps the host given; regs() names the node as erl
    writes it."""
    p = c.cerl_start(["-name", "c2@127.0.0.1", "-setcookie", COOKIE])
    feed(p, ["node().", "regs()."])
    expect(finish(p), "(c2@127.0.0.1)1> 'c2@127.0.0.1'\n",
           "** Registered procs on node 'c2@127.0.0.1' **", "** Registered ports on node 'c2@127.0.0.1' **")


def case_no_name_no_listen(c):
    """Without a name nothing listens: no socket, no epmd, nonode@nohost."""
    p = c.cerl_start([])
    feed(p, ["node().", "nodes().", "net_adm:ping(e1@%s)." % HOST])
    fds = os.listdir("/proc/%d/fd" % p.pid)
    sockets = [f for f in fds if os.readlink("/proc/%d/fd/%s" % (p.pid, f)).startswith("socket:")]
    out = finish(p)
    expect(out, "1> nonode@nohost\n", "2> []\n", "3> pang\n")
    assert sockets == [], "sockets open without a node name: %r" % sockets
    assert subprocess.run(["epmd", "-names"], env=c.env, capture_output=True).returncode != 0, \
        "epmd runs though no node was named"


def case_cookie_file_created(c):
    """No -setcookie and no ~/.erlang.cookie: one is made as erl makes it,
    and a BEAM node with that cookie reaches cerl."""
    path = os.path.join(c.home, ".erlang.cookie")
    p = c.cerl_start(["-sname", "c3"])
    assert c.wait_registered("c3")
    st = os.stat(path)
    cookie = open(path).read()
    assert stat.S_IMODE(st.st_mode) == 0o400, oct(st.st_mode)
    assert len(cookie) == 20 and cookie.isalpha() and cookie.isupper(), repr(cookie)
    b = c.beam("e3", 'io:format("~p~n", [net_adm:ping(c3@%s)]), halt().' % HOST,
               extra=["-setcookie", cookie])
    expect(finish(b), "pong")
    finish(p)


def case_cookie_file_open_refused(c):
    """A cookie file others can read is refused with erl's message."""
    path = os.path.join(c.home, ".erlang.cookie")
    with open(path, "w") as f:
        f.write("ABCDEFGHIJ")
    os.chmod(path, 0o644)
    p = c.cerl_start(["-sname", "c4"])
    out = finish(p)
    expect(out, "Cookie file %s must be accessible by owner only" % path)
    assert p.returncode == 1, p.returncode


ECHO = ('register(echo, spawn(fun L() -> receive {P, M} -> P ! {echo, M}, L(); stop -> ok end end)), '
        'io:format("echo ready~n"), receive after 60000 -> ok end, halt().')


def case_cerl_to_beam(c):
    """From cerl: ping (pong, and pang for a node that is not there), nodes(),
    {Name, Node} ! Msg and its answer, monitor_node and disconnect_node."""
    b = c.beam("e1", ECHO)
    p = c.cerl_start(["-sname", "c5", "-setcookie", COOKIE])
    assert wait_output(b, "echo ready") and c.wait_registered("c5")
    e1 = "e1@" + HOST
    # each answer is waited for with receive, not for a time: a loaded
    # machine may take a while to pass it between the nodes
    feed(p, ["net_adm:ping(%s)." % e1, "nodes().", "{echo, %s} ! {self(), hi}." % e1,
             "receive {echo, M} -> {got, M} after 20000 -> timeout end.",
             "net_adm:ping(nobody@%s)." % HOST, "monitor_node(%s, true)." % e1,
             "erlang:disconnect_node(%s)." % e1,
             "receive {nodedown, N} -> {down, N} after 20000 -> timeout end.", "nodes().",
             "erlang:disconnect_node(%s)." % e1])
    out = finish(p)
    expect(out, "1> pong\n", "2> [%s]\n" % e1, "4> {got,hi}\n", "5> pang\n",
           "6> true\n", "7> true\n", "8> {down,%s}\n" % e1, "9> []\n", "10> false\n")


def case_beam_to_cerl(c):
    """From a BEAM node: ping cerl (cerl answers net_kernel's is_auth), send
    to a name registered in cerl, and get the reply cerl sends to the BEAM
    pid it received."""
    p = c.cerl_start(["-sname", "c6", "-setcookie", COOKIE])
    assert c.wait_registered("c6")
    feed(p, ["register(box, self())."])
    c6 = "c6@" + HOST
    b = c.beam("e2", ('io:format("ping ~p~n", [net_adm:ping(%s)]), {box, %s} ! hello_from_beam, '
                      'timer:sleep(1500), {box, %s} ! {self(), x42}, '
                      'receive M -> io:format("beam got ~p~n", [M]) after 8000 -> io:format("timeout~n") end, '
                      'halt().') % (c6, c6, c6))
    # wait for the message rather than for a time: a loaded machine may take
    # seconds to start the BEAM node
    feed(p, ["receive hello_from_beam -> hello_arrived after 20000 -> timeout end.",
             "receive {From, X} -> From ! {back, X} end.", 1.0])
    bout = finish(b)
    out = finish(p)
    expect(bout, "ping pong", "beam got {back,x42}")
    expect(out, "hello_arrived\n", "{back,x42}\n")


def case_ticks_while_module_spins(c):
    """A module that runs 7 s without yielding: the connection thread still
    answers a peer whose net_ticktime is 4 s, so the peer keeps the node."""
    shutil.copy(os.path.join(HERE, "spin.c"), c.home)
    p = c.cerl_start(["-sname", "c7", "-setcookie", COOKIE])
    assert c.wait_registered("c7")
    feed(p, ["c(spin)."])
    c7 = "c7@" + HOST
    b = c.beam("e4", ('io:format("ping ~p~n", [net_adm:ping(%s)]), monitor_node(%s, true), '
                      'receive M -> io:format("beam got ~p~n", [M]) after 8000 -> '
                      'io:format("still up ~p~n", [nodes(connected)]) end, halt().') % (c7, c7),
               extra=["-kernel", "net_ticktime", "4"])
    time.sleep(1.0)
    feed(p, ["spin:run(7000)."])
    bout = finish(b, timeout=40)
    out = finish(p, timeout=40)
    expect(bout, "ping pong", "still up [%s]" % c7)
    expect(out, "done\n")


def case_last_command_waits_for_another_node(c):
    """Piped input ends while its last command waits for an answer from
    another node: the answer still comes (the evaluator is not killed as
    stuck)."""
    b = c.beam("e6", ECHO)
    assert wait_output(b, "echo ready")
    p = c.cerl_start(["-sname", "c9", "-setcookie", COOKIE])
    out, _ = p.communicate("{echo, e6@%s} ! {self(), late}, receive M -> M end.\n" % HOST, timeout=30)
    expect(out, "(c9@%s)1> {echo,late}\n" % HOST)


def case_rpc_call_from_cerl(c):
    """rpc:call/4,5 from cerl into a BEAM node: its value, {badrpc, {'EXIT',
    _}} when it raises, {badrpc, timeout}, {badrpc, nodedown}."""
    b = c.beam("e7", 'receive after 60000 -> ok end, halt().')
    assert c.wait_registered("e7")
    p = c.cerl_start(["-sname", "c10", "-setcookie", COOKIE])
    e7 = "e7@" + HOST
    feed(p, ["rpc:call(%s, erlang, node, [])." % e7, "rpc:call(%s, lists, reverse, [[1,2,3]])." % e7,
             "rpc:call(%s, erlang, error, [boom])." % e7, "rpc:call(%s, timer, sleep, [3000], 200)." % e7,
             "rpc:call(nobody@%s, erlang, node, [])." % HOST, 0.5])
    out = finish(p)
    expect(out, "1> %s\n" % e7, "2> [3,2,1]\n", "3> {badrpc,{'EXIT',{boom,", "4> {badrpc,timeout}\n",
           "5> {badrpc,nodedown}\n")


def case_rpc_cast_from_cerl(c):
    """rpc:cast/4 from cerl into a BEAM node: true at once, and the call runs
    there (it sends to a process the BEAM node registered); to a node that
    is not there, true and nothing; on cerl's own node, a process here."""
    b = c.beam("e9", ('register(box, self()), io:format("box ready~n"), '
                      'receive {got, X} -> io:format("got ~p~n", [X]) after 20000 -> io:format("none~n") end, '
                      'halt().'))
    # -eval runs once the node has booted: its rex is there to take the cast
    assert wait_output(b, "box ready")
    p = c.cerl_start(["-sname", "c12", "-setcookie", COOKIE])
    e9 = "e9@" + HOST
    feed(p, ["rpc:cast(%s, erlang, send, [box, {got, hello}])." % e9,
             "rpc:cast(nobody@%s, erlang, node, [])." % HOST,
             "register(me, self()), rpc:cast(node(), erlang, send, [me, local]).",
             "receive M -> M after 5000 -> none end.", 0.5])
    bout = finish(b)
    out = finish(p)
    expect(bout, "got hello")
    expect(out, "1> true\n", "2> true\n", "3> true\n", "4> local\n")


def case_wrong_cookie_is_refused(c):
    """A BEAM node with another cookie reaches nothing: pang both ways,
    and no connection is left in nodes()."""
    p = c.cerl_start(["-sname", "c11", "-setcookie", COOKIE])
    assert c.wait_registered("c11")
    b = c.beam("e8", ('io:format("ping ~p~n", [net_adm:ping(c11@%s)]), receive after 3000 -> ok end, '
                      'halt().') % HOST, extra=["-setcookie", "other"])
    assert c.wait_registered("e8")
    feed(p, [0.5, "net_adm:ping(e8@%s)." % HOST, "nodes()."])
    bout = finish(b)
    out = finish(p)
    expect(bout, "ping pang")
    expect(out, "pang\n(c11@%s)2> []\n" % HOST)  # erl's report of e8 may come before


def case_nodedown_when_peer_ends(c):
    """monitor_node/2 in cerl: {nodedown, Node} when the BEAM node halts."""
    b = c.beam("e5", 'receive after 4000 -> ok end, halt().')
    p = c.cerl_start(["-sname", "c8", "-setcookie", COOKIE])
    assert c.wait_registered("e5") and c.wait_registered("c8")
    e5 = "e5@" + HOST
    feed(p, ["monitor_node(%s, true)." % e5, "nodes()."])
    finish(b)
    feed(p, ["receive {nodedown, N} -> {down, N} after 20000 -> timeout end.", "nodes()."])
    out = finish(p)
    expect(out, "2> [%s]\n" % e5, "3> {down,%s}\n" % e5, "4> []\n")


# ------------------------------------------------------ distnet's cases
# tests/dist/net.py: ticks, cookies, malformed packets, pang (imported only
# when this file runs: net.py imports the helpers above from it)
if __name__ == "__main__":
    sys.path.insert(0, HERE)
    import net
    globals().update({n: f for n, f in vars(net).items() if n.startswith("case_")})
# ------------------------------------------------------ distsig's cases
import sig_cases  # noqa: E402  links, monitors and spawns across nodes
sig_cases.install(globals())
# ------------------------------------------------------ distio's cases
import io_cases  # noqa: E402  I/O across nodes, rpc's stacks, global
io_cases.install(globals())

CASES = [(n[5:], f) for n, f in sorted(globals().items()) if n.startswith("case_")]


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    if not shutil.which("erl") or not shutil.which("epmd"):
        print("dist: erl and epmd are needed (erlang-base)")
        return 1
    wanted = sys.argv[2:]
    failed = 0
    for name, fn in CASES:
        if wanted and name not in wanted:
            continue
        c = Cluster(sys.argv[1])
        t0 = time.time()
        try:
            fn(c)
            print("dist %-32s ok (%.1f s)" % (name, time.time() - t0))
        except Exception as e:
            failed += 1
            print("dist %-32s FAILED: %s" % (name, e))
        finally:
            c.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
