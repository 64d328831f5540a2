#!/usr/bin/env bash
# Pull through tests/lib/fault_proxy.py in front of a real docker-registry: connection resets
# mid-blob, 5xx, 429 with Retry-After, stalls, trickle and bit flips; kill -9 and Ctrl+C in the
# middle of a pull (the next pull resumes and fetches fewer bytes than the whole); two
# processes pulling the same image into one store at once.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/pull_env.sh
pull_env_init

start_registry PLAIN
bg_start proxy python3 tests/lib/fault_proxy.py --upstream "$REG_PLAIN_ADDR" --port-file "$T/proxy.port"
PP=$(wait_port_file "$T/proxy.port") || { not_ok "fault proxy started"; tap_done; exit 1; }
P=127.0.0.1:$PP
ctl() { curl -fsS "http://$P/__proxy/$1" >/dev/null; }
stat_field() { curl -fsS "http://$P/__proxy/stats" | jq -r ".$1"; }
export BERTH_STALL_SECONDS=2   # stall detection in seconds, not the default 30

# A 6 MB layer of random bytes (gzip cannot shrink it), plus a small one.
head -c 6000000 /dev/urandom > "$T/random.bin"
python3 tests/lib/mkimage.py "$T/big" --tag big --add "$T/random.bin:/random.bin" --layers 1 >/dev/null &&
  push_oci "$T/big:big" "docker://$REG_PLAIN_ADDR/test/big:1"
check "a 6 MB test image pushed" test $? -eq 0
BIGLAYER=$(jq -r '.layers | max_by(.size) | .digest' "$T/big/blobs/sha256/$(jq -r '.manifests[0].digest' "$T/big/index.json" | cut -d: -f2)")
BIGSIZE=$(stat -c %s "$T/big/blobs/sha256/${BIGLAYER#sha256:}")
REF=$P/test/big:1

pull_case() {   # pull_case NAME ROOT [berth args…]: runs a pull through the proxy
    local name=$1 root=$2; shift 2
    berth_json "$T/$name" "$root" pull "$@" "$REF"
}

# ---- resets, 5xx, 429, stalls, trickle ----
ctl reset; ctl "set?mode=reset&count=2&after=2000000"
pull_case reset "$T/r-reset"
check "two connection resets mid-blob: the pull succeeds" test $? -eq 0
ranges=$(curl -fsS "http://$P/__proxy/stats" | jq -r '[.ranges[] | select(startswith("bytes="))] | join(" ")')
diag "Range requests after the resets: $ranges"
check "…and resumed with Range requests from where the bytes stopped" \
    sh -c "echo '$ranges' | grep -Eq 'bytes=[1-9][0-9]{5,}-'"
check "…and reported the retries as progress events" grep -q '"phase":"retry"' "$T/reset"

ctl "set?mode=status&code=503&count=2"
pull_case s503 "$T/r-503"
check "503 twice: retried, the pull succeeds" test $? -eq 0

ctl "set?mode=status&code=429&retry_after=1&count=1"
pull_case s429 "$T/r-429"
check "429 with Retry-After: 1: waited, the pull succeeds" sh -c "test $? -eq 0 && grep -q 'retrying in 1.0 s' '$T/s429'"

ctl "set?mode=stall&after=3000000&seconds=20&count=1"
pull_case stall "$T/r-stall"
check "a stalled transfer is detected (low-speed limit) and resumed" sh -c "test $? -eq 0 && grep -q '\"phase\":\"retry\"' '$T/stall'"

ctl "set?mode=trickle&chunk=65536&delay=0.01&count=1"
pull_case trickle "$T/r-trickle"
check "a trickling server (64 KiB every 10 ms) still completes" test $? -eq 0

ctl "set?mode=status&code=500&count=-1"
pull_case s500 "$T/r-500"
rc=$?
ctl "set?mode=none"
check "a registry that keeps failing ends in a network error after retries" \
    sh -c "test $rc -eq 1 && grep -q BERTH_ENETWORK '$T/s500' && grep -q 'HTTP 500' '$T/s500.err'"
check "…and leaves no blob of the layer in the store" test ! -e "$T/r-500/blobs/sha256/${BIGLAYER#sha256:}"

# ---- bit flips: never a corrupt byte in the store ----
ctl "set?mode=flip&after=1234567&count=-1"
pull_case flip "$T/r-flip"
rc=$?
ctl "set?mode=none"
check "a flipped bit fails the pull with BERTH_EDIGEST" sh -c "test $rc -eq 1 && grep -q '\"code\":\"BERTH_EDIGEST\"' '$T/flip'"
check "…the message names the layer's digest" grep -q "${BIGLAYER#sha256:}" "$T/flip.err"
check "…the corrupt layer is not in the store" test ! -e "$T/r-flip/blobs/sha256/${BIGLAYER#sha256:}"
check "…and no corrupt partial is kept" test ! -s "$T/r-flip/ingest/${BIGLAYER#sha256:}.partial"
pull_case flip2 "$T/r-flip"
check "…then a clean pull into the same store succeeds" test $? -eq 0

# ---- manifests altered on the way ----
ctl "set?mode=flip&target=manifests&after=40&count=-1"
pull_case mflip "$T/r-mflip"
rc=$?
ctl "set?mode=none"
check "a manifest altered on the way fails BERTH_EDIGEST (its bytes do not match the registry's digest)" \
    sh -c "test $rc -eq 1 && grep -q BERTH_EDIGEST '$T/mflip'"
check "…and nothing was stored" test -z "$(ls -A "$T/r-mflip/blobs/sha256" 2>/dev/null)"

# ---- kill -9 mid-pull, then resume ----
ctl "set?mode=trickle&chunk=16384&delay=0.02&count=-1"
"$B" --root "$T/r-kill" --json pull "$REF" > "$T/kill" 2>&1 &
kpid=$!
partial="$T/r-kill/ingest/${BIGLAYER#sha256:}.partial"
for i in $(seq 1 200); do
    [ -f "$partial" ] && [ "$(stat -c %s "$partial")" -gt 1500000 ] && break
    sleep 0.05
done
kill -9 $kpid; wait $kpid 2>/dev/null
before=$(stat -c %s "$partial" 2>/dev/null || echo 0)
ctl "set?mode=none"; ctl reset
check "kill -9 mid-pull leaves a partial download (${before} bytes)" test "$before" -gt 1000000
pull_case resumed "$T/r-kill"
check "the next pull succeeds" test $? -eq 0
fetched=$(stat_field blob_bytes)
check "…and fetched fewer bytes than the whole layer ($fetched < $BIGSIZE)" test "$fetched" -lt "$BIGSIZE"
check "…and the layer in the store hashes to its digest" \
    test "$(sha256sum "$T/r-kill/blobs/sha256/${BIGLAYER#sha256:}" | cut -d' ' -f1)" = "${BIGLAYER#sha256:}"

# ---- Ctrl+C: cancels cleanly, keeps the partial ----
ctl "set?mode=trickle&chunk=16384&delay=0.02&count=-1"
"$B" --root "$T/r-int" pull "$REF" > "$T/int" 2>&1 &
ipid=$!
partial="$T/r-int/ingest/${BIGLAYER#sha256:}.partial"
for i in $(seq 1 200); do
    [ -f "$partial" ] && [ "$(stat -c %s "$partial")" -gt 500000 ] && break
    sleep 0.05
done
kill -INT $ipid; wait $ipid; rc=$?
ctl "set?mode=none"
check "SIGINT cancels the pull (exit 130)" test $rc -eq 130
check "…with a message that the download resumes" grep -q "resume" "$T/int"
check "…keeping the partial download" test -s "$partial"
pull_case int2 "$T/r-int"
check "…and the next pull completes it" test $? -eq 0

# ---- two processes, one store, one image ----
# (the store exists already, as it normally does; opening a brand-new root from two processes at
# the same instant is the store's own concern)
"$B" --root "$T/r-two" images > /dev/null
ctl "set?mode=trickle&chunk=65536&delay=0.01&count=-1"
"$B" --root "$T/r-two" --json pull "$REF" > "$T/two-a" 2>&1 &
a=$!
"$B" --root "$T/r-two" --json pull "$REF" > "$T/two-b" 2>&1 &
b=$!
wait $a; ra=$?; wait $b; rb=$?
ctl "set?mode=none"
check "two simultaneous pulls of one image into one store both succeed" test "$ra$rb" = 00
check "…and the store holds one copy of each blob, none partial" \
    sh -c "test \$(ls '$T/r-two/blobs/sha256' | wc -l) -eq 4 && test -z \"\$(ls -A '$T/r-two/ingest')\""

tap_done
