/* The resolved spec: the image's config (Entrypoint, Cmd, Env, WorkingDir, User, StopSignal,
 * Volumes, Labels, ExposedPorts) with the user's overrides applied, exactly as docker run
 * combines them, plus the layer chain (<root>/layers/<chain-hex>, base first). Stored with the
 * container, so a start never needs the image again. */
#include "container/container.h"
#include "container/restart.h"
#include "core/digest.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include "layer/layer.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMAGE_CONFIG_MAX (4u << 20)
/* like docker: the bridge (CNI), unless --network none or host */
#define CONTAINER_DEFAULT_NETWORK "bridge"

static json_object *jstr(const char *s) { return s ? json_object_new_string(s) : NULL; }

/* A string or an array of strings as a new array; NULL when absent. */
static json_object *str_list(json_object *v)
{
    if (!v)
        return NULL;
    json_object *a = json_object_new_array();
    if (json_object_is_type(v, json_type_string)) {
        if (*json_object_get_string(v))
            json_object_array_add(a, json_object_new_string(json_object_get_string(v)));
        return a;
    }
    if (json_object_is_type(v, json_type_array))
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            json_object *e = json_object_array_get_idx(v, i);
            if (json_object_is_type(e, json_type_string))
                json_object_array_add(a, json_object_new_string(json_object_get_string(e)));
        }
    return a;
}

static json_object *field(json_object *o, const char *k)
{
    json_object *v = NULL;
    return o && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

/* The layer chain of an image, base first: <root>/layers/<chain-hex> for each diff_id. A layer
 * the pull did not unpack (or that prune removed) is unpacked now from its verified blob, so a
 * container never starts on a partial file system. */
static int chain_layers(json_object *layers_out, berth_t *b, const char *ref, json_object *diff_ids, json_object *blobs)
{
    berth_digest chain, parent;
    for (size_t i = 0; i < json_object_array_length(diff_ids); i++) {
        const char *d = json_object_get_string(json_object_array_get_idx(diff_ids, i));
        berth_digest diff;
        int rc = digest_parse(&diff, d ? d : "");
        if (rc)
            return berth_wrap(rc, "image %s: config rootfs.diff_ids[%zu]", ref, i);
        if ((rc = layer_chain_id(&chain, i ? &parent : NULL, &diff)) != 0)
            return rc;
        if (!layer_present(b, &chain)) {
            json_object *blob = blobs ? json_object_array_get_idx(blobs, i) : NULL;
            berth_digest bd;
            if (!blob || digest_parse(&bd, json_str(blob, "digest") ? json_str(blob, "digest") : "") != 0)
                return berth_fail(BERTH_ENOTFOUND, "image %s: layer %zu (%s) is not unpacked and its blob is unknown — pull the image again", ref, i, d);
            char *bp = store_blob_path(b, &bd);
            layer_result res;
            rc = bp ? layer_unpack_file_to_store(&res, b, bp, json_str(blob, "media_type"), &diff, i ? &parent : NULL, NULL) : BERTH_ENOMEM;
            free(bp);
            if (rc)
                return berth_wrap(rc, "image %s: unpack layer %zu (%s)", ref, i, bd.text);
        }
        char *path = layer_dir(b, &chain);
        if (!path)
            return BERTH_ENOMEM;
        json_object *l = json_object_new_object();
        json_object_object_add(l, "path", json_object_new_string(path));
        json_object_object_add(l, "chain_id", json_object_new_string(chain.text));
        json_object_array_add(layers_out, l);
        free(path);
        parent = chain;
    }
    return 0;
}

/* Loads the image named ref from the store: its id, its OCI config and its layer chain. */
static int load_image(json_object **config_out, char **id_out, json_object *layers_out, berth_t *b, const char *ref)
{
    char *detail_s = NULL, *cfg_s = NULL;
    json_object *detail = NULL, *cfg = NULL;
    int rc = berth_image_inspect(&detail_s, b, ref);
    if (rc == BERTH_ENOTFOUND)
        rc = berth_fail(BERTH_ENOTFOUND, "no such image: %s — pull it first (berth pull %s)", ref, ref);
    if (rc)
        goto out;
    if ((rc = json_parse_limited(&detail, detail_s, strlen(detail_s), "image detail")) != 0)
        goto out;
    const char *id = json_str(detail, "id");
    if (!id)
        id = json_str(detail, "config_digest");
    berth_digest cd;
    if ((rc = digest_parse(&cd, id ? id : "")) != 0) {
        rc = berth_wrap(rc, "image %s: the store's record has no config digest", ref);
        goto out;
    }
    /* image_detail carries the parsed config; read the blob only if it does not */
    json_object *given = json_obj(detail, "config");
    if (given) {
        cfg = json_object_get(given);
    } else {
        size_t len = 0;
        if ((rc = store_blob_read(&cfg_s, &len, b, &cd, IMAGE_CONFIG_MAX)) != 0)
            goto out;
        if ((rc = json_parse_limited(&cfg, cfg_s, len, "image config")) != 0)
            goto out;
    }
    json_object *diff_ids = json_arr(json_obj(cfg, "rootfs"), "diff_ids");
    if (!diff_ids || json_object_array_length(diff_ids) == 0) {
        rc = berth_fail(BERTH_EINVAL, "image %s: its config lists no layers (rootfs.diff_ids)", ref);
        goto out;
    }
    if ((rc = chain_layers(layers_out, b, ref, diff_ids, json_arr(detail, "layers"))) != 0)
        goto out;
    *id_out = strdup(cd.text);
    *config_out = cfg;
    cfg = NULL;
    rc = *id_out ? 0 : berth_fail_oom();
out:
    free(detail_s);
    free(cfg_s);
    json_object_put(detail);
    json_object_put(cfg);
    return rc;
}

/* "K=V" entries of over replace those of base with the same K; order kept, new keys last. */
static json_object *merge_env(json_object *base, json_object *over)
{
    json_object *out = json_object_new_array();
    size_t nb = base ? json_object_array_length(base) : 0, no = over ? json_object_array_length(over) : 0;
    for (size_t i = 0; i < nb; i++) {
        const char *e = json_object_get_string(json_object_array_get_idx(base, i));
        size_t kl = strcspn(e, "=");
        int replaced = 0;
        for (size_t j = 0; j < no && !replaced; j++) {
            const char *o = json_object_get_string(json_object_array_get_idx(over, j));
            replaced = strncmp(o, e, kl) == 0 && (o[kl] == '=' || o[kl] == '\0');
        }
        if (!replaced)
            json_object_array_add(out, json_object_new_string(e));
    }
    for (size_t j = 0; j < no; j++) {
        const char *o = json_object_get_string(json_object_array_get_idx(over, j));
        if (strchr(o, '='))     /* "K" alone (unset in the caller's environment) is dropped, as docker does */
            json_object_array_add(out, json_object_new_string(o));
    }
    return out;
}

static int env_has(json_object *env, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i < json_object_array_length(env); i++) {
        const char *e = json_object_get_string(json_object_array_get_idx(env, i));
        if (strncmp(e, key, kl) == 0 && e[kl] == '=')
            return 1;
    }
    return 0;
}

/* docker -v forms: "/host:/ctr[:ro|rw]", "name:/ctr[:ro]", "/ctr" (anonymous). */
static int parse_volume_string(json_object *mounts, const char *v)
{
    char buf[4096];
    if (strlen(v) >= sizeof buf)
        return berth_fail(BERTH_EINVAL, "volume \"%.40s…\": too long", v);
    strcpy(buf, v);
    char *parts[3] = { buf, NULL, NULL };
    int n = 1;
    for (char *p = buf; *p && n < 3; p++)
        if (*p == ':') {
            *p = '\0';
            parts[n++] = p + 1;
        }
    json_object *m = json_object_new_object();
    int ro = 0, nocopy = 0;
    /* options: ro|rw and nocopy (docker: do not fill a new volume from the image), comma-separated */
    for (char *save = NULL, *o = n == 3 ? strtok_r(parts[2], ",", &save) : NULL; o; o = strtok_r(NULL, ",", &save)) {
        if (strcmp(o, "ro") == 0)
            ro = 1;
        else if (strcmp(o, "nocopy") == 0)
            nocopy = 1;
        else if (strcmp(o, "rw") != 0) {
            json_object_put(m);
            return berth_fail(BERTH_EINVAL, "volume \"%s\": unknown option \"%s\" (use ro, rw or nocopy)", v, o);
        }
    }
    if (nocopy)
        json_object_object_add(m, "nocopy", json_object_new_boolean(1));
    if (n == 1) {
        json_object_object_add(m, "type", json_object_new_string("anonymous"));
        json_object_object_add(m, "destination", json_object_new_string(parts[0]));
    } else {
        if (!*parts[0] || !*parts[1]) {
            json_object_put(m);
            return berth_fail(BERTH_EINVAL, "volume \"%s\": expected SOURCE:DESTINATION[:ro]", v);
        }
        json_object_object_add(m, "type", json_object_new_string(parts[0][0] == '/' ? "bind" : "volume"));
        json_object_object_add(m, "source", json_object_new_string(parts[0]));
        json_object_object_add(m, "destination", json_object_new_string(parts[1]));
    }
    json_object_object_add(m, "read_only", json_object_new_boolean(ro));
    json_object_array_add(mounts, m);
    return 0;
}

static int valid_volume_name(const char *s)
{
    if (!container_name_valid(s) && !(strlen(s) == 1 && s[0] != '.'))
        return 0;
    return strstr(s, "..") == NULL;
}

/* Checks and normalises the mounts of the request and adds the image's Volumes as anonymous
 * volumes (kept in the bundle, removed with the container). */
static int resolve_mounts(json_object *out, json_object *req, json_object *image_volumes)
{
    json_object *given = json_arr(req, "mounts");
    json_object *vols = json_arr(req, "volumes");
    json_object *all = json_object_new_array();
    int rc = 0;
    for (size_t i = 0; given && i < json_object_array_length(given); i++)
        json_object_array_add(all, json_object_get(json_object_array_get_idx(given, i)));
    for (size_t i = 0; rc == 0 && vols && i < json_object_array_length(vols); i++) {
        const char *v = json_object_get_string(json_object_array_get_idx(vols, i));
        rc = parse_volume_string(all, v ? v : "");
    }
    if (image_volumes)
        for (struct json_object_iterator it = json_object_iter_begin(image_volumes), end = json_object_iter_end(image_volumes);
             !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
            const char *dest = json_object_iter_peek_name(&it);
            int covered = 0;
            for (size_t i = 0; i < json_object_array_length(all) && !covered; i++) {
                const char *d = json_str(json_object_array_get_idx(all, i), "destination");
                covered = d && strcmp(d, dest) == 0;
            }
            if (!covered && rc == 0)
                rc = parse_volume_string(all, dest);
        }
    for (size_t i = 0; rc == 0 && i < json_object_array_length(all); i++) {
        json_object *m = json_object_array_get_idx(all, i);
        const char *type = json_str(m, "type"), *src = json_str(m, "source"), *dst = json_str(m, "destination");
        if (!type)
            type = src && src[0] != '/' ? "volume" : "bind";
        if (!dst || dst[0] != '/' || strstr(dst, "/../") || strcmp(dst, "/") == 0)
            rc = berth_fail(BERTH_EINVAL, "mount %zu: the destination \"%s\" must be an absolute path other than /", i + 1, dst ? dst : "");
        else if (strcmp(type, "bind") == 0 && (!src || src[0] != '/'))
            rc = berth_fail(BERTH_EINVAL, "mount %s: a bind mount needs an absolute host path, got \"%s\"", dst, src ? src : "");
        else if (strcmp(type, "volume") == 0 && (!src || !valid_volume_name(src)))
            rc = berth_fail(BERTH_EINVAL, "mount %s: \"%s\" is not a valid volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)", dst, src ? src : "");
        else if (strcmp(type, "bind") && strcmp(type, "volume") && strcmp(type, "anonymous"))
            rc = berth_fail(BERTH_EINVAL, "mount %s: unknown type \"%s\" (bind, volume)", dst, type);
        if (rc)
            break;
        json_object *n = json_object_new_object();
        json_object_object_add(n, "type", json_object_new_string(type));
        if (src)
            json_object_object_add(n, "source", json_object_new_string(src));
        json_object_object_add(n, "destination", json_object_new_string(dst));
        json_object *ro = field(m, "read_only");
        json_object_object_add(n, "read_only", json_object_new_boolean(ro && json_object_get_boolean(ro)));
        json_object *nc = field(m, "nocopy");
        if (nc && json_object_get_boolean(nc))
            json_object_object_add(n, "nocopy", json_object_new_boolean(1));
        json_object_array_add(out, n);
    }
    json_object_put(all);
    return rc;
}

int container_spec_resolve(json_object **out, berth_t *b, json_object *req)
{
    *out = NULL;
    json_object *spec = json_object_new_object(), *layers = json_object_new_array(), *cfgdoc = NULL;
    char *image_id = NULL;
    int rc = 0;
    const char *image = json_str(req, "image"), *rootfs = json_str(req, "rootfs");
    if (!image && !rootfs) {
        rc = berth_fail(BERTH_EINVAL, "create container: no image given");
        goto out;
    }
    if (rootfs) {
        /* a prepared folder used as the only (read-only) layer: for tests and benchmarks */
        if (rootfs[0] != '/' || !fs_exists(rootfs)) {
            rc = berth_fail(BERTH_EINVAL, "create container: rootfs \"%s\" must be an existing absolute folder", rootfs);
            goto out;
        }
        json_object *l = json_object_new_object();
        json_object_object_add(l, "path", json_object_new_string(rootfs));
        json_object_array_add(layers, l);
        cfgdoc = json_object_new_object();
        if (!image)
            image = rootfs;
    } else if ((rc = load_image(&cfgdoc, &image_id, layers, b, image)) != 0) {
        goto out;
    }
    json_object *ic = json_obj(cfgdoc, "config");   /* the image's runtime defaults */
    const char *os = json_str(cfgdoc, "os");
    if (os && strcmp(os, "linux") && strcmp(os, "windows")) {
        rc = berth_fail(BERTH_EPLATFORM, "image %s is for os \"%s\"; Berth runs linux and windows images", image, os);
        goto out;
    }
    json_object_object_add(spec, "image", json_object_new_string(image));
    json_object_object_add(spec, "image_id", jstr(image_id));
    json_object_object_add(spec, "os", json_object_new_string(os ? os : "linux"));
    json_object_object_add(spec, "architecture", jstr(json_str(cfgdoc, "architecture")));

    /* docker: --entrypoint replaces the image's Entrypoint and drops its Cmd; a given cmd
     * replaces Cmd. */
    json_object *ep_req = field(req, "entrypoint"), *cmd_req = field(req, "cmd");
    json_object *entry = ep_req ? str_list(ep_req) : str_list(field(ic, "Entrypoint"));
    json_object *cmd = (cmd_req && json_object_array_length(cmd_req)) ? str_list(cmd_req)
                       : ep_req ? json_object_new_array() : str_list(field(ic, "Cmd"));
    json_object *args = json_object_new_array();
    for (size_t i = 0; entry && i < json_object_array_length(entry); i++)
        json_object_array_add(args, json_object_get(json_object_array_get_idx(entry, i)));
    for (size_t i = 0; cmd && i < json_object_array_length(cmd); i++)
        json_object_array_add(args, json_object_get(json_object_array_get_idx(cmd, i)));
    json_object_object_add(spec, "entrypoint", entry ? entry : json_object_new_array());
    json_object_object_add(spec, "cmd", cmd ? cmd : json_object_new_array());
    json_object_object_add(spec, "args", args);
    if (json_object_array_length(args) == 0) {
        rc = berth_fail(BERTH_EINVAL, "create container from %s: no command — the image has no Entrypoint or Cmd; give one after the image name", image);
        goto out;
    }

    json_object *env = merge_env(json_arr(ic, "Env"), json_arr(req, "env"));
    if (!env_has(env, "PATH"))
        json_object_array_add(env, json_object_new_string("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
    json_object_object_add(spec, "env", env);

    const char *workdir = json_str(req, "workdir");
    if (!workdir || !*workdir)
        workdir = json_str(ic, "WorkingDir");
    if (workdir && *workdir && workdir[0] != '/') {
        rc = berth_fail(BERTH_EINVAL, "the working directory \"%s\" must be an absolute path", workdir);
        goto out;
    }
    json_object_object_add(spec, "workdir", json_object_new_string(workdir && *workdir ? workdir : "/"));
    const char *user = json_str(req, "user");
    if (!user || !*user)
        user = json_str(ic, "User");
    json_object_object_add(spec, "user", json_object_new_string(user ? user : ""));
    json_object_object_add(spec, "hostname", jstr(json_str(req, "hostname")));

    json_object *mounts = json_object_new_array();
    json_object_object_add(spec, "mounts", mounts);
    if ((rc = resolve_mounts(mounts, req, json_obj(ic, "Volumes"))) != 0)
        goto out;

    json_object *v;
    json_object_object_add(spec, "read_only", json_object_new_boolean((v = field(req, "read_only")) && json_object_get_boolean(v)));
    json_object_object_add(spec, "tty", json_object_new_boolean((v = field(req, "tty")) && json_object_get_boolean(v)));
    json_object_object_add(spec, "open_stdin", json_object_new_boolean((v = field(req, "open_stdin")) && json_object_get_boolean(v)));
    json_object_object_add(spec, "auto_remove", json_object_new_boolean((v = field(req, "auto_remove")) && json_object_get_boolean(v)));
    if ((rc = restart_policy_apply(spec, field(req, "restart_policy"))) != 0)
        goto out;
    int64_t mem = json_int(req, "memory", 0);
    if (mem < 0 || (mem > 0 && mem < 6 * 1024 * 1024)) {
        rc = berth_fail(BERTH_EINVAL, "memory limit %lld bytes: the minimum is 6 MiB (6m)", (long long)mem);
        goto out;
    }
    json_object_object_add(spec, "memory", json_object_new_int64(mem));
    double cpus = (v = field(req, "cpus")) ? json_object_get_double(v) : 0;
    if (cpus < 0 || cpus > 1024) {
        rc = berth_fail(BERTH_EINVAL, "cpus %.3f: give a number of CPUs between 0.01 and the host's count", cpus);
        goto out;
    }
    json_object_object_add(spec, "cpu_millis", json_object_new_int64((int64_t)(cpus * 1000 + 0.5)));

    const char *net = json_str(req, "network");
    if (!net || !*net)
        net = CONTAINER_DEFAULT_NETWORK;
    if (strcmp(net, "none") && strcmp(net, "host") && strcmp(net, "bridge")) {
        rc = berth_fail(BERTH_EINVAL, "network \"%s\": Berth knows none, host and bridge", net);
        goto out;
    }
    json_object_object_add(spec, "network", json_object_new_string(net));
    json_object *ports = str_list(field(req, "ports"));
    if (ports && json_object_array_length(ports) && strcmp(net, "bridge") != 0) {
        json_object_put(ports);
        rc = berth_fail(BERTH_EINVAL, "publishing ports needs the bridge network (not \"%s\")", net);
        goto out;
    }
    json_object_object_add(spec, "ports", ports ? ports : json_object_new_array());
    json_object *exposed = json_obj(ic, "ExposedPorts"), *ex = json_object_new_array();
    if (exposed)
        for (struct json_object_iterator it = json_object_iter_begin(exposed), end = json_object_iter_end(exposed);
             !json_object_iter_equal(&it, &end); json_object_iter_next(&it))
        json_object_array_add(ex, json_object_new_string(json_object_iter_peek_name(&it)));
    json_object_object_add(spec, "exposed_ports", ex);

    /* security: capabilities, seccomp, AppArmor, no-new-privileges (container/security.c) */
    if ((rc = container_security_resolve(spec, req)) != 0)
        goto out;

    const char *stop = json_str(req, "stop_signal");
    if (!stop || !*stop)
        stop = json_str(ic, "StopSignal");
    if (!stop || !*stop)
        stop = "SIGTERM";
    if (container_signal_number(stop) < 0) {
        rc = berth_fail(BERTH_EINVAL, "stop signal \"%s\" is not a signal name or number", stop);
        goto out;
    }
    json_object_object_add(spec, "stop_signal", json_object_new_string(stop));
    json_object_object_add(spec, "stop_timeout", json_object_new_int64(json_int(req, "stop_timeout", 10)));

    /* labels: the image's, then the user's on top */
    json_object *labels = json_object_new_object();
    json_object *il = json_obj(ic, "Labels"), *ul = json_obj(req, "labels");
    json_object *srcs[2] = { il, ul };
    for (int s_ = 0; s_ < 2; s_++)
        if (srcs[s_])
            for (struct json_object_iterator it = json_object_iter_begin(srcs[s_]), end = json_object_iter_end(srcs[s_]);
                 !json_object_iter_equal(&it, &end); json_object_iter_next(&it))
            json_object_object_add(labels, json_object_iter_peek_name(&it), json_object_get(json_object_iter_peek_value(&it)));
    json_object_object_add(spec, "labels", labels);
    json_object_object_add(spec, "layers", layers);
    layers = NULL;
    *out = spec;
    spec = NULL;
out:
    json_object_put(spec);
    json_object_put(layers);
    json_object_put(cfgdoc);
    free(image_id);
    return rc;
}
