/* Container networking: "none" (a network namespace with only loopback, which runc sets up),
 * "host" (no network namespace) and "bridge": a named network namespace (/run/berth/netns/<id>)
 * joined to the bridge berth0 by the standard CNI plugins (Debian containernetworking-plugins):
 * bridge + host-local IPAM on 10.89.0.0/16 (addresses on this machine only; no masquerade,
 * nothing routed off the host) and portmap for -p. The ADD result is kept in the bundle
 * (network.json) for DEL and for inspect; down is idempotent and safe on a half-done up. */
#include "runtime/oci/oci.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NETNS_DIR "/run/berth/netns"
#define CNI_VERSION "1.0.0"
#define CNI_OUT_MAX (1u << 20)

static const char *cni_path(void)
{
    const char *p = getenv("BERTH_CNI_PATH");
    return p && *p ? p : "/usr/lib/cni:/opt/cni/bin";
}

static int read_runtime(json_object **out, berth_t *b, const char *id)
{
    char *p = oci_bundle_path(b, id, "runtime.json"), *text = NULL;
    int rc = p ? fs_read_file(&text, NULL, p, 1 << 20) : BERTH_ENOMEM;
    if (rc == 0)
        rc = json_parse_limited(out, text, strlen(text), "runtime.json");
    free(p);
    free(text);
    return rc;
}

/* A network namespace that outlives its creator: unshare in a child, bind its ns file. */
static int netns_create(const char *path)
{
    if (fs_mkdir_p(NETNS_DIR, 0755) != 0)
        return berth_wrap(BERTH_ERROR, "network namespace folder " NETNS_DIR);
    int fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0444);
    if (fd < 0)
        return berth_fail_errno(BERTH_ERROR, errno, "create %s", path);
    close(fd);
    pid_t pid = fork();
    if (pid < 0)
        return berth_fail_errno(BERTH_ERROR, errno, "network namespace: fork");
    if (pid == 0) {
        if (unshare(CLONE_NEWNET) != 0)
            _exit(1);
        _exit(mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) == 0 ? 0 : 2);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        unlink(path);
        return berth_fail(BERTH_ERROR, "create the network namespace %s (%s failed) — bridge networking needs root", path,
                          WIFEXITED(st) && WEXITSTATUS(st) == 1 ? "unshare" : "bind mount");
    }
    return 0;
}

static void netns_remove(const char *path)
{
    if (umount2(path, MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT)
        (void)0;
    unlink(path);
}

/* One plugin call: the config on stdin, the result on stdout. *out gets the parsed result
 * for ADD (NULL for DEL). */
static int cni_call(json_object **out, berth_t *b, const char *id, const char *cmd, const char *netns, json_object *conf)
{
    const char *type = json_str(conf, "type");
    char *in_path = oci_bundle_path(b, id, "cni-in.json"), *out_path = oci_bundle_path(b, id, "cni-out.json");
    char *plugin = NULL, *err = NULL, *result = NULL;
    int rc = 0, infd = -1, outfd = -1;
    if (out)
        *out = NULL;
    if (!in_path || !out_path || !type) {
        rc = type ? BERTH_ENOMEM : berth_fail(BERTH_EINVAL, "CNI config without a type");
        goto out;
    }
    /* find the plugin binary on CNI_PATH */
    char dirs[1024];
    snprintf(dirs, sizeof dirs, "%s", cni_path());
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d && !plugin; d = strtok_r(NULL, ":", &save)) {
        char *p = fs_join(d, type);
        if (p && access(p, X_OK) == 0)
            plugin = p;
        else
            free(p);
    }
    if (!plugin) {
        rc = berth_fail(BERTH_ENOTFOUND, "CNI plugin \"%s\" not found in %s — install containernetworking-plugins or set BERTH_CNI_PATH",
                        type, cni_path());
        goto out;
    }
    const char *s = json_object_to_json_string_ext(conf, JSON_C_TO_STRING_PLAIN);
    if ((rc = fs_write_atomic(in_path, s, strlen(s), 0600)) != 0)
        goto out;
    infd = open(in_path, O_RDONLY | O_CLOEXEC);
    outfd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (infd < 0 || outfd < 0) {
        rc = berth_fail_errno(BERTH_ERROR, errno, "CNI %s: open %s", type, infd < 0 ? in_path : out_path);
        goto out;
    }
    char e_cmd[64], e_id[128], e_ns[300], e_path[1100];
    snprintf(e_cmd, sizeof e_cmd, "CNI_COMMAND=%s", cmd);
    snprintf(e_id, sizeof e_id, "CNI_CONTAINERID=%s", id);
    snprintf(e_ns, sizeof e_ns, "CNI_NETNS=%s", netns);
    snprintf(e_path, sizeof e_path, "CNI_PATH=%s", cni_path());
    /* the plugins read these from the environment; set them for the child only */
    char *argv[] = { plugin, NULL };
    char *envv[] = { e_cmd, e_id, e_ns, "CNI_IFNAME=eth0", e_path, "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };
    pid_t pid = fork();
    if (pid < 0) {
        rc = berth_fail_errno(BERTH_ERROR, errno, "CNI %s: fork", type);
        goto out;
    }
    if (pid == 0) {
        dup2(infd, 0);
        dup2(outfd, 1);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, 2);
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
        execve(plugin, argv, envv);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    fs_read_file(&result, NULL, out_path, CNI_OUT_MAX);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        /* CNI errors are JSON on stdout: {"code", "msg", "details"} */
        json_object *e = result ? json_tokener_parse(result) : NULL;
        rc = berth_fail(BERTH_ERROR, "CNI %s %s for container %.12s: %s%s%s", type, cmd, id,
                        json_str(e, "msg") ? json_str(e, "msg") : "failed",
                        json_str(e, "details") ? ": " : "", json_str(e, "details") ? json_str(e, "details") : "");
        json_object_put(e);
        goto out;
    }
    if (out && result && (rc = json_parse_limited(out, result, strlen(result), "CNI result")) != 0)
        goto out;
out:
    if (infd >= 0)
        close(infd);
    if (outfd >= 0)
        close(outfd);
    if (in_path)
        unlink(in_path);
    if (out_path)
        unlink(out_path);
    free(in_path);
    free(out_path);
    free(plugin);
    free(err);
    free(result);

    return rc;
}

/* "[ip:]host:container[/proto]" → a portmap entry. */
static int parse_port(json_object **out, const char *spec)
{
    char buf[128], *parts[3] = { NULL, NULL, NULL };
    if (strlen(spec) >= sizeof buf)
        return berth_fail(BERTH_EINVAL, "port \"%.20s…\": too long", spec);
    strcpy(buf, spec);
    const char *proto = "tcp";
    char *slash = strchr(buf, '/');
    if (slash) {
        *slash = '\0';
        proto = slash + 1;
        if (strcmp(proto, "tcp") && strcmp(proto, "udp"))
            return berth_fail(BERTH_EINVAL, "port \"%s\": protocol must be tcp or udp", spec);
    }
    int n = 0;
    for (char *save = NULL, *p = strtok_r(buf, ":", &save); p; p = strtok_r(NULL, ":", &save))
        if (n < 3)
            parts[n++] = p;
        else
            return berth_fail(BERTH_EINVAL, "port \"%s\": use [IP:]HOST_PORT:CONTAINER_PORT[/tcp|udp]", spec);
    if (n < 2)
        return berth_fail(BERTH_EINVAL, "port \"%s\": give the host port too (HOST_PORT:CONTAINER_PORT)", spec);
    const char *ip = n == 3 ? parts[0] : NULL, *hp = parts[n - 2], *cp = parts[n - 1];
    char *e1, *e2;
    long h = strtol(hp, &e1, 10), c = strtol(cp, &e2, 10);
    if (*e1 || *e2 || h < 1 || h > 65535 || c < 1 || c > 65535)
        return berth_fail(BERTH_EINVAL, "port \"%s\": ports are numbers from 1 to 65535", spec);
    json_object *m = json_object_new_object();
    json_object_object_add(m, "hostPort", json_object_new_int((int)h));
    json_object_object_add(m, "containerPort", json_object_new_int((int)c));
    json_object_object_add(m, "protocol", json_object_new_string(proto));
    if (ip && *ip)
        json_object_object_add(m, "hostIP", json_object_new_string(ip));
    *out = m;
    return 0;
}

/* The two plugin configs of the berth network; ports go into portmap's runtimeConfig. */
static int plugin_confs(json_object **bridge_out, json_object **portmap_out, json_object *ports)
{
    json_object *br = json_object_new_object(), *ipam = json_object_new_object();
    json_object_object_add(br, "cniVersion", json_object_new_string(CNI_VERSION));
    json_object_object_add(br, "name", json_object_new_string("berth"));
    json_object_object_add(br, "type", json_object_new_string("bridge"));
    json_object_object_add(br, "bridge", json_object_new_string("berth0"));
    json_object_object_add(br, "isGateway", json_object_new_boolean(1));
    json_object_object_add(br, "ipMasq", json_object_new_boolean(0));
    json_object_object_add(br, "hairpinMode", json_object_new_boolean(1));
    json_object_object_add(ipam, "type", json_object_new_string("host-local"));
    json_object *range = json_object_new_object(), *set = json_object_new_array(), *ranges = json_object_new_array();
    json_object_object_add(range, "subnet", json_object_new_string("10.89.0.0/16"));
    json_object_array_add(set, range);
    json_object_array_add(ranges, set);
    json_object_object_add(ipam, "ranges", ranges);
    json_object_object_add(ipam, "dataDir", json_object_new_string("/run/berth/cni-ipam"));
    json_object_object_add(br, "ipam", ipam);
    json_object *pm = json_object_new_object(), *caps = json_object_new_object(), *rt = json_object_new_object(),
                *maps = json_object_new_array();
    json_object_object_add(pm, "cniVersion", json_object_new_string(CNI_VERSION));
    json_object_object_add(pm, "name", json_object_new_string("berth"));
    json_object_object_add(pm, "type", json_object_new_string("portmap"));
    json_object_object_add(caps, "portMappings", json_object_new_boolean(1));
    json_object_object_add(pm, "capabilities", caps);
    int rc = 0;
    for (size_t i = 0; rc == 0 && ports && i < json_object_array_length(ports); i++) {
        json_object *m = NULL;
        if ((rc = parse_port(&m, json_object_get_string(json_object_array_get_idx(ports, i)))) == 0)
            json_object_array_add(maps, m);
    }
    json_object_object_add(rt, "portMappings", maps);
    json_object_object_add(pm, "runtimeConfig", rt);
    if (rc) {
        json_object_put(br);
        json_object_put(pm);
        return rc;
    }
    *bridge_out = br;
    *portmap_out = pm;
    return 0;
}

int oci_network_up(berth_t *b, const char *id)
{
    json_object *rtj = NULL, *br = NULL, *pm = NULL, *res1 = NULL, *res2 = NULL;
    int rc = read_runtime(&rtj, b, id);
    if (rc || !json_str(rtj, "network") || strcmp(json_str(rtj, "network"), "bridge") != 0) {
        json_object_put(rtj);
        return rc;
    }
    char ns[256];
    snprintf(ns, sizeof ns, NETNS_DIR "/%s", id);
    if ((rc = plugin_confs(&br, &pm, json_arr(rtj, "ports"))) != 0)
        goto out;
    if ((rc = netns_create(ns)) != 0)
        goto out;
    if ((rc = cni_call(&res1, b, id, "ADD", ns, br)) != 0)
        goto out;
    json_object_object_add(pm, "prevResult", json_object_get(res1));
    if ((rc = cni_call(&res2, b, id, "ADD", ns, pm)) != 0)
        goto out;
    char *p = oci_bundle_path(b, id, "network.json");
    const char *s = json_object_to_json_string_ext(res2 ? res2 : res1, JSON_C_TO_STRING_PLAIN);
    rc = p ? fs_write_atomic(p, s, strlen(s), 0644) : BERTH_ENOMEM;
    free(p);
out:
    if (rc) {
        char msg[2048];
        snprintf(msg, sizeof msg, "%s", berth_errmsg());
        oci_network_down(b, id);
        rc = berth_fail(rc, "bridge network for container %.12s: %s", id, msg);
    }
    json_object_put(rtj);
    json_object_put(br);
    json_object_put(pm);
    json_object_put(res1);
    json_object_put(res2);
    return rc;
}

int oci_network_down(berth_t *b, const char *id)
{
    json_object *rtj = NULL, *br = NULL, *pm = NULL, *prev = NULL;
    if (read_runtime(&rtj, b, id) != 0 || !json_str(rtj, "network") || strcmp(json_str(rtj, "network"), "bridge") != 0) {
        json_object_put(rtj);
        berth_error_clear();
        return 0;
    }
    char ns[256];
    snprintf(ns, sizeof ns, NETNS_DIR "/%s", id);
    char *np = oci_bundle_path(b, id, "network.json"), *text = NULL;
    if (np && !fs_exists(np) && !fs_exists(ns)) {   /* never set up, or already down */
        free(np);
        json_object_put(rtj);
        return 0;
    }
    if (np && fs_read_file(&text, NULL, np, CNI_OUT_MAX) == 0)
        prev = json_tokener_parse(text);
    int rc = 0;
    if (plugin_confs(&br, &pm, json_arr(rtj, "ports")) == 0) {
        /* DEL in reverse order; failures of a half-done ADD are expected and ignored, but a
         * DEL that fails on a complete one is reported */
        if (prev) {
            json_object_object_add(pm, "prevResult", json_object_get(prev));
            json_object_object_add(br, "prevResult", json_object_get(prev));
        }
        int r1 = cni_call(NULL, b, id, "DEL", fs_exists(ns) ? ns : "", pm);
        int r2 = cni_call(NULL, b, id, "DEL", fs_exists(ns) ? ns : "", br);
        if (prev && (r1 || r2))
            rc = r1 ? r1 : r2;
    }
    netns_remove(ns);
    if (np)
        unlink(np);
    free(np);
    free(text);
    json_object_put(prev);
    json_object_put(rtj);
    json_object_put(br);
    json_object_put(pm);
    if (rc == 0)
        berth_error_clear();
    return rc;
}

int oci_ports_check(const runtime_spec *spec)
{
    for (size_t i = 0; i < spec->n_ports; i++) {
        json_object *m = NULL;
        int rc = parse_port(&m, spec->ports[i]);
        json_object_put(m);
        if (rc)
            return rc;
    }
    return 0;
}
