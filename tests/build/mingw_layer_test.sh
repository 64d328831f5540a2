#!/usr/bin/env bash
# The layer concern's Windows-only sources (SRC_LAYER_WIN32) must compile with mingw-w64,
# strictly, since Windows itself cannot run here.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  skip "layer win32 sources" "x86_64-w64-mingw32-gcc is not installed (tests/setup/install-deps.sh installs it)"
  tap_done; exit 0
fi
files=$(make -s -f - print <<'MK'
include sources.mk
print:
	@printf '%s\n' $(SRC_LAYER_WIN32)
MK
)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for f in $files; do
  check "$f compiles with mingw-w64 -Wall -Wextra -Werror" \
    x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -Inative/include -Inative/src \
      -c "$f" -o "$tmp/$(basename "$f").o"
done
tap_done
