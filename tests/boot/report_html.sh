#!/bin/bash
# The study's HTML report, looked at as its users see it: written by the
# report tool from logs of several modes, rendered in headless Chromium,
# and the screenshot read back (tests/boot/png.py): the page is drawn,
# its plots are there, the emulation banner is there. Also: self-contained
# (nothing fetched at view time), every plot marked EMULATED where its
# figures are, and a clear failure without gnuplot.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
R=${BUILD:-$ROOT/build}/host/vmb-report
D=$ROOT/tests/data
PNG="python3 $ROOT/tests/boot/png.py"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
. "$ROOT/tests/boot/testlib.sh"

LOGS=("$D/log_x86_64_cdf.txt" "$D/log_lab_io.txt" "$D/log_arm64_vhe.txt" "$D/log_arm64_xen.txt"
	"$D/log_net_host.txt")
for f in "${LOGS[@]}"; do
	[ -f "$f" ] || bad "input $f is missing"
done

"$R" --html "$OUT/study.html" "${LOGS[@]}" 2>"$OUT/err"
rc=$?
[ $rc -eq 0 ] && ok "--html exits 0 on whole logs" || { bad "--html exit $rc"; cat "$OUT/err"; }
H=$OUT/study.html
[ -s "$H" ] || bad "no HTML written"

# The page: tables, plots as embedded SVG, the emulation marked.
n_img=$(grep -o 'src="data:image/svg+xml;base64,' "$H" | wc -l)
# From these logs: five Micro Numbers rows with figures, the VHE log's
# breakdown, and the latency CDFs of net_rr, net_rr.udp, sockperf (2),
# io_out and io_in.
[ "$n_img" -ge 11 ] && ok "$n_img plots embedded as SVG" || bad "only $n_img plots embedded"
check "the banner says figures are emulated" grep -q 'class=banner>EMULATED' "$H"
check "the Micro Numbers table is there" grep -q ">Micro Numbers</h2>" "$H"
check "a column is marked emulated" grep -q 'x86_64 native (EMULATED)' "$H"
check "the breakdown table is there" grep -q '<th>EL1 system registers</th>' "$H"
check "the TCP_RR table is there" grep -q ">TCP_RR</h2>" "$H"
# Self-contained: nothing to fetch when the page is viewed.
# (grep -c reads to the end: a grep -q that stops early would kill the
# writer of a long pipe with SIGPIPE, which pipefail takes for a failure.)
if [ "$(grep -oE '(src|href)="[a-z]+:' "$H" | grep -cv 'src="data:')" != 0 ]; then
	bad "the page refers to something outside itself"
else
	ok "the page refers to nothing outside itself"
fi
# Every plot of these emulated logs says so in its own title.
all_marked=1
while read -r b64; do
	[ "$(echo "$b64" | base64 -d | grep -c 'EMULATED: not hardware figures')" != 0 ] || all_marked=0
done < <(grep -o 'base64,[A-Za-z0-9+/=]*' "$H" | cut -d, -f2)
[ $all_marked -eq 1 ] && ok "every plot is marked EMULATED" || bad "a plot of emulated figures is not marked"

# The CDF of a new image's figure has its 21 points, p1 and p99 between.
npts=$("$R" --study --json "$D/log_x86_64_cdf.txt" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(max(len(s["points"]) for r in d["latency"] if r["bench"] == "net_rr" for s in r["series"]))')
[ "${npts:-0}" -ge 23 ] && ok "net_rr's CDF has $npts points" || bad "net_rr's CDF has ${npts:-no} points, want 23"

# A damaged log: the page says so.
sed 's/"p50":24838,/"p50":24839,/' "$D/log_x86_64_cdf.txt" >"$OUT/damaged.txt"
"$R" --html "$OUT/damaged.html" "$OUT/damaged.txt" 2>/dev/null
check "a damaged log is marked DAMAGED on the page" grep -q '>DAMAGED<' "$OUT/damaged.html"

# Text from a log reaches the page and gnuplot's script: it must stay
# text (no command run by gnuplot's backquotes or a broken quote, no
# markup on the page), and a temporary directory's name must not matter.
sed -e 's/"mode":"native"/"mode":"x`touch '"${OUT//\//\\/}"'\/pwned1`"/' \
	-e 's/"irqchip":"gicv3"/"irqchip":"<img src=x onerror=alert(1)>"/' \
	-e 's/"bench":"breakdown.gp","unit":"cycles"/"bench":"breakdown.gp","unit":"cyc'"'"'\\nsystem '"'"'touch pwned2'"'"'"/' \
	"$D/log_arm64_breakdown.txt" >"$OUT/hostile.txt"
mkdir -p "$OUT/tmp'\$(touch pwned3)'"
(cd "$OUT" && TMPDIR="$OUT/tmp'\$(touch pwned3)'" "$R" --html "$OUT/hostile.html" "$OUT/hostile.txt" \
	>/dev/null 2>"$OUT/err")
grep -q 'x`touch' "$OUT/hostile.txt" && grep -q "cyc'" "$OUT/hostile.txt" || bad "the hostile log was not made"
[ -s "$OUT/hostile.html" ] && ok "a hostile log still gives a page" || { bad "no page from a hostile log"; cat "$OUT/err"; }
[ ! -e "$OUT/pwned1" ] && [ ! -e "$OUT/pwned2" ] && [ ! -e "$OUT/tmp'\$(touch pwned3)'/pwned2" ] &&
	[ ! -e "$OUT/pwned3" ] && ok "no command from the log or TMPDIR ran" || bad "a command from the log or TMPDIR ran"
check "markup from a log is shown as text" grep -q '&lt;img src=x' "$OUT/hostile.html"
if grep -q '<img src=x' "$OUT/hostile.html"; then bad "markup from a log reached the page"; else ok "no markup from a log on the page"; fi

# Network time rows keep their figure in CSV.
"$R" --study --csv "$D/log_lab_io.txt" >"$OUT/io.csv" 2>/dev/null
check "CSV: time per transaction has its ns" python3 -c '
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["label"] == "time per transaction"]
assert rows and float(rows[0]["ns"]) > 0' "$OUT/io.csv"
check "CSV: the latency CDFs, a row per point" grep -q '^latency,net_rr,' "$OUT/io.csv"

# Without gnuplot: a clear failure, not a page without plots.
PATH=/nonexistent "$R" --html "$OUT/nognuplot.html" "$D/log_x86_64_cdf.txt" 2>"$OUT/err"
rc=$?
[ $rc -eq 2 ] && grep -q 'is gnuplot installed' "$OUT/err" && ok "without gnuplot: exit 2, says why" ||
	{ bad "without gnuplot: exit $rc"; cat "$OUT/err"; }
[ ! -e "$OUT/nognuplot.html" ] && ok "without gnuplot: no half page left" || bad "a page without plots was left"

# Rendered as a user sees it.
CHROMIUM=$(command -v chromium || true)
if [ -z "$CHROMIUM" ]; then
	bad "chromium is not installed (tools/setup installs it)"
else
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$OUT/profile" --window-size=1400,4000 \
		--screenshot="$OUT/shot.png" "file://$H" >/dev/null 2>&1
	if [ ! -s "$OUT/shot.png" ]; then
		bad "Chromium took no screenshot"
	else
		read -r w h colours < <($PNG info "$OUT/shot.png")
		[ "$w" = 1400 ] && [ "$h" = 4000 ] && ok "screenshot ${w}x$h" || bad "screenshot ${w}x$h"
		# A blank or broken page has a few colours; text, tables and plots many.
		[ "${colours:-0}" -ge 50 ] && ok "the page is drawn ($colours colours)" ||
			bad "the page looks blank ($colours colours)"
		red=$($PNG count "$OUT/shot.png" cc0000 12)
		[ "${red:-0}" -ge 5000 ] && ok "the red EMULATED banner is drawn ($red px)" ||
			bad "no banner in the screenshot ($red px)"
		# The bars' blue (gnuplot's #4472c4 at 60 % on white), one band
		# of rows per plot of bars.
		bands=$($PNG rows "$OUT/shot.png" 8faadc 10 | awk '$2 - $1 > 5' | wc -l)
		[ "$bands" -ge 3 ] && ok "bar plots are drawn ($bands bands of bars)" ||
			bad "bar plots not seen in the screenshot ($bands bands)"
		[ -n "${VMB_KEEP_SCREENSHOT:-}" ] && cp "$OUT/shot.png" "$VMB_KEEP_SCREENSHOT"
	fi
fi

echo "report_html: $passed passed, $failed failed"
[ $failed -eq 0 ]
