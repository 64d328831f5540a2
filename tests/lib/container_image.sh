# Set-up shared by the container suites.
#
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

# container_suite WHAT: the set-up of a suite that runs containers. Skips the suite (and exits)
# without root or runc; builds berth if needed; makes WORK and ROOT (the store); on exit removes
# every container of ROOT, stops the registry container_image started, unmounts what is left
# below WORK and removes it. b runs berth on ROOT.
container_suite() {
    if [ "$(id -u)" != 0 ] || ! command -v runc >/dev/null; then
        skip "$1" "needs root and runc"; tap_done; exit 0
    fi
    [ -x "$BERTH" ] || make -s -j2 all >/dev/null
    WORK=$(mktemp -d /tmp/berth-suite-XXXXXX)
    ROOT=$WORK/root
    trap container_suite_cleanup EXIT
}
container_suite_cleanup() {
    for id in $("$BERTH" --root "$ROOT" ps -aq 2>/dev/null); do "$BERTH" --root "$ROOT" rm -f "$id" >/dev/null 2>&1; done
    registry_stop C >/dev/null 2>&1
    for m in $(awk -v r="$WORK" '$2 ~ "^"r {print $2}' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null; done
    rm -rf "$WORK"
}
b() { "$BERTH" --root "$ROOT" "$@"; }
