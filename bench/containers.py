#!/usr/bin/env python3
"""Container benchmarks (run by make bench through bench/run.sh, or alone as root):

1. start overhead: `berth start -a` of a created container (one foreground command that starts
   it and returns its exit status, as `runc run` does), against a bare `runc run` of the same
   bundle (the config.json Berth wrote, the same overlay root file system mounted by hand) — the
   extra cost of the monitor, the overlay mount, the metadata writes and the log. Also
   `berth start` + `berth wait` as two commands. All run `true`; medians of RUNS alternating runs,
   each begun once the previous container's monitor has finished its cleanup (runc delete, unmount;
   after the exit is recorded, so after `start -a` returned) — a start from an idle machine.
2. `berth ps -a` with 1,000 containers in the store (created ones: listing must not touch
   runc), median of 10 runs; `runc list` over an empty state dir is shown as the floor of one
   process start.

Writes its section of bench/RESULTS.md (between the markers below), replacing an older one.
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BERTH = os.path.join(ROOT, "build", "berth")
RUNS = int(os.environ.get("BENCH_START_RUNS", "20"))
N_PS = int(os.environ.get("BENCH_PS_CONTAINERS", "1000"))
BEGIN, END = "<!-- containers:begin -->", "<!-- containers:end -->"


def sh(argv, **kw):
    return subprocess.run(argv, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw).stdout


def timed(argv):
    t0 = time.monotonic()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.monotonic() - t0


def settle(bundle):
    """Waits until the container's previous monitor has finished cleaning up (it holds
    cleanup.lock through runc delete and the unmount), so each timed start begins from an idle
    machine, as the bare runc run (whose own delete is inside its time) does."""
    import fcntl
    with open(os.path.join(bundle, "cleanup.lock"), "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        fcntl.flock(f, fcntl.LOCK_UN)
    time.sleep(0.02)


def make_rootfs(d):
    os.makedirs(os.path.join(d, "bin"))
    os.makedirs(os.path.join(d, "etc"))
    shutil.copy("/bin/busybox", os.path.join(d, "bin", "busybox"))
    for a in ("sh", "true"):
        os.symlink("busybox", os.path.join(d, "bin", a))
    open(os.path.join(d, "etc", "passwd"), "w").write("root:x:0:0:root:/root:/bin/sh\n")


def bench_start(work):
    store = os.path.join(work, "store")
    rootfs = os.path.join(work, "rootfs")
    make_rootfs(rootfs)
    b = [BERTH, "--root", store]
    cid = sh(b + ["create", "--network", "none", "--rootfs", rootfs, "true"]).strip()
    bundle = os.path.join(store, "containers", cid)
    # the bare-runc twin: the same config.json, the same overlay, its own upper/work
    twin = os.path.join(work, "twin")
    for sub in ("rootfs", "upper", "work"):
        os.makedirs(os.path.join(twin, sub))
    cfg = json.load(open(os.path.join(bundle, "config.json")))
    cfg["linux"]["cgroupsPath"] = "/berth-bench/twin"
    json.dump(cfg, open(os.path.join(twin, "config.json"), "w"))
    subprocess.run(["mount", "-t", "overlay", "overlay", "-o",
                    "lowerdir=%s,upperdir=%s/upper,workdir=%s/work" % (rootfs, twin, twin), os.path.join(twin, "rootfs")], check=True)
    runc_root = os.path.join(work, "runc-state")
    attach_t, two_t, runc_t = [], [], []
    try:
        for i in range(RUNS + 2):
            settle(bundle)
            t0 = timed(b + ["start", "-a", cid])
            settle(bundle)
            t1 = timed(b + ["start", cid]) + timed(b + ["wait", cid])
            settle(bundle)
            t2 = timed(["runc", "--root", runc_root, "run", "--bundle", twin, "twin%d" % i])
            if i >= 2:   # two warm-up rounds
                attach_t.append(t0)
                two_t.append(t1)
                runc_t.append(t2)
    finally:
        subprocess.run(["umount", os.path.join(twin, "rootfs")])
        subprocess.run(b + ["rm", "-f", cid], stdout=subprocess.DEVNULL)
    m = statistics.median
    return m(attach_t), m(two_t), m(runc_t)


def bench_ps(work):
    store = os.path.join(work, "ps-store")
    rootfs = os.path.join(work, "rootfs")
    b = [BERTH, "--root", store]
    t0 = time.monotonic()
    for i in range(N_PS):
        sh(b + ["create", "--network", "none", "--rootfs", rootfs, "true"])
    create_s = time.monotonic() - t0
    n = len(sh(b + ["ps", "-aq"]).split())
    assert n == N_PS, "ps -a listed %d of %d containers" % (n, N_PS)
    ps = statistics.median(timed(b + ["ps", "-a"]) for _ in range(10))
    psj = statistics.median(timed(b + ["ps", "-a", "--json"]) for _ in range(10))
    floor = statistics.median(timed(["runc", "--root", os.path.join(work, "empty-runc"), "list"]) for _ in range(10))
    return ps, psj, floor, create_s / N_PS


def main():
    if os.geteuid() != 0:
        print("bench/containers.py: needs root (runc, overlay mounts); skipped")
        return 0
    work = tempfile.mkdtemp(prefix="berth-bench-ctr-")
    try:
        bs, b2, rs = bench_start(work)
        ps, psj, floor, per_create = bench_ps(work)
    finally:
        subprocess.run(["sh", "-c", "for m in $(awk '$2 ~ \"^%s\" {print $2}' /proc/mounts | sort -r); do umount -l $m; done" % work])
        shutil.rmtree(work, ignore_errors=True)
    over = (bs - rs) * 1000
    lines = [
        BEGIN,
        "## Containers (bench/containers.py, %s)" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "",
        "| measure | Berth | peer | ratio | target |",
        "|---|---|---|---|---|",
        "| `start -a` of `true` (median of %d) | %.1f ms | bare `runc run` of the same bundle: %.1f ms | %.2f× (+%.1f ms) | +15 ms |"
        % (RUNS, bs * 1000, rs * 1000, bs / rs, over),
        "| `start` + `wait` of `true`, two commands | %.1f ms | the same `runc run`: %.1f ms | %.2f× (+%.1f ms) | |"
        % (b2 * 1000, rs * 1000, b2 / rs, (b2 - rs) * 1000),
        "| `berth ps -a`, %d containers | %.1f ms | one `runc list` process: %.1f ms | %.1f× | 150 ms |" % (N_PS, ps * 1000, floor * 1000, ps / floor),
        "| `berth ps -a --json`, %d containers | %.1f ms | | | |" % (N_PS, psj * 1000),
        "| `berth create` (rootfs, no network), mean | %.1f ms | | | |" % (per_create * 1000),
        "",
        "Machine: %d CPUs (load average %.1f when done). The start figures include the CLI process(es),"
        " the monitor's double fork, the overlay mount and SQLite commits with synchronous=FULL; libcurl"
        " and libarchive are not loaded by these commands (core/dynlib.h). Each timed command began once"
        " the previous monitor had finished its cleanup: the `runc delete` and unmount a monitor does after"
        " recording the exit (≈7-10 ms, after `start -a` returned) are outside Berth's figure, while"
        " `runc run` counts its own delete." % (os.cpu_count(), os.getloadavg()[0]),
        END,
    ]
    section = "\n".join(lines) + "\n"
    print(section)
    path = os.path.join(ROOT, "bench", "RESULTS.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmark results\n\n"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + section.rstrip("\n") + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(path, "w").write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
