"""
tests/dist/net.py
tests/dist/run.py's cases for the connections themselves (helper distnet):
a silent peer dropped after net_ticktime, a wrong cookie refused and logged
as erl logs it, a malformed packet closing its connection only, pang for a
node that is not there within erl's time.
"""
import os
import select
import signal
import time

from rawpeer import HandshakeError, RawPeer
from run import COOKIE, HOST, expect, feed, wait_output


class Out:
    """A process's output, read as it comes (unbuffered: run.wait_output's
    readline may buffer lines past the one it looks at) and kept whole."""

    def __init__(self, p):
        self.p = p
        self.fd = p.stdout.fileno()
        self.text = ""

    def wait(self, needle, timeout=15):
        end = time.time() + timeout
        while needle not in self.text and time.time() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    break
                self.text += chunk.decode(errors="replace")
        return needle in self.text

    def finish(self, timeout=30):
        """Closes the input and returns all the output."""
        if self.p.stdin:
            self.p.stdin.close()
        end = time.time() + timeout
        while time.time() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    break
                self.text += chunk.decode(errors="replace")
        self.p.wait(timeout=5)
        return self.text


def case_net_ticktime_drops_silent_peer(c):
    """-kernel net_ticktime 4: a BEAM node that stops answering (SIGSTOP)
    is dropped 4 to 5 s after it last sent anything, with erl's report and
    {nodedown, Node} to monitor_node's watchers; nodes() forgets it."""
    b = c.beam("e20", 'io:format("up~n"), receive after 60000 -> ok end, halt().',
               extra=["-kernel", "net_ticktime", "4"])
    assert wait_output(b, "up")
    p = c.cerl_start(["-sname", "c20", "-setcookie", COOKIE, "-kernel", "net_ticktime", "4"])
    e20 = "e20@" + HOST
    o = Out(p)
    feed(p, ["net_adm:ping(%s)." % e20, "monitor_node(%s, true)." % e20])
    assert o.wait("2> true"), "no monitor: " + o.text
    os.kill(b.pid, signal.SIGSTOP)
    t0 = time.time()
    try:
        feed(p, ["receive {nodedown, N} -> {down, N} after 30000 -> timeout end."], pause=0)
        assert o.wait("** Node %s not responding **" % e20, timeout=30), "no report: " + o.text
        took = time.time() - t0
        feed(p, ["nodes()."])
    finally:
        os.kill(b.pid, signal.SIGCONT)
    out = o.finish()
    expect(out, "** Removing (timedout) connection **\n\n", "{down,%s}\n(c20@%s)4> []\n" % (e20, HOST))
    # erl: down after four quarters of the tick time without a byte
    assert 2.5 <= took <= 10, "dropped after %.1f s" % took


def case_net_ticks_keep_quiet_peer(c):
    """Two nodes with net_ticktime 4 that say nothing for 10 s stay
    connected: cerl ticks the BEAM node, and hears its ticks."""
    b = c.beam("e21", 'io:format("up~n"), receive after 60000 -> ok end, halt().',
               extra=["-kernel", "net_ticktime", "4"])
    assert wait_output(b, "up")
    p = c.cerl_start(["-sname", "c21", "-setcookie", COOKIE, "-kernel", "net_ticktime", "4"])
    e21 = "e21@" + HOST
    feed(p, ["net_adm:ping(%s)." % e21, "monitor_node(%s, true)." % e21,
             "receive {nodedown, N} -> {down, N} after 10000 -> still_up end.", "nodes()."])
    expect(Out(p).finish(timeout=40), "1> pong\n", "3> still_up\n", "4> [%s]\n" % e21)


def case_wrong_cookie_logged(c):
    """A BEAM node with the wrong cookie: cerl refuses it and logs it as erl
    does, naming the node."""
    p = c.cerl_start(["-sname", "c22", "-setcookie", COOKIE])
    assert c.wait_registered("c22")
    b = c.beam("e22", 'io:format("ping ~p~n", [net_adm:ping(c22@%s)]), halt().' % HOST,
               extra=["-setcookie", "wrong"])
    o = Out(p)
    expect(Out(b).finish(), "ping pang")
    assert o.wait("=ERROR REPORT==== "), "no report: " + o.text
    feed(p, ["nodes()."])
    out = o.finish()
    expect(out, "** Connection attempt from node e22@%s rejected. Invalid challenge reply. **\n" % HOST,
           "\n[]\n(c22@%s)2> " % HOST)


def case_malformed_packet_closes_its_connection(c):
    """A peer that sends a packet that is not a distribution message: cerl
    closes that connection, reports it, and keeps its other connections and
    answers the next peer."""
    b = c.beam("e23", 'io:format("up~n"), receive after 60000 -> ok end, halt().')
    assert wait_output(b, "up")
    p = c.cerl_start(["-sname", "c23", "-setcookie", COOKIE])
    assert c.wait_registered("c23")
    e23, c23 = "e23@" + HOST, "c23@" + HOST
    o = Out(p)
    feed(p, ["net_adm:ping(%s)." % e23])
    assert o.wait("pong"), o.text
    epmd = int(c.env["ERL_EPMD_PORT"])
    bad = RawPeer("py1@" + HOST, COOKIE)
    bad.connect(c23, epmd)
    bad.send_packet(b"p\x83h\x01\xff")  # a tuple cut short
    assert bad.closed_within(15), "the connection stayed open"
    bad.close()
    good = RawPeer("py2@" + HOST, COOKIE)
    good.connect(c23, epmd)
    # the node is in nodes() once cerl has taken the connection in: wait for it
    feed(p, ["F = fun W(0) -> nodes(); W(K) -> case lists:member('py2@%s', nodes()) of "
             "true -> lists:sort(nodes()); false -> receive after 50 -> W(K - 1) end end end, F(200)." % HOST])
    assert good.closed_within(1) is False, "the next peer was dropped"
    out = o.finish()
    good.close()
    expect(out, "=ERROR REPORT==== ",
           "** Malformed distribution message from node py1@%s: connection closed **\n" % HOST,
           "\n[%s,py2@%s]\n(c23@%s)3> " % (e23, HOST, HOST))
    wrong = RawPeer("py3@" + HOST, "other")
    try:
        wrong.connect(c23, epmd)
        raise AssertionError("a wrong cookie was let in")
    except (HandshakeError, OSError):
        pass


def case_ping_absent_node_pangs_at_once(c):
    """net_adm:ping to a node epmd does not know, and to a host with no
    epmd: pang, as fast as erl's (well under a second on the loopback)."""
    p = c.cerl_start(["-sname", "c24", "-setcookie", COOKIE])
    assert c.wait_registered("c24")
    feed(p, ["T0 = erlang:monotonic_time(millisecond), R = net_adm:ping(nobody@%s), "
             "{R, erlang:monotonic_time(millisecond) - T0 < 1000}." % HOST,
             "net_adm:ping('nobody@127.0.0.2')."])
    out = Out(p).finish()
    expect(out, "1> {pang,true}\n", "2> pang\n")
