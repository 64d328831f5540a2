#!/usr/bin/env bash
# Every unit test program (build/test/*_test, built by `make unit`) under valgrind: no invalid
# reads or writes, no use of uninitialised memory, no definite or indirect leaks — including in
# the children some tests fork. ASan (the unit-asan suite) sees most of this; valgrind also
# sees the uninstrumented libraries (SQLite, libarchive, json-c, OpenSSL) being misused.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
if ! command -v valgrind >/dev/null; then skip "unit tests under valgrind" "valgrind is not installed (make deps installs it)"; tap_done; exit 0; fi
tests=$(find build/test -maxdepth 1 -type f -name '*_test' 2>/dev/null | sort)
if [ -z "$tests" ]; then not_ok "unit test programs in build/test (run make unit)"; tap_done; exit 1; fi
T=$(mktemp -d /tmp/berth-unit-vg-XXXXXX)
trap 'rm -rf "$T"' EXIT
for t in $tests; do
    n=$(basename "$t")
    valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 --log-file="$T/$n.vg" "$t" > "$T/$n.out" 2>&1
    rc=$?
    failed=$(grep -c '^not ok' "$T/$n.out")
    if [ $rc -eq 0 ] && [ ! -s "$T/$n.vg" ]; then ok "valgrind: $n ($(grep -c '^ok' "$T/$n.out") cases, clean)"
    else
        not_ok "valgrind: $n (exit $rc, $failed failed cases)"
        grep -E '^(not ok|#)' "$T/$n.out" | head -20 | sed 's/^/#   /'
        grep -vE '^==[0-9]+== *$' "$T/$n.vg" | head -40 | sed 's/^/#   /'
    fi
done
tap_done
