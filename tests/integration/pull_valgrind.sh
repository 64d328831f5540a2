#!/usr/bin/env bash
# valgrind on `berth pull`: no leaks and no memory errors, on the success path (a fresh pull
# and a second pull that finds everything present) and on failure paths (absent image,
# refused credentials).
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/pull_env.sh
pull_env_init
if ! command -v valgrind >/dev/null; then skip "valgrind on berth pull" "valgrind is not installed (make deps installs it)"; tap_done; exit 0; fi
export DOCKER_CONFIG=$T/no-docker-config

start_registry PLAIN
python3 tests/lib/mkimage.py "$T/app" --tag v1 --layers 3 >/dev/null && push_oci "$T/app:v1" "docker://$REG_PLAIN_ADDR/test/app:v1"
check "test image pushed" test $? -eq 0
htpasswd -Bbn alice s3cret > "$T/htpasswd"
start_registry BASIC "$T/htpasswd"

vg() {   # vg NAME EXPECTED_STATUS berth args…
    local name=$1 want=$2; shift 2
    valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 --log-file="$T/$name.vg" "$B" "$@" > "$T/$name.out" 2>&1
    local rc=$?
    if [ $rc -eq "$want" ] && [ ! -s "$T/$name.vg" ]; then ok "valgrind: $name (exit $rc, clean)"
    else not_ok "valgrind: $name (exit $rc, wanted $want)"; sed 's/^/#   /' "$T/$name.vg" "$T/$name.out" | head -40; fi
}
bg_start proxy python3 tests/lib/fault_proxy.py --upstream "$REG_PLAIN_ADDR" --port-file "$T/proxy.port"
P=127.0.0.1:$(wait_port_file "$T/proxy.port")
head -c 3000000 /dev/urandom > "$T/random.bin"
python3 tests/lib/mkimage.py "$T/big" --tag big --add "$T/random.bin:/random.bin" >/dev/null &&
  push_oci "$T/big:big" "docker://$REG_PLAIN_ADDR/test/big:1"

vg "fresh pull" 0 --root "$T/root" pull "$REG_PLAIN_ADDR/test/app:v1"
vg "second pull, --json" 0 --root "$T/root" --json pull "$REG_PLAIN_ADDR/test/app:v1"
vg "absent image" 1 --root "$T/root" pull "$REG_PLAIN_ADDR/test/absent:v1"
vg "credentials required" 1 --root "$T/root" pull "$REG_BASIC_ADDR/test/app:v1"
vg "login refused" 1 --root "$T/root" login -u alice -p wrong "$REG_BASIC_ADDR"
curl -fsS "http://$P/__proxy/set?mode=reset&count=2&after=1000000" >/dev/null
vg "pull through connection resets" 0 --root "$T/root2" pull "$P/test/big:1"
curl -fsS "http://$P/__proxy/set?mode=flip&count=-1&after=100" >/dev/null
vg "pull with a flipped bit (BERTH_EDIGEST)" 1 --root "$T/root3" pull "$P/test/big:1"
tap_done
