/* The runc backend table: plan, create, start (under berth-shim), signal, exec, remove, alive. */
#include "runtime/oci/oci.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NETNS_DIR "/run/berth/netns"

/* Host-side paths for spec; the strings live in bufs owned by the caller. */
struct paths_buf {
    char cgroups[128], netns[256], hosts[PATH_MAX], hostname[PATH_MAX], resolv[PATH_MAX], volumes[PATH_MAX];
};

static void fill_paths(oci_paths *p, struct paths_buf *pb, berth_t *b, const runtime_spec *spec)
{
    memset(p, 0, sizeof *p);
    const char *root = b ? berth_root(b) : "<root>";
    const char *bundle = spec->bundle_dir ? spec->bundle_dir : "<bundle>";
    snprintf(pb->cgroups, sizeof pb->cgroups, "/berth/%s", spec->id);
    snprintf(pb->hosts, sizeof pb->hosts, "%s/hosts", bundle);
    snprintf(pb->hostname, sizeof pb->hostname, "%s/hostname", bundle);
    snprintf(pb->resolv, sizeof pb->resolv, "%s/resolv.conf", bundle);
    snprintf(pb->volumes, sizeof pb->volumes, "%s/volumes", root);
    p->rootfs = "rootfs";
    p->cgroups_path = pb->cgroups;
    p->hosts = pb->hosts;
    p->hostname_file = pb->hostname;
    p->resolv_conf = pb->resolv;
    p->volumes_dir = pb->volumes;
    if (spec->network && (strcmp(spec->network, "bridge") == 0)) {
        snprintf(pb->netns, sizeof pb->netns, NETNS_DIR "/%s", spec->id);
        p->netns = pb->netns;
    }
}

static int build_config(json_object **out, berth_t *b, const runtime_spec *spec)
{
    oci_user user;
    oci_paths paths;
    struct paths_buf pb;
    int rc = oci_user_resolve(&user, spec->user, spec->layers, spec->n_layers);
    if (rc)
        return berth_wrap(rc, "container %s", spec->name);
    fill_paths(&paths, &pb, b, spec);
    /* a plan (b NULL) shows the document without reading the host's /dev */
    paths.devices = spec->privileged && b ? oci_host_devices() : NULL;
    rc = oci_config_build(out, spec, &user, &paths);
    json_object_put(paths.devices);
    return rc;
}

static int oci_plan(char **out, const runtime_spec *spec)
{
    json_object *cfg = NULL;
    int rc = build_config(&cfg, NULL, spec);
    if (rc)
        return rc;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "runtime", json_object_new_string("oci"));
    json_object_object_add(o, "config", cfg);
    return json_hand_out(out, o);
}

static int write_text(const char *dir, const char *name, const char *text)
{
    char *p = fs_join(dir, name);
    int rc = p ? fs_write_atomic(p, text, strlen(text), 0644) : BERTH_ENOMEM;
    free(p);
    return rc;
}

/* /etc/hosts, /etc/hostname and /etc/resolv.conf for the container, as docker writes them. */
static int write_etc_files(const runtime_spec *spec)
{
    int host_net = spec->network && strcmp(spec->network, "host") == 0;
    char hostname[256], hosts[1024];
    if (host_net && gethostname(hostname, sizeof hostname) != 0)
        snprintf(hostname, sizeof hostname, "localhost");
    else if (!host_net)
        snprintf(hostname, sizeof hostname, "%s", spec->hostname && *spec->hostname ? spec->hostname : spec->id);
    hostname[sizeof hostname - 1] = '\0';
    snprintf(hosts, sizeof hosts,
             "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
             "fe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n"
             "%s%s\n", host_net ? "" : "127.0.1.1\t", host_net ? "" : hostname);
    char line[300];
    snprintf(line, sizeof line, "%s\n", hostname);
    char *resolv = NULL;
    if (fs_read_file(&resolv, NULL, "/etc/resolv.conf", 64 << 10) != 0)
        resolv = NULL;
    int rc = write_text(spec->bundle_dir, "hosts", hosts);
    if (rc == 0)
        rc = write_text(spec->bundle_dir, "hostname", line);
    if (rc == 0)
        rc = write_text(spec->bundle_dir, "resolv.conf", resolv ? resolv : "");
    free(resolv);
    berth_error_clear();
    return rc;
}

static int write_runtime_json(berth_t *b, const runtime_spec *spec)
{
    json_object *o = json_object_new_object(), *lower = json_object_new_array(), *ports = json_object_new_array();
    /* overlay lists the topmost lower dir first; the spec lists the base first */
    for (size_t i = spec->n_layers; i-- > 0;)
        json_object_array_add(lower, json_object_new_string(spec->layers[i].path));
    for (size_t i = 0; i < spec->n_ports; i++)
        json_object_array_add(ports, json_object_new_string(spec->ports[i]));
    json_object_object_add(o, "lowerdirs", lower);
    json_object_object_add(o, "network", json_object_new_string(spec->network ? spec->network : "none"));
    json_object_object_add(o, "ports", ports);
    json_object_object_add(o, "tty", json_object_new_boolean(spec->tty));
    json_object_object_add(o, "open_stdin", json_object_new_boolean(spec->open_stdin));
    /* volumes the shim fills from the image while they are empty (oci_volume_seed) */
    json_object *seed = json_object_new_array();
    for (size_t i = 0; spec->mount_copy && i < spec->n_mounts; i++) {
        const runtime_mount *m = &spec->mounts[i];
        if (!spec->mount_copy[i])
            continue;
        char dir[PATH_MAX];
        if (m->is_volume)
            snprintf(dir, sizeof dir, "%s/volumes/%s/_data", berth_root(b), m->source);
        else
            snprintf(dir, sizeof dir, "%s", m->source);
        json_object *e = json_object_new_object();
        json_object_object_add(e, "destination", json_object_new_string(m->destination));
        json_object_object_add(e, "volume", json_object_new_string(dir));
        json_object_array_add(seed, e);
    }
    json_object_object_add(o, "seed_volumes", seed);
    char *s = json_dup_string(o);
    json_object_put(o);
    if (!s)
        return BERTH_ENOMEM;
    int rc = write_text(spec->bundle_dir, "runtime.json", s);
    free(s);
    return rc;
}

static int oci_create(berth_t *b, const runtime_spec *spec)
{
    json_object *cfg = NULL;
    char *s = NULL;
    int rc = build_config(&cfg, b, spec);
    if (rc == 0)
        rc = oci_ports_check(spec);
    if (rc) {
        json_object_put(cfg);
        return rc;
    }
    static const char *const dirs[] = { "upper", "work", "rootfs" };
    for (size_t i = 0; rc == 0 && i < sizeof dirs / sizeof dirs[0]; i++) {
        char *p = fs_join(spec->bundle_dir, dirs[i]);
        rc = p ? fs_mkdir_p(p, 0700) : BERTH_ENOMEM;
        free(p);
    }
    for (size_t i = 0; rc == 0 && i < spec->n_mounts; i++) {
        const runtime_mount *m = &spec->mounts[i];
        char rel[512];
        if (m->is_volume) {
            /* a named volume is created on first use and outlives its containers */
            snprintf(rel, sizeof rel, "volumes/%s/_data", m->source);
            char *p = fs_join(berth_root(b), rel);
            rc = p ? fs_mkdir_p(p, 0755) : BERTH_ENOMEM;
            free(p);
        } else if (!fs_exists(m->source)) {
            rc = berth_fail(BERTH_EINVAL, "bind mount %s:%s: the host path %s does not exist — create it first", m->source,
                            m->destination, m->source);
        }
    }
    if (rc == 0)
        rc = write_etc_files(spec);
    if (rc == 0)
        rc = write_runtime_json(b, spec);
    if (rc == 0 && !(s = json_dup_string(cfg)))
        rc = BERTH_ENOMEM;
    if (rc == 0)
        rc = write_text(spec->bundle_dir, "config.json", s);
    free(s);
    json_object_put(cfg);
    return rc ? berth_wrap(rc, "create container %s", spec->name) : 0;
}

/* ---- the monitor ---- */

/* berth-shim beside the library (dladdr), beside the program, then $PATH. */
static char *find_shim(void)
{
    const char *env = getenv("BERTH_SHIM");
    if (env && *env)
        return strdup(env);
    char buf[PATH_MAX];
    Dl_info info;
    const char *candidates[2] = { NULL, NULL };
    if (dladdr((void *)&runtime_oci, &info) && info.dli_fname && strchr(info.dli_fname, '/'))
        candidates[0] = info.dli_fname;
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = '\0';
        candidates[1] = buf;
    }
    for (int i = 0; i < 2; i++) {
        if (!candidates[i])
            continue;
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s", candidates[i]);
        char *slash = strrchr(dir, '/');
        if (!slash)
            continue;
        *slash = '\0';
        char *p = fs_join(dir, "berth-shim");
        if (p && access(p, X_OK) == 0)
            return p;
        free(p);
    }
    return strdup("berth-shim");
}

/* Starts berth-shim for id and waits until it reports the container running (or why not).
 * The shim detaches itself (setsid, double fork), so it outlives this process. */
static int oci_start(berth_t *b, const runtime_spec *spec)
{
    char *shim = find_shim();
    int sync[2] = { -1, -1 };
    int rc = 0;
    if (!shim)
        return berth_fail_oom();
    if (pipe2(sync, O_CLOEXEC) != 0) {
        rc = berth_fail_errno(BERTH_ERROR, errno, "start container %s: pipe", spec->name);
        goto out;
    }
    /* posix_spawn (vfork-like) rather than fork + exec: it copies no page tables of this
     * process (many libraries mapped, and in pwsh many threads), which made fork the slowest
     * step of a start. The monitor gets /dev/null on 0-2, the sync pipe on 3, nothing else,
     * and an empty signal mask — as before. The write end goes to >= 10 first, so that the
     * dup2 onto 3 can never be a no-op that keeps its close-on-exec flag. */
    int wfd = fcntl(sync[1], F_DUPFD_CLOEXEC, 10);
    if (wfd < 0) {
        rc = berth_fail_errno(BERTH_ERROR, errno, "start container %s: pipe", spec->name);
        goto out;
    }
    close(sync[1]);
    sync[1] = wfd;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none;
    sigemptyset(&none);
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR, 0);
    posix_spawn_file_actions_adddup2(&fa, 0, 1);
    posix_spawn_file_actions_adddup2(&fa, 0, 2);
    posix_spawn_file_actions_adddup2(&fa, sync[1], 3);
    posix_spawn_file_actions_addclosefrom_np(&fa, 4);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    char *argv[] = { shim, "--root", (char *)berth_root(b), "--id", (char *)spec->id, "--sync-fd", "3", NULL };
    pid_t pid;
    int se = posix_spawnp(&pid, shim, &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (se != 0) {
        rc = se == ENOENT || se == EACCES || se == ENOEXEC
                 ? berth_fail(BERTH_ERROR, "start container %s: cannot run the monitor %s (%s) — install berth-shim beside berth or set BERTH_SHIM",
                              spec->name, shim, strerror(se))
                 : berth_fail_errno(BERTH_ERROR, se, "start container %s: spawn %s", spec->name, shim);
        goto out;
    }
    close(sync[1]);
    sync[1] = -1;
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    char msg[4096];
    size_t len = 0;
    ssize_t r;
    while (len < sizeof msg - 1 && (r = read(sync[0], msg + len, sizeof msg - 1 - len)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        len += (size_t)r;
    }
    msg[len] = '\0';
    while (len && msg[len - 1] == '\n')
        msg[--len] = '\0';
    if (strncmp(msg, "ok", 2) == 0) {
        rc = 0;
    } else if (strncmp(msg, "err ", 4) == 0) {
        int code = atoi(msg + 4);
        const char *text = strchr(msg + 4, ' ');
        rc = berth_fail(code == 127 ? BERTH_ENOTFOUND : code == 126 ? BERTH_EINVAL : BERTH_ERROR, "start container %s: %s",
                        spec->name, text ? text + 1 : "the monitor failed");
    } else if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
        rc = berth_fail(BERTH_ERROR, "start container %s: cannot run the monitor %s — install berth-shim beside berth or set BERTH_SHIM",
                        spec->name, shim);
    } else {
        rc = berth_fail(BERTH_ERROR, "start container %s: the monitor (%s) exited without reporting; see %s/shim.log", spec->name,
                        shim, spec->bundle_dir);
    }
out:
    if (sync[0] >= 0)
        close(sync[0]);
    if (sync[1] >= 0)
        close(sync[1]);
    free(shim);
    return rc;
}

static int runc_simple(berth_t *b, const char *what, const char *const *args, char **err_out)
{
    char **argv = oci_runc_argv(b, args);
    if (!argv)
        return BERTH_ENOMEM;
    int status = 0;
    int rc = oci_run(&status, argv, -1, -1, -1, err_out);
    oci_argv_free(argv);
    if (rc == 0 && status != 0)
        rc = BERTH_ERROR;
    (void)what;
    return rc;
}

static int oci_signal(berth_t *b, const char *id, int signo)
{
    char sig[16];
    snprintf(sig, sizeof sig, "%d", signo);
    const char *args[] = { "kill", id, sig, NULL };
    char *err = NULL;
    int rc = runc_simple(b, "kill", args, &err);
    if (rc)
        rc = berth_fail(err && strstr(err, "not running") ? BERTH_ESTATE : BERTH_ERROR, "signal %d to container %.12s: runc kill: %s",
                        signo, id, err && *err ? err : "failed");
    free(err);
    return rc;
}

static int oci_remove(berth_t *b, const char *id)
{
    /* a monitor that recorded its container's exit may still be cleaning up: let it finish */
    char *cl = oci_bundle_path(b, id, "cleanup.lock");
    int cfd = cl ? open(cl, O_RDONLY | O_CLOEXEC) : -1;
    free(cl);
    if (cfd >= 0 && flock(cfd, LOCK_SH) != 0)
        (void)0;
    const char *args[] = { "delete", "--force", id, NULL };
    char *err = NULL;
    runc_simple(b, "delete", args, &err);   /* "does not exist" is the normal case */
    free(err);
    int rc = oci_network_down(b, id);
    int rc2 = oci_rootfs_unmount(b, id);
    if (rc == 0)
        rc = rc2;
    if (rc == 0) {
        char *bundle = oci_bundle_path(b, id, NULL);
        rc = bundle ? fs_remove_tree(bundle) : BERTH_ENOMEM;
        free(bundle);
    }
    if (cfd >= 0)
        close(cfd);
    return rc ? berth_wrap(rc, "remove container %.12s", id) : 0;
}

/* The monitor's shim.lock opened for reading into *fd (-1 when there is none: never started,
 * or removed — nothing runs). The monitor holds it exclusively while the container may run. */
static int open_shim_lock(berth_t *b, const char *id, int *fd)
{
    char *p = oci_bundle_path(b, id, "shim.lock");
    if (!p)
        return BERTH_ENOMEM;
    *fd = open(p, O_RDONLY | O_CLOEXEC);
    free(p);
    return 0;
}

static int oci_alive(berth_t *b, const char *id, int *alive)
{
    int fd = -1, rc = open_shim_lock(b, id, &fd);
    *alive = fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    if (fd >= 0)
        close(fd);
    return rc;
}

/* A shared lock is granted the moment the monitor lets go (or dies), so a waiter sleeps in the
 * kernel instead of polling. */
static int oci_wait_exit(berth_t *b, const char *id)
{
    int fd = -1, rc = open_shim_lock(b, id, &fd);
    while (fd >= 0 && flock(fd, LOCK_SH) != 0)
        if (errno != EINTR) {
            rc = berth_fail_errno(BERTH_ERROR, errno, "wait for container %.12s: lock its monitor's shim.lock", id);
            break;
        }
    if (fd >= 0)
        close(fd);
    return rc;
}

/* ---- rootfs ---- */

int oci_rootfs_mount(berth_t *b, const char *id)
{
    char *bundle = oci_bundle_path(b, id, NULL), *rt = NULL;
    json_object *o = NULL;
    berth_buf opts = BERTH_BUF_INIT(4000);   /* mount(2) data is one page */
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/runtime.json", bundle ? bundle : "");
    int rc = bundle ? fs_read_file(&rt, NULL, path, 1 << 20) : BERTH_ENOMEM;
    if (rc == 0)
        rc = json_parse_limited(&o, rt, strlen(rt), "runtime.json");
    json_object *lower = rc == 0 ? json_arr(o, "lowerdirs") : NULL;
    if (rc == 0 && (!lower || json_object_array_length(lower) == 0))
        rc = berth_fail(BERTH_EINVAL, "%s: no layers to mount", path);
    /* Relative lower dirs (we chdir into <root>/layers in the shim) keep the option string
     * within one page for deep images. */
    char layers_dir[PATH_MAX];
    snprintf(layers_dir, sizeof layers_dir, "%s/layers/", berth_root(b));
    size_t ll = strlen(layers_dir);
    if (rc == 0)
        rc = buf_printf(&opts, "lowerdir=");
    for (size_t i = 0; rc == 0 && i < json_object_array_length(lower); i++) {
        const char *l = json_object_get_string(json_object_array_get_idx(lower, i));
        if (strncmp(l, layers_dir, ll) == 0)
            l += ll;
        rc = buf_printf(&opts, "%s%s", i ? ":" : "", l);
    }
    if (rc == 0)
        rc = buf_printf(&opts, ",upperdir=%s/upper,workdir=%s/work", bundle, bundle);
    if (rc)
        rc = berth_wrap(rc, "mount the root file system of %.12s (too many layers?)", id);
    if (rc == 0) {
        snprintf(path, sizeof path, "%s/rootfs", bundle);
        if (chdir(layers_dir) != 0)
            rc = berth_fail_errno(BERTH_ERROR, errno, "mount rootfs: chdir %s", layers_dir);
        else if (mount("overlay", path, "overlay", 0, opts.data) != 0)
            rc = berth_fail_errno(BERTH_ERROR, errno, "mount the overlay root file system at %s (options %s)", path, opts.data);
        if (chdir("/") != 0)
            (void)0;
    }
    /* before runc starts the container: fill new volumes from the image, like docker */
    json_object *seed = rc == 0 ? json_arr(o, "seed_volumes") : NULL;
    for (size_t i = 0; rc == 0 && seed && i < json_object_array_length(seed); i++) {
        json_object *e = json_object_array_get_idx(seed, i);
        const char *dest = json_str(e, "destination"), *vol = json_str(e, "volume");
        if (dest && vol)
            rc = oci_volume_seed(path, dest, vol);
    }
    buf_free(&opts);
    json_object_put(o);
    free(rt);
    free(bundle);
    return rc;
}

int oci_rootfs_unmount(berth_t *b, const char *id)
{
    char *p = oci_bundle_path(b, id, "rootfs");
    if (!p)
        return BERTH_ENOMEM;
    int rc = 0;
    /* Unmount until nothing is mounted there (a crash may have left it mounted twice). */
    for (int i = 0; i < 8; i++) {
        if (umount2(p, 0) == 0)
            continue;
        if (errno == EINVAL || errno == ENOENT)
            break;
        if (errno == EBUSY && umount2(p, MNT_DETACH) == 0)
            continue;
        rc = berth_fail_errno(BERTH_ERROR, errno, "unmount %s", p);
        break;
    }
    free(p);
    return rc;
}

int oci_runtime_flags(berth_t *b, const char *id, int *tty, int *open_stdin)
{
    char *p = oci_bundle_path(b, id, "runtime.json"), *rt = NULL;
    json_object *o = NULL;
    int rc = p ? fs_read_file(&rt, NULL, p, 1 << 20) : BERTH_ENOMEM;
    if (rc == 0)
        rc = json_parse_limited(&o, rt, strlen(rt), "runtime.json");
    if (rc == 0) {
        json_object *v;
        *tty = json_object_object_get_ex(o, "tty", &v) && json_object_get_boolean(v);
        *open_stdin = json_object_object_get_ex(o, "open_stdin", &v) && json_object_get_boolean(v);
    }
    json_object_put(o);
    free(rt);
    free(p);
    return rc;
}

const runtime_backend runtime_oci = {
    .name = "oci",
    .plan = oci_plan,
    .create = oci_create,
    .start = oci_start,
    .signal = oci_signal,
    .remove = oci_remove,
    .alive = oci_alive,
    .wait_exit = oci_wait_exit,
    .exec = oci_exec,
};
