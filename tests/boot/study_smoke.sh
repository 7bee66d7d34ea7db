#!/bin/bash
# make study and make soak, small. The study: two of its runs (arm64's VHE switch with the
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
# make soak, small: a whole run counts complete and leaves nothing; a run
# cut off by its timeout counts incomplete, keeps its log, says where the
# guest was (tools/postmortem), and fails the soak.
"$ROOT/tools/soak" --runs 1 --lab-runs 0 --out "$OUT/soak1" qemu-x86_64-pvh >"$OUT/soak1.out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q 'soak: 1 runs in .*: 0 incomplete' "$OUT/soak1.out" && [ ! -e "$OUT/soak1/qemu-x86_64-pvh-1.log" ] &&
	ok "soak: a whole run counts complete" || { bad "soak of one whole run: exit $rc"; tail -5 "$OUT/soak1.out"; }
"$ROOT/tools/soak" --runs 1 --timeout 2 --options "bench=null,virt_ipi_rtt iters=1000000" \
	--out "$OUT/soak2" qemu-arm64-kernel-el2 >"$OUT/soak2.out" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q '1 incomplete' "$OUT/soak2.out" && ok "soak: a run cut off counts incomplete, exit 1" ||
	{ bad "soak of a cut-off run: exit $rc"; tail -5 "$OUT/soak2.out"; }
check "soak: the incomplete log is kept" test -e "$OUT/soak2/qemu-arm64-kernel-el2-1.log"
check "soak: where the guest was, from QEMU's monitor" grep -q 'VM status: running' "$OUT/soak2/qemu-arm64-kernel-el2-1.stderr"
check "soak: each vCPU's timer, from the gdbstub" grep -q 'CNTHP_CTL_EL2' "$OUT/soak2/qemu-arm64-kernel-el2-1.stderr"
check "soak: vCPU 0's frame chain, each return address placed" \
	grep -Eq '^(pc|lr|#[0-9]+) +0x[0-9a-f]+ (= |\(in no PE image\))' "$OUT/soak2/qemu-arm64-kernel-el2-1.stderr"
# Two at a time, in rounds: both targets run twice, the first two started
# together (each run takes over a second).
"$ROOT/tools/soak" --runs 2 --jobs 2 --load none --out "$OUT/soak3" qemu-x86_64-pvh qemu-arm64-kernel-el2 \
	>"$OUT/soak3.out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q 'soak: 4 runs in .*: 0 incomplete, 0 complete with status fail (load: none, 2 at a time)' "$OUT/soak3.out" &&
	ok "soak --jobs 2: every run ran" || { bad "soak --jobs 2: exit $rc"; tail -5 "$OUT/soak3.out"; }
check "soak --jobs 2: each target twice" grep -Eq '^qemu-arm64-kernel-el2 +2 runs +0 incomplete' "$OUT/soak3/summary.txt"
check "soak --jobs 2: the first two runs at once, one of each target" python3 -c '
import sys
rows = sorted((float(r.split("\t")[2]), r.split("\t")[0], r.split("\t")[1]) for r in open(sys.argv[1]))
assert rows[1][0] - rows[0][0] < 1.0, rows
assert {rows[0][1], rows[1][1]} == {"qemu-x86_64-pvh", "qemu-arm64-kernel-el2"}, rows
assert rows[0][2] == rows[1][2] == "1", rows' "$OUT/soak3/results.tsv"
# A time limit shorter than one run (about 2 s here, longer under load):
# the first runs, the second never starts, and the soak says it was cut
# short (exit 3, not 0).
"$ROOT/tools/soak" --runs 2 --load none --for 1s --options "bench=null,hypercall iters=100000" \
	--out "$OUT/soak4" qemu-x86_64-pvh >"$OUT/soak4.out" 2>&1
rc=$?
[ $rc -eq 3 ] && grep -q 'CUT SHORT by --for 1s: 1 of 2 planned runs ran' "$OUT/soak4.out" &&
	ok "soak --for: cut short, said so, exit 3" || { bad "soak --for 1s: exit $rc"; tail -5 "$OUT/soak4.out"; }
"$ROOT/tools/soak" --for 1.5h qemu-x86_64-pvh >"$OUT/soak5.out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q 'tools/soak: --for takes a time' "$OUT/soak5.out" &&
	ok "soak --for 1.5h: refused with a reason" || { bad "soak --for 1.5h: exit $rc"; tail -3 "$OUT/soak5.out"; }

echo "study_smoke: $passed passed, $failed failed"
[ $failed -eq 0 ]
