#!/usr/bin/env bash
# Pull unpacks: every layer lands in <root>/layers/<chain-hex>/ before the image becomes
# visible; the chain mounted with overlayfs shows the image's files (whiteouts applied); a
# config whose diff_id lies is refused with nothing visible; --no-unpack stores blobs only; an
# interrupted pull leaves no half layer and the next pull completes.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/pull_env.sh
pull_env_init

start_registry U
R=$REG_U_ADDR
M=tests/lib/mkimage.py

# An image whose second layer deletes a file of the first (a whiteout) and adds one.
mkdir -p "$T/ctx"
python3 - "$T/wh" <<'PY' || exit 1
import gzip, hashlib, io, json, os, sys, tarfile
out = sys.argv[1]
os.makedirs(out + "/blobs/sha256", exist_ok=True)
def blob(data, mt):
    d = hashlib.sha256(data).hexdigest()
    open(out + "/blobs/sha256/" + d, "wb").write(data)
    return {"mediaType": mt, "digest": "sha256:" + d, "size": len(data)}
def layer(files):
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in files:
            ti = tarfile.TarInfo(name); ti.mtime = 1700000000
            if data is None:
                ti.type = tarfile.DIRTYPE; ti.mode = 0o755; t.addfile(ti)
            else:
                ti.size = len(data); ti.mode = 0o644; t.addfile(ti, io.BytesIO(data))
    raw = bio.getvalue()
    return blob(gzip.compress(raw, mtime=0), "application/vnd.oci.image.layer.v1.tar+gzip"), "sha256:" + hashlib.sha256(raw).hexdigest()
l1, d1 = layer([("etc", None), ("etc/keep", b"keep\n"), ("etc/gone", b"gone\n")])
l2, d2 = layer([("etc", None), ("etc/.wh.gone", b""), ("etc/new", b"new\n")])
def image(tag, diff_ids):
    cfg = blob(json.dumps({"os": "linux", "architecture": "amd64", "rootfs": {"type": "layers", "diff_ids": diff_ids},
                           "config": {}}).encode(), "application/vnd.oci.image.config.v1+json")
    m = blob(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                         "config": cfg, "layers": [l1, l2]}).encode(), "application/vnd.oci.image.manifest.v1+json")
    m["annotations"] = {"org.opencontainers.image.ref.name": tag}
    return m
liar = "sha256:" + "0" * 64
json.dump({"schemaVersion": 2, "manifests": [image("good", [d1, d2]), image("liar", [d1, liar])]}, open(out + "/index.json", "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(out + "/oci-layout", "w"))
PY
push_oci "$T/wh:good" "docker://$R/t/wh:good" && push_oci "$T/wh:liar" "docker://$R/t/wh:liar"
check "images with a whiteout (and one with a lying diff_id) pushed" test $? -eq 0

ROOT=$T/root
check "pull unpacks" "$B" --root "$ROOT" pull -q "$R/t/wh:good"
chains=$("$B" --root "$ROOT" --json inspect "$R/t/wh:good" | jq -r '.layers[].diff_id' | xargs "$B" layer chain 2>/dev/null | tr -d '\r')
n=0; lowers=()
for c in $chains; do
    hex=${c#sha256:}
    [ -d "$ROOT/layers/$hex" ] && n=$((n + 1))
    lowers=("$ROOT/layers/$hex" "${lowers[@]}")
done
check "both layers are unpacked under layers/<chain-hex>" test "$n" -eq 2
mnt=$T/mnt; mkdir -p "$mnt"
lower=$(IFS=:; echo "${lowers[*]}")
if mount -t overlay overlay -o "lowerdir=$lower" "$mnt" 2>"$T/mount.err"; then
    check "the mounted chain has the kept file" grep -qx keep "$mnt/etc/keep"
    check "the mounted chain has the new file" grep -qx new "$mnt/etc/new"
    check "the whiteout hides the deleted file" test ! -e "$mnt/etc/gone"
    umount "$mnt"
else
    not_ok "mount the unpacked chain with overlayfs: $(cat "$T/mount.err")"
fi

ROOT2=$T/root2
if "$B" --root "$ROOT2" pull -q "$R/t/wh:liar" 2>"$T/liar.err"; then
    not_ok "a config whose diff_id does not match the layer is refused"
else
    ok "a config whose diff_id does not match the layer is refused"
fi
check "the refusal names the diff_id" grep -q "diff" "$T/liar.err"
check "the lying image is not visible" test "$("$B" --root "$ROOT2" --json images | jq length)" = 0
check "no temporary layer folder is left" test -z "$(ls "$ROOT2/layers" | grep '^tmp-' || true)"

ROOT3=$T/root3
check "pull --no-unpack stores the image" "$B" --root "$ROOT3" pull -q --no-unpack "$R/t/wh:good"
check "--no-unpack leaves layers/ empty" test -z "$(ls "$ROOT3/layers" | grep -v '^tmp' || true)"

# Interrupt a pull of a bigger image while it unpacks, then pull again.
python3 $M "$T/big" --tag big --busybox --layers 6 >/dev/null && push_oci "$T/big:big" "docker://$R/t/big:1"
ROOT4=$T/root4
"$B" --root "$ROOT4" --json pull "$R/t/big:1" > "$T/big.out" 2>&1 &
pid=$!
for i in $(seq 1 200); do grep -q '"phase":"unpack"' "$T/big.out" 2>/dev/null && break; sleep 0.02; done
kill -INT "$pid" 2>/dev/null; wait "$pid"; rc=$?
check "Ctrl+C during extraction exits 130" test "$rc" -eq 130
check "the interrupted image is not visible" test "$("$B" --root "$ROOT4" --json images | jq length)" = 0
check "the next pull completes" "$B" --root "$ROOT4" pull -q "$R/t/big:1"
check "fsck is clean afterwards" "$B" --root "$ROOT4" fsck
tap_done
