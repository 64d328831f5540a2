#!/usr/bin/env bash
# Runs every tests/pester/*.Tests.ps1 in the real PowerShell 7 engine (BerthTestHost) with
# PesterLite, against the real libberth, a loopback docker-registry (one open, one with
# htpasswd auth, both on free ports, stopped by PID) and test images pushed with skopeo.
# Prints TAP; tests/run.sh counts it. Why a test host and PesterLite: see README "PowerShell".
#   tests/pester/run.sh [FILTER]     FILTER: run only files whose name contains it
set -u
cd "$(dirname "$0")/../.."
FILTER=${1:-}
mkdir -p build/logs

if ! command -v dotnet >/dev/null 2>&1; then
    echo "not ok 1 - the .NET SDK (dotnet) is needed to build the module and its test host"; exit 1
fi
if ! make -s -j2 lib shim >build/logs/pester-make.log 2>&1; then
    echo "not ok 1 - make lib"; sed 's/^/# /' build/logs/pester-make.log | tail -20; exit 1
fi
if ! module/restore.sh >build/logs/pester-restore.log 2>&1 || [ ! -f build/pester/host/BerthTestHost.dll ]; then
    echo "not ok 1 - build the module and the test host (module/restore.sh)"
    sed 's/^/# /' build/logs/pester-restore.log | tail -30; exit 1
fi

. tests/lib/registry.sh
TMP=$(mktemp -d /tmp/berth-pester-XXXXXX)
PROXY_PID=
cleanup() {
    if [ -n "$PROXY_PID" ]; then kill "$PROXY_PID" 2>/dev/null; wait "$PROXY_PID" 2>/dev/null; fi
    registry_stop OPEN; registry_stop AUTH
    rm -rf "$TMP"
}
trap cleanup EXIT

export BERTH_TEST_USER=berth BERTH_TEST_PASSWORD="pw-$RANDOM$RANDOM"
htpasswd -Bbc "$TMP/htpasswd" "$BERTH_TEST_USER" "$BERTH_TEST_PASSWORD" >/dev/null 2>&1
if ! registry_start OPEN || ! registry_start AUTH "$TMP/htpasswd"; then
    echo "not ok 1 - start the loopback registries"; exit 1
fi

# Test images, built from files on this machine and pushed with skopeo.
mkimg() { python3 tests/lib/mkimage.py "$@" >>"$TMP/mkimage.log" 2>&1; }
push() {    # push OCI-DIR TAG DEST [creds]
    skopeo copy --quiet --dest-tls-verify=false ${4:+--dest-creds "$4"} "oci:$1:$2" "docker://$3" >>"$TMP/skopeo.log" 2>&1
}
head -c $((8 * 1024 * 1024)) /dev/urandom > "$TMP/big.bin"
ok=1
mkimg "$TMP/small" --tag v1 --layers 3 --file /etc/berth-test.txt=small --cmd '["/bin/true"]' || ok=0
mkimg "$TMP/big" --tag v1 --add "$TMP/big.bin:/big.bin" --compression none || ok=0
mkimg "$TMP/busybox" --tag v1 --busybox --cmd '["sh","-c","echo hello from berth; echo to stderr >&2"]' || ok=0
push "$TMP/small" v1 "$REG_OPEN_ADDR/berth/small:v1" || ok=0
push "$TMP/small" v1 "$REG_OPEN_ADDR/berth/small:v2" || ok=0
push "$TMP/big" v1 "$REG_OPEN_ADDR/berth/big:v1" || ok=0
push "$TMP/busybox" v1 "$REG_OPEN_ADDR/berth/busybox:v1" || ok=0
push "$TMP/small" v1 "$REG_AUTH_ADDR/berth/private:v1" "$BERTH_TEST_USER:$BERTH_TEST_PASSWORD" || ok=0
rm -f "$TMP/big.bin"
if [ "$ok" != 1 ]; then
    echo "not ok 1 - build and push the test images"
    sed 's/^/# /' "$TMP/mkimage.log" "$TMP/skopeo.log" | tail -30; exit 1
fi

# A slow door to the open registry (tests/lib/fault_proxy.py trickling large blobs), so a test
# can stop a pull in the middle of a download without racing it.
python3 tests/lib/fault_proxy.py --upstream "$REG_OPEN_ADDR" --port-file "$TMP/proxy.port" >"$TMP/proxy.log" 2>&1 &
PROXY_PID=$!
for _ in $(seq 1 100); do [ -s "$TMP/proxy.port" ] && break; sleep 0.1; done
if [ ! -s "$TMP/proxy.port" ]; then echo "not ok 1 - start the fault proxy"; sed 's/^/# /' "$TMP/proxy.log"; exit 1; fi
SLOW="127.0.0.1:$(cat "$TMP/proxy.port")"
curl -fsS "http://$SLOW/__proxy/set?mode=trickle&chunk=32768&delay=0.05&count=-1&min_size=1000000" >/dev/null ||
    { echo "not ok 1 - arm the fault proxy"; exit 1; }
export BERTH_TEST_SLOW_REGISTRY=$SLOW

# A busybox root file system for container tests that need no image (New-Container -RootFS).
mkdir -p "$TMP/rootfs/bin" "$TMP/rootfs/etc" "$TMP/rootfs/tmp"
cp /bin/busybox "$TMP/rootfs/bin/busybox"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$TMP/rootfs/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$TMP/rootfs/etc/passwd"
printf 'root:x:0:\n' > "$TMP/rootfs/etc/group"
export BERTH_TEST_ROOTFS=$TMP/rootfs

export BERTH_TEST_REGISTRY=$REG_OPEN_ADDR BERTH_TEST_AUTH_REGISTRY=$REG_AUTH_ADDR
export BERTH_TEST_TMP=$TMP
export BERTH_MODULE=$PWD/build/module/Berth/Berth.psd1
export BERTH_TEST_OCI_SMALL=$TMP/small
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset BERTH_ROOT

rc=0
for f in tests/pester/*.Tests.ps1; do
    case "$(basename "$f")" in *"$FILTER"*) ;; *) continue ;; esac
    timeout 600 dotnet build/pester/host/BerthTestHost.dll tests/pester/Invoke-PesterLite.ps1 "$f" </dev/null >"$TMP/file.out" 2>&1
    st=$?
    cat "$TMP/file.out"
    # A file that failed without saying which test (host crash, timeout, a script error
    # outside any It) still counts as one failure.
    if [ "$st" -ne 0 ] && ! grep -q '^not ok' "$TMP/file.out"; then
        echo "not ok - $(basename "$f") ended with status $st without a failing test (host crash, timeout or script error)"
    fi
    [ "$st" -eq 0 ] || rc=1
done
exit $rc
