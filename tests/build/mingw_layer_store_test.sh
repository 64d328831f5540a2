#!/usr/bin/env bash
# The Windows-only sources of the layer concern (SRC_LAYER_WIN32) and of the store
# (SRC_STORE_WIN32: ingest file locking, lease owners, directory listing) must each compile
# with mingw-w64, strictly, since Windows itself cannot run here. One check per file, named by
# the file, so a failure says which concern broke.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  skip "layer and store win32 sources" "x86_64-w64-mingw32-gcc is not installed (tests/setup/install-deps.sh installs it)"
  tap_done; exit 0
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for var in SRC_LAYER_WIN32 SRC_STORE_WIN32; do
  files=$(make -s -f - print <<MK
include sources.mk
print:
	@printf '%s\n' \$($var)
MK
)
  if [ -n "$files" ]; then ok "sources.mk lists $var"; else not_ok "$var is empty in sources.mk"; fi
  for f in $files; do
    check "$f compiles with mingw-w64 -Wall -Wextra -Werror" \
      x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -Inative/include -Inative/src \
        -c "$f" -o "$tmp/$(basename "$f").o"
  done
done
tap_done
