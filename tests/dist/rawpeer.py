"""
tests/dist/rawpeer.py
A node of our own, in Python, for what no BEAM node does on purpose: it
finds a node through epmd, makes the handshake (version 6, erl 23 and
later) with a cookie, and then writes whatever packet a case wants.

    peer = RawPeer("py@host", cookie)
    peer.connect("c1@host", epmd_port)   # raises HandshakeError when refused
    peer.send_packet(b"p" + b"...")
"""
import hashlib
import os
import socket
import struct

# the capabilities erl 25 requires of a peer, and monitors
FLAGS = (0x4 | 0x8 | 0x10 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x20000 | 0x40000
         | 0x1000000)


class HandshakeError(Exception):
    pass


def _recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise HandshakeError("connection closed after %d of %d bytes" % (len(data), n))
        data += chunk
    return data


def _recv_msg(s):
    (n,) = struct.unpack(">H", _recv_exact(s, 2))
    return _recv_exact(s, n)


def _send_msg(s, body):
    s.sendall(struct.pack(">H", len(body)) + body)


def epmd_port(name, epmd):
    """The port epmd on the loopback has for 'name' (its part before @)."""
    alive = name.split("@")[0].encode()
    with socket.create_connection(("127.0.0.1", epmd), timeout=10) as s:
        req = bytes([122]) + alive
        s.sendall(struct.pack(">H", len(req)) + req)
        resp = _recv_exact(s, 2)
        if resp[0] != 119 or resp[1] != 0:
            raise HandshakeError("epmd does not know %s" % name)
        return struct.unpack(">H", _recv_exact(s, 2))[0]


class RawPeer:
    def __init__(self, name, cookie):
        self.name = name.encode()
        self.cookie = cookie.encode()
        self.sock = None

    def connect(self, node, epmd):
        s = socket.create_connection(("127.0.0.1", epmd_port(node, epmd)), timeout=10)
        self.sock = s
        _send_msg(s, b"N" + struct.pack(">QIH", FLAGS, 1, len(self.name)) + self.name)
        status = _recv_msg(s)
        if status[:1] != b"s" or status[1:3] != b"ok":
            raise HandshakeError("status %r" % status)
        ch = _recv_msg(s)
        if ch[:1] != b"N":
            raise HandshakeError("challenge %r" % ch[:1])
        (challenge,) = struct.unpack(">I", ch[9:13])
        digest = hashlib.md5(self.cookie + str(challenge).encode()).digest()
        mine = struct.unpack(">I", os.urandom(4))[0]
        _send_msg(s, b"r" + struct.pack(">I", mine) + digest)
        try:
            ack = _recv_msg(s)
        except (HandshakeError, OSError) as e:
            raise HandshakeError("refused: %s" % e)
        if ack[:1] != b"a" or ack[1:] != hashlib.md5(self.cookie + str(mine).encode()).digest():
            raise HandshakeError("bad ack")

    def send_packet(self, body):
        self.sock.sendall(struct.pack(">I", len(body)) + body)

    def closed_within(self, seconds):
        """Whether the other side closes the connection within 'seconds'
        (what it sends meanwhile is read and dropped)."""
        self.sock.settimeout(seconds)
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except socket.timeout:
            return False
        except OSError:
            return True

    def close(self):
        if self.sock:
            self.sock.close()
