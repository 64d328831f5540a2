#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang-14 and ASan+UBSan, independent
# of the Makefile: the library sources come from sources.mk, objects go to build/fuzz/obj, the
# targets to build/fuzz/<target>. Then writes the seed corpora (gen_corpus.py) under
# build/fuzz/corpus/<target>/ — nothing binary lives in the tree.
#   tests/fuzz/build.sh            build everything
#   CLANG=clang-15 tests/fuzz/build.sh
set -eu
cd "$(dirname "$0")/../.."
CLANG=${CLANG:-clang-14}
OUT=${FUZZ_BUILD:-build/fuzz}
command -v "$CLANG" >/dev/null || { echo "build.sh: $CLANG not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 2; }

PKGS="libcurl json-c libarchive openssl sqlite3"
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
PKG_LIBS=$(pkg-config --libs $PKGS)
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
CFLAGS="-std=c11 -D_GNU_SOURCE -O1 -g -pthread -Wall -Wno-unused-parameter -Inative/include -Inative/src $PKG_CFLAGS"

# The library's source list, read from sources.mk by make itself (so it never drifts).
LIB_SRC=$(printf 'include sources.mk\nall:\n\t@echo $(LIB_SRC_PORTABLE) $(LIB_SRC_POSIX)\n' | make -s -f - all)

mkdir -p "$OUT/obj"
objs=()
for src in $LIB_SRC; do
    obj="$OUT/obj/$(echo "${src%.c}" | tr / _).o"
    if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ native/include/berth.h -nt "$obj" ] || \
       [ -n "$(find "$(dirname "$src")" -name '*.h' -newer "$obj" -print -quit)" ] || \
       [ -n "$(find native/src/core -name '*.h' -newer "$obj" -print -quit)" ]; then
        "$CLANG" $CFLAGS $SAN -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
    fi
    objs+=("$obj")
done
rm -f "$OUT/libberth_fuzz.a"
ar rcs "$OUT/libberth_fuzz.a" "${objs[@]}"

for t in tests/fuzz/fuzz_*.c; do
    name=$(basename "$t" .c); name=${name#fuzz_}
    if [ ! -e "$OUT/$name" ] || [ "$t" -nt "$OUT/$name" ] || [ "$OUT/libberth_fuzz.a" -nt "$OUT/$name" ]; then
        "$CLANG" $CFLAGS $SAN -fsanitize=fuzzer -Itests/fuzz -o "$OUT/$name" "$t" "$OUT/libberth_fuzz.a" $PKG_LIBS
    fi
done

rm -rf "$OUT/corpus"
python3 tests/fuzz/gen_corpus.py "$OUT/corpus"
echo "fuzz targets in $OUT: $(cd tests/fuzz && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//' | tr '\n' ' ')"
