#!/bin/bash
# Proves tests/boot/check_records.py can fail: it must accept the clean
# logs in tests/data and reject each doctored one (tests/data/log_bad_*,
# log_budget_other, log_kvm_cheap_trap, a zero-cost trap where the counter
# read itself traps, a one-way IPI above its round trip) with the reason it
# was doctored
# for, and reject a missing or empty log. Prints "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
C=$ROOT/tests/boot/check_records.py
D=$ROOT/tests/data
out=$(mktemp)
trap 'rm -f "$out"' EXIT
passed=0
failed=0

# expect NAME RC WANTED-TEXT LOG [OPTIONS]: the checker's exit code, and a
# line with WANTED-TEXT (a FAIL line when RC is 1).
expect() {
	local name=$1 want=$2 text=$3 log=$4
	local opts=()
	[ $# -ge 5 ] && opts=(--options "$5")
	python3 "$C" --label "$name" "${opts[@]}" "$log" >"$out" 2>&1
	local rc=$?
	local prefix=ok
	[ "$want" -ne 0 ] && prefix=FAIL
	if [ $rc -eq "$want" ] && grep -qF -- "$prefix $name: $text" "$out"; then
		passed=$((passed + 1)); echo "  ok   $name: exit $rc, '$text'"
	else
		failed=$((failed + 1)); echo "  FAIL $name: exit $rc (wanted $want), no '$prefix $name: $text' line:"
		sed 's/^/       /' "$out" | head -8
	fi
}

expect clean-native 0 "cpuid: n=5000 (iters)" "$D/log_ok.txt" "iters=5000"
expect clean-kvm 0 "cpuid p50 1300 > null p50 32 under kvm" "$D/log_kvm.txt" "iters=5k"
expect budget-reached 0 "cpuid: n=704 (time budget reached)" "$D/log_budget.txt"
expect default-iters 1 "null: n=5000 but iters=10000" "$D/log_ok.txt"
expect n-is-1 1 "null: n=1 but iters=2000" "$D/log_bad_n.txt"
expect min-above-max 1 "cpuid: not min <= p50 <= p99 <= max" "$D/log_bad_order.txt"
expect mean-above-max 1 "null: mean 90000 outside" "$D/log_bad_mean.txt"
expect counter-hz-0 1 "counter_hz is 0" "$D/log_bad_hz.txt"
expect budget-of-another-bench 1 "cpuid: n=704 but iters=2000" "$D/log_budget_other.txt"
expect cheap-trap-under-kvm 1 "cpuid p50 26 is not above null p50 78 under kvm" "$D/log_kvm_cheap_trap.txt"
expect xen-counter-traps 0 "cpuid raw p50 269494 > null p50 253449 under xen" "$D/log_xen_trapping_counter.txt"
expect xen-counter-traps-free-op 1 "cpuid raw p50 253449 is not above null p50 253449" \
	<(sed 's/"p50":16045/"p50":0/' "$D/log_xen_trapping_counter.txt")
# Protocol v4: each result's hist records against its figures (check_hist.py).
H=$D/log_v4_hist.txt
expect v4-hist 0 "hypercall: hist of 119 buckets adds up to n=2000" "$H" "iters=2000 hist=1"
expect v4-hist-count 1 "null: hist counts add up to 2001, n is 2000" \
	<(sed 's/"b":\[42,601,/"b":[42,602,/' "$H") "iters=2000 hist=1"
expect v4-hist-bucket 1 "null: min 42 (bucket 42) is not in the bucket of rank 1 (43)" \
	<(sed 's/"b":\[42,601,/"b":[43,601,/' "$H") "iters=2000 hist=1"
expect v4-hist-missing 1 "cpuid: no hist records after it" \
	<(grep -v '"t":"hist","bench":"cpuid"' "$H") "iters=2000 hist=1"
expect v4-hist-cut 1 "hypercall: hist records stop after part 1 of 2" \
	<(grep -v '"part":2,"parts":2' "$H") "iters=2000 hist=1"
expect v4-hist-off 1 "hist=0, yet 4 hist records" "$H" "iters=2000 hist=0"
# Protocol v2: the loop check and the counter chosen by mode.
expect v2-clean-xen 0 "sysreg_trap: mean 440 ns <= wall time per operation 440 ns" \
	"$D/log_arm64_xen.txt" "iters=10000"
expect v2-xen-counter 0 "counter cntvct under xen" "$D/log_arm64_xen.txt" "iters=10000"
expect v2-mean-above-wall 1 "sysreg_trap: mean 440 ns exceeds the loop's wall time" \
	"$D/log_bad_wall.txt" "iters=10000"
expect v2-flagged 1 "hypercall: flagged not trustworthy" "$D/log_arm64_kvm_pmccntr.txt" "iters=1000"
expect v2-pmu-under-kvm 1 "counter 'pmccntr' under kvm" "$D/log_arm64_kvm_pmccntr.txt" "iters=1000"
# One-way against round trip: a real x86 log, then its one-way p50 raised
# as a clock offset that moved during sampling would raise it.
expect virt-ipi-clean 0 "virt_ipi p50 3951 ns within virt_ipi_rtt p50 4303 ns + 10 %" \
	"$D/log_virt_ipi.txt" "iters=1000"
expect virt-ipi-offset-moved 1 "virt_ipi p50 4795 ns is above the round trip's p50 4303 ns + 10 %" \
	<(sed 's/"p50":8313,/"p50":10090,/' "$D/log_virt_ipi.txt") "iters=1000"
# The same from a real run of an image without the check (x86 Xen lab).
expect virt-ipi-above-rtt 1 "virt_ipi p50 9362409 ns is above the round trip's p50 7730084 ns" \
	"$D/log_xen_oneway_above_rtt.txt" "iters=60"
# The host's own clients in the same log: a real run, then its iperf byte
# count doctored away from the image's, and a client that failed.
expect net-host-clean 0 "host-side iperf.stream: the host counted 215482368 bytes, the image 215480932" \
	"$D/log_net_host.txt" "iters=100"
expect net-host-bytes-differ 1 "host-side iperf.maerts: the host counted 421578890 bytes" \
	<(sed 's/"bytes":321578890/"bytes":421578890/' "$D/log_net_host.txt") "iters=100"
expect net-host-client-failed 1 "host-side sockperf.tcp (sockperf 3.7-no.git): sockperf: no server" \
	<(sed 's/\("bench":"sockperf.tcp".*--tcp",\).*}/\1"error":"sockperf: no server"}/' \
		"$D/log_net_host.txt") "iters=100"
# I/O latency on the host's clock: a real x86 KVM lab log, then its io_out
# p50 raised beyond twice the round trip's, as a wrong clock mapping would.
expect io-clean 0 "io_out min 765260 ns and p50 809143 ns within io_rtt's p50 2384220 ns" \
	"$D/log_lab_io.txt" "iters=10"
expect io-clock-wrong 1 "io_out min 765260 ns or p50 5039797 ns beyond io_rtt's p50" \
	<(sed 's/"p50":1607707,/"p50":10013707,/' "$D/log_lab_io.txt") "iters=10"
# The image's own hypervisor natively at EL2 (QEMU TCG): its emulated
# distributor read, then that read doctored cheaper than the direct one.
expect own-hyp-clean 0 "irqchip_trap.stage2 p50 3769 > irqchip_trap p50 605 natively" \
	"$D/log_arm64_own_hyp.txt" "iters=500"
expect own-hyp-free-trap 1 "hypercall p50 0 (raw 187) against null p50 187" \
	<(sed 's/"min":1126,"p50":1731,/"min":0,"p50":0,/' "$D/log_arm64_own_hyp.txt") "iters=500"
# The world switch's breakdown: its parts may not cost more than the switch.
expect switch-clean 0 "2 x classes 6908 <= hypercall_switch p50 9641" \
	"$D/log_arm64_breakdown.txt" "iters=500"
expect switch-cheaper-than-parts 1 "2 x classes 6908 > hypercall_switch p50 5000" \
	<(sed 's/"p50":9641,/"p50":5000,/' "$D/log_arm64_breakdown.txt") "iters=500"
expect switch-part-missing 1 "breakdown.fp: no integer restore_p50" \
	<(sed 's/"restore_p50":[0-9]*,//' "$D/log_arm64_breakdown.txt") "iters=500"
# A one-way switch below the bare trap: a failure on hardware, only a
# note under an emulator (its noise is larger than the switch's work).
vm_switch_below() {
	sed -e "s/\"emulated\":true/\"emulated\":$1/" \
		-e '/"bench":"hypercall"/{p;s/"hypercall"/"vm_switch"/;s/"min":1126,"p50":1731,"mean":1679/"min":800,"p50":900,"mean":950/}' \
		"$D/log_arm64_own_hyp.txt"
}
expect switch-below-trap-hw 1 "vm_switch p50 900 is below hypercall min 1126" \
	<(vm_switch_below false) "iters=500"
python3 "$C" --label switch-below-trap-tcg --options iters=500 <(vm_switch_below true) >"$out" 2>&1
if [ $? -eq 0 ] && grep -qF "note switch-below-trap-tcg: vm_switch p50 900 and hypercall min 1126 not compared" "$out"; then
	passed=$((passed + 1)); echo "  ok   switch-below-trap-tcg: exit 0, noted, not compared"
else
	failed=$((failed + 1)); echo "  FAIL switch-below-trap-tcg: wanted exit 0 and a note:"; sed 's/^/    /' "$out"
fi
# The VHE shape of the switch (a real qemu-arm64-kernel-el2-vhe log): the
# guest's classes once each within it; slower than the nVHE round trip is
# a failure on hardware, only a note under an emulator.
expect vhe-clean 0 "7 classes' save+restore min 12441 <= hypercall_switch.vhe p50 69465" \
	"$D/log_arm64_vhe.txt" "iters=500"
expect vhe-cheaper-than-parts 1 "7 classes' save+restore min 12441 > hypercall_switch.vhe p50 9000" \
	<(sed '/"hypercall_switch.vhe"/s/"p50":69465,/"p50":9000,/' "$D/log_arm64_vhe.txt") "iters=500"
vhe_slower() {
	sed -e "s/\"emulated\":true/\"emulated\":$1/" \
		-e '/"hypercall_switch.vhe"/s/"p50":69465,/"p50":120000,/' "$D/log_arm64_vhe.txt"
}
expect vhe-slower-hw 1 "hypercall_switch.vhe p50 120000 is not below hypercall_switch p50 106889" \
	<(vhe_slower false) "iters=500"
python3 "$C" --label vhe-slower-tcg --options iters=500 <(vhe_slower true) >"$out" 2>&1
if [ $? -eq 0 ] && grep -qF "note vhe-slower-tcg: hypercall_switch.vhe p50 120000 and hypercall_switch p50 106889 not compared" "$out"; then
	passed=$((passed + 1)); echo "  ok   vhe-slower-tcg: exit 0, noted, not compared"
else
	failed=$((failed + 1)); echo "  FAIL vhe-slower-tcg: wanted exit 0 and a note:"; sed 's/^/    /' "$out"
fi
expect own-hyp-cheap-emulation 1 "irqchip_trap.stage2 p50 300 is not above irqchip_trap p50 605" \
	<(sed 's/"p50":3769,/"p50":300,/' "$D/log_arm64_own_hyp.txt") "iters=500"
expect missing-log 1 "cannot read" /nonexistent/vmbench.log
expect empty-log 1 "no boot record" /dev/null
expect no-results 1 "no result records" <(grep -a '"t":"boot"' "$D/log_ok.txt")

echo "check_records: $passed passed, $failed failed"
[ $failed -eq 0 ]
