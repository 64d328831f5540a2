#!/usr/bin/env bash
# `berth create --dry-run` of a Windows image, on Linux: a Windows image (os windows, os.version
# 10.0.20348) built by tests/lib/mkimage.py is pushed to the loopback registry, pulled, and the
# container layer hands it to runtime_hcs.plan, which prints the HCS documents a Windows Server
# host would be sent. Needs the pull and the container commands (other work); until they are in
# this build the suite says so and skips.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/registry.sh
BERTH=$PWD/build/berth
[ -x "$BERTH" ] || make -s -j2 all >/dev/null
if ! "$BERTH" 2>&1 | grep -q '^  pull' || ! "$BERTH" 2>&1 | grep -q '^  create'; then
  skip "Windows dry run through berth create" "berth pull/create are not in this build (they come with the registry and runc work)"
  tap_done; exit 0
fi
W=$(mktemp -d /tmp/berth-hcs-dryrun.XXXXXX)
cleanup() { registry_stop T >/dev/null 2>&1; rm -rf "$W"; }
trap cleanup EXIT
b() { "$BERTH" --root "$W/root" "$@"; }

python3 tests/lib/mkimage.py "$W/oci" --tag ltsc2022 --os windows --os-version 10.0.20348.2113 --layers 2 \
  --entrypoint '["cmd","/S","/C"]' --cmd '["echo hello world"]' >/dev/null
if registry_start T && skopeo copy --quiet --dest-tls-verify=false "oci:$W/oci:ltsc2022" \
     "docker://$REG_T_ADDR/win/nanoserver:ltsc2022" >/dev/null 2>&1 \
   && b pull --platform windows/amd64:10.0.20348 --isolation process "$REG_T_ADDR/win/nanoserver:ltsc2022" >/dev/null 2>"$W/pull.err"; then
  ok "pulled a Windows image (10.0.20348) from the loopback registry"
else not_ok "pull the Windows image: $(cat "$W/pull.err" 2>/dev/null)"; tap_done; exit 1; fi
IMG=$REG_T_ADDR/win/nanoserver:ltsc2022

if b create --dry-run -p 8080:80 -m 536870912 "$IMG" > "$W/plan.json" 2> "$W/err"; then
  ok "berth create --dry-run of a Windows image prints a plan on Linux"
else not_ok "create --dry-run: $(cat "$W/err")"; tap_done; exit 1; fi
python3 - "$W/plan.json" "$W/root" <<'PY' > "$W/check" 2>&1
import json, os, sys, uuid
plan, root = json.load(open(sys.argv[1])), sys.argv[2]
ns = uuid.UUID("9d32abf4-fa3b-5669-9cb7-70620d04b4f7")
assert plan["runtime"] == "hcs" and plan["isolation"] == "process", (plan["runtime"], plan["isolation"])
cs = plan["compute_system"]
assert cs["SchemaVersion"] == {"Major": 2, "Minor": 1} and cs["ShouldTerminateOnLastHandleClosed"] is True
layers = cs["Container"]["Storage"]["Layers"]
assert len(layers) == 2, layers                    # the image's two layers, newest first
for l in layers:
    d, name = os.path.split(l["Path"])
    assert d == os.path.join(root, "hcs", "layers") and len(name) == 64, l   # the imported copy, named by chain id
    assert l["Id"] == str(uuid.uuid5(ns, name)), l
assert cs["Container"]["Memory"] == {"SizeInMB": 512}
assert plan["process"]["CommandLine"] == 'cmd /S /C "echo hello world"', plan["process"]
assert plan["process"]["WorkingDirectory"] == "C:\\", plan["process"]
pol = plan["network"]["endpoint"]["Policies"]
assert pol == [{"Type": "PortMapping", "Settings": {"Protocol": 6, "InternalPort": 80, "ExternalPort": 8080}}], pol
assert cs["Container"]["Networking"]["Namespace"] == plan["network"]["namespace_id"]
assert not os.path.exists(os.path.join(root, "hcs")), "a dry run wrote layers"
print("ok")
PY
[ "$(cat "$W/check")" = ok ] && ok "the plan holds the image's layers (imported copies, by chain-id GUID), command line, limits and port mapping" \
  || not_ok "plan: $(tail -3 "$W/check")"
[ -z "$(b ps -aq 2>/dev/null)" ] && ok "a dry run creates no container" || not_ok "dry run left a container"
tap_done
