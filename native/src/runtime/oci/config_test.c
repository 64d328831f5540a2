/* The OCI config builder and the user resolver against expectations written down from
 * docker's defaults (moby oci/defaults.go) and runc's config schema. */
#include "check.h"
#include "core/json.h"
#include "runtime/oci/oci.h"
#include <stdlib.h>
#include <string.h>

static const char *const args[] = { "/bin/sh", "-c", "echo hi" };
static const char *const env[] = { "PATH=/bin", "FOO=bar" };

static runtime_spec base_spec(void)
{
    runtime_spec s;
    memset(&s, 0, sizeof s);
    s.id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    s.name = "test";
    s.args = args;
    s.n_args = 3;
    s.env = env;
    s.n_env = 2;
    s.workdir = "/work";
    s.hostname = "box";
    s.network = "none";
    return s;
}

static oci_paths base_paths(void)
{
    oci_paths p;
    memset(&p, 0, sizeof p);
    p.rootfs = "rootfs";
    p.cgroups_path = "/berth/x";
    p.volumes_dir = "/var/lib/berth/volumes";
    return p;
}

static json_object *path(json_object *o, const char *a, const char *b)
{
    json_object *x = json_obj(o, a);
    return b ? (json_object_object_get_ex(x, b, &x) ? x : NULL) : x;
}

static int array_has(json_object *arr, const char *s)
{
    for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
        if (strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), s) == 0)
            return 1;
    return 0;
}

static json_object *find_mount(json_object *cfg, const char *dest)
{
    json_object *m = json_arr(cfg, "mounts");
    for (size_t i = 0; m && i < json_object_array_length(m); i++)
        if (strcmp(json_str(json_object_array_get_idx(m, i), "destination"), dest) == 0)
            return json_object_array_get_idx(m, i);
    return NULL;
}

static int has_ns(json_object *cfg, const char *type, const char **path_out)
{
    json_object *ns = path(cfg, "linux", "namespaces");
    for (size_t i = 0; ns && i < json_object_array_length(ns); i++) {
        json_object *n = json_object_array_get_idx(ns, i);
        if (strcmp(json_str(n, "type"), type) == 0) {
            if (path_out)
                *path_out = json_str(n, "path");
            return 1;
        }
    }
    return 0;
}

static void test_docker_defaults(void)
{
    runtime_spec s = base_spec();
    oci_paths p = base_paths();
    oci_user u = { .uid = 0, .gid = 0, .home = "/root" };
    json_object *cfg = NULL;
    CHECK_OK(oci_config_build(&cfg, &s, &u, &p));
    if (!cfg)
        return;
    CHECK_STREQ(json_str(cfg, "ociVersion"), "1.0.2");
    CHECK_STREQ(json_str(cfg, "hostname"), "box");
    json_object *proc = json_obj(cfg, "process");
    CHECK_STREQ(json_str(proc, "cwd"), "/work");
    CHECK(json_object_array_length(json_arr(proc, "args")) == 3);
    CHECK(array_has(json_arr(proc, "env"), "FOO=bar"));
    CHECK(array_has(json_arr(proc, "env"), "HOME=/root"));   /* from passwd when the image sets none */
    json_object *caps = path(proc, "capabilities", "bounding");
    CHECK(json_object_array_length(caps) == 14);
    CHECK(array_has(caps, "CAP_NET_BIND_SERVICE"));
    CHECK(!array_has(caps, "CAP_SYS_ADMIN"));
    CHECK(!array_has(caps, "CAP_NET_ADMIN"));
    CHECK(array_has(path(cfg, "linux", "maskedPaths"), "/proc/kcore"));
    CHECK(array_has(path(cfg, "linux", "readonlyPaths"), "/proc/sysrq-trigger"));
    const char *np = "x";
    CHECK(has_ns(cfg, "pid", NULL) && has_ns(cfg, "ipc", NULL) && has_ns(cfg, "uts", NULL) && has_ns(cfg, "mount", NULL));
    CHECK(has_ns(cfg, "network", &np) && np == NULL);   /* none: a fresh namespace with only lo */
    CHECK(find_mount(cfg, "/proc") && find_mount(cfg, "/dev") && find_mount(cfg, "/dev/pts") && find_mount(cfg, "/sys") &&
          find_mount(cfg, "/dev/shm") && find_mount(cfg, "/dev/mqueue"));
    CHECK(json_object_get_boolean(path(cfg, "root", "readonly")) == 0);
    CHECK_STREQ(json_str(path(cfg, "linux", NULL), "cgroupsPath"), "/berth/x");
    CHECK(path(path(cfg, "linux", "resources"), "memory", NULL) == NULL);   /* no limit unless asked */
    json_object_put(cfg);
}

static void test_limits_and_readonly(void)
{
    runtime_spec s = base_spec();
    s.memory_bytes = 64 << 20;
    s.cpu_millis = 1500;
    s.read_only_rootfs = 1;
    oci_paths p = base_paths();
    oci_user u = { 0 };
    json_object *cfg = NULL;
    CHECK_OK(oci_config_build(&cfg, &s, &u, &p));
    json_object *res = path(cfg, "linux", "resources");
    CHECK(json_int(json_obj(res, "memory"), "limit", 0) == 64 << 20);
    CHECK(json_int(json_obj(res, "cpu"), "quota", 0) == 150000);
    CHECK(json_int(json_obj(res, "cpu"), "period", 0) == 100000);
    CHECK(json_object_get_boolean(path(cfg, "root", "readonly")) == 1);
    json_object_put(cfg);
}

static void test_networks(void)
{
    runtime_spec s = base_spec();
    oci_paths p = base_paths();
    oci_user u = { 0 };
    json_object *cfg = NULL;
    s.network = "host";
    CHECK_OK(oci_config_build(&cfg, &s, &u, &p));
    CHECK(!has_ns(cfg, "network", NULL));
    CHECK(json_str(cfg, "hostname") == NULL);   /* the host's name, as docker --network host */
    json_object_put(cfg);
    s.network = "bridge";
    p.netns = "/run/berth/netns/x";
    const char *np = NULL;
    CHECK_OK(oci_config_build(&cfg, &s, &u, &p));
    CHECK(has_ns(cfg, "network", &np));
    CHECK_STREQ(np, "/run/berth/netns/x");
    json_object_put(cfg);
}

static void test_mounts(void)
{
    runtime_spec s = base_spec();
    runtime_mount m[2] = { { "/srv/data", "/data", 1, 0 }, { "cache", "/cache", 0, 1 } };
    s.mounts = m;
    s.n_mounts = 2;
    oci_paths p = base_paths();
    oci_user u = { 0 };
    json_object *cfg = NULL;
    CHECK_OK(oci_config_build(&cfg, &s, &u, &p));
    json_object *d = find_mount(cfg, "/data"), *c = find_mount(cfg, "/cache");
    CHECK(d && c);
    CHECK_STREQ(json_str(d, "source"), "/srv/data");
    CHECK(array_has(json_arr(d, "options"), "ro"));
    CHECK_STREQ(json_str(c, "source"), "/var/lib/berth/volumes/cache/_data");
    CHECK(array_has(json_arr(c, "options"), "rw"));
    json_object_put(cfg);
}

static void test_bad_specs(void)
{
    runtime_spec s = base_spec();
    oci_paths p = base_paths();
    oci_user u = { 0 };
    json_object *cfg = NULL;
    s.workdir = "relative/dir";
    CHECK_RC(BERTH_EINVAL, oci_config_build(&cfg, &s, &u, &p));
    CHECK_MSG("absolute");
    CHECK(cfg == NULL);
    s = base_spec();
    s.n_args = 0;
    CHECK_RC(BERTH_EINVAL, oci_config_build(&cfg, &s, &u, &p));
    CHECK_MSG("no command");
    s = base_spec();
    runtime_mount rel = { "relative", "/x", 0, 0 };
    s.mounts = &rel;
    s.n_mounts = 1;
    CHECK_RC(BERTH_EINVAL, oci_config_build(&cfg, &s, &u, &p));
    runtime_mount reldst = { "/abs", "x", 0, 0 };
    s.mounts = &reldst;
    CHECK_RC(BERTH_EINVAL, oci_config_build(&cfg, &s, &u, &p));
}

static const char *passwd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "# a comment\n"
    "broken line without fields\n"
    "app:x:1000:1000:App:/home/app:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
    "bad:x:notanumber:1:x:/:/bin/sh\n";
static const char *group =
    "root:x:0:\n"
    "app:x:1000:\n"
    "staff:x:50:app,other\n"
    "video:x:44:app\n"
    "nogroup:x:65534:\n";

static void test_users(void)
{
    oci_user u;
    CHECK_OK(oci_user_resolve_text(&u, NULL, passwd, group));
    CHECK(u.uid == 0 && u.gid == 0);
    CHECK_STREQ(u.home, "/root");
    CHECK_OK(oci_user_resolve_text(&u, "app", passwd, group));
    CHECK(u.uid == 1000 && u.gid == 1000 && u.n_extra == 2);
    CHECK_STREQ(u.home, "/home/app");
    CHECK_OK(oci_user_resolve_text(&u, "1000", passwd, group));
    CHECK(u.uid == 1000 && u.gid == 1000);
    CHECK_OK(oci_user_resolve_text(&u, "4242", passwd, group));   /* unknown numeric uid: fine, gid 0 */
    CHECK(u.uid == 4242 && u.gid == 0);
    CHECK_OK(oci_user_resolve_text(&u, "app:staff", passwd, group));
    CHECK(u.uid == 1000 && u.gid == 50 && u.n_extra == 0);
    CHECK_OK(oci_user_resolve_text(&u, "nobody:12", passwd, group));
    CHECK(u.uid == 65534 && u.gid == 12);
    CHECK_OK(oci_user_resolve_text(&u, "0", NULL, NULL));   /* an image without /etc/passwd */
    CHECK_RC(BERTH_EINVAL, oci_user_resolve_text(&u, "ghost", passwd, group));
    CHECK_MSG("ghost");
    CHECK_RC(BERTH_EINVAL, oci_user_resolve_text(&u, "app:ghosts", passwd, group));
    CHECK_MSG("ghosts");
    CHECK_RC(BERTH_EINVAL, oci_user_resolve_text(&u, "bad", passwd, group));   /* malformed entry is skipped */
    CHECK_RC(BERTH_EINVAL, oci_user_resolve_text(&u, ":0", passwd, group));
    CHECK_RC(BERTH_EINVAL, oci_user_resolve_text(&u, "app:", passwd, group));
    CHECK_RC(BERTH_EINVAL, oci_user_resolve_text(&u, "-1", passwd, group));
    char big[400];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_RC(BERTH_EINVAL, oci_user_resolve_text(&u, big, passwd, group));
}

static void test_exit_codes(void)
{
    CHECK(oci_exec_failure_code("exec: \"x\": executable file not found in $PATH") == 127);
    CHECK(oci_exec_failure_code("exec: \"/etc\": permission denied") == 126);
    CHECK(oci_exec_failure_code("something else") == 125);
    CHECK(oci_exec_failure_code(NULL) == 125);
}

int main(void)
{
    RUN(test_docker_defaults);
    RUN(test_limits_and_readonly);
    RUN(test_networks);
    RUN(test_mounts);
    RUN(test_bad_specs);
    RUN(test_users);
    RUN(test_exit_codes);
    return check_done();
}
