#!/usr/bin/env bash
# berth prune: marks from tags, containers and live leases; sweeps blobs, unpacked layer folders
# and stale partial ingests; one exclusive lock; reports what it freed. Includes a pull and a
# prune racing in two processes: the pull's leased blobs survive and its image is complete.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/pull_env.sh
pull_env_init
export DOCKER_CONFIG=$T/no-docker-config
command -v sqlite3 >/dev/null || { skip "gc suite" "sqlite3 is not installed (make deps installs it)"; tap_done; exit 0; }

python3 tests/lib/mkimage.py "$T/app" --tag v1 --layers 2 >/dev/null
python3 tests/lib/mkimage.py "$T/other" --tag v1 --file /other.txt=other --layers 1 >/dev/null
start_registry R
R=$REG_R_ADDR
push_oci "$T/app:v1" "docker://$R/gc/app:v1"
push_oci "$T/other:v1" "docker://$R/gc/other:v1"
ROOT=$T/root
pb() { "$B" --root "$ROOT" "$@"; }
pb pull -q "$R/gc/app:v1" >/dev/null 2>&1 && pb pull -q "$R/gc/other:v1" >/dev/null 2>&1
check "set-up: two images pulled" test $? -eq 0
fsck_ok() { "$B" --root "${1:-$ROOT}" --json fsck | jq -e .ok >/dev/null; }
blobs() { ls "$ROOT/blobs/sha256" | sort; }
# Unpack an image's layers into the store as a container create would.
unpack_image() {
    local img=$1 parent="" d diff args
    for row in $(pb --json inspect "$img" | jq -r '.layers[] | .digest + "," + .diff_id'); do
        d=${row%,*}; diff=${row#*,}
        args=(--diff-id "$diff"); [ -n "$parent" ] && args+=(--parent "$parent")
        parent=$(pb --json layer unpack "${args[@]}" "$ROOT/blobs/sha256/${d#sha256:}" | jq -r .chain_id) || return 1
    done
}
unpack_image "$R/gc/app:v1" && unpack_image "$R/gc/other:v1"
check "set-up: both images' layers unpacked into layers/" test "$(ls "$ROOT/layers" | grep -c '^[0-9a-f]\{64\}$')" -ge 4

# ---- nothing to do ----
berth_json "$T/p0" "$ROOT" prune
check "prune with nothing unreferenced removes nothing" \
    jq -e '.blobs_removed == 0 and .layers_removed == 0 and .ingests_removed == 0 and .bytes_freed == 0' "$T/p0"

# ---- an image removed: its blobs and layer folders go, the other's stay ----
APP_BLOBS=$(pb --json inspect "$R/gc/app:v1" | jq -r '[.id, .manifest_digest] + [.layers[].digest] | .[]' | cut -d: -f2 | sort)
OTHER_ONLY=$(comm -13 <(echo "$APP_BLOBS") <(blobs) | wc -l)
APP_CHAINS=$(ls "$ROOT/layers" | grep '^[0-9a-f]\{64\}$' | sort)
pb rmi "$R/gc/other:v1" >/dev/null
berth_json "$T/p1" "$ROOT" prune
check "after rmi, prune removes the image's own blobs (not the shared ones)" \
    test "$(jq .blobs_removed "$T/p1")" -eq "$OTHER_ONLY"
check "…every blob of the remaining image is still there" test -z "$(comm -23 <(echo "$APP_BLOBS") <(blobs))"
check "…its unpacked layer folder no image needs is removed" test "$(jq .layers_removed "$T/p1")" -ge 1
check "…and it reports the bytes freed" test "$(jq .bytes_freed "$T/p1")" -gt 0
NEED=$(pb --json inspect "$R/gc/app:v1" | jq -r '.layers[].diff_id' | xargs "$B" layer chain | tr -d '"[],' | grep sha256 | cut -d: -f2 | sort)
HAVE=$(ls "$ROOT/layers" | grep '^[0-9a-f]\{64\}$' | sort)
check "…the remaining image's layer folders are all kept" test -z "$(comm -23 <(echo "$NEED") <(echo "$HAVE"))"
check "…no tmp- folder is left" sh -c "! ls '$ROOT/layers' | grep -q '^tmp-'"
check "fsck is clean afterwards" fsck_ok

# ---- partial ingests ----
mkdir -p "$ROOT/ingest"
OLD=$(printf 'a%.0s' $(seq 64)); NEW=$(printf 'b%.0s' $(seq 64)); HELD=$(printf 'c%.0s' $(seq 64))
head -c 5000 /dev/urandom > "$ROOT/ingest/$OLD.partial"; touch -d '2 days ago' "$ROOT/ingest/$OLD.partial"
head -c 5000 /dev/urandom > "$ROOT/ingest/$NEW.partial"
head -c 5000 /dev/urandom > "$ROOT/ingest/$HELD.partial"; touch -d '2 days ago' "$ROOT/ingest/$HELD.partial"
head -c 100 /dev/urandom > "$ROOT/ingest/put-old123"; touch -d '2 days ago' "$ROOT/ingest/put-old123"
flock -o "$ROOT/ingest/$HELD.partial" sleep 60 &
FLOCK_PID=$!; BG_PIDS+=($FLOCK_PID)
sleep 0.3
berth_json "$T/p2" "$ROOT" prune
check "prune removes partial downloads older than a day (and stale put temporaries)" \
    sh -c "test ! -e '$ROOT/ingest/$OLD.partial' && test ! -e '$ROOT/ingest/put-old123' && test \$(jq .ingests_removed '$T/p2') -eq 2"
check "…keeps a fresh partial (it may be resumed)" test -e "$ROOT/ingest/$NEW.partial"
check "…keeps an old partial that a live process holds locked" test -e "$ROOT/ingest/$HELD.partial"
berth_json "$T/p3" "$ROOT" prune --ingest-grace 0
check "--ingest-grace 0 removes the fresh partial too, still not the locked one" \
    sh -c "test ! -e '$ROOT/ingest/$NEW.partial' && test -e '$ROOT/ingest/$HELD.partial'"
kill $FLOCK_PID 2>/dev/null; wait $FLOCK_PID 2>/dev/null

# ---- untagged images, containers, --all ----
OD=$(skopeo inspect --tls-verify=false "docker://$R/gc/other:v1" | jq -r .Digest)
pb pull -q "$R/gc/other@$OD" >/dev/null 2>&1
OID=$(pb --json inspect "$R/gc/other@$OD" | jq -r .id)
berth_json "$T/p4" "$ROOT" prune
check "an untagged image (pulled by digest) survives a plain prune" pb inspect "$OID"
# A containers table as the containers concern creates it, if this build has none yet.
sqlite3 "$ROOT/berth.db" "CREATE TABLE IF NOT EXISTS containers (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, image TEXT NOT NULL, image_id TEXT, spec TEXT NOT NULL DEFAULT '{}', state TEXT NOT NULL DEFAULT 'created', created TEXT NOT NULL DEFAULT '');
  INSERT INTO containers (id, name, image, image_id, spec, state, created) VALUES ('c1', 'gc-test', 'other', '$OID', '{}', 'created', '');" 2>"$T/sq.err"
check "set-up: a container row uses the untagged image" test $? -eq 0
berth_json "$T/p5" "$ROOT" prune --all
check "prune --all keeps an untagged image that a container uses" pb inspect "$OID"
sqlite3 "$ROOT/berth.db" "DELETE FROM containers WHERE id = 'c1';"
berth_json "$T/p6" "$ROOT" prune --all
check "prune --all removes it once no container uses it" jq -e ".images_removed | index(\"$OID\")" "$T/p6"
check "…and its blobs in the same run" test "$(jq .blobs_removed "$T/p6")" -ge 2
check "…the tagged image stays" pb inspect "$R/gc/app:v1"
check "fsck is clean afterwards" fsck_ok

# ---- leases ----
GARBAGE=$(printf 'leased blob' | sha256sum | cut -d' ' -f1)
printf 'leased blob' > "$ROOT/blobs/sha256/$GARBAGE"
sleep 300 &
LIVE=$!; BG_PIDS+=($LIVE)
sqlite3 "$ROOT/berth.db" "INSERT INTO leases (purpose, pid, pid_start, created) VALUES ('test', $LIVE, '', 0);
  INSERT INTO lease_blobs (lease_id, digest) VALUES (last_insert_rowid(), 'sha256:$GARBAGE');"
berth_json "$T/p7" "$ROOT" prune
check "a blob held by a live process's lease is kept" test -e "$ROOT/blobs/sha256/$GARBAGE"
kill $LIVE; wait $LIVE 2>/dev/null
berth_json "$T/p8" "$ROOT" prune
check "once that process is gone its lease expires and the blob goes" \
    sh -c "test ! -e '$ROOT/blobs/sha256/$GARBAGE' && test \$(jq .leases_swept '$T/p8') -ge 1"

# ---- the lock ----
flock -o "$ROOT/gc.lock" sleep 60 &
LOCKER=$!; BG_PIDS+=($LOCKER)
sleep 0.3
berth_json "$T/p9" "$ROOT" prune
st=$?
check "a second prune while one runs fails with BERTH_EBUSY and says so" \
    sh -c "test $st -ne 0 && grep -q 'another .berth prune. is running' '$T/p9.err'"
kill $LOCKER; wait $LOCKER 2>/dev/null
check "…and works once the first is done" pb prune

# ---- a pull and prunes racing in two processes ----
bg_start proxy python3 tests/lib/fault_proxy.py --upstream "$R" --port-file "$T/proxy.port"
PP=$(wait_port_file "$T/proxy.port")
P=127.0.0.1:$PP
# Every blob trickles in, so the pull holds its lease for seconds while prunes run.
curl -fsS "http://$P/__proxy/set?mode=trickle&chunk=16&delay=0.05&count=-1&min_size=0" >/dev/null
RACE=$T/race
"$B" --root "$RACE" pull -q "$P/gc/app:v1" > "$T/race-pull.log" 2>&1 &
PULL=$!
n=0
while kill -0 $PULL 2>/dev/null; do
    "$B" --root "$RACE" prune --all --ingest-grace 0 >> "$T/race-prune.log" 2>&1 && n=$((n + 1))
    sleep 0.1
done
wait $PULL
pst=$?
diag "prunes during the pull: $n"
check "the pull succeeds while prunes run beside it ($n prunes)" test $pst -eq 0
check "…prunes really ran during it" test $n -ge 2
check "…the image is complete: fsck finds every blob" fsck_ok "$RACE"
RACE_NEED=$("$B" --root "$RACE" --json inspect "$P/gc/app:v1" | jq -r '.layers[].diff_id' | xargs "$B" layer chain | tr -d '"[],' | grep sha256 | cut -d: -f2)
check "…every layer the pull unpacked is still there (its chain ids were leased)" \
    sh -c "for c in $(echo $RACE_NEED); do test -d '$RACE/layers/'\$c || exit 1; done"
check "…and a prune afterwards keeps it all" sh -c "'$B' --root '$RACE' --json prune | jq -e '.blobs_removed == 0' && '$B' --root '$RACE' --json fsck | jq -e .ok"

[ $pst -eq 0 ] || cat "$T/race-pull.log" "$T/race-prune.log" | sed "s/^/# /" | tail -20
tap_done
