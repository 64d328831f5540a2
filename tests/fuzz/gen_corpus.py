#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora: gen_corpus.py OUTDIR → OUTDIR/<target>/seed-NNN.
Seeds are generated here, never committed as binaries: references and platforms in the shapes
peers' test tables use (distribution/reference, containerd platforms), OCI/Docker documents,
WWW-Authenticate challenges, and small tars with the entries a hostile layer uses."""
import io
import json
import os
import sys
import tarfile

HEX = "a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4"
DIG = "sha256:" + HEX


def references():
    return [
        "busybox", "busybox:1.36", "library/busybox:latest", "docker.io/library/busybox",
        "index.docker.io/busybox", "mcr.microsoft.com/windows/nanoserver:ltsc2022",
        "localhost/app", "localhost:5000/app:v1", "127.0.0.1:5000/a/b/c:tag",
        "[::1]:5000/app@" + DIG, "[2001:db8::1]/x", "example.com/a.b_c__d-e---f:T_a.g-",
        "app@" + DIG, "app:1@" + DIG, "Uppercase/app", "registry.example.com/UPPER",
        "a" * 256, "a/" * 130 + "a", "x:" + "t" * 129, "app@sha512:" + "a" * 128,
        "app@sha256:" + "A" * 64, HEX, "-app", "app-", "a..b", "a___b", "a//b", "/app", "app/",
        "host:65536/app", "host:/app", "[::1/app", "[]/app", "a:b:c", "app:", "app@", "@",
        ":", "docker.io/library/" + "b" * 237, "foo_bar.com:8080/app", "foo/../bar",
        "xn--bcher-kva.example/app", "1.2.3.4:5/a", "[fe80::1%eth0]:5000/a",
    ]


def platforms():
    return [
        "linux/amd64", "linux/arm64", "linux/arm64/v8", "linux/arm/v7", "linux/armhf",
        "linux/armel", "linux/aarch64", "linux/x86_64", "linux/x86-64", "linux/i386",
        "linux/amd64/v1", "linux/amd64/v3", "linux/arm/7", "linux", "windows",
        "windows/amd64:10.0.20348", "windows/amd64:10.0.17763.5122", "Linux/AMD64",
        "darwin/arm64", "macos/arm64", "linux/ppc64le", "linux/s390x", "linux/riscv64",
        "linux/mips64le", "linux/arm64/v8/x", "windows/amd64:", "windows/amd64:10..0",
        "/amd64", "linux//v7", "linux/" + "a" * 40,
        "windows/amd64:10.0.20348\nwindows/amd64:10.0.17763\nwindows/amd64:10.0.20348.2113\n"
        "windows/amd64:10.0.25398\nlinux/amd64",
        "linux/arm64\nlinux/arm/v7\nlinux/arm64/v8\nlinux/amd64\nlinux/arm/v6",
    ]


def digests():
    return [DIG, "sha256:" + "0" * 64, "sha256:" + HEX.upper(), "sha256:" + HEX[:63],
            "sha256:" + HEX + "0", "sha512:" + "a" * 128, "sha256", "sha256:", ":" + HEX,
            "SHA256:" + HEX, "sha256:" + HEX[:10] + "g" + HEX[11:]]


def desc(mt, size=1234, **kw):
    d = {"mediaType": mt, "digest": DIG, "size": size}
    d.update(kw)
    return d


OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
D_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
D_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
D_CONFIG = "application/vnd.docker.container.image.v1+json"
D_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
D_FOREIGN = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"


def documents():
    docs = [
        {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
            desc(OCI_MANIFEST, platform={"os": "linux", "architecture": "amd64"}),
            desc(OCI_MANIFEST, platform={"os": "linux", "architecture": "arm", "variant": "v7"}),
            desc(OCI_MANIFEST, platform={"os": "windows", "architecture": "amd64",
                                         "os.version": "10.0.20348.2113"}),
            desc(OCI_MANIFEST, platform={"os": "unknown", "architecture": "unknown"},
                 annotations={"vnd.docker.reference.type": "attestation-manifest"})]},
        {"schemaVersion": 2, "mediaType": D_LIST, "manifests": [
            desc(D_MANIFEST, platform={"os": "linux", "architecture": "arm64", "variant": "v8"})]},
        {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": desc(OCI_CONFIG),
         "layers": [desc(OCI_LAYER), desc(OCI_LAYER, size=0)]},
        {"schemaVersion": 2, "mediaType": D_MANIFEST, "config": desc(D_CONFIG),
         "layers": [desc(D_LAYER), desc(D_FOREIGN, urls=["https://example.com/layer"])]},
        {"schemaVersion": 2, "config": desc(OCI_CONFIG), "layers": []},
        {"schemaVersion": 1, "name": "x", "tag": "latest", "fsLayers": [{"blobSum": DIG}]},
        {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": desc(OCI_CONFIG, size=-1), "layers": []},
        {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [DIG, DIG]}},
        {"architecture": "amd64", "os": "windows", "os.version": "10.0.20348.2113",
         "rootfs": {"type": "layers", "diff_ids": [DIG]}},
        {"architecture": "arm", "variant": "v7", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}},
    ]
    out = [json.dumps(d).encode() for d in docs]
    out += [b"[" * 70 + b"]" * 70, b'{"a":' * 70 + b"1" + b"}" * 70, b"null", b"1e400", b'"\\ud800"',
            b'{"a":1}  \n', b'{"a":1} x', b"[1,2,]", b"{'a':1}", b"/* c */ {}", b"NaN", b"-0",
            b'{"size": 9223372036854775807}', b'{"size": 9223372036854775808}', b"\xef\xbb\xbf{}"]
    return out


def challenges():
    return [
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
        'Basic realm="Registry Realm"', 'bearer realm=https://x/token', 'Bearer', 'Basic',
        'Negotiate', 'Bearer realm="a\\"b",error="invalid_token"', 'Bearer realm=""',
        'Bearer service="x"', 'Basic realm="r", Bearer realm="https://t/token"',
        'Bearer realm="https://t/token",service="s", Basic realm="other"', '', '   ', ',,,',
        'Bearer realm="unterminated', 'Bearer realm = "spaced" , scope = "a b"',
        'Bearer ' + 'k=v,' * 50 + 'realm="r"', 'VeryLongSchemeNameHere realm="x"',
    ]


def credentials():
    import base64
    out = [base64.b64encode(x).decode() for x in
           (b"alice:s3cret", b"a:", b":b", b"user:pa:ss", b"x", b"", b"a:b\0c", b"\xff\xfe:\x00")]
    return out + ["====", "A===", "AA==", "AAA=", "YTpi====", "YWxpY2U6czNjcmV0\n", " YTpi", "YTpi ",
                  "alice:s3cret", "Y" * 16384, "\u00e9\u00e9\u00e9\u00e9"]


def tar_bytes(members):
    """members: (TarInfo, data or None). A small tar: only the two end blocks, no padding."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for info, data in members:
            t.addfile(info, io.BytesIO(data) if data is not None else None)
        t.fileobj.write(b"\0" * 1024)
        size = t.offset + 1024
    return buf.getvalue()[:size]


def ti(name, kind=tarfile.REGTYPE, data=b"", **kw):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = kw.pop("mode", 0o644 if kind != tarfile.DIRTYPE else 0o755)
    info.mtime = 1700000000
    for k, v in kw.items():
        setattr(info, k, v)
    if kind == tarfile.REGTYPE:
        info.size = len(data)
        return info, data
    return info, None


def layers():
    L = tarfile
    sets = [
        [ti("etc/", L.DIRTYPE), ti("etc/hostname", data=b"berth\n"), ti("bin/", L.DIRTYPE),
         ti("bin/sh", data=b"#!/bin/sh\n", mode=0o755)],
        [ti("a", data=b"x"), ti("b", L.LNKTYPE, linkname="a"), ti("c", L.SYMTYPE, linkname="a")],
        [ti("d/", L.DIRTYPE), ti("d/.wh.old", data=b""), ti("d/.wh..wh..opq", data=b""), ti("d/new", data=b"n")],
        [ti("../victim/file", data=b"pwned")],
        [ti("/../victim/file", data=b"pwned")],
        [ti("x/../../victim/file", data=b"pwned")],
        [ti("esc", L.SYMTYPE, linkname="../victim"), ti("esc/file", data=b"pwned")],
        [ti("esc", L.SYMTYPE, linkname="/"), ti("esc/tmp/berth-fuzz-pwned", data=b"pwned")],
        [ti("hl", L.LNKTYPE, linkname="../victim/file")],
        [ti("s", L.SYMTYPE, linkname="../victim/file"), ti("h", L.LNKTYPE, linkname="s")],
        [ti("s", L.SYMTYPE, linkname="../victim/file"), ti("s", data=b"pwned")],
        [ti("dir", L.SYMTYPE, linkname=".."), ti("dir/victim/file", data=b"pwned")],
        [ti("a/b", L.SYMTYPE, linkname="../.."), ti("a/b/victim/.wh.file", data=b"")],
        [ti(".wh..", data=b""), ti(".wh...", data=b"")],
        [ti("long/" + "n" * 200 + "/" + "m" * 120, data=b"long")],
        [ti("dev", L.CHRTYPE, devmajor=1, devminor=3), ti("fifo", L.FIFOTYPE)],
        [ti("big", data=b"\0" * 4096), ti("mode", data=b"m", mode=0o4755)],
        [ti("noperm/", L.DIRTYPE, mode=0), ti("noperm/f", data=b"f")],
        [ti("self", L.LNKTYPE, linkname="self")],
        [ti("loop", L.SYMTYPE, linkname="loop"), ti("loop/x", data=b"x")],
        [ti("./.", L.DIRTYPE), ti("", data=b"empty name")],
        [ti("a", data=b"x", pax_headers={"path": "../victim/file"})],
        [ti("a", L.SYMTYPE, linkname="b", pax_headers={"linkpath": "../victim/file"}), ti("a", L.LNKTYPE, linkname="../victim/file")],
        # Windows layers: Files/ and Hives/, MSWINDOWS.* PAX records (the shadow reader's input)
        [ti("Files", L.DIRTYPE), ti("Hives", L.DIRTYPE),
         ti("Files/Windows/System32/drivers/etc/hosts", data=b"127.0.0.1 localhost\r\n",
            pax_headers={"MSWINDOWS.fileattr": "32", "MSWINDOWS.rawsd": "AQAEgBQAAAAkAAAAAAAAADAAAAA="}),
         ti("Hives/DefaultUser_Delta", data=b"regf", pax_headers={"MSWINDOWS.fileattr": "2"}),
         ti("UtilityVM/Files/EFI", L.DIRTYPE, pax_headers={"MSWINDOWS.fileattr": "16"})],
        [ti("Files", L.DIRTYPE, pax_headers={"MSWINDOWS.fileattr": "16"}),
         ti("Files/link", L.SYMTYPE, linkname="C:\\Windows", pax_headers={"MSWINDOWS.mountpoint": "1"}),
         ti("Files/.wh.gone", data=b""), ti("Files/NUL.txt", data=b"x"), ti("Files/a:b", data=b"x"),
         ti("Files\\..\\..\\victim\\file", data=b"pwned")],
        [ti("Files/big", data=b"y" * 3000, pax_headers={"MSWINDOWS.fileattr": "x" * 40, "size": "3000"})],
    ]
    out = []
    for i, members in enumerate(sets):
        tb = tar_bytes(members)
        out.append(bytes([0]) + tb)               # whole buffer at once
        out.append(bytes([1 + (i * 37) % 255]) + tb)  # in small chunks
    return out


def dict_text(words):
    """A libFuzzer -dict file: one quoted word a line; backslash, quote and bytes outside
    printable ASCII escaped (\\\\, \\", \\xNN)."""
    lines = []
    for w in words:
        b = w.encode() if isinstance(w, str) else w
        q = "".join("\\\\" if c == 0x5c else '\\"' if c == 0x22 else chr(c) if 0x20 <= c < 0x7f
                    else "\\x%02X" % c for c in b)
        lines.append('"%s"\n' % q)
    return "".join(lines)


def dictionaries():
    """libFuzzer -dict files: the words a mutation would take long to invent."""
    doc = ["mediaType", "digest", "size", "manifests", "layers", "config", "platform", "os",
           "architecture", "variant", "os.version", "os.features", "urls", "schemaVersion",
           "annotations", "rootfs", "diff_ids", "type", "subject", "artifactType", "data",
           OCI_INDEX, OCI_MANIFEST, OCI_CONFIG, OCI_LAYER, D_LIST, D_MANIFEST, D_CONFIG, D_LAYER,
           D_FOREIGN, DIG, "sha256:", "linux", "windows", "amd64", "arm64", "v7", "10.0.20348",
           "{", "}", "[", "]", ":", ",", "null", "true", "1e999", "-0", "\\u0000", "\\ud800"]
    ref = ["docker.io/", "library/", "localhost:5000/", "[::1]:", "@sha256:", ":latest", "__", "--",
           "..", "index.docker.io", "/", ":", "@"]
    plat = ["linux/", "windows/", "/amd64", "/arm64", "/arm/v7", "armhf", "aarch64", "x86_64", "i386",
            ":10.0.20348", "(10.0.17763)", "/v8"]
    chal = ["Bearer ", "Basic ", "realm=", "service=", "scope=", "error=", '"', ",", "\\"]
    tar = [b"ustar\x0000", b"ustar  \x00", "././@PaxHeader", "path=", "linkpath=", "MSWINDOWS.fileattr=",
           "MSWINDOWS.rawsd=", "MSWINDOWS.mountpoint=", "size=", ".wh.", ".wh..wh..opq", "../", "Files/",
           "Hives/", "UtilityVM/", "SCHILY.xattr.", "GNU.sparse."]
    return {"json": dict_text(doc), "manifest": dict_text(doc), "reference": dict_text(ref),
            "platform": dict_text(plat), "challenge": dict_text(chal), "layer_apply": dict_text(tar),
            "layer_store": dict_text(tar)}


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    corpora = {
        "reference": [s.encode() for s in references()],
        "platform": [s.encode() for s in platforms()],
        "digest": [s.encode() for s in digests()],
        "json": documents(),
        "manifest": [bytes([i]) + d for d in documents() for i in range(5)],
        "challenge": [s.encode() for s in challenges()],
        "credentials": [s.encode() for s in credentials()],
        "layer_apply": layers(),
        "layer_store": layers(),
    }
    for target, text in dictionaries().items():
        with open(os.path.join(outdir, target + ".dict"), "w") as f:
            f.write(text)
    for target, seeds in corpora.items():
        d = os.path.join(outdir, target)
        os.makedirs(d, exist_ok=True)
        for i, s in enumerate(seeds):
            with open(os.path.join(d, "seed-%03d" % i), "wb") as f:
                f.write(s)


if __name__ == "__main__":
    main()
