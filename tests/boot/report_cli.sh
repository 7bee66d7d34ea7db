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

expect "complete ok log exits 0" 0 "$R" "$D/log_ok.txt"
contains "table names the emulated CPU" "EMULATED"
contains "table has the null row" "null"
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
# A figure the image flagged is marked and fails the report.
expect "untrustworthy figure exits 1" 1 "$R" "$D/log_arm64_kvm_pmccntr.txt"
contains "the figure is marked" "NOT TRUSTWORTHY"
expect "csv says which figures are trustworthy" 1 "$R" --csv "$D/log_arm64_kvm_pmccntr.txt"
contains "csv trustworthy column" ",no"
expect "--check accepts a clean log" 0 "$R" --check "$D/log_ok.txt"
rm -f /tmp/vmb-report-cli.$$
echo "report_cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
