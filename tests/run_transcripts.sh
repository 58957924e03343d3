#!/usr/bin/env bash
# run_transcripts.sh CERL
# End-to-end tests: pipe each case's input into cerl in a scratch directory
# holding the case's modules, and compare with the expected transcript after
# tests/normalize on both sides (pids and refs renamed, wrapping joined).
#
# A case is a directory tests/transcripts/NAME/ holding input, expected and
# the *.c modules it uses; a file modules-from naming a directory of the
# repository (examples for the article's session) takes the modules from
# there instead. expected comes from real erl wherever erl has the behaviour
# (tests/transcripts/regen runs the .erl twins).
# VALGRIND=1 runs cerl under valgrind and fails a case on any error; a case
# holding a file named no-valgrind (its modules fault on purpose, which
# valgrind reports as errors) is skipped then.
# The date of an "=ERROR REPORT==== <date> ===" line is not compared.
set -u
cerl=$(realpath "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
norm="$top/tests/normalize"
runner=("$cerl")
if [ "${VALGRIND:-0}" = 1 ]; then
    runner=(valgrind -q --error-exitcode=99 --track-origins=yes "$cerl")
fi

passed=0 failed=0
undate() { sed -E 's/(=[A-Z ]+ REPORT====) [^=]* ===/\1 DATE ===/'; }
run_case() { # name moddir input expected
    local name=$1 moddir=$2 input=$3 expected=$4 work got want rc
    if [ "${VALGRIND:-0}" = 1 ] && [ -n "$moddir" ] && [ -e "$moddir/no-valgrind" ]; then
        echo "skip $name (no-valgrind)"; return
    fi
    work=$(mktemp -d)
    [ -n "$moddir" ] && find "$moddir" -maxdepth 1 -name '*.c' -exec cp {} "$work/" \;
    # subdirectories too: other versions of a module (v2/kv.c) for an upgrade
    [ -n "$moddir" ] && find "$moddir" -mindepth 1 -maxdepth 1 -type d -exec cp -r {} "$work/" \;
    got=$(cd "$work" && timeout 60 "${runner[@]}" < "$input" 2>&1; echo "exit status $?")
    want=$(cat "$expected"; echo "exit status 0")
    rm -rf "$work"
    got=$(printf '%s\n' "$got" | undate) want=$(printf '%s\n' "$want" | undate)
    if [ "$(printf '%s\n' "$got" | "$norm")" = "$(printf '%s\n' "$want" | "$norm")" ]; then
        passed=$((passed + 1)); echo "ok   $name"
    else
        failed=$((failed + 1)); echo "FAIL $name"
        diff <(printf '%s\n' "$want" | "$norm") <(printf '%s\n' "$got" | "$norm") | sed 's/^/     /' | head -30
    fi
}

for dir in "$top"/tests/transcripts/*/; do
    [ -f "$dir/input" ] || continue
    moddir=$dir
    [ -f "$dir/modules-from" ] && moddir="$top/$(cat "$dir/modules-from")"
    run_case "$(basename "$dir")" "$moddir" "$dir/input" "$dir/expected"
done
echo "transcripts: $passed passed, $failed failed"
[ "$failed" = 0 ]
