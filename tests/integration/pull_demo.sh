#!/usr/bin/env bash
# `make demo` must keep working: run samples/demo.sh and check that it pulled, listed and
# inspected the sample image, and cleaned up after itself.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
out=$(mktemp /tmp/berth-demo-test-XXXXXX)
trap 'rm -f "$out"' EXIT
samples/demo.sh > "$out" 2>&1
rc=$?
check "samples/demo.sh exits 0" test $rc -eq 0
check "…pulls the sample image (Downloaded newer image)" grep -q "Status: Downloaded newer image for" "$out"
check "…pulls it again (Image is up to date)" grep -q "Status: Image is up to date for" "$out"
check "…lists it with berth images" grep -q "samples/busybox *demo" "$out"
check "…inspects it" grep -q '"manifest_digest"' "$out"
store=$(sed -n 's/.*the store at \(.*\) is removed on exit.*/\1/p' "$out")
check "…and removes its temporary store ($store)" sh -c "test -n '$store' && test ! -e '$store'"
[ $rc -eq 0 ] || sed 's/^/#   /' "$out" | tail -20
tap_done
