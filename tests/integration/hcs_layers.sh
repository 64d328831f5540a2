#!/usr/bin/env bash
# The Windows backend reads what the layer unpacker stages: Windows layers unpacked for real by
# `berth layer unpack` (tars with Files/, Hives/, UtilityVM/ and MSWINDOWS.* records, from
# tests/fixtures/mklayers.py) leave berth-windows-layer.jsonl manifests that runtime/hcs's
# reader must accept line by line, and folders whose names give the layer GUIDs the documents use.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
BERTH=$PWD/build/berth
[ -x "$BERTH" ] && [ -x build/test/manifest_test ] || make -s -j2 all unit >/dev/null
T=$(mktemp -d /tmp/berth-hcs-layers.XXXXXX)
trap 'rm -rf "$T"' EXIT
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
python3 tests/fixtures/mklayers.py windows "$T/fx" || { not_ok "generate Windows layers"; tap_done; exit 1; }

out=$("$BERTH" --root "$T/root" --json layer unpack "$T/fx/base.tar.gz" 2>&1) || not_ok "stage the base layer: $out"
base=$(field path <<<"$out" 2>/dev/null); chain=$(field chain_id <<<"$out" 2>/dev/null)
out=$("$BERTH" --root "$T/root" --json layer unpack --parent "$chain" "$T/fx/update.tar" 2>&1) || not_ok "stage an update: $out"
upd=$(field path <<<"$out" 2>/dev/null)
if [ -f "$base/berth-windows-layer.jsonl" ] && [ -f "$upd/berth-windows-layer.jsonl" ]; then
  ok "the unpacker staged two Windows layers with their manifests"
else not_ok "no manifests in '$base' / '$upd'"; tap_done; exit 1; fi

# runtime/hcs's own reader over the real manifests (its TAP lines are counted here).
BERTH_HCS_MANIFESTS="$base/berth-windows-layer.jsonl:$upd/berth-windows-layer.jsonl" \
  build/test/manifest_test | grep -E '^(ok|not ok) ' | grep -E 'real_staging_manifests' \
  | sed 's/^\(ok\|not ok\) [0-9]* - /\1 - /' | while read -r st rest; do
    if [ "$st" = ok ]; then echo "ok - hcs manifest reader: ${rest#- }"; else echo "not ok - hcs manifest reader: ${rest#- }"; fi
  done > "$T/reader.tap"
if grep -q '^ok - ' "$T/reader.tap" && ! grep -q '^not ok' "$T/reader.tap"; then
  ok "runtime/hcs reads every line of both staged manifests (entries, security descriptors, end line)"
else
  not_ok "runtime/hcs's reader refused a staged manifest"
  BERTH_HCS_MANIFESTS="$base/berth-windows-layer.jsonl:$upd/berth-windows-layer.jsonl" build/test/manifest_test \
    | grep '^#' | sed 's/^/#/' | head -20
fi

# The documents name the layers by their folder (the chain id), newest first, base last; the
# base layer's UtilityVM\Files boots a Hyper-V utility VM.
"$BERTH" hcs-plan --isolation hyperv --layer "$base" --layer "$upd" -- cmd /c ver > "$T/plan.json" 2> "$T/err" \
  || not_ok "hcs-plan over the staged folders: $(cat "$T/err")"
python3 - "$T/plan.json" "$base" "$upd" <<'PY' > "$T/plan.check" 2>&1
import json, sys, uuid
plan, base, upd = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
ns = uuid.UUID("9d32abf4-fa3b-5669-9cb7-70620d04b4f7")
layers = plan["layers"]
assert [l["Path"] for l in layers] == [upd, base], layers
for l in layers:
    assert l["Id"] == str(uuid.uuid5(ns, l["Path"].rstrip("/").split("/")[-1])), l
shares = plan["utility_vm"]["VirtualMachine"]["Devices"]["VirtualSmb"]["Shares"]
assert shares[0]["Name"] == "os" and shares[0]["Path"] == base + "/UtilityVM/Files", shares[0]
print("ok")
PY
[ "$(cat "$T/plan.check")" = ok ] && ok "the plan names the staged layers by folder GUID, newest first, and boots from the base's UtilityVM/Files" \
  || not_ok "plan over staged layers: $(tail -3 "$T/plan.check")"
tap_done
