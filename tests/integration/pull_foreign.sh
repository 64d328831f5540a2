#!/usr/bin/env bash
# Foreign (non-distributable) layers, as old Windows base images carry them: a Docker schema2
# manifest whose layer has the foreign media type and `urls`. Refused without
# --allow-foreign-layers; with it, the registry is tried first, then the URLs (a loopback HTTP
# server here), and the digest is verified either way.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/pull_env.sh
pull_env_init

# docker-registry refuses manifests with layer URLs unless they match an allow list.
cat > "$T/urls.yml" <<'YML'
validation:
  manifests:
    urls:
      allow:
        - '^http://127\.0\.0\.1:'
YML
start_registry PLAIN "" "$T/urls.yml"
R=$REG_PLAIN_ADDR
MT=application/vnd.docker.distribution.manifest.v2+json
FOREIGN=application/vnd.docker.image.rootfs.foreign.diff.tar.gzip

python3 tests/lib/mkimage.py "$T/fl" --tag fl --file "/base.txt=pretend this is a Windows base layer" --layers 1 >/dev/null &&
  push_oci "$T/fl:fl" "docker://$R/test/fl-src:1" --format v2s2
check "source image pushed" test $? -eq 0
curl -fsS -H "Accept: $MT" "http://$R/v2/test/fl-src/manifests/1" > "$T/src.json"
CFG=$(jq -r .config.digest "$T/src.json")
L0=$(jq -r '.layers[0].digest' "$T/src.json")
L1=$(jq -r '.layers[1].digest' "$T/src.json")

# A plain HTTP server on loopback plays the layer's "urls" host.
mkdir -p "$T/www"
cp "$T/fl/blobs/sha256/${L0#sha256:}" "$T/www/good"
head -c "$(stat -c %s "$T/www/good")" /dev/urandom > "$T/www/bad"
WP=$(free_port)
bg_start www python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$WP"
for i in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$WP/good" && break; sleep 0.1; done

# put_foreign REPO URL MOUNT_L0: pushes a manifest whose base layer L0 is foreign with URL; when
# MOUNT_L0 is yes the registry holds that layer too (mounted from test/fl-src).
put_foreign() {
    local repo=$1 url=$2 mount=$3 d
    for d in "$CFG" "$L1" $([ "$mount" = yes ] && echo "$L0"); do
        curl -fsS -o /dev/null -X POST "http://$R/v2/$repo/blobs/uploads/?mount=$d&from=test/fl-src" || return 1
    done
    jq --arg mt "$FOREIGN" --arg url "$url" '.layers[0].mediaType = $mt | .layers[0].urls = [$url]' "$T/src.json" > "$T/$$.json"
    curl -fsS -o /dev/null -X PUT -H "Content-Type: $MT" --data-binary "@$T/$$.json" "http://$R/v2/$repo/manifests/1"
}
put_foreign test/fl-url "http://127.0.0.1:$WP/good" no &&
  put_foreign test/fl-both "http://127.0.0.1:$WP/good" yes &&
  put_foreign test/fl-bad "http://127.0.0.1:$WP/bad" no
check "manifests with a foreign base layer pushed" test $? -eq 0

berth_json "$T/f1" "$T/root1" pull "$R/test/fl-url:1"
check "a foreign layer is refused without --allow-foreign-layers" \
    sh -c "grep -q BERTH_EUNSUPPORTED '$T/f1' && grep -q -- '--allow-foreign-layers' '$T/f1.err'"
check "…before anything was downloaded" test ! -e "$T/root1/blobs/sha256/${L1#sha256:}"

hits() { grep -c "GET /$1 " "$T/www.log"; }
berth_json "$T/f2" "$T/root2" pull --allow-foreign-layers "$R/test/fl-url:1"
r=$?
check "with --allow-foreign-layers the layer comes from its URL when the registry lacks it" \
    sh -c "test $r -eq 0 && test $(hits good) -ge 1 && test -f '$T/root2/blobs/sha256/${L0#sha256:}'"

before=$(hits good)
berth_json "$T/f3" "$T/root3" pull --allow-foreign-layers "$R/test/fl-both:1"
r=$?
check "the registry is tried first: a layer it holds is not fetched from the URL" \
    sh -c "test $r -eq 0 && test $(hits good) -eq $before"

berth_json "$T/f4" "$T/root4" pull --allow-foreign-layers "$R/test/fl-bad:1"
check "bytes from a foreign URL are verified: wrong ones fail BERTH_EDIGEST" grep -q BERTH_EDIGEST "$T/f4"
check "…and are not kept" test ! -e "$T/root4/blobs/sha256/${L0#sha256:}"

tap_done
