#!/usr/bin/env bash
# Makefile and NMakefile must build the same sources. Both include sources.mk, so this checks
# that they really do, and that sources.mk lists every library, CLI and shim source in the tree
# exactly once (a new file that nobody listed would silently be missing from one build).
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

listed=$(make -s -f - print <<'MK'
include sources.mk
print:
	@printf '%s\n' $(LIB_SRC_PORTABLE) $(LIB_SRC_POSIX) $(LIB_SRC_WIN32) $(CLI_SRC) $(CLI_SRC_POSIX) $(CLI_SRC_WIN32) $(SHIM_SRC_POSIX) $(SHIM_SRC_WIN32)
MK
)
tree=$(find native/src native/cli native/shim -name '*.c' ! -name '*_test.c' | sort)

check "Makefile includes sources.mk" grep -q '^include sources.mk' Makefile
check "NMakefile includes sources.mk" grep -q '^!include sources.mk' NMakefile
dups=$(printf '%s\n' "$listed" | sort | uniq -d)
if [ -z "$dups" ]; then ok "no source is listed twice"; else not_ok "sources listed twice: $dups"; fi
unlisted=$(comm -13 <(printf '%s\n' "$listed" | sort -u) <(printf '%s\n' "$tree"))
if [ -z "$unlisted" ]; then ok "every source in the tree is in sources.mk"; else not_ok "not in sources.mk: $(echo $unlisted)"; fi
gone=$(comm -23 <(printf '%s\n' "$listed" | sort -u) <(printf '%s\n' "$tree"))
if [ -z "$gone" ]; then ok "every file in sources.mk exists"; else not_ok "listed but missing: $(echo $gone)"; fi
# Platform files go to their platform's build only: *_win32.c in LIB_SRC_WIN32/SHIM_SRC_WIN32
# (NMakefile, mingw.sh), *_posix.c in LIB_SRC_POSIX/SHIM_SRC_POSIX (Makefile).
per_list() {
make -s -f - print <<MK
include sources.mk
print:
	@printf '%s\n' \$($1)
MK
}
win=$(per_list LIB_SRC_WIN32; per_list SHIM_SRC_WIN32; per_list CLI_SRC_WIN32)
posix=$(per_list LIB_SRC_POSIX; per_list SHIM_SRC_POSIX; per_list CLI_SRC_POSIX)
portable=$(per_list LIB_SRC_PORTABLE; per_list CLI_SRC)
bad=$(printf '%s\n' $portable $posix | grep '_win32\.c$')
if [ -z "$bad" ]; then ok "no *_win32.c in the portable or POSIX lists"; else not_ok "Windows sources in a non-Windows list: $(echo $bad)"; fi
bad=$(printf '%s\n' $portable $win | grep '_posix\.c$')
if [ -z "$bad" ]; then ok "no *_posix.c in the portable or Windows lists"; else not_ok "POSIX sources in a non-POSIX list: $(echo $bad)"; fi
bad=$(printf '%s\n' $win | grep -v '_win32\.c$')
if [ -z "$bad" ]; then ok "the Windows lists hold only *_win32.c"; else not_ok "not *_win32.c in a Windows list: $(echo $bad)"; fi
# NMakefile must build the library from LIB_SRC_PORTABLE + LIB_SRC_WIN32, the shim from
# SHIM_SRC_WIN32 and the CLI from CLI_SRC + CLI_SRC_WIN32 (Makefile: + CLI_SRC_POSIX).
check "NMakefile builds the library from LIB_SRC_PORTABLE and LIB_SRC_WIN32" \
  grep -qE '^LIB_SRC *= *\$\(LIB_SRC_PORTABLE\) *\$\(LIB_SRC_WIN32\)' NMakefile
check "NMakefile builds the shim from SHIM_SRC_WIN32" grep -qE '^SHIM_OBJ *= *\$\(SHIM_SRC_WIN32:' NMakefile
check "NMakefile builds the CLI from CLI_SRC and CLI_SRC_WIN32" grep -qE '^CLI_OBJ *= *\$\(CLI_SRC:\.c=\.obj\) *\$\(CLI_SRC_WIN32:' NMakefile
check "Makefile builds the CLI from CLI_SRC and CLI_SRC_POSIX" grep -qE '^CLI_OBJ *= *\$\(CLI_SRC:.*\$\(CLI_SRC_POSIX:' Makefile
# NMakefile must not keep a private list of its own: no .c names outside sources.mk.
if grep -qE '[A-Za-z0-9_]\.c\b' <(grep -v '^#' NMakefile | grep -v 'sources.mk'); then
  not_ok "NMakefile names .c files itself (they belong in sources.mk)"
else ok "NMakefile takes its sources only from sources.mk"; fi
tap_done
