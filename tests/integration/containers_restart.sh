#!/usr/bin/env bash
# Restart policies with real runc (docker's --restart): on-failure with a retry limit, always,
# stop / kill / rm -f while running and while the monitor backs off between runs (the policy
# must not undo them), `berth wait` across restarts, one log.json for every run, `berth system
# boot` after the monitors were killed (unless-stopped comes back, a user-stopped one does not),
# refused flags, and that nothing is left after rm. The image is built and pulled as in
# containers.sh (busybox-static, loopback registry; --rootfs when this build has no pull).
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/registry.sh
. tests/lib/container_image.sh

BERTH=$PWD/build/berth
container_suite "restart policies"
# field NAME KEY: one field of `berth container inspect NAME`
field() { b container inspect "$1" 2>/dev/null | python3 -c "import json,sys; v=json.load(sys.stdin)[0][\"$2\"]; print(str(v).lower() if isinstance(v,bool) else v)"; }
# until_true SECONDS command...: polls (bounded; the test asserts on the state, not the time)
until_true() { local n=$(( $1 * 10 )); shift; for _ in $(seq "$n"); do "$@" && return 0; sleep 0.1; done; return 1; }
monitor_of() { pgrep -f "berth-shim --root $ROOT --id $1" | head -1; }

# ---- the image ----
container_image "$WORK" "$ROOT"

# ---- refused flags ----
b run --rm --restart always "${RUNIMG[@]}" true >/dev/null 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -qi "conflicting options" "$WORK/err" && [ -z "$(b ps -aq)" ]; then ok "--restart with --rm is refused, nothing created"
else not_ok "--restart with --rm: rc=$rc $(cat "$WORK/err")"; fi
b create --rm --restart on-failure:2 "${RUNIMG[@]}" true >/dev/null 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -qi "conflicting options" "$WORK/err"; then ok "create --rm --restart on-failure:2 is refused"; else not_ok "create --rm --restart: rc=$rc"; fi
check "--rm --restart no is allowed (no is no policy)" bash -c "[ \"\$($BERTH --root $ROOT run --rm --restart no ${RUNIMG[*]} sh -c 'echo fine')\" = fine ]"
for bad in sometimes always:3 on-failure:-1 on-failure:x unless-stopped:2 ON-FAILURE; do
    b create --restart "$bad" "${RUNIMG[@]}" true >/dev/null 2>"$WORK/err"; rc=$?
    if [ $rc -ne 0 ] && grep -q "restart policy \"$bad\"" "$WORK/err"; then ok "--restart $bad refused with a message naming it"
    else not_ok "--restart $bad: rc=$rc $(cat "$WORK/err")"; fi
done
check "no container was left by the refused creates" bash -c "[ -z \"\$($BERTH --root $ROOT ps -aq)\" ]"

# ---- on-failure:2: two restarts, then the exit code stays ----
b run -d --name flaky --restart on-failure:2 "${RUNIMG[@]}" sh -c 'echo run-$$; exit 3' >/dev/null
code=$(b wait flaky)
if [ "$code" = 3 ]; then ok "on-failure:2: wait returns the final exit code 3"; else not_ok "on-failure:2 wait: [$code]"; fi
check "on-failure:2: restart_count is 2 when wait returns (wait spans the restarts)" bash -c "[ \"\$(b() { $BERTH --root $ROOT \"\$@\"; }; b container inspect flaky | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"restart_count\"])')\" = 2 ]"
check "on-failure:2: the state is exited" bash -c "[ \"\$($BERTH --root $ROOT container inspect flaky | python3 -c 'import json,sys; c=json.load(sys.stdin)[0]; print(c[\"state\"], c[\"restarting\"], c[\"exit_code\"])')\" = 'exited False 3' ]"
check "inspect shows the policy" bash -c "$BERTH --root $ROOT container inspect flaky | grep -q '\"restart_policy\": *\"on-failure:2\"'"
runs=$(grep -c '"log":"run-' "$ROOT"/containers/"$(field flaky id)"/log.json)
if [ "$runs" = 3 ]; then ok "log.json holds the lines of all three runs"; else not_ok "log.json has $runs runs"; fi
check "berth logs shows every run" bash -c "[ \$($BERTH --root $ROOT logs flaky | grep -c '^run-') -eq 3 ]"
check "the monitor of a finished policy is gone" bash -c "[ -z \"\$(pgrep -f '[b]erth-shim --root $ROOT --id $(field flaky id)')\" ]"
check "a start resets the restart count (docker start)" bash -c "$BERTH --root $ROOT start flaky >/dev/null && [ \"\$($BERTH --root $ROOT wait flaky)\" = 3 ] && [ \$($BERTH --root $ROOT logs flaky | grep -c '^run-') -eq 6 ]"
check "on-failure does not restart a success" bash -c "$BERTH --root $ROOT run --name fine --restart on-failure ${RUNIMG[*]} true && [ \"\$($BERTH --root $ROOT container inspect fine | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"restart_count\"])')\" = 0 ]"

# ---- docker update --restart: the running monitor applies it at the next exit ----
b run -d --name later "${RUNIMG[@]}" sh -c 'echo later-run; sleep 1; exit 5' >/dev/null
check "update --restart on-failure:1 of a running container" bash -c "[ \"\$($BERTH --root $ROOT update --restart on-failure:1 later)\" = later ]"
code=$(b wait later)
if [ "$code" = 5 ] && [ "$(field later restart_count)" = 1 ] && [ "$(b logs later | grep -c '^later-run')" = 2 ]; then ok "the updated policy restarted it once (exit 5, restart_count 1)"
else not_ok "update then wait: code=$code count=$(field later restart_count)"; fi
b update --restart sometimes later >/dev/null 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -q 'restart policy "sometimes"' "$WORK/err" && [ "$(field later restart_policy)" = on-failure:1 ]; then ok "update with a bad policy is refused and changes nothing"
else not_ok "update sometimes: rc=$rc $(cat "$WORK/err")"; fi

# ---- always: restarts a container that exits 0; a stop while it runs ends it ----
b run -d --name ticker --restart always "${RUNIMG[@]}" sh -c 'echo tick; sleep 0.3; exit 0' >/dev/null
if until_true 30 bash -c "[ \$($BERTH --root $ROOT container inspect ticker | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"restart_count\"])') -ge 2 ]"; then
    ok "always: a container that exits 0 is restarted"
else not_ok "always: restart_count $(field ticker restart_count)"; fi
# stop it while a run is up (the back-off is still short here, so wait for a running run)
until_true 30 bash -c "[ \"\$($BERTH --root $ROOT container inspect ticker | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"state\"])')\" = running ]"
b stop -t 5 ticker >/dev/null
n1=$(field ticker restart_count); st1=$(field ticker state)
sleep 1.5
n2=$(field ticker restart_count); st2=$(field ticker state)
if [ "$st1" = exited ] && [ "$st2" = exited ] && [ "$n1" = "$n2" ]; then ok "always: stop ends the restarts (exited, count stays $n1)"
else not_ok "always after stop: $st1/$n1 then $st2/$n2"; fi
check "always: no monitor after the stop" bash -c "[ -z \"\$(pgrep -f '[b]erth-shim --root $ROOT --id $(field ticker id)')\" ]"

# ---- stop and kill while the monitor backs off ----
# on-failure without limit and a quick failure: the back-off doubles from 100 ms; after six
# restarts it is 6.4 s, long enough to find the container "restarting"
back_off_long() {
    until_true 60 bash -c "c=\$($BERTH --root $ROOT container inspect $1 | python3 -c 'import json,sys; c=json.load(sys.stdin)[0]; print(c[\"restart_count\"], c[\"state\"])'); set -- \$c; [ \$1 -ge 6 ] && [ \$2 = restarting ]"
}
b run -d --name crashy --restart on-failure "${RUNIMG[@]}" sh -c 'echo crash; exit 1' >/dev/null
if back_off_long crashy; then
    ok "on-failure: the container is in state restarting while the monitor backs off"
    st=$(b ps --filter name=crashy | tail -n +2)
    case "$st" in *"Restarting (1) "*" ago"*) ok "ps status: Restarting (1) … ago, listed without -a";; *) not_ok "ps during back-off: [$st]";; esac
    check "ps --filter status=restarting finds it" bash -c "$BERTH --root $ROOT ps --filter status=restarting | grep -q crashy"
    b exec crashy true >/dev/null 2>"$WORK/err"; rc=$?
    if [ $rc -ne 0 ] && grep -q "is restarting" "$WORK/err"; then ok "exec during back-off: refused, says it is restarting"; else not_ok "exec during back-off: rc=$rc $(cat "$WORK/err")"; fi
    b rm crashy >/dev/null 2>"$WORK/err"; rc=$?
    if [ $rc -ne 0 ] && grep -q "rm -f" "$WORK/err"; then ok "rm without -f during back-off: refused"; else not_ok "rm during back-off: rc=$rc $(cat "$WORK/err")"; fi
    n1=$(field crashy restart_count)
    check "stop during back-off succeeds" b stop crashy
    sleep 1
    n2=$(field crashy restart_count)
    if [ "$(field crashy state)" = exited ] && [ "$n1" = "$n2" ] && [ "$(field crashy exit_code)" = 1 ]; then
        ok "stop during back-off: exited (1), no further restart"
    else not_ok "stop during back-off: $(field crashy state) count $n1 -> $n2"; fi
    check "stop during back-off: the monitor is gone" bash -c "[ -z \"\$(pgrep -f '[b]erth-shim --root $ROOT --id $(field crashy id)')\" ]"
else
    not_ok "on-failure: never seen restarting (count $(field crashy restart_count), state $(field crashy state))"
fi
b rm crashy >/dev/null
b run -d --name crashy2 --restart always "${RUNIMG[@]}" sh -c 'exit 2' >/dev/null
if back_off_long crashy2; then
    ( b wait crashy2 >"$WORK/wait.out" 2>&1; echo $? >"$WORK/wait.rc" ) & waiter=$!
    check "kill during back-off succeeds" b kill crashy2
    wait $waiter
    if [ "$(cat "$WORK/wait.rc")" = 0 ] && [ "$(cat "$WORK/wait.out")" = 2 ]; then ok "a waiter started during back-off returns the last exit code (2) after the kill"
    else not_ok "wait across kill: rc=$(cat "$WORK/wait.rc") out=$(cat "$WORK/wait.out")"; fi
    n1=$(field crashy2 restart_count); sleep 1
    if [ "$(field crashy2 state)" = exited ] && [ "$(field crashy2 restart_count)" = "$n1" ]; then ok "kill during back-off: stays exited"
    else not_ok "kill during back-off: $(field crashy2 state)"; fi
else
    not_ok "always: never seen restarting"
fi
b run -d --name crashy3 --restart always "${RUNIMG[@]}" sh -c 'exit 2' >/dev/null
cid3=$(field crashy3 id)
if back_off_long crashy3; then
    check "rm -f during back-off" b rm -f crashy3
    check "rm -f during back-off: gone with its monitor" bash -c "! $BERTH --root $ROOT ps -a | grep -q crashy3 && [ -z \"\$(pgrep -f '[b]erth-shim --root $ROOT --id $cid3')\" ]"
else
    not_ok "crashy3 never seen restarting"
fi

# ---- the monitor killed during a back-off: reconciled, and boot brings an always one back ----
b run -d --name orphan --restart always "${RUNIMG[@]}" sh -c 'echo orphan-run; exit 2' >/dev/null
if back_off_long orphan; then
    kill -9 "$(field orphan shim_pid)"
    until_true 10 bash -c "[ -z \"\$(pgrep -f '[b]erth-shim --root $ROOT --id $(field orphan id)')\" ]"
    st=$(b ps -a --filter name=orphan | tail -n +2)
    case "$st" in *"Exited (255)"*) ok "monitor killed during back-off: reconciled to Exited (255)";; *) not_ok "orphan after kill -9: [$st]";; esac
    check "reconciled: no longer restarting" bash -c "[ \"\$($BERTH --root $ROOT container inspect orphan | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"restarting\"])')\" = False ]"
else
    not_ok "orphan never seen restarting"
fi

# ---- kill of a running container with a policy: not restarted ----
b run -d --name longrun --restart always "${RUNIMG[@]}" sleep 300 >/dev/null
b kill longrun >/dev/null
code=$(b wait longrun)
sleep 0.5
if [ "$code" = 137 ] && [ "$(field longrun state)" = exited ] && [ "$(field longrun restart_count)" = 0 ]; then ok "kill of a running always container: exited (137), not restarted"
else not_ok "kill of always: code=$code state=$(field longrun state) count=$(field longrun restart_count)"; fi

# ---- after a reboot: berth system boot ----
b run -d --name keep --restart unless-stopped "${RUNIMG[@]}" sh -c 'echo up-$$; sleep 300' >/dev/null
b run -d --name parked --restart unless-stopped "${RUNIMG[@]}" sleep 300 >/dev/null
b run -d --name plain "${RUNIMG[@]}" sleep 300 >/dev/null
b stop -t 1 parked >/dev/null
kpid=$(field keep pid)
for n in keep plain; do kill -9 "$(field $n shim_pid)"; done   # the "reboot": the monitors die
until_true 10 bash -c "! kill -0 $kpid 2>/dev/null || [ \"\$($BERTH --root $ROOT container inspect keep | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"state\"])')\" = exited ]"
b system boot >"$WORK/boot.out" 2>"$WORK/boot.err"; rc=$?
if [ $rc -eq 0 ] && grep -qx keep "$WORK/boot.out" && ! grep -q parked "$WORK/boot.out"; then ok "system boot started the unless-stopped container and named it"
else not_ok "system boot: rc=$rc out=[$(cat "$WORK/boot.out")] err=[$(cat "$WORK/boot.err")]"; fi
check "system boot: ticker (always, stopped by the user) came back too, as docker does at daemon start" grep -qx ticker "$WORK/boot.out"
check "system boot: orphan (always, its monitor killed mid back-off) came back" grep -qx orphan "$WORK/boot.out"
check "after boot: orphan runs its policy again under a new monitor" until_true 20 bash -c "[ \$($BERTH --root $ROOT logs orphan | grep -c '^orphan-run') -gt 7 ]"
if [ "$(field keep state)" = running ] && [ "$(field keep pid)" != "$kpid" ] && [ -n "$(monitor_of "$(field keep id)")" ]; then ok "after boot: keep runs again under a new monitor"
else not_ok "after boot: keep is $(field keep state)"; fi
check "after boot: keep's log has both runs" bash -c "[ \$($BERTH --root $ROOT logs keep | grep -c '^up-') -eq 2 ]"
check "after boot: the user-stopped unless-stopped container stays stopped" bash -c "[ \"\$($BERTH --root $ROOT container inspect parked | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"state\"])')\" = exited ]"
check "after boot: a container without a policy stays exited (reconciled, 255)" bash -c "[ \"\$($BERTH --root $ROOT container inspect plain | python3 -c 'import json,sys; c=json.load(sys.stdin)[0]; print(c[\"state\"], c[\"exit_code\"])')\" = 'exited 255' ]"
check "after boot: on-failure:2 that used its retries stays exited" bash -c "! grep -qx flaky $WORK/boot.out"
b system boot >"$WORK/boot2.out" 2>&1
check "a second boot starts nothing (all that should run, runs)" bash -c "[ ! -s $WORK/boot2.out ]"
check "system boot --json is an array" bash -c "$BERTH --root $ROOT system boot --json | python3 -c 'import json,sys; assert json.load(sys.stdin)==[]'"
check_fails "system without boot is a usage error" b system
if command -v systemd-analyze >/dev/null; then
    sed "s|^ExecStart=/usr/local/bin/berth |ExecStart=$BERTH --root $ROOT |" samples/systemd/berth-boot.service >"$WORK/berth-boot.service"
    check "samples/systemd/berth-boot.service passes systemd-analyze verify without a warning" \
        bash -c "out=\$(systemd-analyze verify $WORK/berth-boot.service 2>&1) && [ -z \"\$out\" ] || { echo \"\$out\"; false; }"
else
    skip "samples/systemd/berth-boot.service passes systemd-analyze verify" "no systemd-analyze on this machine"
fi

# ---- nothing leaked after rm ----
ids=$(b ps -a --json | python3 -c 'import json,sys; print("\n".join(c["id"] for c in json.load(sys.stdin)))')
for n in $(b ps -aq); do b rm -f "$n" >/dev/null || not_ok "rm -f $n"; done
check "rm -f removed every container" bash -c "[ -z \"\$($BERTH --root $ROOT ps -aq)\" ]"
left=0
for id in $ids; do grep -q "$id" /proc/self/mountinfo && left=1 && diag "mount left for $id"; done
if [ $left -eq 0 ]; then ok "no mounts left (mountinfo names no container id)"; else not_ok "mounts left"; fi
leaked=0
for id in $ids; do for c in /sys/fs/cgroup/*/berth/$id /sys/fs/cgroup/berth/$id; do [ -e "$c" ] && leaked=1 && diag "leaked cgroup $c"; done; done
if [ $leaked -eq 0 ]; then ok "no cgroups left"; else not_ok "cgroups leaked"; fi
check "no runc state left" bash -c "[ -z \"\$(ls $ROOT/runc 2>/dev/null)\" ]"
check "no monitors left" bash -c "! pgrep -f '[b]erth-shim --root $ROOT' >/dev/null"
tap_done
