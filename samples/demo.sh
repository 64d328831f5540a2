#!/usr/bin/env bash
# The Berth demo (`make demo`): a real registry on loopback, a sample busybox image pushed with
# skopeo, then `berth pull` with progress, `berth images` and `berth inspect` — into a throwaway
# store. Each step is a function listed in STEPS below; add yours (unpack, run, PowerShell…)
# by writing a step_<name> function and appending <name> to STEPS.
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/lib/registry.sh

BERTH=${BERTH:-$PWD/build/berth}
WORK=$(mktemp -d /tmp/berth-demo-XXXXXX)
ROOT=$WORK/store              # the demo's store; never /var/lib/berth
IMAGE=""                      # set by step_push: 127.0.0.1:<port>/samples/busybox:demo

cleanup() { set +e; registry_stop DEMO; rm -rf "$WORK"; }
trap cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

step_registry() {
    say "Start a docker-registry on loopback"
    registry_start DEMO
    echo "registry at $REG_DEMO_ADDR (pid $REG_DEMO_PID)"
}

step_push() {
    say "Build a busybox image from this machine's /bin/busybox and push it with skopeo"
    python3 tests/lib/mkimage.py "$WORK/busybox" --tag demo --busybox --cmd '["/bin/sh"]' >/dev/null
    IMAGE=$REG_DEMO_ADDR/samples/busybox:demo
    run skopeo copy -q --dest-tls-verify=false "oci:$WORK/busybox:demo" "docker://$IMAGE"
}

step_pull() {
    say "Pull it into a fresh store (progress per layer; Ctrl+C would leave a resumable download)"
    run "$BERTH" --root "$ROOT" pull "$IMAGE"
    say "Pull again: everything is already there"
    run "$BERTH" --root "$ROOT" pull "$IMAGE"
}

step_images() {
    say "List the images"
    run "$BERTH" --root "$ROOT" images
}

step_inspect() {
    say "Inspect the image (the same JSON the PowerShell module reads)"
    printf '$ %s\n' "$BERTH --root $ROOT inspect $IMAGE"
    "$BERTH" --root "$ROOT" inspect "$IMAGE" > "$WORK/inspect.json"
    head -n 30 "$WORK/inspect.json"; echo "  …"
}

STEPS=(registry push pull images inspect)

for s in "${STEPS[@]}"; do "step_$s"; done
say "Done: the store at $ROOT is removed on exit"
