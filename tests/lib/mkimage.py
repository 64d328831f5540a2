#!/usr/bin/env python3
"""Builds test images as an OCI image layout, deterministically, from files on this machine,
so tests push them with skopeo to a loopback registry. Nothing is downloaded.

  mkimage.py OUT_DIR --tag T [--busybox] [--add SRC:DEST]... [--file DEST=TEXT]...
             [--layers N] [--os linux] [--arch amd64] [--os-version V]
             [--entrypoint JSON] [--cmd JSON] [--env K=V]... [--compression gzip|zstd|none]
  mkimage.py OUT_DIR --index T --from DIR1:TAG1 --from DIR2:TAG2 ...   (multi-platform index)

Each --layers adds one small extra layer (a file /layer-N.txt), so tests get several layers.
The layout's index.json names the image with org.opencontainers.image.ref.name = T, so
`skopeo copy oci:OUT_DIR:T docker://127.0.0.1:PORT/repo:T` pushes it (add --all for an index).
"""
import argparse, gzip, hashlib, io, json, os, subprocess, sys, tarfile

EPOCH = 1700000000  # fixed mtimes keep digests stable between runs


def blob(out, data, media_type):
    d = hashlib.sha256(data).hexdigest()
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(out, "blobs", "sha256", d), "wb") as f:
        f.write(data)
    return {"mediaType": media_type, "digest": "sha256:" + d, "size": len(data)}


def tar_bytes(entries):
    """entries: list of (name, kind, payload, mode) with kind in file/dir/symlink."""
    bio = io.BytesIO()
    with tarfile.open(fileobj=bio, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind, payload, mode in entries:
            ti = tarfile.TarInfo(name)
            ti.mtime = EPOCH
            ti.mode = mode
            if kind == "dir":
                ti.type = tarfile.DIRTYPE
                t.addfile(ti)
            elif kind == "symlink":
                ti.type = tarfile.SYMTYPE
                ti.linkname = payload
                t.addfile(ti)
            else:
                ti.size = len(payload)
                t.addfile(ti, io.BytesIO(payload))
    return bio.getvalue()


def busybox_entries():
    bb = "/bin/busybox"
    with open(bb, "rb") as f:
        data = f.read()
    entries = [("bin", "dir", None, 0o755), ("bin/busybox", "file", data, 0o755),
               ("etc", "dir", None, 0o755), ("tmp", "dir", None, 0o1777),
               ("etc/passwd", "file", b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n", 0o644),
               ("etc/group", "file", b"root:x:0:\nnobody:x:65534:\n", 0o644)]
    applets = subprocess.run([bb, "--list"], capture_output=True, text=True).stdout.split()
    for a in applets:
        if a != "busybox":
            entries.append(("bin/" + a, "symlink", "busybox", 0o777))
    return entries


def compress(data, how):
    if how == "gzip":
        return gzip.compress(data, mtime=0), "application/vnd.oci.image.layer.v1.tar+gzip"
    if how == "zstd":
        return subprocess.run(["zstd", "-q", "-c"], input=data, capture_output=True, check=True).stdout, \
            "application/vnd.oci.image.layer.v1.tar+zstd"
    return data, "application/vnd.oci.image.layer.v1.tar"


def write_layout(out, manifests):
    with open(os.path.join(out, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": manifests}, f)


def build_image(a):
    layer_sets = []
    if a.busybox:
        layer_sets.append(busybox_entries())
    files = []
    for spec in a.add:
        src, dest = spec.split(":", 1)
        with open(src, "rb") as f:
            files.append((dest.lstrip("/"), "file", f.read(), 0o755))
    for spec in a.file:
        dest, text = spec.split("=", 1)
        files.append((dest.lstrip("/"), "file", text.encode(), 0o644))
    if files:
        layer_sets.append(files)
    for i in range(a.layers):
        layer_sets.append([("layer-%d.txt" % (i + 1), "file", ("layer %d of %s\n" % (i + 1, a.tag)).encode(), 0o644)])
    if not layer_sets:
        layer_sets.append([("hello.txt", "file", b"hello from berth tests\n", 0o644)])
    layers, diff_ids = [], []
    for entries in layer_sets:
        raw = tar_bytes(entries)
        diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
        data, mt = compress(raw, a.compression)
        layers.append(blob(a.out, data, mt))
    config = {"architecture": a.arch, "os": a.os, "created": "2023-11-14T22:13:20Z",
              "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + a.env},
              "rootfs": {"type": "layers", "diff_ids": diff_ids},
              "history": [{"created": "2023-11-14T22:13:20Z", "created_by": "berth tests/lib/mkimage.py"}]}
    if a.os_version:
        config["os.version"] = a.os_version
    if a.variant:
        config["variant"] = a.variant
    if a.entrypoint:
        config["config"]["Entrypoint"] = json.loads(a.entrypoint)
    if a.cmd:
        config["config"]["Cmd"] = json.loads(a.cmd)
    cfg = blob(a.out, json.dumps(config, sort_keys=True).encode(), "application/vnd.oci.image.config.v1+json")
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": cfg, "layers": layers}
    m = blob(a.out, json.dumps(manifest, sort_keys=True).encode(), "application/vnd.oci.image.manifest.v1+json")
    m["annotations"] = {"org.opencontainers.image.ref.name": a.tag}
    plat = {"os": a.os, "architecture": a.arch}
    if a.os_version:
        plat["os.version"] = a.os_version
    if a.variant:
        plat["variant"] = a.variant
    m["platform"] = plat
    write_layout(a.out, [m])


def build_index(a):
    entries = []
    for spec in a.from_:
        src, tag = spec.rsplit(":", 1)
        with open(os.path.join(src, "index.json")) as f:
            for m in json.load(f)["manifests"]:
                if m.get("annotations", {}).get("org.opencontainers.image.ref.name") != tag:
                    continue
                os.makedirs(os.path.join(a.out, "blobs", "sha256"), exist_ok=True)
                for name in os.listdir(os.path.join(src, "blobs", "sha256")):
                    dst = os.path.join(a.out, "blobs", "sha256", name)
                    if not os.path.exists(dst):
                        with open(os.path.join(src, "blobs", "sha256", name), "rb") as fi, open(dst, "wb") as fo:
                            fo.write(fi.read())
                e = {k: v for k, v in m.items() if k != "annotations"}
                entries.append(e)
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries}
    i = blob(a.out, json.dumps(index, sort_keys=True).encode(), "application/vnd.oci.image.index.v1+json")
    i["annotations"] = {"org.opencontainers.image.ref.name": a.index}
    write_layout(a.out, [i])


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--tag")
    p.add_argument("--index")
    p.add_argument("--from", dest="from_", action="append", default=[])
    p.add_argument("--busybox", action="store_true")
    p.add_argument("--add", action="append", default=[])
    p.add_argument("--file", action="append", default=[])
    p.add_argument("--layers", type=int, default=0)
    p.add_argument("--os", default="linux")
    p.add_argument("--arch", default="amd64")
    p.add_argument("--variant", default="")
    p.add_argument("--os-version", default="")
    p.add_argument("--entrypoint")
    p.add_argument("--cmd")
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--compression", default="gzip", choices=["gzip", "zstd", "none"])
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.index:
        build_index(a)
    elif a.tag:
        build_image(a)
    else:
        p.error("--tag or --index is required")


if __name__ == "__main__":
    main()
