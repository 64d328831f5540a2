# container_image WORK ROOT: builds the busybox-static test image (tests/lib/mkimage.py) as an
# OCI layout in WORK/oci unless the caller built one there, pushes it to a loopback registry
# with skopeo and pulls it into the store at ROOT; sets RUNIMG to the image arguments for
# `berth create|run`. When this build cannot pull, RUNIMG is --rootfs with
# the image's files instead (said with diag). Needs tests/lib/tap.sh and registry.sh sourced;
# the caller stops the registry (registry_stop C).
container_image() {
    local work=$1 root=$2
    [ -e "$work/oci/index.json" ] || python3 tests/lib/mkimage.py "$work/oci" --tag v1 --busybox --layers 1 --cmd '["sh"]' >/dev/null
    if registry_start C \
        && skopeo copy --quiet --dest-tls-verify=false "oci:$work/oci:v1" "docker://$REG_C_ADDR/test/busybox:v1" >/dev/null 2>&1 \
        && "$BERTH" --root "$root" pull "$REG_C_ADDR/test/busybox:v1" >/dev/null 2>"$work/pull.err"; then
        RUNIMG=("$REG_C_ADDR/test/busybox:v1")
        return 0
    fi
    diag "no pull (or the registry failed: $(cat "$work/pull.err" 2>/dev/null)): using the image's files as --rootfs"
    mkdir -p "$work/rootfs"
    python3 - "$work/oci" "$work/rootfs" <<'PY'
import json, os, sys, tarfile
root, out = sys.argv[1], sys.argv[2]
def blob(d): return os.path.join(root, "blobs", "sha256", d.split(":")[1])
idx = json.load(open(os.path.join(root, "index.json")))
man = json.load(open(blob(idx["manifests"][0]["digest"])))
for l in man["layers"]:
    with tarfile.open(blob(l["digest"])) as t:
        t.extractall(out)
PY
    RUNIMG=(--rootfs "$work/rootfs")
}
