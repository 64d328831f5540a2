#!/usr/bin/env bash
# Faults in the image lifecycle: kill -9 during a load and during a prune, two processes loading
# one archive at once, and a full disk (an 8 MiB tmpfs as the store root) during a load. After
# each, `berth fsck` is clean, nothing is half-visible, and nothing outside the root changed.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/pull_env.sh
pull_env_init
export DOCKER_CONFIG=$T/no-docker-config
MOUNTED=
lifecycle_cleanup() {
    [ -n "$MOUNTED" ] && umount "$MOUNTED" 2>/dev/null
    pull_env_cleanup
}
trap lifecycle_cleanup EXIT

# A docker-archive with one layer holding SIZE MiB of random bytes (incompressible, slow enough
# to interrupt), and its small sibling.
mkbig() {   # mkbig OUT.tar MIB NAME
    python3 - "$@" <<'PY'
import hashlib, io, json, os, sys, tarfile
out, mib, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as t:
    data = os.urandom(mib << 20)
    ti = tarfile.TarInfo("data.bin"); ti.size = len(data); ti.mtime = 1700000000
    t.addfile(ti, io.BytesIO(data))
lb = layer.getvalue(); diff = hashlib.sha256(lb).hexdigest()
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                  "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff]}}).encode()
ch = hashlib.sha256(cfg).hexdigest()
man = json.dumps([{"Config": ch + ".json", "RepoTags": [name], "Layers": [diff + ".tar"]}]).encode()
with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
    for n, d in ((ch + ".json", cfg), (diff + ".tar", lb), ("manifest.json", man)):
        ti = tarfile.TarInfo(n); ti.size = len(d); ti.mtime = 1700000000
        t.addfile(ti, io.BytesIO(d))
PY
}
fsck_ok() { "$B" --root "$1" --json fsck > "$T/fsck.out" 2>&1 && jq -e .ok "$T/fsck.out" >/dev/null; }
nimages() { "$B" --root "$1" images -q 2>/dev/null | wc -l; }
outside() { find "$T" \( -path "$T/root*" -o -path "$T/full" -o -path "$T/out" \) -prune -o -print 2>/dev/null | grep -v '\.log$\|fsck.out' | sort | md5sum; }

mkbig "$T/big.tar" 96 big/image:1
mkbig "$T/small.tar" 1 small/image:1
check "set-up: archives written" test -s "$T/big.tar" -a -s "$T/small.tar"

# ---- kill -9 during load ----
R1=$T/root-kill-load
"$B" --root "$R1" load -q "$T/small.tar" >/dev/null
"$B" --root "$R1" load -q "$T/big.tar" > /dev/null 2>&1 &
LP=$!
for i in $(seq 1 300); do
    [ -n "$(find "$R1/ingest" -name '*.partial' -size +1k 2>/dev/null)" ] && break
    sleep 0.02
done
kill -9 $LP 2>/dev/null; wait $LP 2>/dev/null
check "kill -9 in the middle of a load's ingest (a partial blob was on disk)" \
    test -n "$(find "$R1/ingest" -name '*.partial' 2>/dev/null)"
check "…the killed load's image is not visible (only the earlier one is)" test "$(nimages "$R1")" -eq 1
check "…berth fsck is clean" fsck_ok "$R1"
"$B" --root "$R1" load -q "$T/big.tar" > "$T/reload.log" 2>&1
check "…loading again succeeds (the partial is started over)" test $? -eq 0
check "…and fsck is clean with both images" sh -c "test \$('$B' --root '$R1' images -q | wc -l) -eq 2 && '$B' --root '$R1' --json fsck | jq -e .ok"

# ---- two processes loading the same archive ----
R2=$T/root-two
"$B" --root "$R2" images >/dev/null 2>&1
"$B" --root "$R2" load -q "$T/big.tar" > "$T/two-a.log" 2>&1 &
A=$!
"$B" --root "$R2" load -q "$T/big.tar" > "$T/two-b.log" 2>&1 &
Bp=$!
wait $A; sa=$?
wait $Bp; sb=$?
check "two processes loading one archive at once both succeed" sh -c "test $sa -eq 0 && test $sb -eq 0" 
check "…one image results" test "$(nimages "$R2")" -eq 1
check "…and fsck is clean" fsck_ok "$R2"

# ---- kill -9 during prune ----
R3=$T/root-kill-gc
"$B" --root "$R3" load -q "$T/small.tar" >/dev/null
KEEP=$("$B" --root "$R3" --json inspect small/image:1 | jq -r .id)
python3 - "$R3" <<'PY'
import hashlib, os, sys
root = sys.argv[1]
for i in range(30000):
    d = ("garbage %d" % i).encode()
    with open(os.path.join(root, "blobs", "sha256", hashlib.sha256(d).hexdigest()), "wb") as f:
        f.write(d)
os.makedirs(os.path.join(root, "layers"), exist_ok=True)
for i in range(300):
    p = os.path.join(root, "layers", hashlib.sha256(b"layer %d" % i).hexdigest())
    os.makedirs(os.path.join(p, "etc"), exist_ok=True)
    for k in range(5):
        with open(os.path.join(p, "etc", "f%d" % k), "w") as f:
            f.write("x" * 100)
    os.utime(p, (1600000000, 1600000000))
PY
"$B" --root "$R3" prune > /dev/null 2>&1 &
GP=$!
# Kill as soon as the sweep has started (some garbage gone), so it dies in the middle.
for i in $(seq 1 500); do
    [ "$(ls "$R3/blobs/sha256" | wc -l)" -lt 30003 ] && break
    sleep 0.01
done
kill -9 $GP 2>/dev/null; wait $GP 2>/dev/null
left=$(ls "$R3/blobs/sha256" | wc -l)
diag "blobs left after the killed prune: $left of $((30000 + 3))"
check "the prune was killed in the middle of its sweep" test "$left" -gt 3
check "after kill -9 during prune, the image is intact" "$B" --root "$R3" inspect small/image:1
check "…and berth fsck is clean" fsck_ok "$R3"
check "…no layer folder sits half-deleted at a layer's name (every hex folder is complete)" \
    sh -c "for d in '$R3'/layers/[0-9a-f]*; do [ -e \"\$d\" ] || continue; test \$(ls \"\$d/etc\" | wc -l) -eq 5 || exit 1; done"
berth_json "$T/gc2" "$R3" prune
check "…a second prune finishes the work" \
    sh -c "test \$(ls '$R3/blobs/sha256' | wc -l) -eq 3 && test -z \"\$(ls '$R3/layers')\""
check "…and leaves the image and a clean fsck" sh -c "test \"\$('$B' --root '$R3' --json inspect small/image:1 | jq -r .id)\" = '$KEEP'" 
check "…fsck clean at the end" fsck_ok "$R3"

# ---- a full disk during load ----
if [ "$(id -u)" -ne 0 ]; then
    skip "full disk during load" "needs root to mount a tmpfs"
else
    FULL=$T/full
    mkdir -p "$FULL"
    if mount -t tmpfs -o size=8m tmpfs "$FULL"; then
        MOUNTED=$FULL
        before=$(outside)
        "$B" --root "$FULL/root" load -q "$T/small.tar" > /dev/null 2>&1
        mkdir -p "$T/out"
        berth_json "$T/out/full1" "$FULL/root" load "$T/big.tar"
        st=$?
        check "a load onto a full disk fails" test $st -ne 0
        check "…with a clear error naming the cause" grep -qE 'No space left on device|disk is full' "$T/out/full1.err"
        diag "$(cat "$T/out/full1.err")"
        check "…the image is not visible (the earlier one still is)" test "$(nimages "$FULL/root")" -eq 1
        check "…berth fsck is clean" fsck_ok "$FULL/root"
        check "…nothing outside the store root changed" test "$(outside)" = "$before"
        "$B" --root "$FULL/root" prune --ingest-grace 0 > /dev/null 2>&1
        check "…prune frees the partial, and the store keeps working (a small load succeeds)" \
            sh -c "'$B' --root '$FULL/root' rmi small/image:1 >/dev/null && '$B' --root '$FULL/root' load -q '$T/small.tar' && test \$('$B' --root '$FULL/root' images -q | wc -l) -eq 1"
        umount "$FULL" && MOUNTED=
    else
        skip "full disk during load" "mount -t tmpfs failed (no privilege in this environment)"
    fi
fi

tap_done
