# TAP helpers for shell test suites: source this, call ok/not_ok/skip/check, end with tap_done.
# tests/run.sh counts the lines these print.
TAP_N=0
TAP_FAILED=0

ok()      { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok()  { TAP_N=$((TAP_N + 1)); TAP_FAILED=$((TAP_FAILED + 1)); echo "not ok $TAP_N - $*"; }
skip()    { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $1 # SKIP $2"; }
diag()    { echo "# $*"; }

# check "name" command args…: ok when the command succeeds; its output is shown on failure.
check() {
    local name=$1; shift
    local out
    if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name"; printf '%s\n' "$out" | sed 's/^/#   /' | tail -n 30; fi
}

# check_fails "name" command args…: ok when the command fails.
check_fails() {
    local name=$1; shift
    local out
    if out=$("$@" 2>&1); then not_ok "$name (succeeded, expected a failure)"; printf '%s\n' "$out" | sed 's/^/#   /' | tail -n 20; else ok "$name"; fi
}

tap_done() { echo "1..$TAP_N"; [ "$TAP_FAILED" -eq 0 ]; }
