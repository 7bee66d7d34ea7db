#!/bin/bash
# make study, small: two of its runs (arm64's VHE switch with the
# breakdown, x86_64 natively) and its real-KVM run, which this machine
# runs only when /dev/kvm runs a guest. Checks the progress lines, the
# kept logs, and every form of the report.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
. "$ROOT/tests/boot/testlib.sh"

"$ROOT/tools/study" --only kvm-x86_64-micro arm64-native-vhe x86_64-native --iters 60 \
	--out "$OUT/s" >"$OUT/console" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "tools/study exits 0" || { bad "tools/study exit $rc"; tail -20 "$OUT/console"; }
C=$OUT/console
check "progress: which run, how far, time left" grep -q 'study: \[1/[23]\] .*started; about [0-9]* min left' "$C"
check "progress: each run's end" grep -qE 'study: \[[23]/[23]\] x86_64-native: complete, status ok' "$C"
if grep -q 'kvm-x86_64-micro: not run: ' "$C"; then
	ok "real KVM left out, with the reason: $(grep -o 'kvm-x86_64-micro: not run: .*' "$C" | cut -c1-100)"
else
	check "real KVM ran where /dev/kvm can" test -s "$OUT/s/logs/kvm-x86_64-micro.log"
fi
check "every log kept" test -s "$OUT/s/logs/arm64-native-vhe.log" -a -s "$OUT/s/logs/x86_64-native.log"
check "the tables on the console" grep -q '| operation | arm64 native (EMULATED) | x86_64 native (EMULATED) |' "$C"
check "the VHE breakdown" grep -q 'hypercall_switch.vhe p50' "$OUT/s/study.md"
check "CSV form" grep -q '^micro,hypercall,Hypercall,,x86_64,native,true,' "$OUT/s/study.csv"
check "JSON form" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["columns"]) == 2' "$OUT/s/study.json"
check "HTML report with plots" grep -q 'data:image/svg+xml;base64,' "$OUT/s/study.html"
check "where it all is" grep -q "study: HTML report: $OUT/s/study.html" "$C"
echo "study_smoke: $passed passed, $failed failed"
[ $failed -eq 0 ]
