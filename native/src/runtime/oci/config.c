/* The OCI config.json, with the defaults docker (moby's oci/defaults.go) gives a container:
 * its own pid/ipc/uts/mount/cgroup namespaces and a network namespace unless it shares the
 * host's, docker's default capability set, the masked and read-only /proc and /sys paths, and
 * the standard mounts. Pure: the same spec always gives the same document (unit-tested). */
#include "runtime/oci/oci.h"
#include "runtime/oci/security.h"
#include "core/error.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

static const char *const masked_paths[] = {
    "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
    "/sys/firmware", "/sys/devices/virtual/powercap",
};

static const char *const readonly_paths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

/* json-c's add functions only fail on OOM; we check the whole document once at the end by
 * serialising it, so the builders below stay readable. */
static json_object *str_array(const char *const *v, size_t n)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; a && i < n; i++)
        json_object_array_add(a, json_object_new_string(v[i]));
    return a;
}

static void put_str(json_object *o, const char *k, const char *v) { json_object_object_add(o, k, json_object_new_string(v)); }

static json_object *mount_obj(const char *dest, const char *type, const char *src, const char *const *opts, size_t n)
{
    json_object *m = json_object_new_object();
    put_str(m, "destination", dest);
    put_str(m, "type", type);
    put_str(m, "source", src);
    json_object_object_add(m, "options", str_array(opts, n));
    return m;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void add_default_mounts(json_object *mounts, int privileged)
{
    static const char *const proc_o[] = { "nosuid", "noexec", "nodev" };
    static const char *const dev_o[] = { "nosuid", "strictatime", "mode=755", "size=65536k" };
    static const char *const pts_o[] = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5" };
    static const char *const sys_o[] = { "nosuid", "noexec", "nodev", "ro" };
    static const char *const cg_o[] = { "ro", "nosuid", "noexec", "nodev" };
    static const char *const mq_o[] = { "nosuid", "noexec", "nodev" };
    static const char *const shm_o[] = { "nosuid", "noexec", "nodev", "mode=1777", "size=67108864" };
    json_object_array_add(mounts, mount_obj("/proc", "proc", "proc", proc_o, N(proc_o)));
    json_object_array_add(mounts, mount_obj("/dev", "tmpfs", "tmpfs", dev_o, N(dev_o)));
    json_object_array_add(mounts, mount_obj("/dev/pts", "devpts", "devpts", pts_o, N(pts_o)));
    /* privileged: /sys and the cgroup tree writable, like docker */
    json_object_array_add(mounts, mount_obj("/sys", "sysfs", "sysfs", sys_o, N(sys_o) - (size_t)privileged));
    json_object_array_add(mounts, mount_obj("/sys/fs/cgroup", "cgroup", "cgroup", privileged ? cg_o + 1 : cg_o, N(cg_o) - (size_t)privileged));
    json_object_array_add(mounts, mount_obj("/dev/mqueue", "mqueue", "mqueue", mq_o, N(mq_o)));
    json_object_array_add(mounts, mount_obj("/dev/shm", "tmpfs", "shm", shm_o, N(shm_o)));
}

static int add_user_mounts(json_object *mounts, const runtime_spec *spec, const oci_paths *paths)
{
    for (size_t i = 0; i < spec->n_mounts; i++) {
        const runtime_mount *m = &spec->mounts[i];
        if (!m->destination || m->destination[0] != '/')
            return berth_fail(BERTH_EINVAL, "mount %zu: the destination \"%s\" must be an absolute path in the container",
                              i + 1, m->destination ? m->destination : "");
        if (!m->source || !*m->source)
            return berth_fail(BERTH_EINVAL, "mount %s: no source given", m->destination);
        char src[4096];
        if (m->is_volume) {
            if (!paths->volumes_dir)
                return berth_fail(BERTH_EINVAL, "mount %s: named volumes need the store's volumes folder", m->destination);
            snprintf(src, sizeof src, "%s/%s/_data", paths->volumes_dir, m->source);
        } else {
            if (m->source[0] != '/')
                return berth_fail(BERTH_EINVAL, "mount %s: the host path \"%s\" must be absolute", m->destination, m->source);
            snprintf(src, sizeof src, "%s", m->source);
        }
        const char *opts[] = { "rbind", "rprivate", m->read_only ? "ro" : "rw" };
        json_object_array_add(mounts, mount_obj(m->destination, "bind", src, opts, N(opts)));
    }
    return 0;
}

static void add_file_mount(json_object *mounts, const char *dest, const char *src, int ro)
{
    const char *opts[] = { "rbind", "rprivate", ro ? "ro" : "rw" };
    if (src)
        json_object_array_add(mounts, mount_obj(dest, "bind", src, opts, N(opts)));
}

/* The container's capabilities: resolved at create, else docker's default set. */
static json_object *caps_array(const runtime_spec *spec)
{
    return spec->caps ? str_array(spec->caps, spec->n_caps) : str_array(sec_default_caps, sec_n_default_caps);
}

static json_object *process_obj(const runtime_spec *spec, const oci_user *user)
{
    json_object *p = json_object_new_object();
    json_object_object_add(p, "terminal", json_object_new_boolean(spec->tty));
    json_object *u = json_object_new_object();
    json_object_object_add(u, "uid", json_object_new_int64(user->uid));
    json_object_object_add(u, "gid", json_object_new_int64(user->gid));
    if (user->n_extra) {
        json_object *g = json_object_new_array();
        for (size_t i = 0; i < user->n_extra; i++)
            json_object_array_add(g, json_object_new_int64(user->extra_gids[i]));
        json_object_object_add(u, "additionalGids", g);
    }
    json_object_object_add(p, "user", u);
    json_object_object_add(p, "args", str_array(spec->args, spec->n_args));
    json_object *env = str_array(spec->env, spec->n_env);
    int has_home = 0;
    for (size_t i = 0; i < spec->n_env; i++)
        has_home |= strncmp(spec->env[i], "HOME=", 5) == 0;
    char line[300];
    if (!has_home) {
        snprintf(line, sizeof line, "HOME=%s", user->home[0] ? user->home : "/");
        json_object_array_add(env, json_object_new_string(line));
    }
    if (spec->tty) {
        int has_term = 0;
        for (size_t i = 0; i < spec->n_env; i++)
            has_term |= strncmp(spec->env[i], "TERM=", 5) == 0;
        if (!has_term)
            json_object_array_add(env, json_object_new_string("TERM=xterm"));
    }
    json_object_object_add(p, "env", env);
    put_str(p, "cwd", spec->workdir && *spec->workdir ? spec->workdir : "/");
    json_object *caps = json_object_new_object();
    static const char *const sets[] = { "bounding", "effective", "permitted" };
    for (size_t i = 0; i < N(sets); i++)
        json_object_object_add(caps, sets[i], caps_array(spec));
    json_object_object_add(p, "capabilities", caps);
    /* no rlimits: like docker, the container inherits the engine's (here: the caller's) */
    json_object_object_add(p, "noNewPrivileges", json_object_new_boolean(spec->no_new_privileges));
    if (spec->apparmor && *spec->apparmor && strcmp(spec->apparmor, "unconfined") != 0)
        put_str(p, "apparmorProfile", spec->apparmor);
    return p;
}

json_object *oci_process_json(const runtime_spec *spec, const oci_user *user)
{
    return process_obj(spec, user);
}

static json_object *namespaces_obj(const runtime_spec *spec, const oci_paths *paths)
{
    json_object *ns = json_object_new_array();
    static const char *const own[] = { "pid", "ipc", "uts", "mount", "cgroup" };
    for (size_t i = 0; i < N(own); i++) {
        json_object *n = json_object_new_object();
        put_str(n, "type", own[i]);
        json_object_array_add(ns, n);
    }
    int host = spec->network && strcmp(spec->network, "host") == 0;
    if (!host) {
        json_object *n = json_object_new_object();
        put_str(n, "type", "network");
        if (paths->netns)
            put_str(n, "path", paths->netns);
        json_object_array_add(ns, n);
    }
    return ns;
}

static json_object *resources_obj(const runtime_spec *spec)
{
    json_object *r = json_object_new_object();
    json_object *devs = json_object_new_array(), *deny = json_object_new_object();
    /* privileged: every device node may be used (runc adds its own allow rules otherwise) */
    json_object_object_add(deny, "allow", json_object_new_boolean(spec->privileged));
    put_str(deny, "access", "rwm");
    json_object_array_add(devs, deny);
    json_object_object_add(r, "devices", devs);
    if (spec->memory_bytes > 0) {
        json_object *m = json_object_new_object();
        json_object_object_add(m, "limit", json_object_new_int64(spec->memory_bytes));
        json_object_object_add(r, "memory", m);
    }
    if (spec->cpu_millis > 0) {
        /* docker --cpus: quota per 100 ms period */
        json_object *c = json_object_new_object();
        json_object_object_add(c, "quota", json_object_new_int64(spec->cpu_millis * 100));
        json_object_object_add(c, "period", json_object_new_int64(100000));
        json_object_object_add(r, "cpu", c);
    }
    return r;
}

/* linux.seccomp: Berth's default profile for the container's capabilities, the user's
 * profile (already in the OCI shape, checked at create), or none. */
static int seccomp_obj(json_object *linux_, const runtime_spec *spec)
{
    const char *mode = spec->seccomp;
    if (spec->privileged || (mode && strcmp(mode, "unconfined") == 0))
        return 0;
    if (!mode || strcmp(mode, "default") == 0) {
        json_object *caps = caps_array(spec);
        json_object_object_add(linux_, "seccomp", sec_seccomp_default(caps, sec_host_arch()));
        json_object_put(caps);
        return 0;
    }
    json_object *p = NULL;
    int rc = json_parse_limited(&p, mode, strlen(mode), "seccomp profile");
    if (rc == 0)
        json_object_object_add(linux_, "seccomp", p);
    return rc;
}

int oci_config_build(json_object **out, const runtime_spec *spec, const oci_user *user, const oci_paths *paths)
{
    *out = NULL;
    if (!spec->n_args || !spec->args[0] || !*spec->args[0])
        return berth_fail(BERTH_EINVAL, "container %s: no command: the image has no Entrypoint or Cmd and none was given — pass one after the image name",
                          spec->name ? spec->name : spec->id);
    if (spec->workdir && *spec->workdir && spec->workdir[0] != '/')
        return berth_fail(BERTH_EINVAL, "container %s: the working directory \"%s\" must be an absolute path", spec->name, spec->workdir);
    int host_net = spec->network && strcmp(spec->network, "host") == 0;
    json_object *c = json_object_new_object();
    put_str(c, "ociVersion", "1.0.2");
    json_object_object_add(c, "process", process_obj(spec, user));
    json_object *root = json_object_new_object();
    put_str(root, "path", paths->rootfs ? paths->rootfs : "rootfs");
    json_object_object_add(root, "readonly", json_object_new_boolean(spec->read_only_rootfs));
    json_object_object_add(c, "root", root);
    if (!host_net)
        put_str(c, "hostname", spec->hostname && *spec->hostname ? spec->hostname : spec->id);

    json_object *mounts = json_object_new_array();
    add_default_mounts(mounts, spec->privileged);
    add_file_mount(mounts, "/etc/hosts", paths->hosts, 0);
    add_file_mount(mounts, "/etc/hostname", paths->hostname_file, 0);
    add_file_mount(mounts, "/etc/resolv.conf", paths->resolv_conf, 0);
    int rc = add_user_mounts(mounts, spec, paths);
    json_object_object_add(c, "mounts", mounts);

    json_object *linux_ = json_object_new_object();
    if (paths->cgroups_path)
        put_str(linux_, "cgroupsPath", paths->cgroups_path);
    json_object_object_add(linux_, "resources", resources_obj(spec));
    json_object_object_add(linux_, "namespaces", namespaces_obj(spec, paths));
    if (!spec->privileged && !spec->unmask_paths) {
        json_object_object_add(linux_, "maskedPaths", str_array(masked_paths, N(masked_paths)));
        json_object_object_add(linux_, "readonlyPaths", str_array(readonly_paths, N(readonly_paths)));
    }
    if (paths->devices)
        json_object_object_add(linux_, "devices", json_object_get(paths->devices));
    if (rc == 0 && (rc = seccomp_obj(linux_, spec)) != 0)
        rc = berth_wrap(rc, "container %s", spec->name ? spec->name : spec->id);
    json_object_object_add(c, "linux", linux_);

    if (rc == 0 && !json_object_to_json_string(c))
        rc = berth_fail_oom();
    if (rc)
        json_object_put(c);
    else
        *out = c;
    return rc;
}
