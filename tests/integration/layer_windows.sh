#!/usr/bin/env bash
# Windows layers staged on Linux, for real: Windows-style tars (Files/, Hives/*_Delta,
# UtilityVM/, MSWINDOWS.fileattr / rawsd / mountpoint PAX records, written by Python's tarfile)
# go into a layer folder with the attributes in berth-windows-layer.jsonl; a base layer without
# its hives, a bad security descriptor and names Windows cannot hold are refused.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
BERTH=$PWD/build/berth
[ -x "$BERTH" ] || make -s -j2 all >/dev/null
T=$(mktemp -d /tmp/berth-layer-windows.XXXXXX)
trap 'rm -rf "$T"' EXIT
python3 tests/fixtures/mklayers.py windows "$T/fx" || { not_ok "generate Windows layers"; tap_done; exit 1; }
ROOT=$T/root
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

out=$("$BERTH" --root "$ROOT" --json layer unpack "$T/fx/base.tar.gz" 2>&1) || not_ok "stage the base layer: $out"
base=$(field path <<<"$out" 2>/dev/null)
chain=$(field chain_id <<<"$out" 2>/dev/null)
[ "$(field windows <<<"$out" 2>/dev/null)" = True ] && ok "a Windows base layer is detected and staged" || not_ok "windows flag: $out"

# The manifest: one JSON object per entry, then the end line.
python3 - "$base" <<'EOF' > "$T/manifest.check" 2>&1
import json, os, sys
d = sys.argv[1]
lines = [json.loads(l) for l in open(os.path.join(d, "berth-windows-layer.jsonl"))]
end = lines[-1]
assert end == {"end": True, "format": "berth-windows-layer", "version": 1, "entries": len(lines) - 1, "base": True}, end
by = {l["path"]: l for l in lines[:-1]}
cmd = by["Files/Windows/System32/cmd.exe"]
assert cmd["type"] == "file" and cmd["fileattr"] == 32 and cmd["size"] == 102 and cmd["rawsd"].startswith("AQAEgBQ"), cmd
assert by["Files/Windows/System32/hard.exe"]["type"] == "hardlink", by["Files/Windows/System32/hard.exe"]
assert by["Files/Windows/System32/hard.exe"]["link"] == "Files/Windows/System32/cmd.exe"
assert by["Files/ProgramData"]["mountpoint"] == "1" and by["Files/ProgramData"]["fileattr"] == 1040
assert by["Files"]["type"] == "dir" and by["Files"]["fileattr"] == 16
for h in ("DEFAULT", "SAM", "SECURITY", "SOFTWARE", "SYSTEM"):
    assert by["Hives/%s_Delta" % h]["type"] == "file"
    assert open(os.path.join(d, "Hives", h + "_Delta"), "rb").read() == b"regf"
st = os.stat(os.path.join(d, "Files/Windows/System32/hard.exe"))
assert st.st_ino == os.stat(os.path.join(d, "Files/Windows/System32/cmd.exe")).st_ino
print("ok")
EOF
[ "$(cat "$T/manifest.check")" = ok ] && ok "the manifest keeps fileattr, rawsd, mountpoint, hard links; files and hives are on disk" \
    || not_ok "manifest: $(tail -3 "$T/manifest.check")"

out=$("$BERTH" --root "$ROOT" --json layer unpack --parent "$chain" "$T/fx/update.tar" 2>&1) || not_ok "stage an update layer: $out"
upd=$(field path <<<"$out" 2>/dev/null)
if grep -q '"path":"Files/old.txt","type":"whiteout"' "$upd/berth-windows-layer.jsonl" && [ ! -e "$upd/Files/old.txt" ] \
   && [ ! -e "$upd/Files/.wh.old.txt" ] && grep -q '"base":false' "$upd/berth-windows-layer.jsonl"; then
    ok "a Windows update layer records its whiteouts in the manifest (no device nodes)"
else not_ok "update layer manifest: $(cat "$upd/berth-windows-layer.jsonl" 2>&1 | head -5)"; fi

out=$("$BERTH" --root "$ROOT" layer unpack "$T/fx/nohives.tar" 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'SAM_Delta' <<<"$out" && ok "a base layer without its hive deltas is refused, naming them" || not_ok "no hives: $rc $out"
out=$("$BERTH" --root "$ROOT" layer unpack "$T/fx/badsd.tar" 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'rawsd' <<<"$out" && ok "a security descriptor that is not base64 is refused" || not_ok "bad sd: $rc $out"
[ -z "$(ls "$ROOT/layers" | grep '^tmp-')" ] && [ "$(ls "$ROOT/layers" | wc -l)" = 2 ] && ok "refused Windows layers leave nothing in the store" \
    || not_ok "store after refusals: $(ls "$ROOT/layers")"

out=$("$BERTH" layer apply --json "$T/fx/base.tar.gz" "$T/flat" 2>&1)
[ "$(field windows <<<"$out" 2>/dev/null)" = True ] && [ -f "$T/flat/berth-windows-layer.jsonl" ] \
    && ok "apply mode stages a Windows layer the same way" || not_ok "apply: $out"
tap_done
