#!/usr/bin/env bash
# berth push against real parts: Debian docker-registry instances on loopback (open, htpasswd
# Basic, Bearer via tests/lib/token_server.py), checked by pulling back with skopeo and
# comparing digests. Covers: upload of every blob, HEAD skips blobs the registry has,
# cross-repository mount, chunked upload, push by digest, auth refusals, bad input.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/pull_env.sh
pull_env_init
export DOCKER_CONFIG=$T/no-docker-config

python3 tests/lib/mkimage.py "$T/app" --tag v1 --layers 2 >/dev/null
# An uncompressed layer of ~2 MB, so the chunked path sends many PATCHes.
python3 tests/lib/mkimage.py "$T/big" --tag v1 --add /bin/busybox:/bin/busybox --compression none >/dev/null
start_registry SRC
start_registry DST
RS=$REG_SRC_ADDR
RD=$REG_DST_ADDR
push_oci "$T/app:v1" "docker://$RS/src/app:v1"
push_oci "$T/big:v1" "docker://$RS/src/big:v1"
ROOT=$T/root
"$B" --root "$ROOT" pull -q "$RS/src/app:v1" >/dev/null 2>&1 && "$B" --root "$ROOT" pull -q "$RS/src/big:v1" >/dev/null 2>&1
check "set-up: images pulled from the source registry" test $? -eq 0
local_digest() { "$B" --root "$ROOT" --json inspect "$1" | jq -r .manifest_digest; }
APP_DIGEST=$(local_digest "$RS/src/app:v1")
NBLOBS=$(( $("$B" --root "$ROOT" --json inspect "$RS/src/app:v1" | jq '.layers | length') + 1 ))

# ---- a first push uploads everything, byte for byte ----
berth_json "$T/p1" "$ROOT" push "$RS/src/app:v1" "$RD/team/app:1.0"
check "push to a fresh registry succeeds" test $? -eq 0
check "…uploads every blob (layers + config)" test "$(last_json "$T/p1" | jq .blobs_pushed)" -eq "$NBLOBS"
check "…and reports the local manifest digest" test "$(last_json "$T/p1" | jq -r .digest)" = "$APP_DIGEST"
check "skopeo inspect of the pushed tag shows the same digest" \
    test "$(skopeo inspect --tls-verify=false "docker://$RD/team/app:1.0" | jq -r .Digest)" = "$APP_DIGEST"
check "skopeo copy pulls the pushed image back (every blob verified)" \
    skopeo copy -q --src-tls-verify=false "docker://$RD/team/app:1.0" "oci:$T/back:x"
check "…with the same layers" test "$(jq -r '.layers[].digest' "$T/back/blobs/sha256/$(jq -r '.manifests[0].digest' "$T/back/index.json" | cut -d: -f2)")" \
    = "$("$B" --root "$ROOT" --json inspect "$RS/src/app:v1" | jq -r '.layers[].digest')"
check "the JSON progress shows upload events" grep -q '"phase":"upload"' "$T/p1"
check "the image records the new repository digest" \
    sh -c "'$B' --root '$ROOT' --json inspect '$RS/src/app:v1' | jq -e '.repo_digests | index(\"$RD/team/app@$APP_DIGEST\")'"

# ---- a second push: HEAD finds every blob, nothing is uploaded ----
berth_json "$T/p2" "$ROOT" push "$RS/src/app:v1" "$RD/team/app:1.0"
check "pushing again uploads nothing (every blob already exists)" \
    sh -c "test \$(tail -n1 '$T/p2' | jq .blobs_existed) -eq $NBLOBS && test \$(tail -n1 '$T/p2' | jq .blobs_pushed) -eq 0"
"$B" --root "$ROOT" push "$RS/src/app:v1" "$RD/team/app:1.0" > "$T/p2h" 2>&1
check "the human view says 'Layer already exists'" grep -q "Layer already exists" "$T/p2h"

# ---- another repository of the same registry: cross-repository mount ----
berth_json "$T/p3" "$ROOT" push "$RS/src/app:v1" "$RD/other/app:2.0"
check "pushing to another repository of the same registry mounts every blob" \
    test "$(last_json "$T/p3" | jq .blobs_mounted)" -eq "$NBLOBS"
check "…and the mounted image reads back with the same digest" \
    test "$(skopeo inspect --tls-verify=false "docker://$RD/other/app:2.0" | jq -r .Digest)" = "$APP_DIGEST"
check "…and skopeo can copy it (the mounted blobs are really there)" \
    skopeo copy -q --src-tls-verify=false "docker://$RD/other/app:2.0" "oci:$T/back2:x"

# ---- chunked upload (PATCH … PUT ?digest=) ----
BIG_DIGEST=$(local_digest "$RS/src/big:v1")
BERTH_PUSH_CHUNK_SIZE=65536 berth_json "$T/p4" "$ROOT" push "$RS/src/big:v1" "$RD/chunked/big:v1"
check "a chunked push (64 KiB chunks) succeeds" test $? -eq 0
check "…in many chunks" grep -qE '"message":"uploading in [0-9]{2,} chunks"' "$T/p4"
check "…and skopeo reads back the same digest" \
    test "$(skopeo inspect --tls-verify=false "docker://$RD/chunked/big:v1" | jq -r .Digest)" = "$BIG_DIGEST"
check "…and copies it, verifying the 2 MB layer" skopeo copy -q --src-tls-verify=false "docker://$RD/chunked/big:v1" "oci:$T/back3:x"

# ---- push by digest, and its refusal ----
berth_json "$T/p5" "$ROOT" push "$RS/src/app:v1" "$RD/bydigest/app@$APP_DIGEST"
check "push by the image's own digest succeeds" test $? -eq 0
check "…and the registry serves exactly those manifest bytes by digest" \
    test "sha256:$(skopeo inspect --raw --tls-verify=false "docker://$RD/bydigest/app@$APP_DIGEST" | sha256sum | cut -d' ' -f1)" = "$APP_DIGEST"
berth_json "$T/p6" "$ROOT" push "$RS/src/app:v1" "$RD/bydigest/app@sha256:$(printf '%064d' 0)"
check "push by another digest is refused with BERTH_EINVAL" grep -q '"code":"BERTH_EINVAL"' "$T/p6"

# ---- through a proxy that fails uploads: the torn upload starts over ----
bg_start proxy python3 tests/lib/fault_proxy.py --upstream "$RD" --port-file "$T/proxy.port"
PP=$(wait_port_file "$T/proxy.port")
P=127.0.0.1:$PP
curl -fsS "http://$P/__proxy/set?mode=status&code=503&count=2&target=uploads" >/dev/null
berth_json "$T/f1" "$ROOT" push "$RS/src/big:v1" "$P/faulty/big:v1"
check "two 503 answers to upload PUTs: the push retries and succeeds" test $? -eq 0
check "…the retries were announced" grep -q '"phase":"retry"' "$T/f1"
check "…the faults really happened" test "$(curl -fsS "http://$P/__proxy/stats" | jq .faults)" -eq 2
check "…and skopeo reads back the same digest" \
    test "$(skopeo inspect --tls-verify=false "docker://$RD/faulty/big:v1" | jq -r .Digest)" = "$BIG_DIGEST"
curl -fsS "http://$P/__proxy/set?mode=status&code=500&count=-1&target=uploads" >/dev/null
berth_json "$T/f2" "$ROOT" push "$RS/src/app:v1" "$P/broken/app:v1"
check "uploads that always fail: BERTH_ENETWORK after the retries, naming the status" \
    sh -c "grep -q BERTH_ENETWORK '$T/f2' && grep -q 'HTTP 500' '$T/f2.err'"
curl -fsS "http://$P/__proxy/set?mode=none" >/dev/null

# ---- bad input ----
berth_json "$T/p7" "$ROOT" push "$RD/no/such:image" "$RD/x/y:z"
check "pushing an image that is not in the store: BERTH_ENOTFOUND" grep -q '"code":"BERTH_ENOTFOUND"' "$T/p7"
ID=$("$B" --root "$ROOT" --json inspect "$RS/src/app:v1" | jq -r .id | cut -d: -f2)
berth_json "$T/p8" "$ROOT" push "$ID"
check "pushing an image id without a target says to give one" \
    sh -c "grep -q BERTH_EINVAL '$T/p8' && grep -q 'give the target' '$T/p8.err'"
berth_json "$T/p9" "$ROOT" push "$RS/src/app:v1" "$RD/Bad Name:x"
check "a malformed target reference: BERTH_EINVAL" grep -q '"code":"BERTH_EINVAL"' "$T/p9"
DEAD=127.0.0.1:$(free_port)
berth_json "$T/p10" "$ROOT" push "$RS/src/app:v1" "$DEAD/x/y:z"
check "a registry that is down: BERTH_ENETWORK naming the address" \
    sh -c "grep -q BERTH_ENETWORK '$T/p10' && grep -q '$DEAD' '$T/p10.err'"
check "push usage errors exit 2" sh -c "'$B' push > /dev/null 2>&1; test \$? -eq 2"

# ---- Basic auth (htpasswd) ----
htpasswd -Bbn alice 's3cret' > "$T/htpasswd"
start_registry BASIC "$T/htpasswd"
RB=$REG_BASIC_ADDR
berth_json "$T/a1" "$ROOT" push "$RS/src/app:v1" "$RB/team/app:1"
check "Basic: an anonymous push fails with BERTH_EAUTH saying to log in" \
    sh -c "grep -q BERTH_EAUTH '$T/a1' && grep -q 'berth login $RB' '$T/a1.err'"
"$B" --root "$ROOT" login -u alice -p s3cret "$RB" >/dev/null 2>&1
berth_json "$T/a2" "$ROOT" push "$RS/src/app:v1" "$RB/team/app:1"
check "Basic: after berth login the push succeeds" test $? -eq 0
check "…and skopeo (with the credentials) reads the same digest" \
    test "$(skopeo inspect --tls-verify=false --creds alice:s3cret "docker://$RB/team/app:1" | jq -r .Digest)" = "$APP_DIGEST"

# ---- Bearer (token server): the token must grant push ----
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/token.key" -out "$T/token.crt" -days 2 \
    -subj /CN=berth-test-token >/dev/null 2>&1
bg_start token python3 tests/lib/token_server.py --key "$T/token.key" --cert "$T/token.crt" \
    --user bob --password hunter2 --port-file "$T/token.port"
TP=$(wait_port_file "$T/token.port") || { not_ok "token server started"; tap_done; exit 1; }
cat > "$T/token.yml" <<YML
auth:
  token:
    realm: http://127.0.0.1:$TP/token
    service: berth-test-registry
    issuer: berth-test-issuer
    rootcertbundle: $T/token.crt
YML
start_registry TOKEN "" "$T/token.yml"
RT=$REG_TOKEN_ADDR
berth_json "$T/t1" "$ROOT" push "$RS/src/app:v1" "$RT/team/app:1"
check "Bearer: an anonymous push fails with BERTH_EAUTH" grep -q '"code":"BERTH_EAUTH"' "$T/t1"
"$B" --root "$ROOT" login -u bob -p hunter2 "$RT" >/dev/null 2>&1
berth_json "$T/t2" "$ROOT" push "$RS/src/app:v1" "$RT/team/app:1"
check "Bearer: after login the push succeeds" test $? -eq 0
check "…asking the token service for pull,push" \
    sh -c "curl -fsS 'http://127.0.0.1:$TP/stats' | jq -e '.scopes | index(\"repository:team/app:pull,push\")'"
check "…and skopeo reads the same digest" \
    test "$(skopeo inspect --tls-verify=false --creds bob:hunter2 "docker://$RT/team/app:1" | jq -r .Digest)" = "$APP_DIGEST"
berth_json "$T/t3" "$ROOT" push "$RS/src/app:v1" "$RT/second/app:1"
check "Bearer: a push to another repository mounts, asking pull on the source" \
    sh -c "test \$(tail -n1 '$T/t3' | jq .blobs_mounted) -eq $NBLOBS && curl -fsS 'http://127.0.0.1:$TP/stats' | jq -e '.scopes | index(\"repository:team/app:pull\")'"

tap_done
