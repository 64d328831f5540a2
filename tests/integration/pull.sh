#!/usr/bin/env bash
# Pull from a real docker-registry on loopback: OCI and Docker schema2 images pushed by skopeo,
# pull by tag and by digest, "already exists" on the second pull, a multi-platform index with
# linux and windows entries (platform choice and its errors), malformed references and an
# unreachable registry. Faults, auth and kill -9 live in pull_faults.sh and pull_auth.sh.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/pull_env.sh
pull_env_init

start_registry PLAIN
R=$REG_PLAIN_ADDR
M=tests/lib/mkimage.py

# ---- images ----
python3 $M "$T/app" --tag v1 --busybox --layers 2 >/dev/null &&
  push_oci "$T/app:v1" "docker://$R/test/app:v1" &&
  push_oci "$T/app:v1" "docker://$R/test/app-docker:v1" --format v2s2
check "test images built and pushed (OCI and Docker schema2)" test $? -eq 0

for spec in "linux amd64 - lin" "windows amd64 10.0.17763.5458 w17763" "windows amd64 10.0.20348.2227 w20348a" \
            "windows amd64 10.0.20348.2340 w20348b" "windows amd64 10.0.26100.1 w26100"; do
    set -- $spec
    ver=(); [ "$3" != "-" ] && ver=(--os-version "$3")
    python3 $M "$T/$4" --tag "$4" --os "$1" --arch "$2" "${ver[@]}" --file "/which.txt=$4" >/dev/null
done
python3 $M "$T/multi" --index multi --from "$T/lin:lin" --from "$T/w17763:w17763" --from "$T/w20348a:w20348a" \
    --from "$T/w20348b:w20348b" --from "$T/w26100:w26100" >/dev/null &&
  skopeo copy -q --all --dest-tls-verify=false "oci:$T/multi:multi" "docker://$R/test/multi:1"
check "multi-platform index pushed (linux + windows 17763, 20348 x2, 26100)" test $? -eq 0

# ---- pull by tag ----
ROOT=$T/root
if berth_json "$T/p1" "$ROOT" pull "$R/test/app:v1"; then ok "pull an OCI image by tag"; else not_ok "pull an OCI image by tag"; sed 's/^/#   /' "$T/p1.err"; fi
want_digest=$(skopeo inspect --raw --tls-verify=false "docker://$R/test/app:v1" | sha256sum | cut -d' ' -f1)
got=$(last_json "$T/p1")
check "the result names the manifest the registry serves" test "$(jq -r .manifest_digest <<<"$got")" = "sha256:$want_digest"
check "the result lists 3 layers with diff_ids" test "$(jq '[.layers[] | select(.diff_id | startswith("sha256:"))] | length' <<<"$got")" = 3
missing=0
for d in $(jq -r '.layers[].digest, .id, .manifest_digest' <<<"$got"); do
    f="$ROOT/blobs/sha256/${d#sha256:}"
    [ -f "$f" ] && [ "$(sha256sum "$f" | cut -d' ' -f1)" = "${d#sha256:}" ] || missing=$((missing + 1))
done
check "every layer, the config and the manifest are in the store and hash to their names" test $missing -eq 0
check "no partial download is left in ingest/" test -z "$(ls -A "$ROOT/ingest")"
check "progress events are JSON lines with phase download or done per layer" \
    test "$(grep -c '"phase":"done","id":"sha256:' "$T/p1")" = 3

berth_json "$T/p2" "$ROOT" pull "$R/test/app:v1"
check "a second pull says every layer already exists" test "$(grep -c '"phase":"exists"' "$T/p2")" = 3
check "a second pull downloads nothing" test "$(grep -c '"phase":"download"' "$T/p2")" = 0
check "berth images lists the pulled image" sh -c "'$B' --root '$ROOT' images | grep -q 'test/app'"
check "berth inspect shows its manifest digest" sh -c "'$B' --root '$ROOT' inspect '$R/test/app:v1' | grep -q '$want_digest'"

# ---- Docker schema2, by digest ----
berth_json "$T/p3" "$T/root-docker" pull "$R/test/app-docker:v1"
check "pull a Docker schema2 image" test "$(last_json "$T/p3" | jq -r .media_type)" = "application/vnd.docker.distribution.manifest.v2+json"
dd=$(skopeo inspect --raw --tls-verify=false "docker://$R/test/app-docker:v1" | sha256sum | cut -d' ' -f1)
berth_json "$T/p4" "$T/root-digest" pull "$R/test/app-docker@sha256:$dd"
check "pull by digest: the image is known by repo@digest, with no tag" \
    test "$(last_json "$T/p4" | jq -r '(.repo_digests | join(",")) + " " + (.repo_tags | length | tostring)')" = "$R/test/app-docker@sha256:$dd 0"
berth_json "$T/p5" "$T/root-digest" pull "$R/test/app@sha256:$(printf '%064d' 0)"
check "pull by an unknown digest fails with not found" grep -q "not found" "$T/p5.err"

# ---- platforms ----
berth_json "$T/m1" "$T/root-multi" pull --platform linux/amd64 "$R/test/multi:1"
check "index: linux/amd64 picks the linux entry" test "$(last_json "$T/m1" | jq -r '.os + " " + (.index_digest != null | tostring)')" = "linux true"
berth_json "$T/m2" "$T/root-multi" pull --platform windows/amd64:10.0.20348.2582 --isolation process "$R/test/multi:1"
check "index: windows 20348 host, process isolation → the 20348 image with the highest revision" \
    test "$(last_json "$T/m2" | jq -r .os_version)" = "10.0.20348.2340"
berth_json "$T/m3" "$T/root-multi" pull --platform windows/amd64:10.0.26100.2000 --isolation hyperv "$R/test/multi:1"
check "index: hyperv on 26100 takes the closest build (26100)" test "$(last_json "$T/m3" | jq -r .os_version)" = "10.0.26100.1"
berth_json "$T/m4" "$T/root-multi" pull --platform windows/amd64:10.0.17134 --isolation process "$R/test/multi:1"
rc=$?
check "index: no match fails (exit 1)" test $rc -eq 1
check "index: the error lists what the index offers" sh -c "grep -q 10.0.20348 '$T/m4.err' && grep -q 10.0.17763 '$T/m4.err' && grep -q linux '$T/m4.err'"
check "index: the error code is BERTH_EPLATFORM" grep -q '"code":"BERTH_EPLATFORM"' "$T/m4"
berth_json "$T/m5" "$T/root-multi" pull --platform linux/arm64 "$R/test/multi:1"
check "index: linux/arm64 is refused" grep -q '"code":"BERTH_EPLATFORM"' "$T/m5"
berth_json "$T/m6" "$T/root-multi" pull --platform windows/amd64:10.0.20348 "$R/test/app:v1"
check "a single-platform linux image is refused for a windows --platform" grep -q '"code":"BERTH_EPLATFORM"' "$T/m6"

# ---- bad input ----
for ref in "UPPER/Case:1" "$R/test/app:bad:tag" "$R/test/app@sha256:xyz" "" "$R//double"; do
    berth_json "$T/bad" "$T/root-bad" pull "$ref"
    rc=$?
    if [ $rc -ne 0 ] && grep -q '"code":"BERTH_EINVAL"' "$T/bad"; then ok "malformed reference \"$ref\" is refused (EINVAL)"
    else not_ok "malformed reference \"$ref\" is refused (EINVAL) (rc=$rc)"; sed 's/^/#   /' "$T/bad" "$T/bad.err" | tail -3; fi
done
port=$(free_port)
berth_json "$T/down" "$T/root-bad" pull "127.0.0.1:$port/nothing:here"
check "an unreachable registry fails with a network error that says so" sh -c "grep -q BERTH_ENETWORK '$T/down' && grep -qi 'connect' '$T/down.err'"
berth_json "$T/nf" "$T/root-bad" pull "$R/test/absent:v1"
check "an absent repository fails with not found" grep -q BERTH_ENOTFOUND "$T/nf"
check "failed pulls left no image blobs" test -z "$(ls -A "$T/root-bad/blobs/sha256" 2>/dev/null)"

tap_done
