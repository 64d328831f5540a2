#!/usr/bin/env bash
# Fuzz smoke: builds the libFuzzer targets (tests/fuzz/build.sh, clang-14 + ASan/UBSan), replays
# every checked-in regression input (tests/fuzz/regressions/<target>/), then runs each target
# from its generated seed corpus for a fixed number of runs with a fixed seed — bounded by runs,
# not time, so it finishes in well under a minute and repeats itself run to run.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh

# runs per target (the layer target touches the disk on every run, so fewer)
declare -A RUNS=([reference]=20000 [platform]=20000 [digest]=20000 [json]=20000 [manifest]=20000
                 [challenge]=20000 [credentials]=20000 [layer_apply]=2000 [layer_store]=1500)
declare -A MAXLEN=([reference]=1100 [platform]=512 [digest]=256 [json]=4096 [manifest]=4096
                   [challenge]=1024 [credentials]=20000 [layer_apply]=16384 [layer_store]=16384)

if ! command -v clang-14 >/dev/null; then
    skip "fuzz targets" "clang-14 is not installed (tests/setup/install-deps.sh installs it)"; tap_done; exit
fi
if ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    skip "fuzz targets" "the libFuzzer runtime is missing (apt-get install libclang-rt-14-dev)"; tap_done; exit
fi

work=$(mktemp -d /tmp/berth-fuzz-smoke-XXXXXX)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1 UBSAN_OPTIONS=print_stacktrace=1

if out=$(tests/fuzz/build.sh 2>&1); then ok "tests/fuzz/build.sh builds every target"
else not_ok "tests/fuzz/build.sh"; printf '%s\n' "$out" | tail -n 30 | sed 's/^/#   /'; tap_done; exit 1; fi

# the layer target's "nothing outside" check can fail: with the self-test switch the harness
# itself writes to the victim file, and the target must stop with the property broken
seed=$(ls build/fuzz/corpus/layer_apply/* | head -n 1)
out=$(BERTH_FUZZ_LAYER_SELFTEST=1 build/fuzz/layer_apply "$seed" 2>&1)
if [ $? -ne 0 ] && grep -q 'victim file' <<<"$out"; then ok "layer_apply: the outside-write check fires (self-test)"
else not_ok "layer_apply: the outside-write check did not fire"; printf '%s\n' "$out" | tail -n 10 | sed 's/^/#   /'; fi
rm -rf "$TMPDIR"/berth-fuzz-layer-* "$TMPDIR"/berth-fuzz-store-*

for src in tests/fuzz/fuzz_*.c; do
    t=$(basename "$src" .c); t=${t#fuzz_}
    bin=build/fuzz/$t

    # regressions: text files as they are, *.hex files as hex dumps (xxd -p)
    # (the two layer targets share their regression inputs: both modes must take them)
    regs=(tests/fuzz/regressions/$t)
    case $t in layer_apply|layer_store) regs=(tests/fuzz/regressions/layer_*) ;; esac
    if [ -n "$(ls -A "${regs[@]}" 2>/dev/null)" ]; then
        mkdir -p "$work/reg-$t"
        for f in $(for r in "${regs[@]}"; do [ -d "$r" ] && ls -d "$r"/*; done); do
            case $f in
                *.hex) python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex("".join(open(sys.argv[1]).read().split())))' "$f" > "$work/reg-$t/$(basename "$f" .hex)" ;;
                *) cp "$f" "$work/reg-$t/" ;;
            esac
        done
        n=$(ls "$work/reg-$t" | wc -l)
        if out=$("$bin" "$work/reg-$t"/* 2>&1); then ok "$t: $n regression inputs replay clean"
        else not_ok "$t: regression inputs"; printf '%s\n' "$out" | grep -v '^Running\|^Executed' | tail -n 30 | sed 's/^/#   /'; fi
    fi

    mkdir -p "$work/corpus-$t" "$work/crash-$t"
    dict=()
    [ -f "build/fuzz/corpus/$t.dict" ] && dict=(-dict="build/fuzz/corpus/$t.dict")
    if out=$("$bin" "${dict[@]}" -runs="${RUNS[$t]}" -seed=1 -max_len="${MAXLEN[$t]}" -timeout=20 -rss_limit_mb=2048 \
            -artifact_prefix="$work/crash-$t/" "$work/corpus-$t" "build/fuzz/corpus/$t" 2>&1); then
        ok "$t: ${RUNS[$t]} runs from $(ls "build/fuzz/corpus/$t" | wc -l) seeds, no crash, leak or broken property"
    else
        not_ok "$t: ${RUNS[$t]} runs"
        printf '%s\n' "$out" | grep -v '^#[0-9]' | tail -n 40 | sed 's/^/#   /'
        for c in "$work/crash-$t"/*; do
            [ -e "$c" ] && diag "input ($(basename "$c")): $(head -c 400 "$c" | xxd -p | tr -d '\n')"
        done
    fi
done
tap_done
