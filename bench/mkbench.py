#!/usr/bin/env python3
"""Deterministic benchmark images, written as OCI image layouts (streamed: memory stays small).

  mkbench.py OUT_DIR big     ≈1 GB uncompressed in 5 layers of mixed content
  mkbench.py OUT_DIR small   ≈40,000 small files in 2 layers

Mixed content per layer: pseudo-random (incompressible) files, text-like (compressible) files
and a sparse-ish zero file, in proportions that resemble real images. Seeded, so every run and
every machine builds the same bytes and digests.
"""
import gzip, hashlib, io, json, os, random, sys, tarfile

EPOCH = 1700000000
WORDS = [b"container", b"layer", b"registry", b"digest", b"manifest", b"windows", b"server",
         b"powershell", b"runtime", b"overlay", b"berth", b"image", b"config", b"index"]


class HashingWriter:
    """Counts and hashes what passes through to the wrapped file."""
    def __init__(self, f):
        self.f, self.h, self.n = f, hashlib.sha256(), 0

    def write(self, b):
        self.h.update(b)
        self.n += len(b)
        return self.f.write(b)

    def flush(self):
        self.f.flush()


def text_blob(rng, size):
    out = bytearray()
    while len(out) < size:
        out += b" ".join(rng.choice(WORDS) for _ in range(12)) + b"\n"
    return bytes(out[:size])


def write_layer(out_dir, entries_fn):
    """Writes one gzip layer; returns (descriptor, diff_id)."""
    tmp = os.path.join(out_dir, "blobs", "sha256", "tmp-layer")
    with open(tmp, "wb") as raw:
        comp = HashingWriter(raw)
        with gzip.GzipFile(fileobj=comp, mode="wb", mtime=0, compresslevel=6) as gz:
            plain = HashingWriter(gz)
            with tarfile.open(fileobj=plain, mode="w|", format=tarfile.PAX_FORMAT) as t:
                for name, data in entries_fn():
                    ti = tarfile.TarInfo(name)
                    ti.mtime = EPOCH
                    if data is None:
                        ti.type, ti.mode = tarfile.DIRTYPE, 0o755
                        t.addfile(ti)
                    else:
                        ti.size, ti.mode = len(data), 0o644
                        t.addfile(ti, io.BytesIO(data))
    digest = comp.h.hexdigest()
    os.rename(tmp, os.path.join(out_dir, "blobs", "sha256", digest))
    return ({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:" + digest,
             "size": comp.n}, "sha256:" + plain.h.hexdigest())


def big_layer(i):
    def entries():
        rng = random.Random(1000 + i)
        yield "data%d" % i, None
        total = 0
        n = 0
        while total < 200 * 1000 * 1000:          # ≈200 MB per layer
            kind = n % 4
            size = rng.randint(256 * 1024, 4 * 1024 * 1024)
            if kind in (0, 1):
                data = rng.randbytes(size)         # incompressible, like binaries and media
            elif kind == 2:
                data = text_blob(rng, size)        # compressible, like scripts and text
            else:
                data = bytes(size)                 # zeros, like padding and sparse files
            yield "data%d/f%05d" % (i, n), data
            total += size
            n += 1
    return entries


def small_layer(i, count):
    def entries():
        rng = random.Random(2000 + i)
        for d in range(count // 500):
            yield "tree%d/d%03d" % (i, d), None
            for f in range(500):
                yield "tree%d/d%03d/f%03d.txt" % (i, d, f), text_blob(rng, rng.randint(200, 4000))
    return entries


def main():
    out, kind = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(out, "blobs", "sha256"), exist_ok=True)
    makers = [big_layer(i) for i in range(5)] if kind == "big" else [small_layer(i, 20000) for i in range(2)]
    layers, diff_ids = [], []
    for m in makers:
        d, diff = write_layer(out, m)
        layers.append(d)
        diff_ids.append(diff)
    config = json.dumps({"architecture": "amd64", "os": "linux", "created": "2023-11-14T22:13:20Z",
                         "config": {"Cmd": ["/bin/sh"]}, "rootfs": {"type": "layers", "diff_ids": diff_ids}},
                        sort_keys=True).encode()
    ch = hashlib.sha256(config).hexdigest()
    open(os.path.join(out, "blobs", "sha256", ch), "wb").write(config)
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                      "digest": "sha256:" + ch, "size": len(config)},
                           "layers": layers}, sort_keys=True).encode()
    mh = hashlib.sha256(manifest).hexdigest()
    open(os.path.join(out, "blobs", "sha256", mh), "wb").write(manifest)
    json.dump({"imageLayoutVersion": "1.0.0"}, open(os.path.join(out, "oci-layout"), "w"))
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
               "digest": "sha256:" + mh, "size": len(manifest),
               "annotations": {"org.opencontainers.image.ref.name": kind}}]},
              open(os.path.join(out, "index.json"), "w"))


if __name__ == "__main__":
    main()
