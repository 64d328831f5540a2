#!/usr/bin/env python3
"""Hostile and odd image archives for Berth's load tests, generated at test time from a good
docker-archive (as `berth save` or `docker save` write it). Nothing is downloaded.

  mkarchive.py GOOD.tar OUT_DIR

writes OUT_DIR/<case>.tar for every case below and prints "<case> <expected BERTH_E code>" lines.
"""
import gzip, hashlib, io, json, os, sys, tarfile

EPOCH = 1700000000


def read_good(path):
    files = {}
    with tarfile.open(path) as t:
        for m in t.getmembers():
            if m.isfile():
                files[m.name] = t.extractfile(m).read()
    return files


def add(t, name, data=b"", kind="file", link=None, size=None):
    ti = tarfile.TarInfo(name)
    ti.mtime = EPOCH
    ti.mode = 0o644
    if kind == "file":
        ti.size = len(data) if size is None else size
        t.addfile(ti, io.BytesIO(data))
    elif kind == "symlink":
        ti.type = tarfile.SYMTYPE
        ti.linkname = link
        t.addfile(ti)
    elif kind == "hardlink":
        ti.type = tarfile.LNKTYPE
        ti.linkname = link
        t.addfile(ti)
    elif kind == "chr":
        ti.type = tarfile.CHRTYPE
        ti.devmajor, ti.devminor = 1, 3
        t.addfile(ti)


def write(out, case, entries, expect):
    path = os.path.join(out, case + ".tar")
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as t:
        for e in entries:
            add(t, *e[:2], **(e[2] if len(e) > 2 else {}))
    print(case, expect)
    return path


def main():
    good, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    f = read_good(good)
    man = json.loads(f["manifest.json"])
    cfg_name = man[0]["Config"]
    layers = man[0]["Layers"]
    cfg = json.loads(f[cfg_name])

    def base(skip=(), extra_manifest=None):
        ents = [(n, d) for n, d in f.items() if n not in skip and n != "manifest.json"]
        ents.append(("manifest.json", json.dumps(extra_manifest if extra_manifest is not None else man).encode()))
        return ents

    # A good variant: layers gzip-compressed (docker load and skopeo accept these too).
    m = json.loads(json.dumps(man))
    extra = []
    for i, l in enumerate(layers):
        m[0]["Layers"][i] = "gz%d/layer.tar.gz" % i
        extra.append((m[0]["Layers"][i], gzip.compress(f[l], mtime=0)))
    write(out, "gzip_layers", [(n, d) for n, d in base(skip=tuple(layers), extra_manifest=m)] + extra, "OK")
    # Names that climb out, or are absolute.
    write(out, "traversal_entry", base() + [("../escaped.txt", b"x")], "BERTH_EUNSAFE")
    write(out, "absolute_entry", base() + [("/tmp/berth-absolute-escape.txt", b"x")], "BERTH_EUNSAFE")
    m = json.loads(json.dumps(man)); m[0]["Layers"][0] = "../../etc/passwd"
    write(out, "traversal_in_manifest", base(extra_manifest=m), "BERTH_EUNSAFE")
    # Links that point outside the archive.
    m = json.loads(json.dumps(man)); m[0]["Layers"][0] = "evil/layer.tar"
    write(out, "symlink_absolute", base() + [("evil/layer.tar", b"", {"kind": "symlink", "link": "/etc/passwd"})],
          "BERTH_EUNSAFE")
    write(out, "symlink_climbs", base(extra_manifest=m) + [("evil/layer.tar", b"", {"kind": "symlink", "link": "../../x"})],
          "BERTH_EUNSAFE")
    write(out, "device_entry", base() + [("dev-null", b"", {"kind": "chr"})], "BERTH_EUNSAFE")
    write(out, "duplicate_entry", base() + [(layers[0], b"other bytes")], "BERTH_EUNSAFE")
    # Content that does not match its digests.
    bad = bytearray(f[layers[0]]); bad[600] ^= 0x01
    write(out, "layer_digest_mismatch", [(n, bytes(bad) if n == layers[0] else d) for n, d in base()], "BERTH_EDIGEST")
    gz = gzip.compress(f[layers[0]][:-1024] + b"\0" * 1024 + b"junk", mtime=0)
    m = json.loads(json.dumps(man)); m[0]["Layers"][0] = "gz/layer.tar"
    write(out, "gzip_layer_diffid_mismatch", base(extra_manifest=m) + [("gz/layer.tar", gz)], "BERTH_EDIGEST")
    # Missing pieces.
    write(out, "missing_layer", base(skip=(layers[-1],)), "BERTH_ENOTFOUND")
    write(out, "missing_config", base(skip=(cfg_name,)), "BERTH_ENOTFOUND")
    write(out, "no_manifest", [(n, d) for n, d in f.items() if n != "manifest.json"], "BERTH_EINVAL")
    c2 = dict(cfg); c2["rootfs"] = dict(cfg["rootfs"]); c2["rootfs"]["diff_ids"] = cfg["rootfs"]["diff_ids"][:-1]
    c2b = json.dumps(c2).encode(); c2n = hashlib.sha256(c2b).hexdigest() + ".json"
    m = json.loads(json.dumps(man)); m[0]["Config"] = c2n
    write(out, "diffid_count_mismatch", base(extra_manifest=m) + [(c2n, c2b)], "BERTH_EINVAL")
    write(out, "manifest_not_json", base(extra_manifest=None)[:-1] + [("manifest.json", b"[{not json")], "BERTH_EINVAL")
    m = json.loads(json.dumps(man)); m[0]["RepoTags"] = ["Bad Name:tag"]
    write(out, "bad_repo_tag", base(extra_manifest=m), "BERTH_EINVAL")
    # Absurd sizes: a header that declares 200 GiB, and a 9 MiB manifest.json.
    p = os.path.join(out, "absurd_size.tar")
    with open(p, "wb") as fh:
        ti = tarfile.TarInfo("huge.bin"); ti.size = 200 << 30; ti.mtime = EPOCH
        fh.write(ti.tobuf(format=tarfile.PAX_FORMAT))
        fh.write(b"\0" * 4096)
    print("absurd_size BERTH_EUNSAFE")
    write(out, "huge_manifest", base(extra_manifest=None)[:-1] + [("manifest.json", b"[" + b" " * (9 << 20) + b"]")],
          "BERTH_EINVAL")
    # Not an archive at all; a truncated one.
    with open(os.path.join(out, "not_a_tar.tar"), "wb") as fh:
        fh.write(os.urandom(4096))
    print("not_a_tar BERTH_EINVAL")
    with open(good, "rb") as fh:
        data = fh.read()
    with open(os.path.join(out, "truncated.tar"), "wb") as fh:
        fh.write(data[: len(data) // 2 + 100])
    print("truncated BERTH_EINVAL")


if __name__ == "__main__":
    main()
