#!/usr/bin/env bash
# Hostile manifests over the wire: tests/lib/fault_proxy.py answers the manifest request with a
# document of ours (no Docker-Content-Digest, so the parser — not the digest check — must
# refuse it): giant, deeply nested, not JSON, Docker schema 1, an artifact, a nested index.
# Each must fail with a clear error and leave nothing in the store.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/pull_env.sh
pull_env_init

start_registry PLAIN
python3 tests/lib/mkimage.py "$T/app" --tag v1 >/dev/null && push_oci "$T/app:v1" "docker://$REG_PLAIN_ADDR/test/app:v1"
check "test image pushed" test $? -eq 0
bg_start proxy python3 tests/lib/fault_proxy.py --upstream "$REG_PLAIN_ADDR" --port-file "$T/proxy.port"
P=127.0.0.1:$(wait_port_file "$T/proxy.port")
D=sha256:$(printf '%064d' 1)

# doc NAME < document; then hostile NAME CODE GREP CTYPE (not in a pipeline: TAP counts here)
doc() { cat > "$T/$1.doc"; }
hostile() {
    local name=$1 code=$2 grep_for=$3 ctype=$4
    curl -fsS -G "http://$P/__proxy/set" --data-urlencode "mode=replace" --data-urlencode "target=manifests" \
        --data-urlencode "count=-1" --data-urlencode "file=$T/$name.doc" --data-urlencode "ctype=$ctype" >/dev/null
    berth_json "$T/$name" "$T/root-$name" pull "$P/test/app:v1"
    if grep -q "\"code\":\"$code\"" "$T/$name" && grep -qi -- "$grep_for" "$T/$name.err" &&
       [ -z "$(ls -A "$T/root-$name/blobs/sha256" 2>/dev/null)" ]; then
        ok "$name manifest: $code, says \"$grep_for\", nothing stored"
    else
        not_ok "$name manifest: $code, says \"$grep_for\", nothing stored"; sed 's/^/#   /' "$T/$name.err" | head -5
    fi
}
OCI=application/vnd.oci.image.manifest.v1+json
python3 -c 'import json; print(json.dumps({"schemaVersion": 2, "mediaType": "'$OCI'", "annotations": {"x": "a" * (5 << 20)}}))' | doc giant
hostile giant BERTH_EINVAL "larger than" $OCI
python3 -c 'print("{\"schemaVersion\":2,\"a\":" + "[" * 100000 + "]" * 100000 + "}")' | doc deep
hostile deep BERTH_EINVAL "manifest" $OCI
echo '<html><body>502 Bad Gateway</body></html>' | doc html
hostile html BERTH_EINVAL "manifest" text/html
echo '{"schemaVersion":1,"name":"test/app","tag":"v1","fsLayers":[],"history":[]}' | doc schema1
hostile schema1 BERTH_EUNSUPPORTED "schema 1" application/vnd.docker.distribution.manifest.v1+prettyjws
echo '{"schemaVersion":2,"mediaType":"'$OCI'","config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"'$D'","size":10},"layers":[]}' | doc artifact
hostile artifact BERTH_EUNSUPPORTED "artifact" $OCI
echo '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"'$D'","size":10,"platform":{"os":"linux","architecture":"amd64"}}]}' | doc nested
hostile nested BERTH_EUNSUPPORTED "nested" application/vnd.oci.image.index.v1+json
echo '{"schemaVersion":2,"mediaType":"application/x-unknown"}' | doc unknown
hostile unknown BERTH_EUNSUPPORTED "not an image" application/x-unknown
echo '{"schemaVersion":2,"mediaType":"'$OCI'","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"'$D'","size":-1},"layers":[]}' | doc badsize
hostile badsize BERTH_EINVAL "size" $OCI

curl -fsS "http://$P/__proxy/set?mode=none" >/dev/null
berth_json "$T/clean" "$T/root-clean" pull "$P/test/app:v1"
check "the same registry without the proxy's meddling pulls fine" test $? -eq 0
tap_done
