# Loopback registries for tests: a real Debian docker-registry on 127.0.0.1 and a free port,
# storage in a temp folder, stopped by PID (never by name). Source this file, then:
#   registry_start NAME [htpasswd-file] [extra-config.yml]
#                                          → sets REG_<NAME>_ADDR (127.0.0.1:port), REG_<NAME>_PID
#                                            (extra-config.yml is appended, e.g. an `auth: token:` block)
#   registry_stop NAME
#   free_port                              → prints a free TCP port on 127.0.0.1

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

registry_start() {
    local name=$1 htpasswd=${2:-} extra=${3:-}
    local dir port cfg
    dir=$(mktemp -d /tmp/berth-registry-XXXXXX)
    port=$(free_port)
    cfg="$dir/config.yml"
    cat > "$cfg" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YML
    if [ -n "$htpasswd" ]; then
        cat >> "$cfg" <<YML
auth:
  htpasswd:
    realm: berth-test
    path: $htpasswd
YML
    fi
    if [ -n "$extra" ]; then cat "$extra" >> "$cfg"; fi
    docker-registry serve "$cfg" > "$dir/registry.log" 2>&1 &
    local pid=$!
    local i
    for i in $(seq 1 100); do
        if curl -s -o /dev/null "http://127.0.0.1:$port/v2/"; then break; fi
        sleep 0.1
    done
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "# registry $name failed to start:" >&2; sed 's/^/#   /' "$dir/registry.log" >&2; return 1
    fi
    printf -v "REG_${name}_ADDR" '%s' "127.0.0.1:$port"
    printf -v "REG_${name}_PID" '%s' "$pid"
    printf -v "REG_${name}_DIR" '%s' "$dir"
    export "REG_${name}_ADDR" "REG_${name}_PID" "REG_${name}_DIR"
}

registry_stop() {
    local name=$1
    local pidvar="REG_${name}_PID" dirvar="REG_${name}_DIR"
    local pid=${!pidvar:-} dir=${!dirvar:-}
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
    [ -n "$dir" ] && rm -rf "$dir"
    return 0
}
