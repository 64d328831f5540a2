#!/usr/bin/env bash
# Staying attached, with real runc: `berth start -a` prints only this run's output and returns
# the container's exit status (docker start -a), `start -a -i` feeds stdin, `berth attach`
# joins a running container (later output, its exit status) and refuses a stopped one, `wait`
# returns the status of a container that exits while it waits, and the commands that never
# pull do not load libcurl or libarchive.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/registry.sh
. tests/lib/container_image.sh

BERTH=$PWD/build/berth
[ -x "$BERTH" ] || make -s -j2 all >/dev/null
# ---- what a container command loads (no root needed) ----
if ldd "$BERTH" | grep -qE 'libcurl|libarchive'; then not_ok "berth links libcurl/libarchive at start-up: $(ldd "$BERTH" | grep -E 'curl|archive')"
else ok "berth does not load libcurl or libarchive at start-up (they are opened at first use)"; fi
maps=$(LD_DEBUG=libs "$BERTH" version 2>&1 | grep -cE 'libcurl|libarchive')
if [ "$maps" = 0 ]; then ok "berth version loads neither library"; else not_ok "berth version loaded them ($maps loader lines)"; fi

container_suite attach
container_image "$WORK" "$ROOT"

# ---- start -a ----
b create --name once --network none "${RUNIMG[@]}" sh -c 'echo out; echo err >&2; exit 7' >/dev/null
b start -a once >"$WORK/o1" 2>"$WORK/e1"; rc=$?
if [ $rc = 7 ] && [ "$(cat "$WORK/o1")" = out ] && [ "$(cat "$WORK/e1")" = err ]; then ok "start -a: stdout, stderr apart, exit status 7"
else not_ok "start -a: rc=$rc out=$(cat "$WORK/o1") err=$(cat "$WORK/e1")"; fi
b start -a once >"$WORK/o2" 2>/dev/null; rc=$?
if [ $rc = 7 ] && [ "$(cat "$WORK/o2")" = out ] && [ "$(b logs once 2>/dev/null | grep -c out)" = 2 ]; then
    ok "a second start -a shows only its own run's output (the log keeps both)"
else not_ok "second start -a: rc=$rc out=$(cat "$WORK/o2") log=$(b logs once 2>&1)"; fi

b create --name reader -i --network none "${RUNIMG[@]}" sh -c 'read x; echo "got $x"' >/dev/null
out=$(echo hello | timeout -s KILL 30 "$BERTH" --root "$ROOT" start -a -i reader); rc=$?
if [ $rc = 0 ] && [ "$out" = "got hello" ]; then ok "start -a -i feeds stdin to a container created with -i"
else not_ok "start -ai: rc=$rc out=$out"; fi

b create --name missing --network none "${RUNIMG[@]}" /no/such >/dev/null
b start -a missing >/dev/null 2>"$WORK/err"; rc=$?
if [ $rc != 0 ] && grep -q "no/such" "$WORK/err"; then ok "start -a of a command that does not exist fails and says which"
else not_ok "start -a missing: rc=$rc $(cat "$WORK/err")"; fi
b start -a -i once nothere >/dev/null 2>&1; rc=$?
if [ $rc = 2 ]; then ok "start -a takes one container (usage error for two)"; else not_ok "start -a with two names: rc=$rc"; fi

# ---- attach ----
b create --name later --network none "${RUNIMG[@]}" sh -c 'echo early; sleep 3; echo late; exit 3' >/dev/null
b start later >/dev/null
timeout -s KILL 30 "$BERTH" --root "$ROOT" attach later >"$WORK/a" 2>&1; rc=$?
if [ $rc = 3 ] && grep -qx late "$WORK/a"; then ok "attach: the output that comes later, then the container's status (3)"
else not_ok "attach: rc=$rc $(cat "$WORK/a")"; fi
if ! grep -qx early "$WORK/a"; then ok "attach does not replay what came before it joined"
else diag "attach printed 'early' (it joined before the line was written)"; ok "attach joined before the first line"; fi
b create --name joined --network none "${RUNIMG[@]}" sh -c 'sleep 2; echo done; exit 6' >/dev/null
b start joined >/dev/null
out=$(timeout -s KILL 30 "$BERTH" --root "$ROOT" start -a joined); rc=$?
if [ $rc = 6 ] && [ "$out" = done ]; then ok "start -a of a running container joins it (its later output, its status)"
else not_ok "start -a running: rc=$rc out=$out"; fi
b attach later >/dev/null 2>"$WORK/err"; rc=$?
if [ $rc = 1 ] && grep -q "not running" "$WORK/err" && grep -q "start -a" "$WORK/err"; then ok "attach to a stopped container: not running, and what to do"
else not_ok "attach stopped: rc=$rc $(cat "$WORK/err")"; fi
b attach nosuch >/dev/null 2>&1; rc=$?
if [ $rc != 0 ]; then ok "attach to an unknown name fails"; else not_ok "attach nosuch succeeded"; fi

# ---- wait while it runs ----
b create --name sleeper --network none "${RUNIMG[@]}" sh -c 'sleep 1; exit 5' >/dev/null
b start sleeper >/dev/null
code=$(timeout -s KILL 30 "$BERTH" --root "$ROOT" wait sleeper)
state=$(b container inspect sleeper | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["state"])')
if [ "$code" = 5 ] && [ "$state" = exited ]; then ok "wait blocks until the exit is recorded and prints 5"
else not_ok "wait: code=$code state=$state"; fi
b run -d --name killed --network none "${RUNIMG[@]}" sleep 60 >/dev/null
( sleep 0.5; b kill killed >/dev/null ) & killer=$!
code=$(timeout -s KILL 30 "$BERTH" --root "$ROOT" wait killed); wait "$killer"
if [ "$code" = 137 ]; then ok "wait returns 137 for a container killed while it waits"; else not_ok "wait after kill: $code"; fi

tap_done
