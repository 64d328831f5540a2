#!/usr/bin/env bash
# Runs every suite and sums them. Each suite prints TAP; this script counts "ok"/"not ok"
# lines (a "# SKIP" is counted as skipped, never silently), counts a suite that dies without a
# "not ok" as one failure, and ends with the line CI reads: "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
mkdir -p build/logs
PASSED=0 FAILED=0 SKIPPED=0
SUMMARY=()

run_suite() {   # run_suite NAME command args…
    local name=$1; shift
    local log="build/logs/${name//\//_}.log"
    local start=$SECONDS
    echo "=== $name"
    "$@" > "$log" 2>&1
    local rc=$?
    local p f s
    p=$(grep -E '^ok ' "$log" | grep -vc '# SKIP')
    s=$(grep -E '^ok ' "$log" | grep -c '# SKIP')
    f=$(grep -cE '^not ok ' "$log")
    grep -E '^(not ok|ok .*# SKIP)' "$log" | sed 's/^/    /'
    if [ "$1" = timeout ] && { [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; }; then
        echo "not ok - $name did not finish within ${SUITE_LIMIT:-?} s and was stopped" >> "$log"
        f=$((f + 1))
        echo "    not ok - $name did not finish within ${SUITE_LIMIT:-?} s and was stopped"
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "    not ok - $name exited with status $rc without reporting a failure; last lines:"
        tail -n 15 "$log" | sed 's/^/      /'
    fi
    if [ "$f" -gt 0 ]; then
        grep -E '^#' "$log" | head -n 60 | sed 's/^/    /'
    fi
    PASSED=$((PASSED + p)); FAILED=$((FAILED + f)); SKIPPED=$((SKIPPED + s))
    SUMMARY+=("$(printf '%-28s %4d passed %3d failed %3d skipped %4ds' "$name" "$p" "$f" "$s" $((SECONDS - start)))")
}

# The build itself is a suite: a broken build is a counted failure, not a silent stop.
build_suite() {
    if make -j2 all unit; then echo "ok 1 - make all unit"; else echo "not ok 1 - make all unit"; return 1; fi
}
run_suite build build_suite

for t in tests/build/*.sh; do
    [ -e "$t" ] && run_suite "build/$(basename "$t" .sh)" bash "$t"
done

for t in $(find build/test -maxdepth 1 -type f -name '*_test' 2>/dev/null | sort); do
    run_suite "unit/$(basename "$t")" "$t"
done

asan_suite() {
    make --no-print-directory asan >/dev/null 2>build/logs/asan-build.err || {
        echo "not ok 1 - sanitizer build"; sed 's/^/# /' build/logs/asan-build.err | tail -20; return 1; }
    local rc=0
    for t in $(find build/asan/test -maxdepth 1 -type f -name '*_test' | sort); do
        ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 "$t" | sed "s/^\(not ok\|ok\) \([0-9]*\) - /\1 \2 - $(basename "$t"): /" || rc=1
    done
    return $rc
}
run_suite unit-asan asan_suite

# A suite that hangs is stopped (TERM, then KILL 30 s later) and counted as a failure, so one
# stuck test cannot eat CI's time limit; the suites take seconds to a few minutes.
SUITE_LIMIT=${BERTH_SUITE_LIMIT:-900}
for t in tests/integration/*.sh; do
    [ -e "$t" ] && run_suite "integration/$(basename "$t" .sh)" timeout -k 30 "$SUITE_LIMIT" bash "$t"
done

[ -x tests/pester/run.sh ] && run_suite pester tests/pester/run.sh

echo
printf '%s\n' "${SUMMARY[@]}"
echo
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
