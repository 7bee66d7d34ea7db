#!/bin/bash
# tools/compare and tools/report --history from the command line, on
# logs kept in tests/data: exit statuses, the forms they write (JSON,
# JUnit XML that parses, the HTML pages with their plots), what they
# refuse and what they leave out. The verdict's statistics are tested in
# tests/unit/test_abstat.c and test_compare.c, the whole A/B path with
# real boots in tests/boot/abtest.sh.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
R=${BUILD:-$ROOT/build}/host/vmb-report
D=$ROOT/tests/data
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
. "$ROOT/tests/boot/testlib.sh"

X86=$D/log_x86_64_cdf.txt
ARM=$D/log_arm64_vhe.txt
for f in "$X86" "$ARM"; do
	[ -f "$f" ] || bad "input $f is missing"
done

status() {
	"$@" >"$OUT/out" 2>"$OUT/err"
	echo $?
}

check "--compare --help exits 0" test "$(status "$R" --compare --help)" = 0
check "no -- between the sides is misuse: 128" test "$(status "$R" --compare "$X86" "$X86")" = 128
check "a malformed --floor is misuse: 128" test "$(status "$R" --compare --floor x "$X86" -- "$X86")" = 128
check "a log that cannot be read: 125" test "$(status "$R" --compare /nonexistent -- "$X86")" = 125

# One boot a side: figures, but no verdict (125), and it says why.
rc=$(status "$R" --compare --json "$OUT/one.json" --junit "$OUT/one.xml" "$X86" -- "$X86")
check "one boot a side cannot decide: 125 (got $rc)" test "$rc" = 125
check "and says how many boots the test needs" grep -q "the test needs at least 5 per side" "$OUT/out"
check "the table has the hypercall row" grep -q "^| hypercall | p50 | 1/1 |" "$OUT/out"
check "the JSON parses" python3 -m json.tool "$OUT/one.json"
check "the JUnit XML parses and skips what it cannot decide" python3 -c '
import sys, xml.etree.ElementTree as E
s = E.parse(sys.argv[1]).getroot().find("testsuite")
assert int(s.get("tests")) > 0 and s.get("tests") == s.get("skipped"), s.attrib' "$OUT/one.xml"

# Five copies of one log against five: unchanged everywhere, exit 0.
A=("$X86" "$X86" "$X86" "$X86" "$X86")
rc=$(status "$R" --compare --html "$OUT/same.html" "${A[@]}" -- "${A[@]}")
check "the same five logs on both sides: exit 0 (got $rc)" test "$rc" = 0
check "every p50 unchanged" sh -c "! grep '^| [^|]* | p50 |' '$OUT/out' | grep -v '| unchanged'"
n=$(grep -o 'data:image/svg+xml' "$OUT/same.html" 2>/dev/null | wc -l)
check "the HTML page embeds a CDF per metric ($n)" test "$n" -ge 5

# Different machines: refused (125), compared only with --force, marked.
rc=$(status "$R" --compare "${A[@]}" -- "$ARM" "$ARM" "$ARM" "$ARM" "$ARM")
check "x86_64 against arm64 is refused: 125 (got $rc)" test "$rc" = 125
check "the refusal names what differs" grep -q "REFUSED: arch differs" "$OUT/out"
rc=$(status "$R" --compare --force "${A[@]}" -- "$ARM" "$ARM" "$ARM" "$ARM" "$ARM")
check "--force compares anyway, marked" grep -q "PROVENANCE DIFFERS (compared with --force)" "$OUT/out"

# A log cut short is left out, named.
head -n 20 "$X86" >"$OUT/cut.log"
status "$R" --compare "${A[@]}" "$OUT/cut.log" -- "${A[@]}" >/dev/null
check "a log without its end is left out, named" grep -q "left out $OUT/cut.log (incomplete" "$OUT/out"

# History: three runs, ordered by their time, whatever the order given.
mkdir -p "$OUT/nightly"
for d in 01 02 03; do cp "$X86" "$OUT/nightly/run-$d.log"; done
touch -d '2026-12-01 02:00' "$OUT/nightly/run-03.log"
touch -d '2026-12-02 02:00' "$OUT/nightly/run-01.log"
touch -d '2026-12-03 02:00' "$OUT/nightly/run-02.log"
cp "$OUT/cut.log" "$OUT/nightly/cut.log"
rc=$(status "$R" --history --json "$OUT/h.json" --html "$OUT/h.html" "$OUT/nightly")
check "--history exits 1 when a run is left out (got $rc)" test "$rc" = 1
check "and names it" grep -q "cut.log left out: incomplete" "$OUT/err"
check "three runs laid out" grep -q "^# vmbench history: 3 run(s)" "$OUT/out"
check "runs in time order" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"]
assert [x["file"].rsplit("/", 1)[1] for x in r] == ["run-03.log", "run-01.log", "run-02.log"], r' "$OUT/h.json"
check "a hypercall row over the runs" grep -q "^| hypercall | 3 |" "$OUT/out"
n=$(grep -o 'data:image/svg+xml' "$OUT/h.html" 2>/dev/null | wc -l)
check "the history page has a trend plot per metric ($n)" test "$n" -ge 5

echo "compare_cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
