#!/usr/bin/env bash
# Containers on Linux with real runc: the image is built by tests/lib/mkimage.py from this
# machine's busybox-static, pushed to a loopback docker-registry with skopeo and pulled with
# `berth pull` (when this build has pull; otherwise the same files are used as a --rootfs and
# the suite says so). Covers the lifecycle, docker's exit codes, limits, mounts, logs, exec,
# state reconciliation after kill -9, concurrent starts, and that rm leaves nothing behind.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/registry.sh

BERTH=$PWD/build/berth
if [ "$(id -u)" != 0 ] || ! command -v runc >/dev/null; then
    skip "containers" "needs root and runc"; tap_done; exit 0
fi
[ -x "$BERTH" ] || make -s -j2 all >/dev/null
WORK=$(mktemp -d /tmp/berth-containers-XXXXXX)
ROOT=$WORK/root
STARTED=()
cleanup() {
    # remove every container of this store (kills their monitors), then the registry
    for id in $("$BERTH" --root "$ROOT" ps -aq 2>/dev/null); do "$BERTH" --root "$ROOT" rm -f "$id" >/dev/null 2>&1; done
    registry_stop T >/dev/null 2>&1
    for m in $(awk -v r="$WORK" '$2 ~ "^"r {print $2}' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT
b() { "$BERTH" --root "$ROOT" "$@"; }

# ---- the image ----
python3 tests/lib/mkimage.py "$WORK/oci" --tag v1 --busybox --layers 1 --cmd '["sh"]' --env GREETING=hello >/dev/null
# add image config the generator does not set: WorkingDir, User, StopSignal, Labels, Volumes
python3 - "$WORK/oci" <<'PY'
import hashlib, json, os, sys
root = sys.argv[1]
def blob(d): return os.path.join(root, "blobs", "sha256", d.split(":")[1])
def put(data):
    d = hashlib.sha256(data).hexdigest()
    open(os.path.join(root, "blobs", "sha256", d), "wb").write(data)
    return "sha256:" + d, len(data)
idx = json.load(open(os.path.join(root, "index.json")))
mdesc = idx["manifests"][0]
man = json.load(open(blob(mdesc["digest"])))
cfg = json.load(open(blob(man["config"]["digest"])))
cfg["config"].update({"WorkingDir": "/srv", "StopSignal": "SIGUSR1", "Labels": {"org.test": "yes"},
                      "Volumes": {"/cache": {}}})
man["config"]["digest"], man["config"]["size"] = put(json.dumps(cfg).encode())
mdesc["digest"], mdesc["size"] = put(json.dumps(man).encode())
json.dump(idx, open(os.path.join(root, "index.json"), "w"))
PY
IMG=""
if b 2>&1 | grep -q '^  pull'; then
    if registry_start T && skopeo copy --quiet --dest-tls-verify=false "oci:$WORK/oci:v1" "docker://$REG_T_ADDR/test/busybox:v1" >/dev/null 2>&1 \
        && b pull "$REG_T_ADDR/test/busybox:v1" >/dev/null 2>"$WORK/pull.err"; then
        IMG="$REG_T_ADDR/test/busybox:v1"
        ok "pulled the test image from the loopback registry"
    else
        not_ok "pull the test image"; sed 's/^/#   /' "$WORK/pull.err"
    fi
fi
if [ -z "$IMG" ]; then
    # no pull in this build yet: unpack the same layers into a folder and use --rootfs
    diag "berth pull is not available in this build: using the image's files as --rootfs"
    mkdir -p "$WORK/rootfs"
    python3 - "$WORK/oci" "$WORK/rootfs" <<'PY'
import json, os, sys, tarfile
root, out = sys.argv[1], sys.argv[2]
def blob(d): return os.path.join(root, "blobs", "sha256", d.split(":")[1])
idx = json.load(open(os.path.join(root, "index.json")))
man = json.load(open(blob(idx["manifests"][0]["digest"])))
for l in man["layers"]:
    with tarfile.open(blob(l["digest"])) as t:
        t.extractall(out)
PY
    IMGARGS=(--rootfs "$WORK/rootfs")
    IMG_FOR_RUN() { echo "--rootfs $WORK/rootfs"; }
    RUNIMG=(--rootfs "$WORK/rootfs")
else
    RUNIMG=("$IMG")
fi
HAVE_IMAGE_CONFIG=$([ -n "$IMG" ] && echo 1 || echo 0)

# ---- run, exit codes, output ----
out=$(b run --name first "${RUNIMG[@]}" sh -c 'echo out; echo err >&2; exit 3' 2>"$WORK/err"); rc=$?
if [ $rc -eq 3 ] && [ "$out" = out ] && grep -qx err "$WORK/err"; then ok "run: exit code 3, stdout and stderr passed through"
else not_ok "run: rc=$rc out=[$out] err=[$(cat "$WORK/err")]"; fi
check "logs of an exited container" bash -c "[ \"\$($BERTH --root $ROOT logs first 2>&1 | sort | tr '\n' ' ')\" = 'err out ' ]"
check "log file is docker json-file lines" bash -c "head -1 $ROOT/containers/*/log.json | python3 -c 'import json,sys; e=json.loads(sys.stdin.read()); assert e[\"stream\"] in (\"stdout\",\"stderr\") and e[\"time\"].endswith(\"Z\") and e[\"log\"].endswith(\"\\n\")'"

b run --rm "${RUNIMG[@]}" nosuchcommand >/dev/null 2>"$WORK/err"; rc=$?
if [ $rc -eq 127 ] && grep -q "not found" "$WORK/err"; then ok "missing command: exit 127 with a clear message"; else not_ok "missing command: rc=$rc $(cat "$WORK/err")"; fi
b run --rm "${RUNIMG[@]}" /etc >/dev/null 2>"$WORK/err"; rc=$?
if [ $rc -eq 126 ]; then ok "not executable: exit 126"; else not_ok "not executable: rc=$rc $(cat "$WORK/err")"; fi
# the monitor and runc are started with posix_spawn: a program that cannot be run must fail
# the start cleanly, and leave the container startable
b create --name nospawn "${RUNIMG[@]}" true >/dev/null
BERTH_SHIM="$WORK/no-such-shim" b start nospawn >/dev/null 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -q "cannot run the monitor" "$WORK/err"; then ok "start: a monitor that cannot be run is reported"
else not_ok "start without a monitor: rc=$rc $(cat "$WORK/err")"; fi
BERTH_RUNC="$WORK/no-such-runc" b start nospawn >/dev/null 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && [ "$(b inspect nospawn | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')" != running ] && b start nospawn >/dev/null && [ "$(b wait nospawn)" = 0 ]; then
    ok "start: a runc that cannot be run fails the start; the next start works"
else not_ok "start without runc: rc=$rc $(cat "$WORK/err")"; fi
b rm -f nospawn >/dev/null 2>&1

# ---- image config and overrides ----
if [ "$HAVE_IMAGE_CONFIG" = 1 ]; then
    out=$(b run --rm "$IMG" sh -c 'echo $GREETING $(pwd)')
    if [ "$out" = "hello /srv" ]; then ok "image Env and WorkingDir apply"; else not_ok "image config: [$out]"; fi
    check "image labels and stop signal are in the container" bash -c "$BERTH --root $ROOT create --name cfg $IMG >/dev/null && $BERTH --root $ROOT inspect cfg | grep -q '\"org.test\": \"yes\"' && $BERTH --root $ROOT inspect cfg | grep -q SIGUSR1"
    b rm cfg >/dev/null 2>&1
    b run --rm "no.such.registry.invalid/nothing:here" true >/dev/null 2>"$WORK/err"; rc=$?
    if [ $rc -eq 125 ] && grep -qi "no such image" "$WORK/err"; then ok "unknown image: clear error, exit 125"; else not_ok "unknown image: rc=$rc $(cat "$WORK/err")"; fi
else
    skip "image Env and WorkingDir apply" "no berth pull in this build"
    skip "image labels and stop signal" "no berth pull in this build"
    skip "unknown image" "no berth pull in this build"
fi
out=$(b run --rm -e GREETING=bye -e EXTRA=1 -w /tmp -u nobody --hostname boxy "${RUNIMG[@]}" sh -c 'echo $GREETING $EXTRA $(pwd) $(id -u) $(hostname)')
if [ "$out" = "bye 1 /tmp 65534 boxy" ]; then ok "-e, -w, -u, --hostname override"; else not_ok "overrides: [$out]"; fi
out=$(b run --rm --entrypoint echo "${RUNIMG[@]}" via entrypoint)
if [ "$out" = "via entrypoint" ]; then ok "--entrypoint replaces the entrypoint"; else not_ok "--entrypoint: [$out]"; fi
b run --rm -u ghost "${RUNIMG[@]}" true 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -q "ghost" "$WORK/err"; then ok "unknown user is refused by name"; else not_ok "unknown user: rc=$rc"; fi

# ---- mounts, read-only, limits ----
mkdir -p "$WORK/host"; echo from-host > "$WORK/host/in"
out=$(b run --rm -v "$WORK/host:/data" -v vol1:/vol "${RUNIMG[@]}" sh -c 'cat /data/in; echo written > /data/out; echo persisted > /vol/v')
if [ "$out" = from-host ] && [ "$(cat "$WORK/host/out")" = written ]; then ok "bind mount read and written"; else not_ok "bind mount: [$out]"; fi
out=$(b run --rm -v vol1:/other "${RUNIMG[@]}" cat /other/v)
if [ "$out" = persisted ]; then ok "named volume outlives its container"; else not_ok "named volume: [$out]"; fi
b run --rm -v "$WORK/host:/data:ro" "${RUNIMG[@]}" sh -c 'echo x > /data/nope' 2>/dev/null
if [ $? -ne 0 ] && [ ! -e "$WORK/host/nope" ]; then ok "read-only bind mount refuses writes"; else not_ok "ro bind mount was writable"; fi
b run --rm -v "$WORK/missing:/x" "${RUNIMG[@]}" true 2>"$WORK/err"
if [ $? -ne 0 ] && grep -q "does not exist" "$WORK/err"; then ok "bind mount of a missing host path: clear error"; else not_ok "missing bind source: $(cat "$WORK/err")"; fi
b run --rm --read-only "${RUNIMG[@]}" sh -c 'touch /newfile' 2>/dev/null
if [ $? -ne 0 ]; then ok "--read-only root file system"; else not_ok "--read-only rootfs was writable"; fi
out=$(b run --rm -m 64m "${RUNIMG[@]}" sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max')
if [ "$out" = 67108864 ]; then ok "memory limit visible in the container's cgroup"; else not_ok "memory limit: [$out]"; fi
out=$(b run --rm --cpus 0.5 "${RUNIMG[@]}" sh -c 'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null || cut -d" " -f1 /sys/fs/cgroup/cpu.max')
if [ "$out" = 50000 ]; then ok "--cpus 0.5 → 50 ms per 100 ms"; else not_ok "cpu quota: [$out]"; fi
out=$(b run --rm --network none "${RUNIMG[@]}" sh -c 'ls /sys/class/net | tr "\n" " "')
if [ "$out" = "lo " ]; then ok "--network none: only loopback"; else not_ok "network none: [$out]"; fi

out=$(b run --rm --network host "${RUNIMG[@]}" sh -c 'ls /sys/class/net | wc -l')
if [ "$out" -gt 1 ]; then ok "--network host: the host's interfaces"; else not_ok "network host: [$out]"; fi

# ---- the default bridge with a published port (127.0.0.1 only) ----
port=$(free_port)
b run -d --name web -p "127.0.0.1:$port:80" "${RUNIMG[@]}" sh -c 'mkdir -p /www && echo hello-from-berth > /www/index.html && exec httpd -f -p 80 -h /www' >/dev/null
webid=$(b inspect web | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
got=""
for i in $(seq 50); do got=$(curl -s -m 2 "http://127.0.0.1:$port/") && [ -n "$got" ] && break; sleep 0.1; done
if [ "$got" = hello-from-berth ]; then ok "bridge network: -p 127.0.0.1:$port:80 reaches the container"; else not_ok "published port: [$got]"; fi
out=$(b exec web sh -c "ip -4 -o addr show eth0 | awk '{print \$4}'")
case "$out" in 10.89.*) ok "bridge address on the host-only 10.89.0.0/16 network ($out)";; *) not_ok "bridge address: [$out]";; esac
check "the network namespace exists while it runs" test -e "/run/berth/netns/$webid"
# the host side of web's veth pair, from the CNI result kept in its bundle
veth=$(python3 -c 'import json,sys; print(" ".join(i["name"] for i in json.load(open(sys.argv[1]))["interfaces"] if "sandbox" not in i and i["name"] != "berth0"))' "$ROOT/containers/$webid/network.json" 2>/dev/null)
b rm -f web >/dev/null
check "rm removed the network namespace" bash -c "! test -e /run/berth/netns/$webid"
check "rm released the address" bash -c "! grep -rqs $webid /run/berth/cni-ipam/berth"
if [ -n "$veth" ] && ! ip link show "$veth" >/dev/null 2>&1; then ok "rm removed the veth ($veth)"; else not_ok "veth [$veth] still there or unknown"; fi
check "rm removed the port mapping" bash -c "! iptables-save -t nat | grep -q -- '--dport $port '"
b run --rm -p 99999:80 "${RUNIMG[@]}" true 2>"$WORK/err"
if [ $? -ne 0 ] && grep -q "65535" "$WORK/err"; then ok "a bad port is refused with the rule"; else not_ok "bad port: $(cat "$WORK/err")"; fi

# ---- detached: logs, exec, stop, wait ----
id=$(b run -d --name svc "${RUNIMG[@]}" sh -c 'trap "echo got-term; exit 7" TERM; trap "echo got-usr1; exit 7" USR1; echo started; while true; do sleep 0.1; done')
if [ ${#id} -eq 64 ]; then ok "run -d prints the id"; else not_ok "run -d printed [$id]"; fi
for i in $(seq 50); do b logs svc | grep -q started && break; sleep 0.1; done
check "logs of a running container" bash -c "$BERTH --root $ROOT logs svc | grep -qx started"
check "ps shows it Up" bash -c "$BERTH --root $ROOT ps | grep svc | grep -q ' Up '"
b exec svc sh -c 'exit 5'; rc=$?
if [ $rc -eq 5 ]; then ok "exec passes the exit code through"; else not_ok "exec rc=$rc"; fi
out=$(b exec -e X=1 svc sh -c 'echo $X $GREETING')
case "$out" in 1*) ok "exec sees the container env plus -e";; *) not_ok "exec env: [$out]";; esac
b exec svc nosuchcmd 2>/dev/null; rc=$?
if [ $rc -eq 127 ]; then ok "exec of a missing command: 127"; else not_ok "exec missing: rc=$rc"; fi
b rm svc 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -q "running" "$WORK/err"; then ok "rm without -f refuses a running container"; else not_ok "rm of running: rc=$rc"; fi
(b wait svc > "$WORK/wait.out") & waiter=$!
b stop svc >/dev/null
wait $waiter
if [ "$(cat "$WORK/wait.out")" = 7 ]; then ok "stop signals the container; wait prints the exit code"; else not_ok "wait printed [$(cat "$WORK/wait.out")]"; fi
# the image says StopSignal SIGUSR1 (docker's rule: the image's stop signal, else SIGTERM)
want=$([ "$HAVE_IMAGE_CONFIG" = 1 ] && echo got-usr1 || echo got-term)
check "stop used the image's stop signal ($want)" bash -c "$BERTH --root $ROOT logs svc | grep -qx $want"
check "ps --filter status=exited" bash -c "$BERTH --root $ROOT ps --filter status=exited | grep -q svc"
b start svc >/dev/null; sleep 0.3
check "start again appends to the log" bash -c "[ \$($BERTH --root $ROOT logs svc | grep -c started) -eq 2 ]"
b restart -t 5 svc >/dev/null
check "restart" bash -c "[ \$($BERTH --root $ROOT logs svc | grep -c started) -ge 2 ] && $BERTH --root $ROOT ps | grep -q svc"
check "logs --tail 1" bash -c "[ \$($BERTH --root $ROOT logs --tail 1 svc | wc -l) -eq 1 ]"
check "logs -t prefixes RFC 3339 times" bash -c "$BERTH --root $ROOT logs -t svc | head -1 | grep -Eq '^20[0-9-]+T[0-9:.]+Z '"
check "logs --since the future is empty" bash -c "[ -z \"\$($BERTH --root $ROOT logs --since 2999-01-01T00:00:00Z svc)\" ]"
check "kill -s KILL" bash -c "$BERTH --root $ROOT kill -s KILL svc >/dev/null && [ \$($BERTH --root $ROOT wait svc) -eq 137 ]"

# stop escalates to SIGKILL after the timeout
b run -d --name stubborn "${RUNIMG[@]}" sh -c 'trap "" TERM USR1; echo up; while true; do sleep 0.1; done' >/dev/null
for i in $(seq 50); do b logs stubborn | grep -q up && break; sleep 0.1; done
b stop -t 1 stubborn >/dev/null
code=$(b wait stubborn)
if [ "$code" = 137 ]; then ok "stop -t 1: SIGKILL after the timeout (137)"; else not_ok "stubborn exit: [$code]"; fi

# ---- --rm, -i, names, filters ----
out=$(echo piped | b run --rm -i "${RUNIMG[@]}" sh -c 'cat; exit 4'); rc=$?
if [ "$out" = piped ] && [ $rc -eq 4 ]; then ok "run -i: stdin reaches the container; --rm still reports the exit code"; else not_ok "run -i: rc=$rc [$out]"; fi
check "--rm removed the container" bash -c "! $BERTH --root $ROOT ps -a | grep -q ' piped'"
b create --name dup "${RUNIMG[@]}" true >/dev/null
b create --name dup "${RUNIMG[@]}" true 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -q "already in use" "$WORK/err"; then ok "name conflict: clear error"; else not_ok "name conflict rc=$rc"; fi
b create --name labelled -l team=blue "${RUNIMG[@]}" true >/dev/null
check "ps --filter label=team=blue" bash -c "[ \"\$($BERTH --root $ROOT ps -a --filter label=team=blue | tail -n +2 | awk '{print \$NF}')\" = labelled ]"
check "ps --filter name=" bash -c "[ \$($BERTH --root $ROOT ps -a --filter name=dup | tail -n +2 | wc -l) -eq 1 ]"
check "ps --json is an array of container objects" bash -c "$BERTH --root $ROOT ps -a --json | python3 -c 'import json,sys; a=json.load(sys.stdin); assert isinstance(a,list) and all(\"state\" in c and \"id\" in c for c in a)'"
check "container inspect" bash -c "$BERTH --root $ROOT container inspect dup | python3 -c 'import json,sys; a=json.load(sys.stdin); assert a[0][\"name\"]==\"dup\" and a[0][\"state\"]==\"created\"'"

b run -d --rm --name ephemeral "${RUNIMG[@]}" sleep 60 >/dev/null
check "rm -f of a running --rm container" bash -c "$BERTH --root $ROOT rm -f ephemeral >/dev/null && ! $BERTH --root $ROOT ps -a | grep -q ephemeral"
if command -v script >/dev/null; then
    out=$(timeout 30 script -qc "$BERTH --root $ROOT run --rm -t ${RUNIMG[*]} sh -c 'tty; exit 3'" /dev/null </dev/null | tr -d '\r')
    case "$out" in /dev/pts/*) ok "run -t gives the container a terminal";; *) not_ok "run -t: [$out]";; esac
else
    skip "run -t gives the container a terminal" "no script(1) to provide a terminal"
fi

# ---- two starters at once ----
b create --name race "${RUNIMG[@]}" sh -c 'sleep 30' >/dev/null
( b start race >"$WORK/s1" 2>&1; echo $? >"$WORK/r1" ) & p1=$!
( b start race >"$WORK/s2" 2>&1; echo $? >"$WORK/r2" ) & p2=$!
wait $p1 $p2
wins=$(( $(cat "$WORK/r1") == 0 )); wins=$(( wins + ($(cat "$WORK/r2") == 0) ))
if [ $wins -eq 1 ] && grep -hqE "already running|another berth process" "$WORK/s1" "$WORK/s2"; then ok "two starters at once: one wins, the other gets a clear error"
else not_ok "two starters: r1=$(cat "$WORK/r1") r2=$(cat "$WORK/r2"): $(cat "$WORK/s1" "$WORK/s2")"; fi
shims=$(pgrep -f "berth-shim --root $ROOT --id $(b inspect race | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')" | wc -l)
if [ "$shims" -eq 1 ]; then ok "exactly one monitor runs the raced container"; else not_ok "$shims monitors for one container"; fi

# ---- kill -9 of the monitor: reconciled on the next command ----
rid=$(b inspect race | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
spid=$(b inspect race | python3 -c 'import json,sys; print(json.load(sys.stdin)["shim_pid"])')
cpid=$(b inspect race | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
kill -9 "$spid"
for i in $(seq 50); do kill -0 "$spid" 2>/dev/null || break; sleep 0.1; done
st=$(b ps -a --filter name=race | tail -n +2)
case "$st" in *"Exited (255)"*) ok "monitor killed: ps shows the container exited (255)";; *) not_ok "after kill -9 of the shim: [$st]";; esac
check "inspect says why" bash -c "$BERTH --root $ROOT inspect race | grep -q 'monitor'"
for i in $(seq 50); do kill -0 "$cpid" 2>/dev/null || break; sleep 0.1; done
if ! kill -0 "$cpid" 2>/dev/null; then ok "the orphaned container process was stopped"; else not_ok "container pid $cpid still runs"; fi
check "the reconciled container starts again" bash -c "$BERTH --root $ROOT start race >/dev/null && $BERTH --root $ROOT ps | grep -q race"

# ---- kill -9 of the CLI mid-run: the container keeps running under its monitor ----
b run --name survivor "${RUNIMG[@]}" sh -c 'echo alive; sleep 30' >/dev/null 2>&1 & cli=$!
for i in $(seq 50); do b logs survivor 2>/dev/null | grep -q alive && break; sleep 0.1; done
kill -9 $cli; wait $cli 2>/dev/null
sleep 0.2
check "CLI killed: the container runs on" bash -c "$BERTH --root $ROOT ps | grep -q survivor"
check "and stops cleanly later" bash -c "$BERTH --root $ROOT stop -t 1 survivor >/dev/null && $BERTH --root $ROOT ps -a --filter status=exited | grep -q survivor"

# ---- nothing leaked after rm ----
ids=$(b ps -a --json | python3 -c 'import json,sys; print("\n".join(c["id"] for c in json.load(sys.stdin)))')
for n in $(b ps -aq); do b rm -f "$n" >/dev/null || not_ok "rm -f $n"; done
check "rm -f removed every container" bash -c "[ -z \"\$($BERTH --root $ROOT ps -aq)\" ]"
check "no mounts left under the store" bash -c "! grep -q '$ROOT/containers' /proc/mounts"
check "no bundle folders left" bash -c "[ -z \"\$(ls $ROOT/containers)\" ]"
check "no runc state left" bash -c "[ -z \"\$(ls $ROOT/runc 2>/dev/null)\" ]"
leaked=0
for id in $ids; do for c in /sys/fs/cgroup/*/berth/$id /sys/fs/cgroup/berth/$id; do [ -e "$c" ] && leaked=1 && diag "leaked cgroup $c"; done; done
if [ $leaked -eq 0 ]; then ok "no cgroups left"; else not_ok "cgroups leaked"; fi
leftns=0
for id in $ids; do [ -e "/run/berth/netns/$id" ] && leftns=1 && diag "left netns $id"; done
if [ $leftns -eq 0 ]; then ok "no network namespaces left"; else not_ok "network namespaces left"; fi
check "no monitors left" bash -c "! pgrep -f '[b]erth-shim --root $ROOT' >/dev/null"
tap_done
