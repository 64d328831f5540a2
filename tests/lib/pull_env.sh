# Shared set-up for the pull suites (tests/integration/pull*.sh): source after tap.sh.
#   pull_env_init            → $T (temp dir, removed on exit), $B (the berth binary), cleanup trap
#   bg_start NAME cmd…       → starts a helper in the background, remembers its PID for cleanup
#   wait_port_file FILE      → prints the port a helper wrote (fault_proxy.py, token_server.py)
#   push_oci DIR:TAG DEST [skopeo args…]   → pushes an image layout entry with skopeo
#   berth_json OUT ROOT args…             → runs `berth --json --root ROOT args…`; OUT gets the lines
#   last_json OUT                         → the final line (the result object)
. "$(dirname "${BASH_SOURCE[0]}")/registry.sh"

pull_env_init() {
    B=${BERTH:-$PWD/build/berth}
    T=$(mktemp -d /tmp/berth-pulltest-XXXXXX)
    BG_PIDS=()
    REGISTRIES=()
    trap pull_env_cleanup EXIT
    if [ ! -x "$B" ]; then
        not_ok "the berth binary exists at $B (run make)"; tap_done; exit 1
    fi
    for tool in docker-registry skopeo python3 jq; do
        if ! command -v "$tool" >/dev/null; then
            skip "pull suite" "$tool is not installed (make deps installs it)"; tap_done; exit 0
        fi
    done
}

pull_env_cleanup() {
    local p r
    for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
    for r in "${REGISTRIES[@]}"; do registry_stop "$r"; done
    if [ -n "${KEEP_T:-}" ]; then echo "# kept $T" >&2; else rm -rf "$T"; fi
}

start_registry() {   # start_registry NAME [htpasswd] [extra.yml]
    registry_start "$@" || { not_ok "start docker-registry $1"; tap_done; exit 1; }
    REGISTRIES+=("$1")
}

bg_start() {
    local name=$1; shift
    "$@" > "$T/$name.log" 2>&1 &
    BG_PIDS+=($!)
    LAST_BG_PID=$!
}

wait_port_file() {
    local f=$1 i
    for i in $(seq 1 100); do [ -s "$f" ] && { cat "$f"; return 0; }; sleep 0.1; done
    echo "# no port in $f" >&2; return 1
}

push_oci() {   # push_oci DIR:TAG docker://DEST [extra skopeo args]
    local src=$1 dst=$2; shift 2
    skopeo copy -q --dest-tls-verify=false "$@" "oci:$src" "$dst"
}

berth_json() {   # berth_json OUTFILE ROOT args…  (exit status of berth)
    local out=$1 root=$2; shift 2
    "$B" --root "$root" --json "$@" > "$out" 2> "$out.err"
}

last_json() { tail -n 1 "$1"; }
