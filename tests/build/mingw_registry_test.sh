#!/usr/bin/env bash
# The registry client, the pull and their CLI commands are portable C that the Windows build
# (NMakefile) compiles too: check with mingw-w64 that they use nothing POSIX-only (usleep,
# strncasecmp, termios, sigaction, …). This machine has no Windows curl/json-c/OpenSSL headers,
# so the Linux ones stand in (-idirafter); -Wno-format because BERTH_PRINTF's printf archetype
# means the MS runtime's printf under mingw, which knows no %zu.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  skip "registry sources under mingw" "x86_64-w64-mingw32-gcc is not installed (tests/setup/install-deps.sh installs it)"
  tap_done; exit 0
fi
files=$(make -s -f - print <<'MK'
include sources.mk
print:
	@printf '%s\n' $(SRC_REGISTRY) $(SRC_IMAGE) native/cli/cmd_pull.c native/cli/interrupt.c native/cli/cmd_login.c native/cli/cmd_logout.c
MK
)
for f in $files; do
  check "$f compiles with mingw-w64 -Wall -Wextra -Werror" \
    x86_64-w64-mingw32-gcc -std=c11 -fsyntax-only -Wall -Wextra -Werror -Wno-unused-parameter -Wno-format \
      -D_UCRT -DWIN32_LEAN_AND_MEAN -DBERTH_BUILDING_DLL -Inative/include -Inative/src \
      -idirafter /usr/include/json-c -idirafter /usr/include -idirafter /usr/include/x86_64-linux-gnu "$f"
done
tap_done
