"""
tests/dist/io_cases.py
Cases of tests/dist/run.py for I/O across nodes and what rpc returns when
the call raises: a process cerl starts on a BEAM node (spawn/4, rpc:call,
rpc:cast) has cerl's group leader, and what it prints shows on cerl's
output as it shows on erl's; the replies of that I/O server to the
requests it does not serve; erpc's stack traces of errors, both ways; and
global:sync/0 from cerl. run.py calls install() to add them to its cases.

The expected outputs are erl's (OTP 25, input piped as here) against the
same kind of BEAM node, except where a case says otherwise.
"""
import os
import select
import time


def install(ns):
    """Adds the cases below to run.py's namespace ns, and takes its helpers."""
    g = globals()
    for k in ("HOST", "COOKIE", "feed", "wait_output", "finish", "expect"):
        g[k] = ns[k]
    for name, fn in list(g.items()):
        if name.startswith("case_io_"):
            ns[name] = fn


class Bytes:
    """A process's output read from its descriptor, kept whole and decoded
    as Latin-1: cerl's standard output is a Latin-1 device, as erl's is
    when its input is piped, and a byte above 127 is a character."""

    def __init__(self, p):
        self.p = p
        self.fd = p.stdout.fileno()
        self.text = ""

    def read(self, timeout):
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return True
        chunk = os.read(self.fd, 65536)
        self.text += chunk.decode("latin-1")
        return bool(chunk)

    def wait(self, needle, timeout=30):
        end = time.time() + timeout
        while needle not in self.text and time.time() < end and self.read(0.2):
            pass
        return needle in self.text

    def finish(self, timeout=60):
        """Closes the input and returns all the output."""
        self.p.stdin.close()
        end = time.time() + timeout
        while time.time() < end and self.read(0.2):
            pass
        self.p.wait(timeout=5)
        return self.text


def beam_up(c, name):
    b = c.beam(name, 'io:format("up~n"), receive after 90000 -> ok end, halt().')
    assert wait_output(b, "up"), "the BEAM node %s did not start" % name
    return b


def case_io_remote_process_prints_here(c):
    """A process spawn/4, rpc:call and rpc:cast start on a BEAM node has
    cerl's group leader: io:format, io:put_chars, io:write and io:nl there
    print on cerl's output (rpc:call's output before its value), and the
    process ends instead of waiting for an answer forever. Characters as
    erl's Latin-1 device writes them: one above 255 as \\x{20AC}, in a
    format string too (cerl announces unicode io in its handshake, so the
    requests carry their encoding)."""
    beam_up(c, "e30")
    e = "e30@" + HOST
    p = c.cerl_start(["-sname", "c30", "-setcookie", COOKIE])
    o = Bytes(p)
    feed(p, ["net_adm:ping(%s)." % e,
             'P = spawn(%s, io, format, ["hello ~p~n", [world]]).' % e])
    assert o.wait("hello world\n"), "spawn/4's output never came:\n" + o.text
    feed(p, ["rpc:call(%s, erlang, is_process_alive, [P], 10000)." % e,
             'rpc:call(%s, io, format, ["hi ~p~n", [there]], 10000).' % e,
             'rpc:call(%s, io, format, ["~ts|~s|~w~n", [[8364], [233], {a, "b"}]], 10000).' % e,
             'rpc:call(%s, io, put_chars, [[<<"bin ">>, "list", 233, $\\n]], 10000).' % e,
             'rpc:call(%s, io, put_chars, [<<"utf8 ", 226, 130, 172, 10>>], 10000).' % e,
             'rpc:call(%s, io, write, [{x, [1]}], 10000).' % e,
             'rpc:call(%s, io, nl, [], 10000).' % e,
             'rpc:call(%s, io, format, [[8364, $\\s, $~, $p, $\\n], [x]], 10000).' % e,
             'rpc:cast(%s, io, format, ["cast ~p~n", [1]]).' % e])
    assert o.wait("cast 1\n"), "rpc:cast's output never came:\n" + o.text
    out = o.finish()
    # the spawned process's line may come before or after the next prompt
    expect(out, "false\n(c30@%s)4> hi there\nok\n" % HOST,
           "(c30@%s)5> \\x{20AC}|\xe9|{a,[98]}\nok\n" % HOST,
           "(c30@%s)6> bin list\xe9\nok\n" % HOST,
           "(c30@%s)7> utf8 \\x{20AC}\nok\n" % HOST,
           "(c30@%s)8> {x,[1]}ok\n" % HOST,
           "(c30@%s)9> \nok\n" % HOST,
           "(c30@%s)10> \\x{20AC} x\nok\n" % HOST,
           "(c30@%s)11> true\n" % HOST)


def case_io_requests_it_does_not_serve(c):
    """cerl's I/O server answers what it does not serve rather than leaving
    the caller waiting: {error, request} for an unknown request (erl's
    group leader at a terminal answers so; with piped input erl's answers
    {error, {request, R}}), {error, enotsup} for input (erl reads the
    terminal; cerl's shell owns it), a bad format makes io:format fail
    with badarg on the BEAM node, as erl's; getopts as erl's Latin-1
    device; a batch of requests ({requests, L}) served in order; a list
    nested 20000 deep printed (it once overflowed the server's stack)."""
    beam_up(c, "e31")
    e = "e31@" + HOST
    p = c.cerl_start(["-sname", "c31", "-setcookie", COOKIE])
    o = Bytes(p)
    feed(p, ["GL = rpc:call(%s, erlang, group_leader, [], 10000), is_pid(GL)." % e,
             "rpc:call(%s, io, request, [GL, {foo}], 5000)." % e,
             "rpc:call(%s, io, get_line, ['p> '], 5000)." % e,
             "rpc:call(%s, io, getopts, [], 5000)." % e,
             'element(1, element(2, element(2, rpc:call(%s, io, format, ["~p~n", [a, b]], 5000)))).' % e,
             'rpc:call(%s, io, request, [GL, {requests, [{put_chars, unicode, "r1\\n"}, '
             '{put_chars, latin1, <<"r2\\n">>}]}], 5000).' % e,
             "rpc:call(%s, io, request, [GL, {put_chars, latin1, [8364]}], 5000)." % e,
             'L = lists:foldl(fun(_, A) -> [A] end, "deep\\n", lists:seq(1, 20000)), ok.',
             "R = make_ref(), GL ! {io_request, self(), R, {put_chars, unicode, L}}, "
             "receive {io_reply, R, X} -> X after 5000 -> none end."])
    out = o.finish(timeout=90)
    expect(out, "1> true\n", "2> {error,request}\n", "3> {error,enotsup}\n",
           "4> [{binary,false},{encoding,latin1}]\n", "5> badarg\n", "6> r1\nr2\nok\n",
           "7> {error,put_chars}\n", "9> deep\nok\n")


def case_io_rpc_error_stack(c):
    """rpc:call of a function that raises: {badrpc, {'EXIT', {Reason,
    Stack}}} with erpc's trimmed stack, as erl gives it, from a BEAM node
    into cerl (it was [] there) and from cerl into its own node (it raised
    there); exit and throw as erl's."""
    p = c.cerl_start(["-sname", "c32", "-setcookie", COOKIE])
    assert c.wait_registered("c32")
    b = c.beam("e32", ('[io:format("~p~n", [rpc:call(c32@%s, M, F, A, 10000)]) || {M, F, A} <- '
                       '[{erlang, error, [x]}, {erlang, error, [x, [1]]}, {lists, nosuch, [1]}, '
                       '{erlang, exit, [y]}, {erlang, throw, [z]}]], halt().') % HOST)
    bout = finish(b, timeout=60)
    feed(p, ["rpc:call(node(), erlang, error, [x]).", "rpc:call(node(), erlang, exit, [y]).",
             "rpc:call(node(), erlang, throw, [z]).", "rpc:call(node(), lists, nosuch, [1])."])
    out = finish(p)
    expect(bout, "{badrpc,{'EXIT',{x,[{erlang,error,[x],[]}]}}}\n",
           "{badrpc,{'EXIT',{x,[{erlang,error,[x,[1]],[]}]}}}\n",
           "{badrpc,{'EXIT',{undef,[{lists,nosuch,[1],[]}]}}}\n", "{badrpc,{'EXIT',y}}\nz\n")
    expect(out, "1> {badrpc,{'EXIT',{x,[{erlang,error,[x],[]}]}}}\n", "2> {badrpc,{'EXIT',y}}\n",
           "3> z\n", "4> {badrpc,{'EXIT',{undef,[{lists,nosuch,[1],[]}]}}}\n")


def case_io_global_sync(c):
    """global:sync() from cerl connected to a BEAM node: ok, as erl's (it
    was undef). cerl holds no global names: there is nothing of its own to
    exchange."""
    beam_up(c, "e33")
    p = c.cerl_start(["-sname", "c33", "-setcookie", COOKIE])
    feed(p, ["net_adm:ping(e33@%s)." % HOST, "global:sync()."])
    expect(finish(p), "1> pong\n", "2> ok\n")
