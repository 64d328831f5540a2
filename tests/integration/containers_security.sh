#!/usr/bin/env bash
# Container security and volumes with real runc: Berth's default seccomp profile, custom
# profiles (Docker's format and the OCI shape), --cap-add/--cap-drop, no-new-privileges,
# --privileged, AppArmor refusal, and named/anonymous volumes filled from the image on first
# use. The busybox-static image is built by tests/lib/mkimage.py, pushed to a loopback
# docker-registry on a free port and pulled with `berth pull`.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
. tests/lib/registry.sh

BERTH=$PWD/build/berth
if [ "$(id -u)" != 0 ] || ! command -v runc >/dev/null || ! command -v skopeo >/dev/null; then
    skip "container security" "needs root, runc and skopeo"; tap_done; exit 0
fi
[ -x "$BERTH" ] || make -s -j2 all >/dev/null
WORK=$(mktemp -d /tmp/berth-security-XXXXXX)
ROOT=$WORK/root
cleanup() {
    for id in $("$BERTH" --root "$ROOT" ps -aq 2>/dev/null); do "$BERTH" --root "$ROOT" rm -f "$id" >/dev/null 2>&1; done
    registry_stop S >/dev/null 2>&1
    for m in $(awk -v r="$WORK" '$2 ~ "^"r {print $2}' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT
b() { "$BERTH" --root "$ROOT" "$@"; }

# ---- the image: busybox plus a layer with /seed (owners, modes, a symlink, a sub folder)
# and an image-declared volume /anon with a file in it ----
python3 tests/lib/mkimage.py "$WORK/oci" --tag v1 --busybox --cmd '["sh"]' >/dev/null
python3 - "$WORK/oci" <<'PY'
import gzip, hashlib, io, json, os, sys, tarfile
root = sys.argv[1]
def blob(d): return os.path.join(root, "blobs", "sha256", d.split(":")[1])
def put(data):
    d = hashlib.sha256(data).hexdigest()
    open(os.path.join(root, "blobs", "sha256", d), "wb").write(data)
    return "sha256:" + d, len(data)
bio = io.BytesIO()
with tarfile.open(fileobj=bio, mode="w", format=tarfile.PAX_FORMAT) as t:
    def add(name, kind, mode, uid=0, gid=0, data=b"", link=""):
        ti = tarfile.TarInfo(name); ti.mode = mode; ti.uid = uid; ti.gid = gid; ti.mtime = 1700000000
        if kind == "dir": ti.type = tarfile.DIRTYPE; t.addfile(ti)
        elif kind == "link": ti.type = tarfile.SYMTYPE; ti.linkname = link; t.addfile(ti)
        else: ti.size = len(data); t.addfile(ti, io.BytesIO(data))
    add("seed", "dir", 0o750, 1000, 1000)
    add("seed/hello.txt", "file", 0o640, 1000, 1001, b"hello-from-image\n")
    add("seed/link", "link", 0o777, link="hello.txt")
    add("seed/sub", "dir", 0o700, 1000, 1000)
    add("seed/sub/deep.txt", "file", 0o600, 1000, 1000, b"deep\n")
    add("anon", "dir", 0o755)
    add("anon/a.txt", "file", 0o644, data=b"anonymous-seed\n")
raw = bio.getvalue()
gz = gzip.compress(raw, mtime=0)
idx = json.load(open(os.path.join(root, "index.json")))
mdesc = idx["manifests"][0]
man = json.load(open(blob(mdesc["digest"])))
cfg = json.load(open(blob(man["config"]["digest"])))
ld, ls = put(gz)
man["layers"].append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": ld, "size": ls})
cfg["rootfs"]["diff_ids"].append("sha256:" + hashlib.sha256(raw).hexdigest())
cfg["config"]["Volumes"] = {"/anon": {}}
man["config"]["digest"], man["config"]["size"] = put(json.dumps(cfg).encode())
mdesc["digest"], mdesc["size"] = put(json.dumps(man).encode())
json.dump(idx, open(os.path.join(root, "index.json"), "w"))
PY
if registry_start S && skopeo copy --quiet --dest-tls-verify=false "oci:$WORK/oci:v1" "docker://$REG_S_ADDR/test/secbox:v1" >/dev/null 2>&1 \
    && b pull "$REG_S_ADDR/test/secbox:v1" >/dev/null 2>"$WORK/pull.err"; then
    IMG="$REG_S_ADDR/test/secbox:v1"
    ok "pulled the test image from the loopback registry"
else
    not_ok "pull the test image"; sed 's/^/#   /' "$WORK/pull.err"; tap_done; exit 1
fi
R() { b run --rm --network none "$@"; }

# ---- the default seccomp profile ----
out=$(R "$IMG" sh -c 'grep "^Seccomp:" /proc/self/status | tr -d "\t "; mkdir /tmp/d && echo made; ls / >/dev/null && echo listed')
if [ "$out" = "$(printf 'Seccomp:2\nmade\nlisted')" ]; then ok "default: a seccomp filter is on and normal commands work"
else not_ok "default profile: [$out]"; fi
out=$(R "$IMG" sh -c 'unshare -U true 2>&1; echo rc=$?')
case "$out" in *"Operation not permitted"*rc=1) ok "default: unshare -U (a new user namespace) fails with EPERM";; *) not_ok "unshare -U: [$out]";; esac
out=$(R "$IMG" sh -c 'mount -t tmpfs t /tmp 2>&1; echo rc=$?; swapoff /x 2>&1; echo rc=$?')
case "$out" in *"permission denied"*rc=[1-9]*"Operation not permitted"*rc=[1-9]*) ok "default: mount and swapoff fail with EPERM";;
    *) not_ok "mount/swapoff: [$out]";; esac
out=$(R "$IMG" linux32 uname -m)
if [ "$out" = i686 ] || [ "$(uname -m)" != x86_64 ]; then ok "default: harmless personality values (PER_LINUX32) still work"; else not_ok "linux32: [$out]"; fi
out=$(R --security-opt seccomp=unconfined "$IMG" sh -c 'grep "^Seccomp:" /proc/self/status | tr -d "\t "; unshare -U true && echo unshared')
if [ "$out" = "$(printf 'Seccomp:0\nunshared')" ]; then ok "seccomp=unconfined: no filter, unshare -U works"
else not_ok "unconfined: [$out]"; fi
out=$(R --cap-add SYS_ADMIN "$IMG" sh -c 'grep "^Seccomp:" /proc/self/status | tr -d "\t "; mount -t tmpfs t /tmp && echo mounted')
if [ "$out" = "$(printf 'Seccomp:2\nmounted')" ]; then ok "--cap-add SYS_ADMIN lifts the profile's mount group (the filter stays)"
else not_ok "cap-add SYS_ADMIN mount: [$out]"; fi

# ---- custom profiles ----
cat > "$WORK/nomkdir.json" <<'J'
{"defaultAction": "SCMP_ACT_ALLOW",
 "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
             {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}],
 "syscalls": [
   {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "comment": "no new folders"},
   {"names": ["rmdir"], "action": "SCMP_ACT_ERRNO", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
   {"names": ["chdir"], "action": "SCMP_ACT_ERRNO", "excludes": {"caps": ["CAP_CHOWN"]}}
 ]}
J
out=$(R --security-opt seccomp="$WORK/nomkdir.json" "$IMG" sh -c 'mkdir /tmp/x 2>&1; echo rc=$?; touch /tmp/f && echo touched; cd /tmp && echo cd')
case "$out" in *"Operation not permitted"*"rc=1"*touched*cd) ok "Docker-format profile: mkdir fails with EPERM, the rest works (includes/excludes applied)";;
    *) not_ok "custom profile: [$out]";; esac
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}' > "$WORK/oci.json"
out=$(R --security-opt seccomp="$WORK/oci.json" "$IMG" sh -c 'mkdir /tmp/x 2>/dev/null; echo rc=$?')
if [ "$out" = rc=1 ]; then ok "OCI-shape profile applies"; else not_ok "OCI profile: [$out]"; fi
before=$(b ps -aq | wc -l)
printf '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_EXPLODE"}]}' > "$WORK/bad.json"
b run --rm --security-opt seccomp="$WORK/bad.json" "$IMG" true 2>"$WORK/err"; rc=$?
if [ $rc -eq 125 ] && grep -q "bad.json" "$WORK/err" && grep -q "SCMP_ACT_EXPLODE" "$WORK/err" && [ "$(b ps -aq | wc -l)" = "$before" ]; then
    ok "malformed profile: exit 125, the file and the problem named, nothing created"
else not_ok "bad profile: rc=$rc $(cat "$WORK/err")"; fi
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [' > "$WORK/trunc.json"
b create --security-opt seccomp="$WORK/trunc.json" "$IMG" true 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -q "trunc.json" "$WORK/err" && [ "$(b ps -aq | wc -l)" = "$before" ]; then ok "truncated profile refused by name"
else not_ok "truncated profile: rc=$rc $(cat "$WORK/err")"; fi
head -c 2000000 /dev/zero | tr '\0' ' ' > "$WORK/huge.json"
b create --security-opt seccomp="$WORK/huge.json" "$IMG" true 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -q "larger than" "$WORK/err"; then ok "a 2 MB profile is refused"; else not_ok "huge profile: rc=$rc $(cat "$WORK/err")"; fi
b create --security-opt seccomp="$WORK/none.json" "$IMG" true 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -q "none.json" "$WORK/err"; then ok "missing profile file named"; else not_ok "missing profile: rc=$rc $(cat "$WORK/err")"; fi
b create --security-opt seccomp-ish=1 "$IMG" true 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -q "seccomp-ish" "$WORK/err"; then ok "unknown --security-opt refused"; else not_ok "unknown option: rc=$rc"; fi

# ---- capabilities ----
out=$(R "$IMG" sh -c 'chown 1:1 /tmp && echo chowned')
out2=$(R --cap-drop CHOWN "$IMG" sh -c 'chown 1:1 /tmp 2>&1; echo rc=$?')
case "$out/$out2" in "chowned/"*"Operation not permitted"*rc=1) ok "--cap-drop CHOWN makes chown fail (it works by default)";; *) not_ok "cap-drop: [$out] [$out2]";; esac
out=$(R "$IMG" sh -c 'ip link set lo down 2>&1; echo rc=$?')
out2=$(R --cap-add cap_net_admin "$IMG" sh -c 'ip link set lo down && ip link show lo | grep -c UP')
case "$out/$out2" in *"not permitted"*rc=[1-9]*/0) ok "--cap-add NET_ADMIN lets ip link set lo down work (it fails by default)";; *) not_ok "cap-add: [$out] [$out2]";; esac
b create --cap-add NET_ADMINN "$IMG" true 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -q 'unknown capability "NET_ADMINN"' "$WORK/err"; then ok "unknown capability refused by name"; else not_ok "bad cap: rc=$rc $(cat "$WORK/err")"; fi
out=$(R --cap-drop ALL "$IMG" sh -c 'grep ^CapEff /proc/self/status | tr -d "\t"')
if [ "$out" = CapEff:0000000000000000 ]; then ok "--cap-drop ALL: no capabilities"; else not_ok "cap-drop ALL: [$out]"; fi

# ---- no-new-privileges, privileged, AppArmor ----
out=$(R --security-opt no-new-privileges "$IMG" grep ^NoNewPrivs /proc/self/status | tr -d '\t')
out2=$(R "$IMG" grep ^NoNewPrivs /proc/self/status | tr -d '\t')
if [ "$out/$out2" = "NoNewPrivs:1/NoNewPrivs:0" ]; then ok "no-new-privileges sets NoNewPrivs (off by default, like docker)"; else not_ok "nnp: [$out] [$out2]"; fi
host_bnd=$(awk '/^CapBnd/ {print $2}' /proc/self/status)
out=$(R --privileged "$IMG" sh -c 'grep -E "^(CapEff|Seccomp):" /proc/self/status | tr -d "\t" | tr "\n" " "; ls /dev | wc -l')
ndev=$(R "$IMG" ls /dev | wc -l)
case "$out" in "CapEff:$host_bnd Seccomp:0 "*)
        if [ "${out##* }" -gt "$ndev" ]; then ok "--privileged: every capability the engine holds ($host_bnd), no seccomp, host devices (${out##* } vs $ndev)"
        else not_ok "privileged devices: ${out##* } vs $ndev"; fi;;
    *) not_ok "privileged: [$out] want CapEff:$host_bnd";; esac
if [ -e /sys/module/apparmor ] && grep -q Y /sys/module/apparmor/parameters/enabled 2>/dev/null; then
    skip "AppArmor refusal" "AppArmor is enabled on this host"
else
    b create --security-opt apparmor=my-profile "$IMG" true 2>"$WORK/err"; rc=$?
    if [ $rc -ne 0 ] && grep -q "AppArmor is not enabled on this host" "$WORK/err"; then ok "apparmor=NAME refused: AppArmor is not enabled"
    else not_ok "apparmor: rc=$rc $(cat "$WORK/err")"; fi
fi
out=$(R --security-opt apparmor=unconfined "$IMG" echo fine)
if [ "$out" = fine ]; then ok "apparmor=unconfined accepted"; else not_ok "apparmor=unconfined: [$out]"; fi
out=$(R "$IMG" grep -c " /proc/sys " /proc/self/mountinfo)
out2=$(R --security-opt systempaths=unconfined "$IMG" grep -c " /proc/sys " /proc/self/mountinfo)
if [ "$out" = 1 ] && [ "$out2" = 0 ]; then ok "systempaths=unconfined drops the read-only /proc/sys (there by default)"; else not_ok "systempaths: [$out] [$out2]"; fi
id=$(b create --cap-add NET_ADMIN --cap-drop chown --security-opt no-new-privileges --security-opt seccomp="$WORK/oci.json" "$IMG" true)
b container inspect "$id" > "$WORK/inspect.json" 2>"$WORK/err"
if python3 - "$WORK/inspect.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
if isinstance(d, list): d = d[0]
s = d["config"]["security"]
assert "CAP_NET_ADMIN" in s["capabilities"] and "CAP_CHOWN" not in s["capabilities"], s
assert s["seccomp"] == "custom" and s["seccomp_profile"]["syscalls"][0]["names"] == ["mkdir", "mkdirat"], s
assert s["no_new_privileges"] is True and s["privileged"] is False, s
PY
then ok "inspect shows the effective security options"; else not_ok "inspect: $(head -c 600 "$WORK/inspect.json") $(cat "$WORK/err")"; fi
b rm "$id" >/dev/null

# ---- volumes filled from the image ----
out=$(R -v seeded:/seed "$IMG" sh -c 'cat /seed/hello.txt /seed/sub/deep.txt; readlink /seed/link; stat -c "%u:%g %a" /seed /seed/hello.txt /seed/sub')
want=$(printf 'hello-from-image\ndeep\nhello.txt\n1000:1000 750\n1000:1001 640\n1000:1000 700')
if [ "$out" = "$want" ]; then ok "a new named volume gets the image's files (content, symlink, owners, modes)"
else not_ok "seeded volume: [$out]"; fi
R -v seeded:/seed "$IMG" sh -c 'rm /seed/hello.txt; echo mine > /seed/user.txt'
out=$(R -v seeded:/seed "$IMG" sh -c 'ls /seed | tr "\n" " "')
if [ "$out" = "link sub user.txt " ]; then ok "second use keeps the user's changes (not filled again)"; else not_ok "reuse: [$out]"; fi
out=$(R -v other:/elsewhere "$IMG" sh -c 'ls -A /elsewhere | wc -l')
if [ "$out" = 0 ]; then ok "a volume at a path the image does not have stays empty"; else not_ok "no-path volume: [$out]"; fi
out=$(R -v empty:/seed:nocopy "$IMG" sh -c 'ls -A /seed | wc -l')
if [ "$out" = 0 ] && [ -z "$(ls -A "$ROOT/volumes/empty/_data")" ]; then ok ":nocopy leaves the new volume empty"; else not_ok "nocopy: [$out]"; fi
out=$(R -v empty:/seed:ro "$IMG" sh -c 'cat /seed/hello.txt')
if [ "$out" = hello-from-image ]; then ok "the same volume without nocopy (still empty) is filled on its next use; :ro works"; else not_ok "fill after nocopy: [$out]"; fi
mkdir "$WORK/bind"
out=$(R -v "$WORK/bind:/seed" "$IMG" sh -c 'ls -A /seed | wc -l')
if [ "$out" = 0 ] && [ -z "$(ls -A "$WORK/bind")" ]; then ok "a bind mount is never filled from the image"; else not_ok "bind: [$out]"; fi
out=$(R "$IMG" cat /anon/a.txt)
if [ "$out" = anonymous-seed ]; then ok "the image's declared volume (anonymous) is filled from the image"; else not_ok "anonymous volume: [$out]"; fi
b run --rm --network none -v "x:/seed:sideways" "$IMG" true 2>"$WORK/err"; rc=$?
if [ $rc -ne 0 ] && grep -q 'unknown option "sideways"' "$WORK/err"; then ok "unknown volume option refused"; else not_ok "volume option: rc=$rc"; fi

# ---- nothing left behind ----
for id in $(b ps -aq); do b rm -f "$id" >/dev/null; done
left=$(awk -v r="$ROOT" '$2 ~ "^"r {print $2}' /proc/mounts)
if [ -z "$left" ]; then ok "no mounts left under the store"; else not_ok "mounts left: $left"; fi
tap_done
