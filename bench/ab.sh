#!/usr/bin/env bash
# bench/ab.sh CERL_A CERL_B [ROUNDS]
# Scheduler A/B: the ping-pong round trip and the 1000-process ring of two
# cerl binaries (say, before and after a change), runs interleaved so that
# both see the same machine load; prints min and median per figure. On a
# shared machine the minimum is the steadier figure.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
a=$(realpath "$1") b=$(realpath "$2") rounds=${3:-6}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here"/c/b_pingpong.c "$here"/c/b_ring.c "$here"/c/bench.h "$work"/
cd "$work"
printf 'c(b_pingpong).\nc(b_ring).\n' | "$a" >/dev/null
for i in $(seq "$rounds"); do
    for bin in "$a" "$b"; do
        printf 'b_pingpong:run(200000).\nb_ring:run(1000, 200).\nb_ring:run(1000, 200).\n' | "$bin" 2>&1 |
            grep -o '@@ .*' | sed "s|^|$bin |"
    done
done | python3 -c '
import collections, statistics, sys
d = collections.defaultdict(list)
for line in sys.stdin:
    binary, _, key, value = line.split()
    d[(key, binary)].append(float(value))
for (key, binary), v in sorted(d.items()):
    print("%-18s %-40s min %7.1f  median %7.1f  (n=%d)" % (key, binary, min(v), statistics.median(v), len(v)))
'
