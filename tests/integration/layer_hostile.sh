#!/usr/bin/env bash
# Hostile layers through both unpack paths: `berth layer apply` (a plain directory) and
# `berth layer unpack` (the store's overlay mode). The table comes from
# tests/fixtures/mklayers.py (generated here, into a temp dir): traversal, absolute names, PAX
# and GNU long-name tricks, writes/mkdirs/hard links/whiteouts through symlinks, hard links out,
# devices, trusted.* xattrs, bombs, corrupt streams, media types that lie. After each case:
# nothing next to the target (a canary directory the escapes aim at) changed, a refusal names
# the entry, and the store kept neither a temporary folder nor a layer.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
BERTH=$PWD/build/berth
[ -x "$BERTH" ] || make -s -j2 all >/dev/null

if [ "$(id -u)" != 0 ]; then
    skip "hostile layers" "needs root (overlay whiteouts are device nodes, trusted.* xattrs)"
    tap_done; exit 0
fi

T=$(mktemp -d /tmp/berth-layer-hostile.XXXXXX)
trap 'rm -rf "$T"' EXIT
CANARY=$T/canary
python3 tests/fixtures/mklayers.py hostile "$T/fx" "$CANARY" || { not_ok "generate hostile layers"; tap_done; exit 1; }

reset_canary() {
    rm -rf "$CANARY"
    mkdir -p "$CANARY/sub"
    echo victim > "$CANARY/victim"
    echo inner > "$CANARY/sub/inner"
    chmod 640 "$CANARY/victim"
    touch -h -d @1000000000 "$CANARY/victim" "$CANARY/sub/inner" "$CANARY/sub" "$CANARY"
}

# Everything outside the target and the store: the canary tree (names, types, modes, owners,
# sizes, link counts, times, link targets, contents) and /etc/passwd.
outside() {
    (cd "$T" && find . -path ./target -prune -o -path ./root -prune -o -path ./fx -prune -o \
        -mindepth 1 -printf "%p %y %m %u %g %s %n %T@ %l\n" | sort)
    find "$CANARY" -type f -exec sha256sum {} + 2>/dev/null | sort
    stat -c '%h %s %Y' /etc/passwd; sha256sum /etc/passwd
    ls -d /pwned /tmp/pwned 2>/dev/null
}

# Peak memory of each run (GNU time), so bombs are seen to stay bounded.
TIME=(/usr/bin/time -f 'maxrss_kb=%M')
[ -x /usr/bin/time ] || { TIME=(); diag "GNU time is missing: peak memory is not checked"; }

while IFS=$'\t' read -r name file media expect needle flags modes; do
    for mode in apply overlay; do
        [ "$modes" = apply ] && [ "$mode" = overlay ] && continue
        reset_canary
        rm -rf "$T/target" "$T/root"
        mkdir "$T/target"
        [ "$modes" = apply ] && ln -s "$CANARY" "$T/target/pre"
        before=$(outside)
        args=()
        [ "$media" != - ] && args+=(--media-type "$media")
        # shellcheck disable=SC2206
        [ "$flags" != - ] && args+=($flags)
        if [ "$mode" = apply ]; then
            out=$("${TIME[@]}" "$BERTH" layer apply "${args[@]}" "$file" "$T/target" 2>&1); rc=$?
        else
            out=$("${TIME[@]}" "$BERTH" --root "$T/root" layer unpack "${args[@]}" "$file" 2>&1); rc=$?
        fi
        after=$(outside)
        problems=""
        [ "$before" = "$after" ] || problems+=" something outside the target changed:$(diff <(echo "$before") <(echo "$after") | head -5 | tr '\n' ' ')"
        # The CLI exits 1 for a refusal or failure; a signal or crash would be >= 128.
        case "$expect" in
            refuse)
                [ "$rc" = 1 ] || problems+=" exit status $rc (wanted 1)"
                grep -qF -- "$needle" <<<"$out" || problems+=" message does not name \"$needle\""
                grep -qE 'refused|absolute|climbs|symlink|limit|device|cannot exist|Windows layer|too long|bytes|root|names' <<<"$out" \
                    || problems+=" message does not say why" ;;
            fail)
                [ "$rc" = 1 ] || problems+=" exit status $rc (wanted 1)"
                [ "$needle" = - ] || grep -qF -- "$needle" <<<"$out" || problems+=" message lacks \"$needle\"" ;;
            safe)
                [ "$rc" -lt 128 ] || problems+=" crashed (status $rc)" ;;
        esac
        if [ "$mode" = overlay ] && [ -d "$T/root/layers" ]; then
            left=$(ls "$T/root/layers" | grep '^tmp-')
            [ -z "$left" ] || problems+=" temporary folder left: $left"
            if [ "$rc" != 0 ] && [ -n "$(ls "$T/root/layers")" ]; then problems+=" a layer was committed"; fi
        fi
        rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' <<<"$out" | tail -1)
        case "$name" in bomb*) [ -z "$rss" ] || [ "$rss" -lt 102400 ] || problems+=" peak RSS ${rss} kB (bound: 100 MB)";; esac
        if [ -z "$problems" ]; then
            ok "$mode: $name ($expect)"
        else
            not_ok "$mode: $name ($expect):$problems"
            printf '%s\n' "$out" | grep -v maxrss_kb | sed 's/^/#   /' | tail -n 5
        fi
    done
done < "$T/fx/cases.tsv"

# The two guards hold on their own: names are refused before the writer runs (checked above
# by the messages), and the writer never follows a symlink even when the name is clean. An
# entry whose clean name goes through a symlink the layer itself made is caught by the writer.
reset_canary; rm -rf "$T/target"; mkdir "$T/target"
out=$("$BERTH" layer apply "$T/fx/symlink_write_through.tar" "$T/target" 2>&1)
if grep -q 'is a symlink' <<<"$out" && [ ! -e "$CANARY/pwned" ]; then ok "the writer's no-follow walk refuses a clean name through a symlink"
else not_ok "the writer's no-follow walk: $out"; fi

tap_done
