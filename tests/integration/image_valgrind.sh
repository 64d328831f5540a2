#!/usr/bin/env bash
# valgrind on the CLI's image commands over a store with a real pulled image: images (table,
# --json, -q, --filter), inspect (name, id prefix, absent), tag, rmi (untag, absent, -f), fsck
# (clean, then a damaged blob with --repair), prune. Each must be free of memory errors and
# definite/indirect leaks, on success and failure paths alike.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/pull_env.sh
pull_env_init
if ! command -v valgrind >/dev/null; then skip "valgrind on the image commands" "valgrind is not installed (make deps installs it)"; tap_done; exit 0; fi
export DOCKER_CONFIG=$T/no-docker-config

start_registry PLAIN
python3 tests/lib/mkimage.py "$T/app" --tag v1 --layers 2 >/dev/null && push_oci "$T/app:v1" "docker://$REG_PLAIN_ADDR/test/app:v1"
check "test image pushed" test $? -eq 0
R=$T/root
check "berth pull (without valgrind: pull_valgrind.sh covers it)" "$B" --root "$R" pull -q "$REG_PLAIN_ADDR/test/app:v1"
IMG=$REG_PLAIN_ADDR/test/app:v1
ID=$("$B" --root "$R" images -q | head -n 1)

vg() {   # vg NAME EXPECTED_STATUS berth args…
    local name=$1 want=$2; shift 2
    local f=$T/vg-${name//[^a-zA-Z0-9]/_}
    valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 --log-file="$f.vg" "$B" "$@" > "$f.out" 2>&1
    local rc=$?
    if [ $rc -eq "$want" ] && [ ! -s "$f.vg" ]; then ok "valgrind: $name (exit $rc, clean)"
    else not_ok "valgrind: $name (exit $rc, wanted $want)"; sed 's/^/#   /' "$f.vg" "$f.out" | head -40; fi
}

vg "images" 0 --root "$R" images
vg "images --json" 0 --root "$R" images --json
vg "images -q --no-trunc" 0 --root "$R" images -q --no-trunc
vg "images --filter reference" 0 --root "$R" images --filter "reference=*app*"
vg "images --filter dangling=true" 0 --root "$R" images --filter dangling=true
vg "images with a bad filter (usage, exit 2)" 2 --root "$R" images --filter nonsense=1
vg "inspect by name" 0 --root "$R" inspect "$IMG"
vg "inspect by id prefix" 0 --root "$R" inspect "$ID"
vg "inspect absent" 1 --root "$R" inspect "$REG_PLAIN_ADDR/test/absent:v1"
vg "inspect malformed reference" 1 --root "$R" inspect "UPPER/Case:x"
vg "tag" 0 --root "$R" tag "$IMG" example.com/copy:one
vg "tag onto a malformed name" 1 --root "$R" tag "$IMG" "bad//name"
vg "rmi the new tag" 0 --root "$R" rmi example.com/copy:one
vg "rmi absent" 1 --root "$R" rmi example.com/copy:one
vg "tag again, rmi -f by id" 0 --root "$R" tag "$IMG" example.com/copy:two
vg "fsck (clean)" 0 --root "$R" fsck
vg "fsck --json" 0 --root "$R" --json fsck
# damage one blob: fsck must report it (non-zero) and --repair remove it
blob=$(find "$R/blobs/sha256" -type f | head -n 1)
if [ -n "$blob" ]; then
    printf 'x' | dd of="$blob" bs=1 seek=0 conv=notrunc status=none
    vg "fsck finds a damaged blob" 1 --root "$R" fsck
    vg "fsck --repair" 1 --root "$R" fsck --repair
else
    not_ok "a blob to damage in $R/blobs/sha256"
fi
vg "rmi -f by id" 0 --root "$R" rmi -f "$ID"
vg "prune --all" 0 --root "$R" prune --all
vg "images on an empty store" 0 --root "$R" images
vg "images on a store that does not exist yet" 0 --root "$T/fresh" images
# a metadata file that is not a database: a clear failure, nothing leaked
rm -f "$T/fresh/berth.db-wal" "$T/fresh/berth.db-shm"
head -c 8192 /dev/urandom > "$T/fresh/berth.db"
vg "images over a garbage berth.db" 1 --root "$T/fresh" images
printf 'SQLite format 3\0truncated' > "$T/fresh/berth.db"
vg "inspect over a truncated berth.db" 1 --root "$T/fresh" inspect busybox
vg "fsck over a truncated berth.db" 1 --root "$T/fresh" fsck
tap_done
