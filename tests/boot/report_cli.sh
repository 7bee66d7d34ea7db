#!/bin/bash
# The report tool's command line: exit codes, formats, comparison.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
R=${BUILD:-$ROOT/build}/host/vmb-report
D=$ROOT/tests/data
passed=0
failed=0

expect() { # expect NAME RC COMMAND...
	local name=$1 want=$2
	shift 2
	"$@" >/tmp/vmb-report-cli.$$ 2>&1
	local rc=$?
	if [ $rc -eq "$want" ]; then
		passed=$((passed + 1)); echo "  ok   $name"
	else
		failed=$((failed + 1)); echo "  FAIL $name: exit $rc, wanted $want"; head -5 /tmp/vmb-report-cli.$$
	fi
}
contains() { # contains NAME TEXT (in the last output)
	if grep -qF -- "$2" /tmp/vmb-report-cli.$$; then
		passed=$((passed + 1)); echo "  ok   $1"
	else
		failed=$((failed + 1)); echo "  FAIL $1: no '$2' in the output"
	fi
}
lacks() { # lacks NAME TEXT (not in the last output)
	if grep -qF -- "$2" /tmp/vmb-report-cli.$$; then
		failed=$((failed + 1)); echo "  FAIL $1: '$2' in the output"
	else
		passed=$((passed + 1)); echo "  ok   $1"
	fi
}

expect "complete ok log exits 0" 0 "$R" "$D/log_ok.txt"
contains "table names the emulated CPU" "EMULATED"
contains "table has the null row" "null"
expect "log with provenance exits 0" 0 "$R" "$D/log_provenance.txt"
contains "provenance: the image's build" "image      build=eea5b1a29bfc; build_flags=-O2 -mstrict-align"
contains "provenance: firmware from SMBIOS, UEFI beside" "firmware   fw_vendor=U-Boot; fw_version=2023.01+dfsg-2+deb12u3; fw_date=01/01/2023; smbios=3.0; uefi_vendor=Das U-Boot"
contains "provenance: host setup records, before the boot and after the end" "qemu=7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3); host_kernel=6.18.44-fc-v1272; lab_kernel=6.1.0-28-arm64"
expect "provenance in --json" 0 "$R" --json "$D/log_provenance.txt"
contains "--json has the provenance object" '"provenance":'
contains "--json provenance has the lab's kernel" '"lab_kernel":	"6.1.0-28-arm64"'
expect "an old log has no firmware facts" 0 "$R" "$D/log_ok.txt"
lacks "no invented firmware line" "  firmware "
# Protocol v4: hist records are read, checked, and passed through.
expect "v4 log with hist records exits 0 with --check" 0 "$R" --check "$D/log_v4_hist.txt"
lacks "its hist records are not taken for damage" "DAMAGED"
expect "--records of a v4 log" 0 "$R" --records "$D/log_v4_hist.txt"
contains "--records passes hist records through" '{"t":"hist","bench":"hypercall","unit":"cycles","sub_bits":7,"n":2000,"part":2,"parts":2,"b":[1306,'
# A count changed on the way and the record sealed again: only the sum
# against the result's n can tell.
resealed=$(mktemp)
python3 - "$D/log_v4_hist.txt" >"$resealed" <<'EOF'
import sys
import zlib
for line in open(sys.argv[1]):
    if '"b":[42,601,' in line:
        body = line[line.index("{"):line.index(',"crc"')].replace("[42,601,", "[42,602,")
        line = 'VMB %s,"crc":"%08x"}\n' % (body, zlib.crc32(body.encode()))
    sys.stdout.write(line)
EOF
expect "a hist count changed (sealed again) fails --check" 1 "$R" --check "$resealed"
rm -f "$resealed"
contains "it names the hist record" "the 'hist' record of 'null' ends with counts that do not add up"
expect "log with host-side records exits 0" 0 "$R" "$D/log_net_host.txt"
contains "host-side section" "host side (the host's own clients"
contains "sockperf row in microseconds" "sockperf.udp     sockperf 3.7-no.git  n 35477, p50 43.6 us"
contains "iperf row in Mbit/s" "iperf.maerts     iperf 2.1.8          256.9 Mbit/s"
expect "a KVM lab log with I/O exits 0" 0 "$R" "$D/log_lab_io.txt"
contains "stream rate in Mbit/s and packets/s" "net_stream_rx             125.9 Mbit/s      10940 packets/s (1439 payload bytes per frame)"
expect "incomplete log exits 1" 1 "$R" "$D/log_incomplete.txt"
contains "incomplete log is called so" "INCOMPLETE"
expect "failed run exits 1" 1 "$R" "$D/log_fail.txt"
contains "error is listed" "ERROR cpuid"
expect "stdin works" 0 sh -c "$R - < $D/log_ok.txt"
expect "no arguments is a usage error" 2 "$R"
expect "unknown flag is a usage error" 2 "$R" --frobnicate "$D/log_ok.txt"
expect "missing file is an error" 2 "$R" /nonexistent/log
expect "json output" 0 sh -c "$R --json $D/log_ok.txt $D/log_kvm.txt | python3 -m json.tool"
contains "json has the results" '"bench": "cpuid"'
expect "csv output" 0 "$R" --csv "$D/log_ok.txt"
contains "csv header" "file,arch,mode,emulated,bench,unit,n,min,p50"
expect "comparison of two logs" 0 "$R" "$D/log_ok.txt" "$D/log_kvm.txt"
contains "kvm column in ns with the ratio of ns to ns" "619.0 ns (x61.9)"
# Ticks of a 50 MHz counter against cycles of a 2.4 GHz one: compared in ns.
expect "ticks and cycles compare in ns" 0 "$R" "$D/log_arm64_native.txt" "$D/log_arm64_xen.txt"
contains "xen null in ns, ratio of ns (60 ns vs 25 ns)" "60.0 ns (x2.4)"
contains "comparison names each counter" "arm64/xen@EL1 cntvct at 50000000 Hz, emulated unknown"
contains "unknown emulation is said" "hardware or EMULATED: unknown"
# A garbled record: the log is damaged, the record named, the exit non-zero.
expect "damaged log exits 1" 1 "$R" "$D/log_damaged.txt"
contains "the lost record is named" "the 'result' record of 'sysreg_trap' is lost"
contains "damage is said on stderr" "DAMAGED"
contains "the figures of a damaged log are marked" "DAMAGED LOG: "
expect "a damaged log beside a whole one" 1 "$R" "$D/log_damaged.txt" "$D/log_ok.txt"
contains "its cells are marked in the comparison" ": DAMAGED LOG (records lost or changed)"
expect "csv of a damaged log" 1 "$R" --csv "$D/log_damaged.txt"
contains "csv says the log is damaged" ",log_damaged"
contains "csv rows of a damaged log say so" ",yes"
# Protocol v3: a figure changed on the way fails its record's checksum.
expect "a changed figure exits 1" 1 sh -c "sed 's/\"p50\":69465,/\"p50\":69466,/' $D/log_arm64_vhe.txt | $R -"
contains "the changed record is named" "the 'result' record of 'hypercall_switch.vhe' fails its checksum"
# A figure the image flagged is marked and fails the report.
# A one-way figure longer than its own round trip (an image before the
# check, x86 Xen lab): the reader refuses it whatever the image said.
expect "one way above its round trip exits 1" 1 "$R" "$D/log_xen_oneway_above_rtt.txt"
contains "the impossible one-way figure is refused" "one way (p50 9362409 ns) longer than the round trip virt_ipi_rtt (p50 7730084 ns)"
expect "one way within its round trip exits 0" 0 "$R" "$D/log_virt_ipi.txt"
expect "one way 11 % above its round trip exits 1" 1 sh -c "sed 's/\"p50\":8313,/\"p50\":10090,/' $D/log_virt_ipi.txt | $R -"
contains "the reader says why" "which is impossible"
expect "one way 10 % above its round trip exits 0" 0 sh -c "sed 's/\"p50\":8313,/\"p50\":10050,/' $D/log_virt_ipi.txt | $R -"
expect "untrustworthy figure exits 1" 1 "$R" "$D/log_arm64_kvm_pmccntr.txt"
contains "the figure is marked" "NOT TRUSTWORTHY"
expect "csv says which figures are trustworthy" 1 "$R" --csv "$D/log_arm64_kvm_pmccntr.txt"
contains "csv trustworthy column" ",no"
expect "--check accepts a clean log" 0 "$R" --check "$D/log_ok.txt"
# The study's Micro Numbers: a column per architecture and mode, the
# overhead where native measured the same, a reason in every empty cell.
expect "study tables" 0 "$R" --study "$D/log_arm64_own_hyp.txt" \
	<(sed 's/"mode":"native"/"mode":"kvm"/' "$D/log_arm64_own_hyp.txt") "$D/log_lab_io.txt" "$D/log_ok.txt" \
	"$D/log_arm64_breakdown.txt"
contains "a column per architecture and mode, emulation marked" \
	"| operation | arm64 native (EMULATED) | arm64 KVM (EMULATED) | x86_64 native (EMULATED) | x86_64 KVM (EMULATED) |"
contains "the study's rows" "| I/O latency in |"
contains "p50 in ns and CPU cycles, the spread beneath" "**1729 ns** 1731 cycles<br>[1125 ns–2107 ns]"
contains "overhead against native of the same arch" "**1729 ns** 1731 cycles ×1.0"
contains "no overhead without a native figure" "**809.1 µs** 2103771 cycles<br>"
contains "a skipped cell says why" "— (skipped: no hypervisor detected (mode native))"
contains "the CPU clock is named" "x86_64 cycles: at 2600 MHz, the rate of"
contains "the breakdown of each log that has one" "| EL1 system registers | 633 cycles | 915 cycles |"
# TCP_RR and bulk stream: the image's figures and the host clients', the
# overhead against native as the study gives it.
expect "study network tables" 0 "$R" --study "$D/log_net_host.txt" "$D/log_lab_io.txt"
contains "TCP_RR from the image's figure, virtual over native time" \
	"| TCP_RR, the image to the host's echo (trans/s) | 20966/s | 451/s ×46.45 |"
contains "TCP_RR from the host's sockperf" \
	"| TCP_RR, the host's sockperf to the image (trans/s) | 19604/s | 796/s ×24.62 |"
contains "iperf throughput, native over virtual" \
	"| iperf, the host sends to the image | 0.849 Gbit/s | 0.203 Gbit/s ×4.18 |"
contains "no overhead without native's figure" \
	"| TCP stream, the image sends (net_stream_tx) | — (not in these logs) | 0.011 Gbit/s |"
# Logs of every mode, both architectures, from one make study (protocol
# v3, with p1 and the CDF): six columns, a figure or a reason in every cell.
# Its arm64 KVM log has a one-way IPI figure longer than its own round trip
# (an image before the check): the study refuses that cell and exits 1.
S=$D/study
expect "study over every mode" 1 "$R" --study "$S/arm64-native.txt" "$S/arm64-kvm.txt" "$S/arm64-xen.txt" \
	"$S/x86_64-native.txt" "$S/x86_64-kvm.txt" "$S/x86_64-kvm-io.txt" "$S/x86_64-xen.txt"
contains "the impossible one-way cell is refused, saying why" \
	"| Virtual IPI | — (skipped: one-way figure (p50 250 ticks) not printed: the clock offset of CPU 1 is known o…) | — (skipped: refused by the reader: one way (p50 220832 ns) longer than the round trip virt_i…) |"
contains "six columns, each marked" \
	"| operation | arm64 native (EMULATED) | arm64 KVM (emulated?) | arm64 Xen (emulated?) | x86_64 native (EMULATED) | x86_64 KVM (EMULATED) | x86_64 Xen (EMULATED) |"
contains "the hypercall in every mode, overhead against native" "**78.4 µs** 78499 cycles ×47.8<br>[73.6 µs–248.5 µs]"
contains "the spread from p1 in a v3 log" "**1640 ns** 1641 cycles<br>[1217 ns–2050 ns]"
contains "a cell the platform cannot fill says why" "— (skipped: Xen guest without a virtio-net device"
contains "the Xen lab's own breakdown of the study's I/O" "— (skipped: no memory shared with another guest"
contains "the arm64 breakdown" "| EL1 system registers | 374 cycles | 10976 cycles |"
contains "the latency distributions" "### TCP_RR round trip, the image to the host's echo"
# A KVM run whose devices the host assigned through VFIO (a setup record,
# written by the host before the boot record) is its own column beside KVM.
{ echo 'VMB {"t":"setup","side":"host","io":"assigned","devices":["8086:10d3 at 0000:00:03.0 by vfio-pci"]}'
	cat "$S/x86_64-kvm-io.txt"; } >/tmp/vmb-report-assigned.$$
expect "a log with the host's setup record reads clean" 0 "$R" --check /tmp/vmb-report-assigned.$$
expect "study with an assigned column" 0 "$R" --study "$S/x86_64-kvm-io.txt" /tmp/vmb-report-assigned.$$
contains "KVM and KVM, assigned side by side" "| x86_64 KVM (EMULATED) | x86_64 KVM, assigned (EMULATED) |"
{ echo 'VMB {"t":"setup","io":"assigned"}'; cat "$S/x86_64-kvm-io.txt"; } >/tmp/vmb-report-assigned.$$
expect "a setup record not the host's is refused" 1 "$R" --check /tmp/vmb-report-assigned.$$
contains "saying why" 'a setup record not marked "side":"host"'
rm -f /tmp/vmb-report-assigned.$$
expect "every micro cell a figure or a reason" 0 sh -c "$R --study --json $S/*.txt | python3 -c '
import json, sys
d = json.load(sys.stdin)
cells = [c for r in d[\"micro\"] for c in r[\"cells\"]]
assert len(d[\"columns\"]) == 6 and len(cells) == 42, (len(d[\"columns\"]), len(cells))
assert all(\"p50_ns\" in c or c.get(\"missing\") for c in cells)
assert all(len(c[\"cdf\"]) == 23 for c in cells if \"p50_ns\" in c and c[\"lo\"] == \"p1\")
'"
# tools/log-state, the one-line verdict tools/soak and tools/study print.
L=$ROOT/tools/log-state
expect "log-state of a whole log" 0 "$L" "$D/log_ok.txt"
contains "says complete, status ok" "complete, status ok"
expect "log-state of an incomplete log" 2 "$L" "$D/log_incomplete.txt"
contains "says INCOMPLETE" "INCOMPLETE"
expect "log-state of a failed run" 1 "$L" "$D/log_fail.txt"
contains "says status fail" "complete: status fail"
expect "log-state of a damaged log" 1 "$L" "$D/log_damaged.txt"
contains "says what is damaged" "complete: DAMAGED: 3 record(s) lost or inconsistent"
expect "study without a breakdown" 0 "$R" --study "$D/log_ok.txt"
contains "says why the breakdown is empty" "No log has one: the breakdown runs natively at EL2"
expect "study table of a damaged log" 1 sh -c "sed 's/\"p50\":69465,/\"p50\":69466,/' $D/log_arm64_vhe.txt | $R --study -"
contains "its figures are marked" "**1678 ns** 1679 cycles<br>[1177 ns–2578 ns] # |"
contains "and the mark explained" "# from a DAMAGED log"
# The hypercall breakdown (EL2 natively): a class per row, save and restore
# p50s in cycles and ns, a class that was skipped, the sums, the switch.
expect "breakdown log exits 0" 0 "$R" "$D/log_arm64_breakdown.txt"
contains "breakdown section" "hypercall breakdown: p50 of one save and of one restore of each class"
contains "breakdown section marks emulation" "EMULATED: figures are not hardware figures"
contains "EL1 system registers: save 633, restore 915 cycles" \
	"EL1 system registers               633      632.4       915      914.1  cycles"
contains "skipped class with its reason" \
	"VGIC registers               not measured: gicv3 without the virtualization extension: no ICH_* registers"
contains "sum of the six measured classes" \
	"sum of classes (6 of 7)           1668     1666.4      2182     2180.0  cycles"
contains "the whole switch beside the classes" \
	"hypercall_switch p50              9641 cycles (9632.0 ns): HVC, world switch"
contains "twice the sum, labelled as what the switch does" \
	"2 x sum of classes                7700 cycles (7692.8 ns): hypercall_switch's two switches save and restore each class twice"
rows=$(sed -n '/^class  /,/^sum of classes/p' /tmp/vmb-report-cli.$$ | sed '1d;$d' | cut -c1-28 |
	sed 's/ *$//' | paste -sd,)
want="GP registers,FP/SIMD registers,EL1 system registers,VGIC registers,timer registers"
want="$want,EL2 configuration registers,stage-2 MMU registers"
if [ "$rows" = "$want" ]; then
	passed=$((passed + 1)); echo "  ok   classes in the study's order"
else
	failed=$((failed + 1)); echo "  FAIL classes in the study's order: '$rows'"
fi
expect "breakdown csv" 0 "$R" --csv "$D/log_arm64_breakdown.txt"
contains "csv header has the parts' p50s" ",trustworthy,save_p50,restore_p50"
contains "csv row has save and restore p50" '"breakdown.el1_sys",cycles,500,1441,1551,1576,1932,5195,77,374,1,1000938597,1549.55,yes,633,915'
contains "csv row without parts leaves them empty" '"hypercall_switch",cycles,500,8312,9641,9702,11874,23410,611,187,1,1000938597,9631.96,yes,,'
expect "breakdown json" 0 sh -c "$R --json $D/log_arm64_breakdown.txt | python3 -m json.tool"
contains "json carries the parts" '"restore_p50": 915'
expect "log without breakdown records exits 0" 0 "$R" "$D/log_arm64_own_hyp.txt"
lacks "no breakdown section without breakdown records" "hypercall breakdown"
rm -f /tmp/vmb-report-cli.$$
echo "report_cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
