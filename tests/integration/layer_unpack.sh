#!/usr/bin/env bash
# Layers that should unpack, and what they must look like afterwards: a three-layer chain with
# whiteouts and opaque directories gives the same flattened tree mounted with overlayfs (store
# mode) as applied with `berth layer apply` (apply mode), and the tree we expect; hard links,
# symlinks, modes (setuid), owners, xattrs, mtimes, sparse files and fifos are kept; the diff_id
# is verified; two processes unpacking one layer both succeed and one folder remains.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
BERTH=$PWD/build/berth
[ -x "$BERTH" ] || make -s -j2 all >/dev/null
if [ "$(id -u)" != 0 ]; then
    skip "layer unpack" "needs root (overlay whiteouts, owners, overlayfs mounts)"
    tap_done; exit 0
fi

T=$(mktemp -d /tmp/berth-layer-unpack.XXXXXX)
MNT=$T/mnt
cleanup() { mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"; rm -rf "$T"; }
trap cleanup EXIT
python3 tests/fixtures/mklayers.py positive "$T/fx" || { not_ok "generate layers"; tap_done; exit 1; }
ROOT=$T/root

field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# A tree as text: path, type, mode, owner, size, link target, content hash, file mtime.
tree() {
    (cd "$1" && find . -mindepth 1 -printf '%p %y %m %U:%G %s %l\n' | sort
     find . -type f -exec sha256sum {} + | sort
     find . -type f -printf '%p %T@\n' | sort)
}

# ---- the chain: store mode + overlayfs, and apply mode ----
parent=""
lowers=""
for l in l1.tar.gz l2.tar.zst l3.tar; do
    args=()
    [ -n "$parent" ] && args+=(--parent "$parent")
    out=$("$BERTH" --root "$ROOT" --json layer unpack "${args[@]}" "$T/fx/$l" 2>&1) || { not_ok "unpack $l: $out"; continue; }
    parent=$(field chain_id <<<"$out")
    path=$(field path <<<"$out")
    lowers="$path${lowers:+:$lowers}"
    check "apply $l onto a directory" "$BERTH" layer apply "$T/fx/$l" "$T/flat"
done
ok "unpacked the chain into the store (top chain id $parent)"

mkdir -p "$MNT"
if mount -t overlay overlay -o "lowerdir=$lowers" "$MNT" 2>"$T/mount.err"; then
    ok "the chain mounts with overlayfs"
    if [ "$(tree "$MNT")" = "$(tree "$T/flat")" ]; then ok "overlayfs view of the chain equals apply mode's flattened tree"
    else not_ok "overlayfs view differs from apply mode"; diff <(tree "$MNT") <(tree "$T/flat") | head -20 | sed 's/^/#   /'; fi
    umount "$MNT"
else
    not_ok "mount the chain with overlayfs: $(cat "$T/mount.err")"
fi

# The flattened tree we expect, spelled out.
want='./dir d
./dir/y f
./etc d
./etc/keep f
./etc/new f
./file_then_dir d
./file_then_dir/inside f
./link l
./opq d
./opq/fresh f'
got=$(cd "$T/flat" && find . -mindepth 1 -printf '%p %y\n' | sort)
if [ "$got" = "$want" ]; then ok "whiteouts and opaque directories give the expected flattened tree"
else not_ok "flattened tree"; diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'; fi
[ "$(readlink "$T/flat/link")" = etc/new ] && ok "a whited-out symlink is replaced by the upper one" || not_ok "link -> $(readlink "$T/flat/link")"

# Store mode wrote overlayfs whiteouts, not removals.
l2=$(echo "$lowers" | cut -d: -f2)
[ "$(stat -c '%F %t:%T' "$l2/etc/gone" 2>/dev/null)" = "character special file 0:0" ] \
    && ok "store mode: .wh.gone became a 0/0 character device" || not_ok "store mode whiteout: $(stat -c '%F %t:%T' "$l2/etc/gone" 2>&1)"
opq=$(python3 -c 'import os,sys; print(os.getxattr(sys.argv[1], "trusted.overlay.opaque").decode())' "$l2/opq" 2>&1)
[ "$opq" = y ] && ok "store mode: .wh..wh..opq became trusted.overlay.opaque=y" || not_ok "opaque xattr: $opq"
opq2=$(python3 -c 'import os,sys; print(os.getxattr(sys.argv[1], "trusted.overlay.opaque").decode())' "$l2/file_then_dir" 2>&1)
[ "$opq2" = y ] && ok "store mode: a whiteout then a directory of the same name makes it opaque" || not_ok "whiteout-then-dir: $opq2"
[ -z "$(ls "$ROOT/layers" | grep '^tmp-')" ] && ok "no temporary folder is left in the store" || not_ok "temp folders left"

# ---- directories a layer only implies take their attributes from the layers below ----
python3 - "$T/fx" <<'PY'
import io, os, sys, tarfile
def w(name, entries):
    with tarfile.open(os.path.join(sys.argv[1], name), "w", format=tarfile.PAX_FORMAT) as t:
        for n, kind, mode, data in entries:
            ti = tarfile.TarInfo(n); ti.mtime = 1400000000; ti.mode = mode
            if kind == "d": ti.type = tarfile.DIRTYPE; t.addfile(ti)
            else: ti.size = len(data); t.addfile(ti, io.BytesIO(data))
w("base-tmp.tar", [("tmp", "d", 0o1777, b""), ("srv", "d", 0o750, b"")])
w("implied.tar", [("tmp/x", "f", 0o644, b"x"), ("srv/.wh.gone", "f", 0o644, b"")])
PY
R5=$T/root5
b5=$("$BERTH" --root "$R5" --json layer unpack "$T/fx/base-tmp.tar" | field path)
c5=$("$BERTH" --root "$R5" --json layer unpack "$T/fx/base-tmp.tar" | field chain_id)
u5=$("$BERTH" --root "$R5" --json layer unpack --parent "$c5" --lower "$b5" "$T/fx/implied.tar" | field path)
if [ "$(stat -c '%a %Y' "$u5/tmp")" = "1777 1400000000" ] && [ "$(stat -c %a "$u5/srv")" = 750 ]; then
    ok "store mode: implied directories inherit mode and times from the layer below (tmp stays 1777)"
else not_ok "implied directories: tmp $(stat -c '%a %Y' "$u5/tmp" 2>&1), srv $(stat -c %a "$u5/srv" 2>&1)"; fi

# ---- metadata, in both modes ----
check_meta() {   # check_meta LABEL DIR
    local d=$2 p=""
    [ "$(stat -c '%a %u %g %Y' "$d/m")" = "750 1234 4321 1111111111" ] || p+=" dir m: $(stat -c '%a %u %g %Y' "$d/m")"
    [ "$(stat -c '%a %Y' "$d/m/suid")" = "4755 1222222222" ] || p+=" suid: $(stat -c '%a %Y' "$d/m/suid")"
    [ "$(stat -c '%a' "$d/m/sgid_dir")" = 2775 ] || p+=" sgid dir: $(stat -c '%a' "$d/m/sgid_dir")"
    [ "$(stat -c '%a %u %g' "$d/m/xattr")" = "600 1000 1000" ] || p+=" xattr file: $(stat -c '%a %u %g' "$d/m/xattr")"
    [ "$(stat -c %i "$d/m/hard")" = "$(stat -c %i "$d/m/suid")" ] || p+=" hard link is not the same inode"
    [ "$(readlink "$d/m/sym")" = /etc/passwd ] || p+=" symlink target: $(readlink "$d/m/sym")"
    [ "$(stat -c %Y "$d/m/sym")" = 1255555555 ] || p+=" symlink mtime: $(stat -c %Y "$d/m/sym")"
    [ -p "$d/m/fifo" ] || p+=" fifo is not a fifo"
    local x
    x=$(python3 -c 'import os,sys; print(os.getxattr(sys.argv[1], "user.berth").decode())' "$d/m/xattr" 2>&1)
    [ "$x" = hello ] || p+=" user.berth xattr: $x"
    x=$(python3 -c 'import os,sys; print(len(os.getxattr(sys.argv[1], "security.capability")))' "$d/m/xattr" 2>&1)
    [ "$x" = 20 ] || p+=" security.capability: $x"
    if [ -z "$p" ]; then ok "$1: modes (setuid, setgid), owners, xattrs, mtimes, hard links, symlinks, fifos kept"
    else not_ok "$1:$p"; fi
}
"$BERTH" layer apply "$T/fx/meta.tar" "$T/meta" >/dev/null 2>"$T/err" || not_ok "apply meta.tar: $(cat "$T/err")"
check_meta "apply mode" "$T/meta"
out=$("$BERTH" --root "$ROOT" --json layer unpack "$T/fx/meta.tar" 2>&1) && check_meta "store mode" "$(field path <<<"$out")" \
    || not_ok "unpack meta.tar: $out"

# Sparse: 64 MiB apparent, almost nothing allocated.
"$BERTH" layer apply "$T/fx/sparse.tar" "$T/sparse" >/dev/null 2>&1
sz=$(stat -c %s "$T/sparse/sparse" 2>/dev/null); blocks=$(stat -c %b "$T/sparse/sparse" 2>/dev/null)
if [ "$sz" = $((64 * 1024 * 1024 + 3)) ] && [ "$blocks" -lt 2048 ] && [ "$(tail -c 3 "$T/sparse/sparse")" = end ]; then
    ok "a sparse file stays sparse ($sz bytes, $blocks blocks)"
else not_ok "sparse file: size $sz, blocks $blocks"; fi

# Runs of zeros become holes: same bytes, no disk (a zero bomb under the limit fills nothing).
python3 -c '
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    d = b"\0" * 300000 + b"tail" + b"\0" * (16 << 20)
    ti = tarfile.TarInfo("zeros"); ti.size = len(d); t.addfile(ti, io.BytesIO(d))
' "$T/fx/zeros.tar"
"$BERTH" layer apply "$T/fx/zeros.tar" "$T/zeros" >/dev/null 2>&1
want=$( (head -c 300000 /dev/zero; printf tail; head -c $((16 << 20)) /dev/zero) | sha256sum)
if [ "$(sha256sum < "$T/zeros/zeros")" = "$want" ] && [ "$(stat -c %b "$T/zeros/zeros")" -lt 4096 ]; then
    ok "zero runs are written as holes with the same content ($(stat -c %b "$T/zeros/zeros") blocks)"
else not_ok "zero runs: $(stat -c '%s %b' "$T/zeros/zeros" 2>&1)"; fi

# ---- diff_id checks ----
real=$("$BERTH" layer apply --json "$T/fx/l1.tar.gz" "$T/scratch" | field diff_id)
[ "$real" = "sha256:$(gzip -dc "$T/fx/l1.tar.gz" | sha256sum | cut -d' ' -f1)" ] \
    && ok "diff_id is the sha256 of the uncompressed tar" || not_ok "diff_id $real"
R2=$T/root2
bad=sha256:0000000000000000000000000000000000000000000000000000000000000000
out=$("$BERTH" --root "$R2" layer unpack --diff-id $bad "$T/fx/l1.tar.gz" 2>&1); rc=$?
if [ $rc = 1 ] && grep -q "diff_id $bad" <<<"$out" && [ -z "$(ls "$R2/layers")" ]; then
    ok "a diff_id mismatch is refused and nothing is kept"
else not_ok "diff_id mismatch: rc=$rc $out; layers: $(ls "$R2/layers")"; fi
out=$("$BERTH" --root "$R2" --json layer unpack --diff-id "$real" "$T/fx/l1.tar.gz" 2>&1)
[ "$(field existed <<<"$out")" = False ] && [ -d "$R2/layers/${real#sha256:}" ] && ok "the right diff_id commits layers/<chain-hex>" || not_ok "commit: $out"
out=$("$BERTH" --root "$R2" --json layer unpack --diff-id "$real" "$T/fx/l1.tar.gz" 2>&1)
[ "$(field existed <<<"$out")" = True ] && ok "a present layer is not unpacked again" || not_ok "second unpack: $out"

# ---- chain ids (OCI: ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))) ----
d1=sha256:$(printf a | sha256sum | cut -d' ' -f1); d2=sha256:$(printf b | sha256sum | cut -d' ' -f1)
want2=sha256:$(printf '%s %s' "$d1" "$d2" | sha256sum | cut -d' ' -f1)
[ "$("$BERTH" layer chain "$d1" "$d2" | tr '\n' ' ')" = "$d1 $want2 " ] && ok "chain ids follow the OCI rule" || not_ok "chain ids"

# ---- two processes, one layer ----
python3 - "$T/fx/big.tar.gz" <<'EOF'
import gzip, io, os, sys, tarfile
with gzip.open(sys.argv[1], "wb", compresslevel=1) as gz, tarfile.open(fileobj=gz, mode="w") as t:
    for i in range(400):
        data = os.urandom(16384)
        ti = tarfile.TarInfo("d%02d/f%04d" % (i % 20, i)); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
EOF
R3=$T/root3
# The store exists first: this races the unpacks, not two creations of berth.db.
"$BERTH" --root "$R3" layer unpack "$T/fx/l3.tar" >/dev/null 2>&1; rm -rf "$R3/layers"/*
"$BERTH" --root "$R3" layer unpack "$T/fx/big.tar.gz" >"$T/a.out" 2>&1 & pa=$!
"$BERTH" --root "$R3" layer unpack "$T/fx/big.tar.gz" >"$T/b.out" 2>&1 & pb=$!
wait $pa; ra=$?; wait $pb; rb=$?
n=$(ls "$R3/layers" | wc -l)
if [ $ra = 0 ] && [ $rb = 0 ] && [ "$n" = 1 ]; then ok "two processes unpacking one layer both succeed; one folder remains"
else not_ok "concurrent unpack: $ra $rb, layers: $(ls "$R3/layers")"; cat "$T/a.out" "$T/b.out" | sed 's/^/#   /'; fi

# ---- kill -9 in the middle of an unpack ----
R4=$T/root4
"$BERTH" --root "$R4" layer unpack "$T/fx/l3.tar" >/dev/null 2>&1; rm -rf "$R4/layers"/*
half=$(( $(stat -c %s "$T/fx/big.tar.gz") / 2 ))
mkfifo "$T/feed"
"$BERTH" --root "$R4" layer unpack - <"$T/feed" >/dev/null 2>&1 & victim=$!
exec 7>"$T/feed"
head -c "$half" "$T/fx/big.tar.gz" >&7
for _ in $(seq 100); do [ -n "$(ls "$R4/layers")" ] && break; sleep 0.1; done
kill -9 $victim; wait $victim 2>/dev/null; exec 7>&-
left=$(ls "$R4/layers")
if [ -n "$left" ] && [ -z "$(ls "$R4/layers" | grep -v '^tmp-')" ]; then ok "kill -9 mid-unpack commits nothing (only $left is left)"
else not_ok "after kill -9: layers holds '$left'"; fi
touch -d '-2 minutes' "$R4/layers"/tmp-*
out=$("$BERTH" --root "$R4" --json layer unpack "$T/fx/big.tar.gz" 2>&1)
if [ -z "$(ls "$R4/layers" | grep '^tmp-')" ] && [ -d "$(field path <<<"$out")" ]; then
    ok "the next unpack removes the dead temporary folder and commits the layer"
else not_ok "after kill -9, next unpack: $out; layers: $(ls "$R4/layers")"; fi

# ---- streaming from standard input ----
gzip -dc "$T/fx/l1.tar.gz" | zstd -q -c > "$T/fx/l1.tar.zst"
out=$(cat "$T/fx/l1.tar.zst" | "$BERTH" layer apply --json --media-type application/vnd.oci.image.layer.v1.tar+zstd - "$T/stdin" 2>&1)
[ "$(field diff_id <<<"$out")" = "$real" ] && ok "a zstd layer streams from standard input with the same diff_id" || not_ok "stdin: $out"

tap_done
