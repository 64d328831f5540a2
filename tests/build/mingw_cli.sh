#!/usr/bin/env bash
# The CLI compiles for Windows: every source NMakefile builds berth.exe from (CLI_SRC plus
# CLI_SRC_WIN32 of sources.mk) compiles with mingw-w64 -Wall -Wextra -Werror, against the UCRT
# (what cl.exe uses) and json-c's headers (plain C; Debian's, for want of a mingw build). The
# POSIX-only parts live in CLI_SRC_POSIX, so a POSIX call creeping into a shared CLI file
# breaks here. The real link needs cl.exe and vcpkg's libraries (NMakefile).
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

CC=x86_64-w64-mingw32-gcc
if ! command -v "$CC" >/dev/null 2>&1; then
  skip "mingw-w64 compile of the CLI" "$CC is not installed (apt-get install gcc-mingw-w64-x86-64)"
  tap_done; exit 0
fi
if [ ! -f /usr/include/json-c/json.h ]; then
  skip "mingw-w64 compile of the CLI" "json-c's headers are not installed (apt-get install libjson-c-dev)"
  tap_done; exit 0
fi
list() {
  make -s -f - print <<MK
include sources.mk
print:
	@printf '%s\n' \$($1)
MK
}
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
# only json-c from /usr/include: a folder with just that, so no glibc header leaks in
mkdir -p "$out/inc" && ln -s /usr/include/json-c "$out/inc/json-c"
FLAGS=(-O2 -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow -Wstrict-prototypes -D_UCRT
       -D__USE_MINGW_ANSI_STDIO=1 -DWIN32_LEAN_AND_MEAN -Inative/include -Inative/src -I"$out/inc" -I"$out/inc/json-c")
srcs="$(list CLI_SRC) $(list CLI_SRC_WIN32)"
n=0
for f in $srcs; do
  check "mingw-w64 compiles $f" "$CC" "${FLAGS[@]}" -c "$f" -o "$out/$(basename "$f" .c).o"
  n=$((n + 1))
done
if [ "$n" -gt 20 ]; then ok "the CLI's Windows source list has $n files"; else not_ok "only $n CLI sources for Windows"; fi
tap_done
