#!/usr/bin/env bash
# `berth hcs-plan` on a Linux host: the HCS documents a Windows host would receive, through the
# public berth_hcs_plan call, compared with the hcsshim-shaped references in tests/fixtures/hcs
# (the same comparison the unit tests make on the builder, here through flag parsing and JSON
# in and out), and the refusals an administrator would meet.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
BERTH=build/berth
[ -x "$BERTH" ] || make -s all >/dev/null
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# compare FILE_GOT KEY FIXTURE: got[KEY] equals the fixture as a JSON value (key order free).
compare() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    got = got[k]
want = json.load(open(sys.argv[3]))
if got != want:
    print("# got:  " + json.dumps(got, sort_keys=True))
    print("# want: " + json.dumps(want, sort_keys=True))
    sys.exit(1)
PY
}

L='C:\ProgramData\berth\layers'
if $BERTH --root 'C:\ProgramData\berth' hcs-plan --id 0123abcd --hostname web \
     --layer "$L\\a1b2base" --layer "$L\\c3d4mid" --layer "$L\\e5f6top" \
     -v 'C:\data:C:\data:ro' -v 'logs:C:\logs' -v '\\.\pipe\docker_engine:\\.\pipe\docker_engine' \
     --memory 512m --cpus 2 --host-processors 8 -p 8080:80 -p 127.0.0.1:5353:53/udp \
     -e 'PATH=C:\Windows\system32;C:\Windows' -e EMPTY= -e GREETING=hi=there -w 'C:\app' -u ContainerUser -t -i \
     -- cmd /S /C 'echo "hello world" > C:\logs\out.txt' > "$tmp/full.json" 2> "$tmp/err"; then
  ok "hcs-plan builds the documents of a process-isolated container on Linux"
else not_ok "hcs-plan failed: $(cat "$tmp/err")"; fi
check "process document equals the hcsshim-shaped reference" compare "$tmp/full.json" process tests/fixtures/hcs/process-full.process.json
check "HNS namespace document equals the reference" compare "$tmp/full.json" network.namespace tests/fixtures/hcs/process-full.namespace.json
# The dry run knows neither the scratch volume nor the NAT network's id: those two keys differ
# from the reference (which has a host's values); everything else must match.
python3 - "$tmp/full.json" tests/fixtures/hcs/process-full.compute_system.json > "$tmp/cs.out" <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))["compute_system"]
want = json.load(open(sys.argv[2]))
got["Container"]["Storage"].pop("Path"); want["Container"]["Storage"].pop("Path")
sys.exit(0 if got == want else 1)
PY
if [ $? -eq 0 ]; then ok "compute system equals the reference but for the scratch volume"; else not_ok "compute system differs"; fi
check "the dry run's scratch is the container's scratch folder" \
  grep -qF '"Path": "C:\\ProgramData\\berth\\containers\\0123abcd\\scratch"' "$tmp/full.json"

if $BERTH hcs-plan --isolation hyperv --id 4567cdef --hostname builder --layer "$L\\a1b2base" --layer "$L\\e5f6top" \
     -v 'C:\src:C:\src:ro' --memory 2g --cpus 1.5 --network none -- powershell -Command 'Get-ChildItem C:\src\' \
     > "$tmp/hv.json" 2> "$tmp/err"; then
  ok "hcs-plan builds the documents of a Hyper-V isolated container"
else not_ok "hcs-plan --isolation hyperv failed: $(cat "$tmp/err")"; fi
check "utility VM document equals the reference" compare "$tmp/hv.json" utility_vm tests/fixtures/hcs/hyperv.utility_vm.json
check "process command line keeps the trailing backslash" compare "$tmp/hv.json" process tests/fixtures/hcs/hyperv.process.json
# In a utility VM the CPU share is of the VM's processors (2 for --cpus 1.5), not the host's.
python3 - "$tmp/hv.json" tests/fixtures/hcs/hyperv.compute_system.json <<'PY'
import json, sys
got = json.load(open(sys.argv[1]))["compute_system"]; want = json.load(open(sys.argv[2]))
sys.exit(0 if got == want else 1)
PY
if [ $? -eq 0 ]; then ok "hosted container document equals the reference"; else not_ok "hosted container document differs"; fi

# Refusals: each exits 1 or 2 with a message that says what to do.
check_fails "no layer is refused" $BERTH hcs-plan -- cmd
$BERTH hcs-plan -- cmd 2>&1 | grep -q "base layer" && ok "the message asks for the base layer" || not_ok "no base-layer message"
check_fails "an unknown isolation is refused" $BERTH hcs-plan --isolation vm --layer 'C:\l\b' -- cmd
check_fails "a bad port is refused" $BERTH hcs-plan --layer 'C:\l\b' -p 70000:80 -- cmd
check_fails "--network host is refused" $BERTH hcs-plan --layer 'C:\l\b' --network host -- cmd
$BERTH hcs-plan --layer 'C:\l\b' --network host -- cmd 2>&1 | grep -q "nat" && ok "the host-network message names the nat network" || not_ok "host-network message"
check_fails "no command is refused" $BERTH hcs-plan --layer 'C:\l\b'
check_fails "a volume name with a path escape is refused" $BERTH hcs-plan --layer 'C:\l\b' -v '..:C:\x' -- cmd
check_fails "a bad memory size is refused" $BERTH hcs-plan --layer 'C:\l\b' --memory lots -- cmd
check_fails "a memory limit under 1 MiB is refused" $BERTH hcs-plan --layer 'C:\l\b' --memory 1000 -- cmd
$BERTH hcs-plan --layer 'C:\ProgramData\berth\layers\b' --cpus 1.5 -- cmd > "$tmp/dry.json"
grep -q '"Count": 2' "$tmp/dry.json" && ok "without the host's processor count a CPU limit shows as a whole Count" \
  || not_ok "dry-run CPU limit: $(grep -A2 Processor "$tmp/dry.json")"
check_fails "an id with a separator is refused" $BERTH hcs-plan --id '..\x' --layer 'C:\l\b' -- cmd
tap_done
