#!/usr/bin/env python3
"""mutate_objects.py CERL [COUNT] [SEED]

A mutation campaign on the loader, end to end: COUNT corrupt versions of
tcc-compiled objects (truncations, bit flips, and targeted changes to the ELF
header, section headers, symbols and relocations), each loaded by a fresh
CERL with `l(t).` followed by `1+1.`. A case fails when cerl dies, hangs
(10 s), or does not answer the next command. Prints one line per failure
and a summary; exits 1 when any case failed. Failing objects are kept in
./mutate-failures/.
"""
import os, random, shutil, struct, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "corpus", "object")


def seeds():
    out = []
    for name in sorted(os.listdir(SEEDS)):
        data = open(os.path.join(SEEDS, name), "rb").read()
        if data[:4] == b"\x7fELF":
            out.append((name, bytearray(data)))
    return out


def u(fmt, d, off):
    return struct.unpack_from(fmt, d, off)[0]


def mutate(d, rnd):
    d = bytearray(d)
    shoff, shnum = u("<Q", d, 0x28), u("<H", d, 0x3C)
    kind = rnd.randrange(9)
    if kind == 0:  # truncate
        del d[rnd.randrange(len(d)):]
    elif kind == 1:  # flip bits anywhere
        for _ in range(rnd.randint(1, 8)):
            i = rnd.randrange(len(d))
            d[i] ^= 1 << rnd.randrange(8)
    elif kind == 2:  # ELF header fields
        off, fmt = rnd.choice([(0x28, "<Q"), (0x3C, "<H"), (0x3E, "<H"), (0x3A, "<H"), (0x10, "<H"), (0x12, "<H"), (4, "<B"), (5, "<B")])
        val = rnd.choice([0, 1, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFFFFFF, rnd.getrandbits(16), len(d), len(d) - 1])
        struct.pack_into(fmt, d, off, val & ((1 << (8 * struct.calcsize(fmt))) - 1))
    elif kind in (3, 4):  # a section header field
        i = rnd.randrange(shnum)
        base = shoff + 64 * i
        off, fmt = rnd.choice([(4, "<I"), (8, "<Q"), (24, "<Q"), (32, "<Q"), (40, "<I"), (44, "<I"), (48, "<Q"), (56, "<Q"), (0, "<I")])
        val = rnd.choice([0, 1, 2, 3, 4, 8, 9, 0xFFFFFFFF, 0x7FFFFFFF, 1 << 40, len(d), rnd.getrandbits(32), shnum, shnum + 1])
        if base + off + struct.calcsize(fmt) <= len(d):
            struct.pack_into(fmt, d, base + off, val & ((1 << (8 * struct.calcsize(fmt))) - 1))
    else:  # a symbol or relocation entry field
        tabs = []
        for i in range(shnum):
            b = shoff + 64 * i
            if u("<I", d, b + 4) in (2, 4):  # SYMTAB, RELA
                tabs.append((u("<Q", d, b + 24), u("<Q", d, b + 32)))
        if tabs:
            off, size = rnd.choice(tabs)
            n = max(1, size // 24)
            e = off + 24 * rnd.randrange(n)
            field = rnd.randrange(24)
            if e + field < len(d):
                d[e + field] = rnd.choice([0, 0xFF, 0x7F, 0x80, rnd.getrandbits(8), d[e + field] ^ (1 << rnd.randrange(8))])
    return d


def run(cerl, work, data):
    with open(os.path.join(work, "t.o"), "wb") as f:
        f.write(data)
    try:
        p = subprocess.run([cerl], input=b"l(t).\n1+1.\n", cwd=work, capture_output=True, timeout=10)
    except subprocess.TimeoutExpired:
        return "hang"
    out = p.stdout.decode("latin-1")
    if p.returncode < 0:
        return "signal %d" % -p.returncode
    if p.returncode != 0:
        return "exit %d" % p.returncode
    if "2> 2\n" not in out and "\n2\n" not in out:
        return "no answer: " + out[-200:].replace("\n", "|")
    return None


def main():
    cerl = os.path.abspath(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    pool = seeds()
    work = tempfile.mkdtemp()
    fails = 0
    kinds = {}
    for k in range(count):
        name, seed = rnd.choice(pool)
        data = mutate(seed, rnd)
        why = run(cerl, work, data)
        if why:
            fails += 1
            key = why.split(":")[0]
            kinds[key] = kinds.get(key, 0) + 1
            os.makedirs("mutate-failures", exist_ok=True)
            path = os.path.join("mutate-failures", "case-%d-%s" % (k, name))
            open(path, "wb").write(data)
            print("FAIL %s (%s): %s" % (path, name, why))
    shutil.rmtree(work)
    print("mutate_objects: %d cases, %d failed %s" % (count, fails, kinds or ""))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
