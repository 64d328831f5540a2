#!/usr/bin/env bash
# Every Windows-only source compiles with mingw-w64 (x86_64-w64-mingw32-gcc -Wall -Werror), so a
# Windows build breaks here, on Linux, not first on a Windows host. The list comes from
# sources.mk (LIB_SRC_WIN32 + SHIM_SRC_WIN32), the same list NMakefile builds.
# These sources include only Windows headers (windows.h, computecore.h, computestorage.h,
# computenetwork.h, virtdisk.h) and Berth's own json-free headers: anything that needs json-c,
# curl, OpenSSL or SQLite lives in portable files, which the Linux build compiles and tests.
# Linking needs cl.exe and vcpkg's libraries (NMakefile); this suite does not claim it.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

CC=x86_64-w64-mingw32-gcc
if ! command -v "$CC" >/dev/null 2>&1; then
  skip "mingw-w64 compile of the Windows sources" "$CC is not installed (apt-get install gcc-mingw-w64-x86-64)"
  tap_done
  exit 0
fi

list() {
  make -s -f - print <<MK
include sources.mk
print:
	@printf '%s\n' \$($1)
MK
}
lib=$(list LIB_SRC_WIN32)
shim=$(list SHIM_SRC_WIN32)
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
FLAGS=(-std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes
       -D__USE_MINGW_ANSI_STDIO=1 -DWIN32_LEAN_AND_MEAN -DBERTH_BUILDING_DLL -Inative/include -Inative/src)

if [ -n "$lib" ]; then ok "sources.mk lists Windows library sources"; else not_ok "LIB_SRC_WIN32 is empty"; fi
for f in $lib; do
  check "mingw-w64 compiles $f" "$CC" "${FLAGS[@]}" -c "$f" -o "$out/$(basename "$f" .c).o"
done
for f in $shim; do
  check "mingw-w64 compiles $f (wmain)" "$CC" "${FLAGS[@]}" -municode -c "$f" -o "$out/$(basename "$f" .c).o"
done

# The check must be able to fail: a Windows source that reaches for json-c does not compile.
check_fails "a Windows source including json-c headers is refused" \
  "$CC" "${FLAGS[@]}" -x c -c - -o "$out/bad.o" <<<'#include "core/json.h"'
tap_done
