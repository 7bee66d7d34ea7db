#!/bin/bash
# vmbench as a board farm runs it (docs/booting.md "Board farms"): jobs
# from tools/lava-job run by LAVA's own dispatcher (Debian's lava-run)
# against device dictionaries of this machine rendered from LAVA's own
# device types: QEMU booting the image as a kernel and through UEFI on
# both architectures, the m400's U-Boot flows (TFTP; booti, bootefi, FIT)
# played by QEMU's U-Boot, the r320's iPXE job validated. LAVA's test
# cases must equal the log's records; a hang, a log cut before its end
# and a damaged line must not pass; the report and the study read LAVA's
# job logs.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
R=$BUILD/host/vmb-report
CACHE=${VMBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vmbench}
OUT=$BUILD/lava
# Debian's python3, whose yaml and jinja2 LAVA itself uses.
PY=/usr/bin/python3
. "$ROOT/tests/boot/testlib.sh"
rm -rf "$OUT"
mkdir -p "$OUT"

finish() {
	echo "$passed passed, $failed failed"
	[ $failed -eq 0 ]
	exit
}

LAVA_VER=$(dpkg-query -W -f '${Version}' lava-dispatcher 2>/dev/null)
TPL=$CACHE/lava-server-all-$LAVA_VER/usr/share/lava-server/device-types
command -v lava-run >/dev/null || { bad "lava-run is missing (tools/setup test installs lava-dispatcher)"; finish; }
[ -f "$TPL/qemu.jinja2" ] || { bad "LAVA's device types are missing at $TPL (tools/setup test)"; finish; }
TFTP=$(sed -n 's/^TFTP_DIRECTORY="\(.*\)"/\1/p' /etc/default/tftpd-hpa 2>/dev/null)
[ -n "$TFTP" ] || { bad "no TFTP directory in /etc/default/tftpd-hpa (tools/setup test installs tftpd-hpa)"; finish; }
ok "LAVA $LAVA_VER: lava-run, its device types, a TFTP directory ($TFTP)"

# Bad input: a clear message and exit 2, no job.
refuses() {
	local why=$1
	shift
	"$ROOT/tools/lava-job" "$@" >"$OUT/refused.out" 2>"$OUT/refused.err"
	local rc=$?
	local args
	args=$(printf '%q ' "$@")
	[ $rc -eq 2 ] && grep -q "^lava-job: .*$why" "$OUT/refused.err" && [ ! -s "$OUT/refused.out" ] &&
		ok "tools/lava-job ${args% }: exit 2, '$(head -1 "$OUT/refused.err")'" ||
		bad "tools/lava-job ${args% }: exit $rc, '$(head -1 "$OUT/refused.err")' (want 2 and '$why')"
}
refuses "no target"
refuses "no such target" qemu-nowhere
refuses "boots from uboot-booti" qemu-arm64-uboot-booti
refuses "needs --out" qemu-x86_64-uefi
refuses "booti, bootefi or fit" --boot grub m400
refuses "for m400" --boot booti r320
refuses "wants seconds" --timeout soon m400
refuses "needs a value" m400 --out
refuses "cannot go on a boot loader" m400 -- "peer='x'"
refuses "control character" m400 -- "$(printf 'bench=null\nfoo: 1')"
refuses "control character" --name "$(printf 'x\ty')" m400

jobs=0
render_vars=()
# lava NAME DEVICE.jinja2 [lava-run options] : validates, then runs
# $OUT/NAME.yaml; lava-run's log in $OUT/NAME.log, its verdict in
# $OUT/NAME/result.yaml; sets rc (lava-run's exit status).
lava() {
	local name=$1 device=$2
	shift 2
	jobs=$((jobs + 1))
	"$PY" "$ROOT/tests/lava/render-device" "$ROOT/tests/lava/devices/$device" "$TPL" \
		"$OUT/$name.yaml" tftp_dir="$TFTP" "${render_vars[@]}" >"$OUT/$name-device.yaml" ||
		{ bad "$name: the device dictionary does not render"; rc=2; return; }
	if lava-run --validate --job-id "$jobs" --output-dir "$OUT/$name-validate" \
		--device "$OUT/$name-device.yaml" "$@" "$OUT/$name.yaml" >"$OUT/$name-validate.log" 2>&1; then
		ok "$name: lava-run --validate accepts the job"
	else
		bad "$name: lava-run --validate refuses the job: $(grep -a '"lvl": "error"' "$OUT/$name-validate.log" | tail -2 | cut -c1-300)"
	fi
	local t0=$SECONDS
	timeout 600 lava-run --job-id "$jobs" --output-dir "$OUT/$name" --device "$OUT/$name-device.yaml" \
		"$@" "$OUT/$name.yaml" >"$OUT/$name.log" 2>&1
	rc=$?
	echo "   $name: lava-run exit $rc, wall time $((SECONDS - t0))s"
}

# mkjob NAME [tools/lava-job arguments] TARGET -- OPTIONS...: the job
# $OUT/NAME.yaml; the options are kept to check they reached the image.
declare -A opts
mkjob() {
	local name=$1 a
	shift
	for a in "$@"; do
		[ "$a" = -- ] && opts[$name]="" && continue
		[ -n "${opts[$name]+set}" ] && opts[$name]="${opts[$name]:+${opts[$name]} }$a"
	done
	"$ROOT/tools/lava-job" --out "$OUT/$name.yaml" "$@" ||
		bad "$name: tools/lava-job refused: $*"
}

job_result() { sed -n 's/^result: //p' "$OUT/$1/result.yaml" 2>/dev/null; }

# cases_equal NAME [check-results options]: LAVA's cases against the
# records the reader took from the same log.
cases_equal() {
	local name=$1
	shift
	"$R" --records "$OUT/$name.log" >"$OUT/$name.records" 2>"$OUT/$name.report-err"
	if "$PY" "$ROOT/tests/lava/check-results" "$@" "$OUT/$name.log" "$OUT/$name.records" >"$OUT/$name.check" 2>&1; then
		ok "$name: LAVA's cases equal the log's records: $(cut -c1-300 "$OUT/$name.check")"
	else
		bad "$name: LAVA's cases and the log's records differ:"
		sed 's/^/       /' "$OUT/$name.check"
	fi
}

# job_fails NAME: lava-run failed the job.
job_fails() {
	[ $rc -ne 0 ] && [ "$(job_result "$1")" = fail ] && ok "$1: the job fails (lava-run exit $rc)" ||
		bad "$1: lava-run exit $rc, job $(job_result "$1")"
}

# report_says NAME TEXT: tools/report refuses LAVA's log as a whole run,
# and says TEXT of it.
report_says() {
	check "$1: tools/report says '$2' of LAVA's log" \
		sh -c "! '$R' --check '$OUT/$1.log' && '$R' '$OUT/$1.log' 2>&1 | grep -q '$2'"
}

# A job that must pass: the job, every case equal to its record, the
# report reading LAVA's log as a whole one.
passes() {
	local name=$1
	shift
	[ $rc -eq 0 ] && [ "$(job_result "$name")" = pass ] && ok "$name: the job passes" ||
		bad "$name: lava-run exit $rc, job $(job_result "$name"): $(grep -a '"lvl": "error"' "$OUT/$name.log" | tail -1 | cut -c1-300)"
	cases_equal "$name"
	grep -q "\"cmdline\":\"${opts[$name]}\"" "$OUT/$name.records" &&
		ok "$name: the image got the job's options" ||
		bad "$name: the image's command line is not the job's options (${opts[$name]}): $(grep -o '"cmdline":"[^"]*"' "$OUT/$name.records")"
	local b
	for b in "$@"; do
		grep -q "^VMB {\"t\":\"result\",\"bench\":\"$b\"" "$OUT/$name.records" &&
			ok "$name: $b ran" || bad "$name: no result for $b"
	done
	"$R" --check "$OUT/$name.log" >"$OUT/$name.report" 2>&1 &&
		ok "$name: tools/report reads LAVA's log as a whole run" ||
		bad "$name: tools/report on LAVA's log: $(grep -m2 'problem\|DAMAGED\|INCOMPLETE' "$OUT/$name.report")"
}

# The image as a kernel, both architectures. blk_read_lat has no disk in
# LAVA's QEMU device: a skip, and a skipped case.
mkjob x86_64 qemu-x86_64-pvh -- \
	bench=null,cpuid,irqchip_trap,irqchip_trap.lapic,eoi_ack,timer_irq,blk_read_lat iters=100
lava x86_64 vmb-qemu.jinja2
passes x86_64 null cpuid irqchip_trap irqchip_trap.lapic eoi_ack timer_irq
check "x86_64: blk_read_lat is a skipped case" grep -aq '"case": "blk_read_lat".*"result": "skip"' "$OUT/x86_64.log"

mkjob arm64 qemu-arm64-kernel-el2 -- \
	bench=null,hypercall,irqchip_trap,eoi_ack,virt_ipi_rtt,blk_read_lat iters=100
lava arm64 vmb-qemu.jinja2
passes arm64 null hypercall irqchip_trap eoi_ack virt_ipi_rtt

# Through UEFI: the firmware and its variables as images, the options in
# vmbench.cfg on the FAT image tools/lava-job wrote next to the job.
mkjob x86_64-uefi qemu-x86_64-uefi -- bench=null,cpuid iters=50
check "x86_64-uefi: the ESP image is next to the job" test -s "$OUT/x86_64-uefi-esp.img"
lava x86_64-uefi vmb-qemu.jinja2
passes x86_64-uefi null cpuid
check "x86_64-uefi: booted through UEFI" grep -aq '"boot":"uefi"' "$OUT/x86_64-uefi.records"

mkjob arm64-uefi qemu-arm64-uefi-el2 -- bench=null,hypercall iters=50
lava arm64-uefi vmb-qemu.jinja2
passes arm64-uefi null hypercall

# The m400's flows: U-Boot fetches the image over TFTP from LAVA's TFTP
# directory (QEMU's user network serves it) and starts it three ways.
# (hypercall in booti's job only: under bootefi and bootm it adds its
# 38-part breakdown, 10 s more a job under TCG.)
for kind in booti bootefi fit; do
	benches="null irqchip_trap"
	[ $kind = booti ] && benches="null hypercall irqchip_trap"
	mkjob m400-$kind --boot $kind m400 -- "bench=${benches// /,}" iters=50
	lava m400-$kind vmb-m400.jinja2 --dispatcher "$ROOT/tests/lava/dispatcher.yaml"
	passes m400-$kind $benches
done

# The r320's job: LAVA's x86 device type, iPXE fetching the EFI image over
# TFTP and starting it with the options as its command line; the worker's
# board is OVMF starting Debian's ipxe.efi from a FAT image.
cp /usr/share/OVMF/OVMF_VARS.fd "$OUT/r320-vars.fd"
"$ROOT/tools/mkesp" "$OUT/r320-ipxe.img" 8 /usr/lib/ipxe/ipxe.efi:EFI/BOOT/BOOTX64.EFI
render_vars=(ovmf_vars="$OUT/r320-vars.fd" ipxe_esp="$OUT/r320-ipxe.img")
mkjob r320 r320 -- bench=null,cpuid,irqchip_trap iters=50
lava r320 vmb-r320.jinja2 --dispatcher "$ROOT/tests/lava/dispatcher.yaml"
render_vars=()
passes r320 null cpuid irqchip_trap
check "r320: iPXE started the image through UEFI with the options" \
	grep -aq '"boot":"uefi".*"cmdline":"bench=null,cpuid,irqchip_trap iters=50"' "$OUT/r320.records"

# What must not pass. A hang: the monitor's timeout ends the job as failed.
mkjob hang --timeout 10 qemu-x86_64-pvh -- bench=null,hang fault=hang iters=20
lava hang vmb-qemu.jinja2
job_fails hang
check "hang: LAVA says the monitor timed out" grep -q "timed out" "$OUT/hang/result.yaml"
report_says hang INCOMPLETE

# QEMU's output through a filter on its way to LAVA (a wrapper first in
# PATH): what a serial line that lost bytes delivers.
wrap() {
	mkdir -p "$OUT/bin-$1"
	printf '#!/bin/sh\n/usr/bin/qemu-system-x86_64 "$@" | sed -u %s\n' "'$2'" >"$OUT/bin-$1/qemu-system-x86_64"
	chmod +x "$OUT/bin-$1/qemu-system-x86_64"
}
# The console stops before the end record (the machine reset, say).
wrap cut '/"t":"end"/,$d'
mkjob cut --timeout 30 qemu-x86_64-pvh -- bench=null,cpuid iters=50
PATH=$OUT/bin-cut:$PATH lava cut vmb-qemu.jinja2
job_fails cut
report_says cut INCOMPLETE
# cpuid's line loses its seal's end on the way.
wrap damaged '/"bench":"cpuid"/s/,"crc":"[0-9a-f]*"}/,"c/'
mkjob damaged qemu-x86_64-pvh -- bench=null,cpuid,irqchip_trap iters=50
PATH=$OUT/bin-damaged:$PATH lava damaged vmb-qemu.jinja2
cases_equal damaged --damaged cpuid
report_says damaged DAMAGED
# A digit changed on the way keeps the line's shape: LAVA cannot see it
# (its case passes with the changed figure), the seal can.
wrap digit '/"bench":"cpuid"/s/"p50":\([0-9]\)/"p50":9\1/'
mkjob digit qemu-x86_64-pvh -- bench=null,cpuid iters=50
PATH=$OUT/bin-digit:$PATH lava digit vmb-qemu.jinja2
report_says digit "cpuid.*fails its checksum"
# The run ends with status fail: the end case fails, and so does the
# benchmark that failed (LAVA's job itself passes: docs/booting.md).
mkjob fail qemu-x86_64-pvh -- bench=null fault=undef
lava fail vmb-qemu.jinja2
[ $rc -eq 0 ] && [ "$(job_result fail)" = pass ] && ok "fail: LAVA's job itself passes (it ran)" ||
	bad "fail: lava-run exit $rc, job $(job_result fail)"
cases_equal fail
check "fail: the end record is a failing case" grep -aq '"case": "end".*"result": "fail"' "$OUT/fail.log"
check "fail: so is the error record's" grep -aq '"case": "kernel".*"result": "fail"' "$OUT/fail.log"

# The study's tables from LAVA's job logs of both architectures.
"$R" --study "$OUT/x86_64.log" "$OUT/arm64.log" >"$OUT/study.md" 2>&1 &&
	ok "the study reads LAVA's job logs" || bad "the study from LAVA's job logs: $(head -3 "$OUT/study.md")"
check "the study's table has both architectures' native columns" sh -c "grep -q 'arm64' '$OUT/study.md' && grep -q 'x86_64' '$OUT/study.md'"
# compare and history take LAVA's logs too (one boot a side: figures, no verdict).
"$R" --compare "$OUT/x86_64.log" -- "$OUT/x86_64.log" >"$OUT/compare.md" 2>&1
rc=$?
check "compare reads LAVA's job logs (exit $rc: one boot a side cannot decide)" \
	sh -c "[ $rc = 125 ] && grep -q '^| irqchip_trap | p50 | 1/1 |' '$OUT/compare.md'"
check "history reads LAVA's job logs" sh -c "'$R' --history '$OUT/x86_64.log' '$OUT/x86_64-uefi.log' | grep -q cpuid"
# A server's download: each entry after "- ".
sed 's/^/- /' "$OUT/arm64.log" >"$OUT/arm64-download.yaml"
check "tools/report reads a server's download of the job log" "$R" --check "$OUT/arm64-download.yaml"

finish
