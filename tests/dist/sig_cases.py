"""
tests/dist/sig_cases.py
Cases of tests/dist/run.py for what crosses nodes besides messages: links,
monitors ('DOWN' and 'EXIT' with the exiting process's reason, noproc,
noconnection), demonitor and unlink, spawn requests (spawn/4 both ways,
rpc:call and rpc:cast from a BEAM node into cerl modules), and cerl as a
visible or hidden node. run.py calls install() to add them to its cases;
they use its helpers.
"""
import os
import select
import shutil
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def read_until(p, needle, timeout=40):
    """What p has written by the time it writes needle (all it wrote by
    the timeout when it does not). Reads the pipe's descriptor itself: a
    line already in a file object's buffer would not wake select()."""
    end = time.time() + timeout
    fd = p.stdout.fileno()
    got = b""
    while needle.encode() not in got and time.time() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            got += chunk
    return got.decode(errors="replace")


def install(ns):
    """Adds the cases below to run.py's namespace ns, and takes its helpers."""
    g = globals()
    for k in ("HOST", "COOKIE", "feed", "wait_output", "finish", "expect"):
        g[k] = ns[k]
    for name, fn in list(g.items()):
        if name.startswith("case_sig_"):
            ns[name] = fn


# An erl expression waiting (up to 20 s, never a fixed time) until
# Name is registered on Node, binding Var to its pid.
def await_remote(var, name, node):
    return ('%s = (fun W(0) -> none; W(N) -> case rpc:call(%s, erlang, whereis, [%s]) of '
            'P when is_pid(P) -> P; _ -> receive after 100 -> W(N - 1) end end end)(200)') % (var, node, name)


def case_sig_beam_monitors_and_links_cerl(c):
    """From a BEAM node, on processes of cerl: cerl is in its nodes();
    monitor by name and by pid and link give 'DOWN' and 'EXIT' with the
    process's own reason; a name nobody has gives noproc at once; a
    monitor taken back gives nothing; when cerl ends, what is left gives
    noconnection."""
    p = c.cerl_start(["-sname", "c20", "-setcookie", COOKIE])
    assert c.wait_registered("c20")
    c20 = "c20@" + HOST
    feed(p, ["spawn(fun() -> register(box, self()), receive {stop, R} -> exit(R) end end), ok.",
             "spawn(fun() -> register(box2, self()), receive {stop, R} -> exit(R) end end), ok."])
    b = c.beam("e20", (
        'C = ' + c20 + ', pong = net_adm:ping(C), io:format("visible ~p~n", [nodes()]), '
        + await_remote("Box", "box", "C") + ', ' + await_remote("Box2", "box2", "C") + ', '
        'process_flag(trap_exit, true), '
        'M1 = monitor(process, {box, C}), M2 = monitor(process, Box), '
        'M3 = monitor(process, {nosuch, C}), '
        'receive {\'DOWN\', M3, process, O3, R3} -> io:format("nosuch ~p ~p~n", [O3, R3]) after 20000 -> io:format("timeout~n") end, '
        'M4 = monitor(process, Box), true = demonitor(M4), link(Box), Box ! {stop, bye}, '
        'receive {\'DOWN\', M1, process, O1, R1} -> io:format("by name ~p ~p~n", [O1, R1]) after 20000 -> io:format("timeout~n") end, '
        'receive {\'DOWN\', M2, process, Box, R2} -> io:format("by pid ~p~n", [R2]) after 20000 -> io:format("timeout~n") end, '
        'receive {\'EXIT\', Box, R4} -> io:format("link ~p~n", [R4]) after 20000 -> io:format("timeout~n") end, '
        'receive {\'DOWN\', M4, _, _, _} -> io:format("demonitor failed~n") after 500 -> io:format("demonitored~n") end, '
        'M5 = monitor(process, Box2), link(Box2), io:format("armed~n"), '
        'receive {\'DOWN\', M5, process, Box2, R5} -> io:format("gone ~p~n", [R5]) after 20000 -> io:format("timeout ~p~n", [process_info(self(), messages)]) end, '
        'receive {\'EXIT\', Box2, R6} -> io:format("unlinked by ~p~n", [R6]) after 20000 -> io:format("timeout~n") end, '
        'halt().'))
    bout = read_until(b, "armed")
    assert "armed" in bout, "the BEAM node never got its monitors set:\n" + bout
    feed(p, ["halt()."])
    finish(p)
    bout += finish(b)
    expect(bout, "visible [%s]" % c20, "nosuch {nosuch,%s} noproc" % c20, "by name {box,%s} bye" % c20,
           "by pid bye", "link bye", "demonitored", "gone noconnection", "unlinked by noconnection")


BEAM_WORKERS = ('[register(N, spawn(fun() -> receive {stop, R} -> exit(R) end end)) || N <- [w, w2, w3, w4]], '
                'register(ctl, self()), io:format("workers ready~n"), '
                'receive halt_now -> halt() after 60000 -> halt() end.')


def case_sig_cerl_monitors_and_links_beam(c):
    """From cerl, on processes of a BEAM node: monitor by name and by pid
    and link give 'DOWN' and 'EXIT' with the process's own reason
    (normal included, trapped); noproc for a name nobody has; demonitor and
    unlink take them back; when the BEAM node ends, noconnection."""
    b = c.beam("e21", BEAM_WORKERS)
    assert wait_output(b, "workers ready", timeout=30)
    p = c.cerl_start(["-sname", "c21", "-setcookie", COOKIE])
    e = "e21@" + HOST
    w = "receive %s after 20000 -> timeout end."
    feed(p, ["process_flag(trap_exit, true).",
             "M1 = monitor(process, {w, %s})." % e,
             "{w, %s} ! {stop, bye}." % e,
             w % "{'DOWN', M1, process, O1, R1} -> {down, O1, R1}",
             "W2 = rpc:call(%s, erlang, whereis, [w2]), link(W2), M2 = monitor(process, W2), W2 ! {stop, normal}." % e,
             w % "{'EXIT', W2, R2} -> {exit, R2}",
             w % "{'DOWN', M2, process, W2, R3} -> {down, R3}",
             "M3 = monitor(process, {nosuch, %s})." % e,
             w % "{'DOWN', M3, process, O4, R4} -> {O4, R4}",
             "W3 = rpc:call(%s, erlang, whereis, [w3]), M4 = monitor(process, W3), demonitor(M4), "
             "link(W3), unlink(W3), W3 ! {stop, boom}." % e,
             "receive {'DOWN', M4, _, _, _} = X -> X; {'EXIT', W3, _} = Y -> Y after 1000 -> quiet end.",
             "W4 = rpc:call(%s, erlang, whereis, [w4]), link(W4), M5 = monitor(process, W4), {ctl, %s} ! halt_now." % (e, e),
             w % "{'EXIT', W4, R5} -> {exit, R5}",
             w % "{'DOWN', M5, process, W4, R6} -> {down, R6}"])
    out = finish(p, timeout=60)
    finish(b)
    expect(out, "4> {down,{w,%s},bye}\n" % e, "6> {exit,normal}\n", "7> {down,normal}\n",
           "9> {{nosuch,%s},noproc}\n" % e, "11> quiet\n", "13> {exit,noconnection}\n",
           "14> {down,noconnection}\n")


def case_sig_rpc_and_spawn_from_beam(c):
    """From a BEAM node into cerl: rpc:call/4,5 of a cerl module's function
    (its value), of one that raises ({badrpc, {'EXIT', ...}}), of a module
    that is not there (undef), with a timeout ({badrpc, timeout});
    rpc:cast (the call runs); spawn/4 (a pid of cerl, which runs and
    answers); spawn_monitor/4 and spawn_link/4 (the 'DOWN' and the 'EXIT'
    with the process's reason)."""
    shutil.copy(os.path.join(HERE, "dbl.c"), c.home)
    p = c.cerl_start(["-sname", "c22", "-setcookie", COOKIE])
    assert c.wait_registered("c22")
    c22 = "c22@" + HOST
    feed(p, ["c(dbl).", "register(box, self()).",
             "receive cast_arrived -> got_cast after 30000 -> timeout end."])
    b = c.beam("e22", (
        'C = ' + c22 + ', ' + await_remote("_Box", "box", "C") + ', '
        'io:format("call ~p~n", [rpc:call(C, dbl, twice, [21])]), '
        'io:format("call5 ~p~n", [rpc:call(C, dbl, twice, [50], 5000)]), '
        'io:format("raised ~p~n", [rpc:call(C, erlang, error, [boom])]), '
        'io:format("undef ~p~n", [rpc:call(C, nosuchmod, f, [])]), '
        'io:format("slow ~p~n", [rpc:call(C, timer, sleep, [3000], 100)]), '
        'io:format("cast ~p~n", [rpc:cast(C, erlang, send, [box, cast_arrived])]), '
        'P = spawn(C, dbl, tell, [self(), hi]), io:format("spawned on ~p~n", [node(P)]), '
        'receive {P, hi} -> io:format("told~n") after 20000 -> io:format("timeout~n") end, '
        '{P2, M2} = spawn_monitor(C, dbl, twice, [1]), '
        'receive {\'DOWN\', M2, process, P2, R2} -> io:format("spawn_monitor ~p ~p~n", [node(P2), R2]) '
        'after 20000 -> io:format("timeout~n") end, '
        'process_flag(trap_exit, true), P3 = spawn_link(C, erlang, exit, [bye]), '
        'receive {\'EXIT\', P3, R3} -> io:format("spawn_link ~p~n", [R3]) after 20000 -> io:format("timeout~n") end, '
        'halt().'))
    bout = finish(b, timeout=60)
    out = finish(p)
    expect(bout, "call 42\n", "call5 100\n", "raised {badrpc,{'EXIT',{boom,", "undef {badrpc,{'EXIT',{undef,",
           "slow {badrpc,timeout}\n", "cast true\n", "spawned on %s\n" % c22, "told\n",
           "spawn_monitor %s normal\n" % c22, "spawn_link bye\n")
    expect(out, "got_cast\n")


def case_sig_spawn_from_cerl(c):
    """spawn/4 from cerl: a process of the BEAM node, which runs (its
    message arrives) and whose end a monitor sees; onto a node that is not
    there: a local process that reports as erl's does and exits with
    noconnection."""
    b = c.beam("e23", 'register(ctl, self()), io:format("ready~n"), receive halt_now -> halt() after 60000 -> halt() end.')
    assert wait_output(b, "ready", timeout=30)
    p = c.cerl_start(["-sname", "c23", "-setcookie", COOKIE])
    e = "e23@" + HOST
    feed(p, ["P = spawn(%s, erlang, send, [self(), from_beam]), node(P)." % e,
             "receive from_beam -> got after 20000 -> timeout end.",
             "Q = spawn(%s, timer, sleep, [200]), M = monitor(process, Q), "
             "receive {'DOWN', M, process, Q, R} -> R after 20000 -> timeout end." % e,
             "X = spawn(nobody@%s, m, f, [1]), MX = monitor(process, X), {node(X) =:= node(), "
             "receive {'DOWN', MX, process, X, RX} -> RX after 20000 -> timeout end}." % HOST,
             "{ctl, %s} ! halt_now." % e])
    out = finish(p)
    finish(b)
    expect(out, "1> %s\n" % e, "2> got\n", "3> normal\n", "** Can not start m:f,[1] on nobody@%s **" % HOST,
           "{true,noconnection}\n")


def case_sig_hidden_node(c):
    """-hidden: a BEAM node reaches cerl (pong) but lists it in
    nodes(hidden), not in nodes()."""
    p = c.cerl_start(["-sname", "c24", "-setcookie", COOKIE, "-hidden"])
    assert c.wait_registered("c24")
    b = c.beam("e24", 'io:format("~p ~p ~p~n", [net_adm:ping(c24@%s), nodes(), nodes(hidden)]), halt().' % HOST)
    bout = finish(b)
    finish(p)
    expect(bout, "pong [] [c24@%s]" % HOST)
