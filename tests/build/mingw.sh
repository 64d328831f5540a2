#!/usr/bin/env bash
# Every Windows-only source compiles with mingw-w64 (x86_64-w64-mingw32-gcc -Wall -Werror), so a
# Windows build breaks here, on Linux, not first on a Windows host. The list comes from
# sources.mk (LIB_SRC_WIN32 + SHIM_SRC_WIN32), the same list NMakefile builds.
# These sources include only Windows headers (windows.h, computecore.h, computestorage.h,
# computenetwork.h, virtdisk.h) and Berth's own json-free headers: anything that needs json-c,
# curl, OpenSSL or SQLite lives in portable files, which the Linux build compiles and tests.
# The real link needs cl.exe and vcpkg's libraries (NMakefile); this suite links a probe instead
# (below), with the portable sources stubbed, to catch missing and doubled symbols.
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
# -O2 so that -Wmaybe-uninitialized looks; UNICODE as Windows projects build (we call the W
# functions by name anyway).
FLAGS=(-O2 -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes -DUNICODE -D_UNICODE
       -D__USE_MINGW_ANSI_STDIO=1 -DWIN32_LEAN_AND_MEAN -DBERTH_BUILDING_DLL -Inative/include -Inative/src)

if [ -n "$lib" ]; then ok "sources.mk lists Windows library sources"; else not_ok "LIB_SRC_WIN32 is empty"; fi
for f in $lib; do
  check "mingw-w64 compiles $f" "$CC" "${FLAGS[@]}" -c "$f" -o "$out/$(basename "$f" .c).o"
done
for f in $shim; do
  check "mingw-w64 compiles $f (wmain)" "$CC" "${FLAGS[@]}" -municode -c "$f" -o "$out/$(basename "$f" .c).o"
done

# Link probe: every symbol the Windows objects need must come from another Windows object, from
# a portable source (the Linux build's objects stand in for them, as empty stubs) or from the
# Windows import libraries — so a function declared for Windows but defined nowhere, a symbol
# defined twice, or a misspelt Win32 call fails here, not first under link.exe.
[ -d build/obj/native ] || make -s all >/dev/null 2>&1
portable_objs=$(for f in $(list LIB_SRC_PORTABLE); do printf 'build/obj/%s\n' "${f%.c}.o"; done)
win_objs=$(ls "$out"/*.o)
if ls $portable_objs >/dev/null 2>&1; then
  x86_64-w64-mingw32-nm -g --defined-only $win_objs | awk 'NF==3{print $3}' | sort -u > "$out/win.defs"
  nm -g --defined-only $portable_objs | awk 'NF==3 && $2 ~ /[TDBR]/ {print $3}' | sort -u > "$out/portable.defs"
  dup=$(comm -12 "$out/win.defs" "$out/portable.defs")
  if [ -z "$dup" ]; then ok "no symbol is defined both by a Windows and a portable source"
  else not_ok "defined twice (Windows and portable): $(echo $dup)"; fi
  { echo '/* stubs standing in for the portable sources */'
    comm -13 "$out/win.defs" "$out/portable.defs" | sed 's/.*/void &(void); void &(void) {}/'; } > "$out/stubs.c"
  "$CC" -c "$out/stubs.c" -o "$out/stubs.obj" 2>/dev/null
  check "the Windows objects link (with the portable sources as stubs) against kernel32, advapi32, virtdisk" \
    "$CC" -municode -o "$out/probe.exe" $win_objs "$out/stubs.obj" -lvirtdisk -ladvapi32 -lkernel32
else
  skip "link probe" "the Linux build's objects are missing (make all)"
fi

# The check must be able to fail: a Windows source that reaches for json-c does not compile.
check_fails "a Windows source including json-c headers is refused" \
  "$CC" "${FLAGS[@]}" -x c -c - -o "$out/bad.o" <<<'#include "core/json.h"'
tap_done
