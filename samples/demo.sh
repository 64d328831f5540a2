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

cleanup() {
    set +e
    for c in $("$BERTH" --root "$ROOT" ps -aq 2>/dev/null); do "$BERTH" --root "$ROOT" rm -f "$c" >/dev/null 2>&1; done
    registry_stop DEMO; rm -rf "$WORK"
}
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

step_run() {
    say "Run a container from the pulled image (runc under a per-container monitor; no daemon)"
    run "$BERTH" --root "$ROOT" run --rm "$IMAGE" sh -c 'echo "hello from $(hostname) as $(id -u)"; uname -sr'
    say "A detached web server on the default bridge, published on 127.0.0.1 only"
    local port; port=$(free_port)
    run "$BERTH" --root "$ROOT" run -d --name web -p "127.0.0.1:$port:80" "$IMAGE" \
        sh -c 'mkdir -p /www && echo "served by berth" > /www/index.html && echo "httpd up" && exec httpd -f -v -p 80 -h /www'
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
    run curl -s "http://127.0.0.1:$port/"
    run "$BERTH" --root "$ROOT" ps
    run "$BERTH" --root "$ROOT" exec web sh -c 'echo exec inside: $(hostname)'
    run "$BERTH" --root "$ROOT" stop web
    say "Its logs (docker's json-file lines, kept after it stopped)"
    run "$BERTH" --root "$ROOT" logs -t web
    run "$BERTH" --root "$ROOT" rm web
}

step_powershell() {
    say "The same in PowerShell: the Berth module in the real PowerShell 7 engine (tests/pester/host)"
    module/restore.sh >/dev/null
    run dotnet build/pester/host/BerthTestHost.dll samples/demo.ps1 -Image "$IMAGE" -Root "$WORK/pwsh-store"
}

STEPS=(registry push pull images inspect run powershell)

for s in "${STEPS[@]}"; do "step_$s"; done
say "Done: the store at $ROOT is removed on exit"
