#!/bin/bash
# tools/abtest on itself (docs/compare.md): the same image against itself
# must say unchanged (exit 0); against a second build with a fixed delay
# planted in one benchmark's operation (make PLANT_DELAY, a build flag),
# slower for that metric only (exit 1). Small: 8 + 8 boots of four
# benchmarks on the PVH target, ABBA. Eight boots a side, not the five
# the test needs at alpha 0.01: one boot slowed by a busy host then
# still leaves the planted delay significant (docs/compare.md).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-$ROOT/build}
PLANTED=$BUILD/planted
PLANT=irqchip_trap:1000
OPTIONS="bench=irqchip_trap,eoi_ack,hypercall,cpuid.guest iters=500"
passed=0
failed=0

check() {
	if [ "$2" = 0 ]; then
		echo "  ok   $1"
		passed=$((passed + 1))
	else
		echo "  FAIL $1"
		failed=$((failed + 1))
	fi
}

# A fact of a compare.json: python prints it, the check compares it.
fact() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(eval(sys.argv[2], {"d": d}))' "$1" "$2" 2>/dev/null
}

# Misuse stops a bisect (128); what cannot be tested skips it (125).
"$ROOT/tools/abtest" --boots x >/dev/null 2>&1
check "a malformed --boots is misuse: exit 128" $([ $? = 128 ]; echo $?)
"$ROOT/tools/abtest" --b /nonexistent/build >/dev/null 2>&1
check "a missing image cannot be tested: exit 125" $([ $? = 125 ]; echo $?)

# --for: no boot starts after the time is up; a side that never ran
# cannot be tested.
out=$("$ROOT/tools/abtest" --for 1s --boots 8 --out "$BUILD/abtest-for" -- bench=null iters=50 2>&1)
rc=$?
check "--for 1s: one boot, then no side B: exit 125 (got $rc)" \
	$([ $rc = 125 ] && grep -q "reached after 1 of 16 boots" <<<"$out"; echo $?)

echo "  building $PLANTED with PLANT_DELAY=$PLANT"
make -s -C "$ROOT" BUILD="$PLANTED" PLANT_DELAY=$PLANT "$PLANTED/vmbench-x86_64.elf" \
	>"$BUILD/planted-make.log" 2>&1
check "the planted build builds (log: $BUILD/planted-make.log)" $?

same=$BUILD/abtest-same
rm -rf "$same"
"$ROOT/tools/abtest" --boots 8 --out "$same" -- $OPTIONS >"$BUILD/abtest-same.out" 2>&1
rc=$?
check "the same image twice: exit 0 (got $rc; $BUILD/abtest-same.out)" $([ $rc = 0 ]; echo $?)
n=$(fact "$same/compare.json" 'sum(1 for m in d["metrics"] if m["stat"] == "p50" and m["verdict"] == "unchanged" and m["na"] == 8 and m["nb"] == 8 and m["source"] == "histograms")')
check "the same image twice: four p50s unchanged, 8 + 8 boots, from histograms (got $n)" $([ "$n" = 4 ]; echo $?)
check "the same image twice: JUnit with no failure" $(grep -q 'failures="0"' "$same/junit.xml"; echo $?)

planted=$BUILD/abtest-planted
rm -rf "$planted"
"$ROOT/tools/abtest" --boots 8 --b "$PLANTED" --out "$planted" -- $OPTIONS \
	>"$BUILD/abtest-planted.out" 2>&1
rc=$?
check "the planted build: exit 1 (got $rc; $BUILD/abtest-planted.out)" $([ $rc = 1 ]; echo $?)
regs=$(fact "$planted/compare.json" '",".join(d.get("regressions", []))')
check "the planted build: slower on irqchip_trap p50 only (got '$regs')" \
	$([ "$regs" = "irqchip_trap p50" ]; echo $?)
check "the planted build's logs say TEST BUILD" \
	$([ "$(grep -l 'irqchip_trap: TEST BUILD: a delay of 1000 ns' "$planted"/*-B.log | wc -l)" = 8 ]; echo $?)
check "the planted build: provenance shows the build flags differ" \
	$([ "$(fact "$planted/compare.json" '[p["same"] for p in d["provenance"] if p["key"] == "build_flags"][0]')" = False ]; echo $?)
check "the planted build: JUnit names one failure" \
	$(grep -q 'failures="1"' "$planted/junit.xml" && grep -q 'name="irqchip_trap p50"><failure' "$planted/junit.xml"; echo $?)
svgs=$(grep -o 'data:image/svg+xml' "$planted/compare.html" 2>/dev/null | wc -l)
check "the planted build: an HTML page with a CDF per metric (got $svgs)" $([ "$svgs" -ge 4 ]; echo $?)

echo "$passed passed, $failed failed"
[ $failed = 0 ]
