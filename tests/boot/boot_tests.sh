#!/bin/bash
# Boot each image on its QEMU (and Bochs) targets (tests/boot/targets.conf)
# and check the log: complete, boot record as expected, the options reached
# the image, the named benchmarks gave results or skips, and the emulator
# exited by itself, and the values of the records (tests/boot/check_records.py).
# Prints "N passed, N failed, N skipped"; a skip says why.
#   tests/boot/boot_tests.sh [TARGET...]
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
LOGDIR=$BUILD/boot-logs
mkdir -p "$LOGDIR"
# Every check reads the log through the report tool; without it each
# target would fail as "no boot record", which hides the real cause.
if [ ! -x "$BUILD/host/vmb-report" ]; then
	echo "boot_tests: $BUILD/host/vmb-report is missing: run 'make all' first" >&2
	exit 2
fi
passed=0
failed=0
skipped=0

ok() { passed=$((passed + 1)); echo "  ok   $*"; }
bad() { failed=$((failed + 1)); echo "  FAIL $*"; }
skip() { skipped=$((skipped + 1)); echo "  skip $*"; }
trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; echo "${s%"${s##*[![:space:]]}"}"; }

# boot TARGET OPTIONS LOG STDERR [NAME=VALUE...]: one run under tools/run,
# with those variables in its environment; sets rc.
boot() {
	rm -f "$3" "$4"
	local t0=$SECONDS
	env "${@:5}" "$ROOT/tools/run" "$1" --log "$3" -- $2 >/dev/null 2>"$4"
	rc=$?
	echo "   wall time $((SECONDS - t0))s"
}

# A crash requested with fault=: reported with its details, status fail.
run_crash() {
	local target=$1 options=$2 expect=$3
	local log=$LOGDIR/$target-fault.log err=$LOGDIR/$target-fault.stderr
	echo "== $target ($options): expecting a reported crash"
	boot "$target" "$options" "$log" "$err"
	[ $rc -eq 1 ] && ok "$target: tools/run reports the failed run" ||
		bad "$target: tools/run exit $rc, expected 1"
	grep -aq "unexpected exception: .*$expect" "$log" && ok "$target: exception '$expect' described" ||
		bad "$target: no 'unexpected exception: ...$expect' in the log"
	grep -aqE '^(x0 |rax )' "$log" && ok "$target: registers dumped" ||
		bad "$target: no register dump"
	grep -aq 'VMB {"t":"end","status":"fail"' "$log" && ok "$target: end record says fail" ||
		bad "$target: no end record with status fail"
	grep -Eq "(QEMU|Bochs) exited" "$err" && ok "$target: QEMU exited by itself after the crash" ||
		bad "$target: QEMU did not exit by itself after the crash"
}

# The lab's negative control: the same run with KVM left unloaded in the
# lab host. The inner QEMU, which asks for KVM, must then fail and no
# figure may appear: what the KVM target reports came from KVM.
run_nokvm() {
	local target=$1 options=$2
	local log=$LOGDIR/$target-nokvm.log err=$LOGDIR/$target-nokvm.stderr
	echo "== $target ($options) with KVM unloaded: must fail"
	# Modules left unloaded (x86_64) or KVM switched off (arm64, where it
	# is built in).
	LAB_NO_KVM=1 LAB_KERNEL_ARGS=kvm-arm.mode=none boot "$target" "$options" "$log" "$err"
	[ $rc -ne 0 ] && ok "$target without KVM: the run fails" ||
		bad "$target without KVM: the run succeeded without KVM"
	grep -aq "lab: no /dev/kvm" "$log" && ok "$target without KVM: the lab host has no /dev/kvm" ||
		bad "$target without KVM: /dev/kvm was there"
	! grep -aq 'VMB {"t":"result"' "$log" && ok "$target without KVM: no result was printed" ||
		bad "$target without KVM: results appeared without KVM"
}

# The lab's heartbeat, brought forward to 3 s (images/media/kvm): what a
# hung run says of its vCPUs, from the lab kernel, KVM's exit counts and
# the guest's own monitor. The options hang a benchmark (fault=hang) until
# the image's watchdog ends it, so the beat comes while the guest runs
# however fast the rest goes; with vm_switch selected the peer guest runs
# too and is named.
run_heartbeat() {
	local target=$1 options=$2
	local log=$LOGDIR/$target-heartbeat.log err=$LOGDIR/$target-heartbeat.stderr
	echo "== $target ($options) with the lab's heartbeat every 5 s"
	LAB_HEARTBEAT_S=5 boot "$target" "$options" "$log" "$err"
	grep -aq 'VMB {"t":"end"' "$log" && ok "$target: the run is whole with the heartbeat on" ||
		bad "$target: no end record: $(tail -2 "$err" | tr '\n' ' ')"
	# A beat taken once both guests run the image (the peer boots first;
	# the measuring guest's boot record follows its firmware): before
	# that the beat rightly shows a vCPU in firmware (EIP, not RIP).
	grep -aq "^lab: vm_switch: both guests' CPU 0 pinned" "$log" &&
		ok "$target: both guests' CPU 0 pinned before they ran" ||
		bad "$target: no line saying both guests were pinned"
	local hb
	hb=$(sed -n '/VMB {"t":"boot"/,$ p' "$log" | grep -a -m1 '^lab: heartbeat ')
	[ -n "$hb" ] && ok "$target: a heartbeat line once the guest runs the image" ||
		{ bad "$target: no heartbeat line after the guest's boot record"; return; }
	grep -Eq ' CPU 0/KVM [RSD] [0-9]+ s' <<<"$hb" && ok "$target: heartbeat: the vCPU threads' states" ||
		bad "$target: heartbeat without vCPU states: $hb"
	grep -Eq '(: |, )peer CPU 0/KVM [RSD] ' <<<"$hb" && ok "$target: heartbeat: the peer guest's vCPU named" ||
		bad "$target: heartbeat without the peer's vCPU: $hb"
	grep -Eq 'KVM exits: (guest [0-9]+, peer [0-9]+|peer [0-9]+, guest [0-9]+);' <<<"$hb" &&
		ok "$target: heartbeat: KVM's exit counts of both guests" || bad "$target: heartbeat without exit counts: $hb"
	# Any beat after the boot record: the first may have asked the monitor
	# before the image ran and printed its answer after the boot record
	# (the answer can take seconds under load; c3 of issue 25 saw EIP in
	# the firmware so), and the hung guest beats again every 5 s.
	sed -n '/VMB {"t":"boot"/,$ p' "$log" | grep -a '^lab: heartbeat ' |
		grep -Eq 'guest: CPU#0 (RIP|PC)=[0-9a-f]{16} .*CPU#1 (RIP|PC)=[0-9a-f]{16}' &&
		ok "$target: heartbeat: where both guest vCPUs are, from its monitor" ||
		bad "$target: heartbeat without the guest's registers: $hb"
}

# The counter's self-check, proven to fire: a counter that misses the
# hypervisor's time (forced with counter=) must have its figures flagged,
# and the report tool must mark them and fail.
run_suspect() {
	local target=$1 options=$2 benches=$3
	local log=$LOGDIR/$target-suspect.log err=$LOGDIR/$target-suspect.stderr
	echo "== $target ($options): the counter misses time, figures must be flagged"
	boot "$target" "$options" "$log" "$err"
	[ $rc -eq 0 ] && ok "$target: the run itself completes (status ok)" ||
		bad "$target: tools/run exit $rc: $(tail -2 "$err" | tr '\n' ' ')"
	local recs=$LOGDIR/$target-suspect.records
	"$BUILD/host/vmb-report" --records "$log" >"$recs" 2>/dev/null
	for b in $benches; do
		grep -a "VMB {\"t\":\"result\",\"bench\":\"$b\"" "$recs" | grep -a '"suspect":"' >/dev/null &&
			ok "$target: $b flagged as not trustworthy" ||
			bad "$target: $b not flagged: $(grep -a "\"bench\":\"$b\"" "$recs" | head -1)"
	done
	"$BUILD/host/vmb-report" "$log" >"$LOGDIR/$target-suspect.report" 2>&1
	[ $? -eq 1 ] && grep -q "NOT TRUSTWORTHY" "$LOGDIR/$target-suspect.report" &&
		ok "$target: the report marks the figures and exits 1" ||
		bad "$target: the report did not reject the flagged figures"
}

run_hang() {
	local target=$1 options=$2 after=$3
	local log=$LOGDIR/$target-hang.log err=$LOGDIR/$target-hang.stderr
	echo "== $target ($options): a benchmark that never returns must be ended by the watchdog"
	boot "$target" "$options" "$log" "$err"
	[ $rc -eq 1 ] && ok "$target: tools/run reports the failed run (exit 1)" ||
		bad "$target: tools/run exit $rc, expected 1: $(tail -2 "$err" | tr '\n' ' ')"
	grep -aq 'VMB {"t":"error","bench":"hang","msg":"hung: hang made no progress' "$log" &&
		ok "$target: error record names the hung benchmark" ||
		bad "$target: no error record for the hung benchmark"
	grep -aq "VMB {\"t\":\"result\",\"bench\":\"$after\"" "$log" &&
		ok "$target: the suite went on ($after ran after it)" ||
		bad "$target: no result for $after after the hang"
	grep -aq 'VMB {"t":"end","status":"fail"' "$log" && ok "$target: complete log, end status fail" ||
		bad "$target: no end record with status fail"
	"$BUILD/host/vmb-report" "$log" >"$LOGDIR/$target-hang.report" 2>&1
	grep -q "DAMAGED" "$LOGDIR/$target-hang.report" &&
		bad "$target: the report finds the log damaged" || ok "$target: the log is whole"
}

# record_says KIND FIELD BENCH TEXT: BENCH's KIND record (error, skip) in
# $recs has FIELD (msg, reason) holding TEXT; for run_target's fields.
record_says() {
	local kind=$1 field=$2 bench=$3 want=$4 rec val
	rec=$(grep -a "VMB {\"t\":\"$kind\",\"bench\":\"$bench\"" "$recs" | head -1)
	val=$(echo "$rec" | sed -n "s/.*\"$field\":\"\([^\"]*\)\".*/\1/p")
	if [[ -z $val ]]; then
		bad "$target: no $kind record for $bench"
	elif [[ $val != *"$want"* ]]; then
		bad "$target: $bench's $kind record does not say '$want': $val"
	else
		ok "$target: $bench: $kind: $val"
	fi
}

# A target listed twice keeps both logs: the second is TARGET-2.log.
declare -A runs
run_target() {
	local target=$1 options=$2 fields=$3 results=$4 skips=$5
	runs[$target]=$((${runs[$target]:-0} + 1))
	local name=$target
	[ "${runs[$target]}" -gt 1 ] && name=$target-${runs[$target]}
	local log=$LOGDIR/$name.log err=$LOGDIR/$name.stderr
	# env~NAME=VALUE fields: the run's environment (a lab's knobs).
	local f envs=()
	for f in $fields; do
		[[ $f =~ ^env~([A-Z_]+=.*)$ ]] && envs+=("${BASH_REMATCH[1]}")
	done
	echo "== $target ($options)${envs[*]:+ with ${envs[*]}}"
	boot "$target" "$options" "$log" "$err" "${envs[@]}"
	# error~BENCH fields: those benchmarks must end in an error record,
	# so the run's status is fail (and tools/run exits 1).
	local want_rc=0
	[[ " $fields" == *" error~"* ]] && want_rc=1
	# The x86 xl lab's PV dom0 sometimes breaks its own user space under
	# TCG (docs/lab.md): a run that failed with dom0's own processes dying
	# is run once more, its log kept; a second failure counts.
	local broke
	if [[ $target == lab-*-xl ]] && [ $rc -ne $want_rc ] &&
		broke=$(grep -aE -m3 '^lab: dom0: (xl died of signal|dmesg: )|^Segmentation fault' "$log"); then
		cp "$log" "$LOGDIR/$name-dom0-broke.log"
		echo "  note $target: dom0 broke, not the image ($(echo "$broke" | tr '\n' ';' | cut -c1-200)): once more (first log: $name-dom0-broke.log)"
		boot "$target" "$options" "$log" "$err" "${envs[@]}"
	fi
	if [ $rc -eq $want_rc ]; then
		ok "$target: complete log with status $([ $want_rc -eq 0 ] && echo ok || echo fail)"
	else
		bad "$target: tools/run exit $rc (expected $want_rc): $(tail -2 "$err" | tr '\n' ' ')"
	fi
	# A hypervisor in the lab may keep QEMU running after its guest ends:
	# there, the runner stopping it at the end record is the expected way.
	# So may a machine whose tables name no working way to power off, when
	# the image says so.
	if grep -Eq "(QEMU|Bochs) exited" "$err" ||
		{ [[ $target == lab-* ]] && grep -q "stopped after the end record" "$err"; }; then
		ok "$target: the run ended by itself"
	elif [ $want_rc -eq 1 ] && [[ $target == *deadblk* ]] &&
		grep -q "stopped after the end record" "$err"; then
		# QEMU drains the abandoned requests (10 s each) before it exits.
		ok "$target: the run ended at its end record (QEMU drains the stuck requests)"
	elif grep -aq "no way to power off found" "$log" &&
		grep -q "stopped after the end record" "$err"; then
		ok "$target: the image said it cannot power off, and halted after its end record"
	else
		bad "$target: QEMU did not stop by itself: $(grep 'tools/run:.*QEMU' "$err" | tail -1)"
	fi

	# Records as the report tool reads them: consoles may wrap long lines.
	local recs=$LOGDIR/$name.records
	"$BUILD/host/vmb-report" --records "$log" >"$recs" 2>/dev/null
	local boot
	boot=$(grep -a -o 'VMB {"t":"boot".*' "$recs" | head -1)
	if [ -z "$boot" ]; then
		bad "$target: no boot record"
		return
	fi
	local first
	first=$(grep -a -o 'VMB {"t":"[a-z]*"' "$recs" | head -1)
	[ "$first" = 'VMB {"t":"boot"' ] && ok "$target: boot record comes first" ||
		bad "$target: first record is $first"
	# x86's boot check that an interrupt let in just before the wait's
	# HLT ends the wait (kernel/irq/x86_64/irq.c) says so only on failure.
	if [[ $target == *x86_64* ]]; then
		! grep -aq "waits may sleep through their wake-up" "$log" &&
			ok "$target: a wake-up just before the halt ends the wait" ||
			bad "$target: $(grep -a -m1 'waits may sleep through' "$log")"
	fi
	for f in $fields; do
		[[ $f == env~* ]] && continue
		# info~TEXT: an info record holds TEXT ('+' for a space: a PCI
		# function found, the scratch vbd).
		if [[ $f =~ ^info~(.+)$ ]]; then
			# Not grep -q: it exits at the first match, and the first grep,
			# still writing, then dies of SIGPIPE, which pipefail reports
			# as a failure (cc6 of issue 23 lost this check so).
			local text=${BASH_REMATCH[1]//+/ }
			grep -a 'VMB {"t":"info"' "$recs" | grep -aF -- "$text" >/dev/null &&
				ok "$target: an info record has $text" ||
				bad "$target: no info record has $text"
			continue
		fi
		# cfg~FILE: the xl lab's dom0 printed the guest config it used
		# ("lab: dom0: cfg: " lines), and it is FILE as shipped, line for line.
		if [[ $f =~ ^cfg~(.+)$ ]]; then
			local shipped=$ROOT/${BASH_REMATCH[1]}
			if [ ! -s "$shipped" ]; then
				bad "$target: no shipped config ${BASH_REMATCH[1]}"
			elif diff <(sed -n 's/^lab: dom0: cfg: //p' "$log" | tr -d '\r') "$shipped" >/dev/null; then
				ok "$target: the domU was created from ${BASH_REMATCH[1]} as shipped"
			else
				bad "$target: the config dom0 used is not ${BASH_REMATCH[1]} as shipped"
			fi
			continue
		fi
		# dom0~TEXT: an xl lab's dom0 printed a line ("lab: dom0: ...")
		# holding TEXT ('+' for a space): a backend's state, a bridge port.
		if [[ $f =~ ^dom0~(.+)$ ]]; then
			local want=${BASH_REMATCH[1]//+/ }
			grep -a '^lab: dom0: ' "$log" | tr -d '\r' | grep -aF -- "$want" >/dev/null &&
				ok "$target: dom0 says $want" ||
				bad "$target: no dom0 line says $want"
			continue
		fi
		# setup~IO: the host's setup record (docs/protocol.md) says how
		# the guest's devices were given to it ("assigned").
		if [[ $f =~ ^setup~([a-z]+)$ ]]; then
			grep -aq "VMB {\"t\":\"setup\",\"side\":\"host\",\"io\":\"${BASH_REMATCH[1]}\"" "$log" &&
				ok "$target: the host's setup record says ${BASH_REMATCH[1]}" ||
				bad "$target: no setup record saying ${BASH_REMATCH[1]}"
			continue
		fi
		# boot~KEY: the boot record names KEY, a non-empty string (a
		# provenance fact: build, fw_vendor); setupkey~KEY: a host setup
		# record does (qemu, host_kernel: what tools/run adds).
		if [[ $f =~ ^boot~([a-z_]+)$ ]]; then
			[[ $boot == *"\"${BASH_REMATCH[1]}\":\""[!\"]* ]] &&
				ok "$target: boot record names ${BASH_REMATCH[1]}" ||
				bad "$target: boot record lacks ${BASH_REMATCH[1]}: $boot"
			continue
		fi
		if [[ $f =~ ^setupkey~([a-z_]+)$ ]]; then
			grep -a 'VMB {"t":"setup","side":"host"' "$log" |
				grep -aE "\"${BASH_REMATCH[1]}\":\"[^\"]" >/dev/null &&
				ok "$target: a host setup record names ${BASH_REMATCH[1]}" ||
				bad "$target: no host setup record names ${BASH_REMATCH[1]}"
			continue
		fi
		# data~unchanged: the run's data disk (@DATA@, not scratch) is
		# byte-identical afterwards, as tools/run's last line says;
		# data~changed: the check itself sees a write (the data disk
		# made the scratch disk).
		if [[ $f =~ ^data~(unchanged|changed)$ ]]; then
			local said want=${BASH_REMATCH[1]}
			said=$(grep -a '^run: data disk md5 ' "$log" | tr -d '\r' | tail -1)
			case $want:$said in
			*:) bad "$target: no data disk check in the log (no @DATA@ in the target?)" ;;
			unchanged:*': unchanged') ok "$target: the data disk is byte-identical after the run" ;;
			changed:*': CHANGED') ok "$target: the data disk check sees the image's writes" ;;
			*) bad "$target: data disk expected $want: $said" ;;
			esac
			continue
		fi
		# host~BENCH: a host-side record (the host's sockperf, iperf) for
		# BENCH, without an error.
		if [[ $f =~ ^host~(.+)$ ]]; then
			local rec
			rec=$(grep -a "VMB {\"t\":\"host\",\"side\":\"host\",\"bench\":\"${BASH_REMATCH[1]}\"" "$recs" | head -1)
			case $rec in
			'') bad "$target: no host-side record for ${BASH_REMATCH[1]}" ;;
			*'"error":'*) bad "$target: host-side ${BASH_REMATCH[1]} failed: $(echo "$rec" | sed 's/.*"error":"\([^"]*\)".*/\1/')" ;;
			*) ok "$target: host-side record for ${BASH_REMATCH[1]}" ;;
			esac
			continue
		fi
		# error~BENCH: an error record for BENCH, with a message;
		# error~BENCH~TEXT: a message holding TEXT ('+' for a space).
		if [[ $f =~ ^error~([^~]+)(~(.+))?$ ]]; then
			record_says error msg "${BASH_REMATCH[1]}" "${BASH_REMATCH[3]//+/ }"
			continue
		fi
		# skip~BENCH~TEXT: BENCH was skipped, its reason holding TEXT
		# ('+' for a space).
		if [[ $f =~ ^skip~([^~]+)~(.+)$ ]]; then
			record_says skip reason "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]//+/ }"
			continue
		fi
		# call~BENCH~TEXT: BENCH's result names TEXT in its call (the
		# interrupt path it took).
		if [[ $f =~ ^call~([^~]+)~(.+)$ ]]; then
			local rec via=${BASH_REMATCH[2]//+/ }
			rec=$(grep -a "VMB {\"t\":\"result\",\"bench\":\"${BASH_REMATCH[1]}\"" "$recs" | head -1)
			case $rec in
			*'"call":"'*"$via"*) ok "$target: ${BASH_REMATCH[1]} went through $via" ;;
			*) bad "$target: ${BASH_REMATCH[1]}'s call lacks ${BASH_REMATCH[2]}: ${rec:-no result}" ;;
			esac
			continue
		fi
		# cpuN~TEXT: CPU N's record holds TEXT (its state, why it failed).
		if [[ $f =~ ^cpu([0-9]+)~(.+)$ ]]; then
			local rec
			rec=$(grep -a "VMB {\"t\":\"cpu\",\"cpu\":${BASH_REMATCH[1]}," "$recs" | head -1)
			case $rec in
			*"${BASH_REMATCH[2]}"*) ok "$target: CPU ${BASH_REMATCH[1]}'s record has ${BASH_REMATCH[2]}" ;;
			*) bad "$target: CPU ${BASH_REMATCH[1]}'s record lacks ${BASH_REMATCH[2]}: ${rec:-no record}" ;;
			esac
			continue
		fi
		case $boot in
		*"$f"*) ok "$target: boot record has $f" ;;
		*) bad "$target: boot record lacks $f: $boot" ;;
		esac
	done
	# tools/run (or the KVM lab's medium) adds the host peer's address and
	# serve= for the host's clients on targets with a network; the Xen lab
	# names vm_switch's peer domain (peer_dom=), and the xl labs give the
	# domU its address on dom0's bridge and dom0's peer there.
	local cmdline added='(peer=10\.0\.2\.2:[0-9]+|serve=[0-9]+|peer_dom=[0-9]+|ip=10\.0\.3\.2/24|gw=10\.0\.3\.1|peer=10\.0\.3\.1:[0-9]+)'
	cmdline=$(echo "$boot" | sed -n 's/.*"cmdline":"\([^"]*\)".*/\1/p')
	if [ "$cmdline" = "$options" ] ||
		{ [ -n "$options" ] && [[ $cmdline =~ ^"$options"(\ $added)*$ ]]; } ||
		{ [ -z "$options" ] && [[ $cmdline =~ ^$added(\ $added)*$ ]]; }; then
		ok "$target: options reached the image${options:- (none: the default suite)}"
	else
		bad "$target: cmdline is not \"$options\": $boot"
	fi
	for b in $results; do
		if [[ $b == \?* ]]; then
			# "?name": a result, or a skip with a reason (e.g. one-way
			# figures below the clock offset's uncertainty).
			b=${b#?}
			local rec
			rec=$(grep -a "VMB {\"t\":\"\(result\|skip\)\",\"bench\":\"$b\"" "$recs" | head -1)
			case $rec in
			*'"t":"result"'*) ok "$target: result for $b" ;;
			*'"reason":"'?*) ok "$target: $b skipped: $(echo "$rec" | sed 's/.*"reason":"\([^"]*\)".*/\1/')" ;;
			*) bad "$target: neither a result nor a reasoned skip for $b" ;;
			esac
			continue
		fi
		grep -aq "VMB {\"t\":\"result\",\"bench\":\"$b\"" "$recs" &&
			ok "$target: result for $b" || bad "$target: no result for $b"
	done
	for b in $skips; do
		grep -aq "VMB {\"t\":\"skip\",\"bench\":\"$b\"" "$recs" &&
			ok "$target: $b skipped with a reason" || bad "$target: $b not skipped"
	done
	# bench= selects: nothing else may run. Without options every
	# benchmark runs (the default suite): each one a result or a skip.
	local others
	if [ -z "$options" ]; then
		local n_res n_skip
		n_res=$(grep -ac 'VMB {"t":"result"' "$recs")
		n_skip=$(grep -ac 'VMB {"t":"skip"' "$recs")
		[ "$n_res" -gt 0 ] && ok "$target: the default suite: $n_res results, $n_skip skips with reasons" ||
			bad "$target: the default suite gave no result"
	else
		others=$(grep -a -o 'VMB {"t":"result","bench":"[a-z0-9_.]*"' "$recs" |
			sed 's/.*"bench":"//; s/"$//' | grep -vxF -f <(echo $results | tr ' ' '\n' | tr -d '?') || true)
		[ -z "$others" ] && ok "$target: only the selected benchmarks ran" ||
			bad "$target: unselected benchmarks ran: $others"
	fi
	if [ -x "$BUILD/host/vmb-report" ] && [ $want_rc -eq 1 ]; then
		# A run with errors: the report lists them and fails.
		"$BUILD/host/vmb-report" --check "$log" >"$LOGDIR/$name.report" 2>&1
		[ $? -eq 1 ] && grep -q "^ERROR" "$LOGDIR/$name.report" &&
			ok "$target: report tool lists the errors and fails" ||
			bad "$target: report tool did not fail on the errors: $(tail -3 "$LOGDIR/$name.report")"
	elif [ -x "$BUILD/host/vmb-report" ]; then
		"$BUILD/host/vmb-report" --check "$log" >"$LOGDIR/$name.report" 2>&1 &&
			ok "$target: report tool reads the log" ||
			bad "$target: report tool rejects the log: $(tail -3 "$LOGDIR/$name.report")"
	else
		bad "$target: no report tool at $BUILD/host/vmb-report (make $BUILD/host/vmb-report)"
	fi
	check_values "$target" "$options" "$recs"
}

# The records' values (tests/boot/check_records.py): n against iters=,
# the order of the statistics, counter_hz, traps dearer than null under a
# hypervisor. Each of its "ok"/"FAIL" lines counts; a checker that fails
# without saying why, or says nothing, is a failure too.
check_values() {
	local target=$1 options=$2 recs=$3 out=${3%.records}.values line n_ok=0 n_bad=0 vrc
	python3 "$ROOT/tests/boot/check_records.py" --label "$target" --options "$options" \
		"$recs" >"$out" 2>&1
	vrc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok }"; n_ok=$((n_ok + 1)) ;;
		"FAIL "*) bad "${line#FAIL }"; n_bad=$((n_bad + 1)) ;;
		"note "*) echo "  note ${line#note }" ;;
		esac
	done <"$out"
	if [ $vrc -ne 0 ] && [ $n_bad -eq 0 ]; then
		bad "$target: check_records.py exited $vrc: $(tail -3 "$out" | tr '\n' ' ')"
	elif [ $vrc -eq 0 ] && [ $n_ok -eq 0 ]; then
		bad "$target: check_records.py checked nothing"
	fi
}

want=" $* "
ran=" "
while IFS='|' read -r target options fields results skips; do
	target=$(trim "$target")
	case $target in '' | '#'*) continue ;; esac
	[ $# -gt 0 ] && [[ $want != *" $target "* ]] && continue
	ran="$ran $target "
	fields=$(trim "$fields")
	if [[ $fields == NOKVM:* ]]; then
		run_nokvm "$target" "$(trim "$options")"
	elif [[ $fields == HEARTBEAT:* ]]; then
		run_heartbeat "$target" "$(trim "$options")"
	elif [[ $fields == SUSPECT:* ]]; then
		run_suspect "$target" "$(trim "$options")" "${fields#SUSPECT:}"
	elif [[ $fields == HANG:* ]]; then
		run_hang "$target" "$(trim "$options")" "${fields#HANG:}"
	elif [[ $fields == FAIL:* ]]; then
		run_crash "$target" "$(trim "$options")" "${fields#FAIL:}"
	else
		run_target "$target" "$(trim "$options")" "$fields" "$(trim "$results")" "$(trim "$skips")"
	fi
done <"$ROOT/tests/boot/targets.conf"

# A named target that is not in targets.conf ran nothing: that is no pass.
for t in "$@"; do
	[[ $ran == *" $t "* ]] || bad "$t: no such target in tests/boot/targets.conf"
done
[ "$ran" != " " ] || bad "no target of tests/boot/targets.conf ran"

# The shipped USB stick artifact itself, one file, booted by both architectures.
STICK=$BUILD/artifacts/vmbench-usb.img
if [ $# -gt 0 ]; then
	skip "shipped USB stick boots: not selected (targets named on the command line)"
elif [ ! -f "$STICK" ]; then
	bad "shipped USB stick: $STICK is missing (make artifacts)"
else
	for pair in qemu-x86_64-usb:x86_64 qemu-arm64-usb:arm64; do
		target=${pair%%:*}
		arch=${pair#*:}
		log=$LOGDIR/artifact-$target.log
		echo "== $target with $STICK as shipped (default options)"
		"$ROOT/tools/run" "$target" --disk "$STICK" --log "$log" >/dev/null 2>"$LOGDIR/artifact-$target.stderr" &&
			ok "$target: the shipped stick boots, complete log" ||
			bad "$target: the shipped stick did not give a complete ok log"
		grep -aqE "VMB \\{\"t\":\"boot\",\"v\":[0-9]+,\"arch\":\"$arch\"" "$log" &&
			ok "$target: the stick ran the $arch image" || bad "$target: no $arch boot record"
	done
fi

echo "boot: $passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
