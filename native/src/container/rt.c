/* From a stored spec to what a backend takes: the runtime_spec (borrowing the JSON's strings)
 * and the backend for the image's os. */
#include "container/container.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const runtime_backend *container_backend(json_object *spec)
{
    const char *os = json_str(spec, "os");
    return runtime_for_os(os ? os : "linux");
}

static const char **str_vec(json_object *arr, size_t *n)
{
    *n = arr ? json_object_array_length(arr) : 0;
    const char **v = calloc(*n + 1, sizeof *v);
    for (size_t i = 0; v && i < *n; i++)
        v[i] = json_object_get_string(json_object_array_get_idx(arr, i));
    return v;
}

void container_rt_free(container_rt *rt)
{
    free(rt->args);
    free(rt->env);
    free(rt->ports);
    free(rt->mounts);
    free(rt->layers);
    free(rt->bundle);
    free(rt->caps);
    free(rt->mount_copy);
    memset(rt, 0, sizeof *rt);
}

int container_rt_build(container_rt *rt, berth_t *b, const char *id, const char *name, json_object *spec)
{
    memset(rt, 0, sizeof *rt);
    runtime_spec *s = &rt->rs;
    char rel[128];
    snprintf(rel, sizeof rel, "containers/%s", id);
    rt->bundle = fs_join(berth_root(b), rel);
    s->id = id;
    s->name = name;
    s->bundle_dir = rt->bundle;
    const char *os = json_str(spec, "os"), *arch = json_str(spec, "architecture");
    snprintf(s->platform.os, sizeof s->platform.os, "%s", os ? os : "linux");
    snprintf(s->platform.arch, sizeof s->platform.arch, "%s", arch ? arch : "");
    rt->args = str_vec(json_arr(spec, "args"), &s->n_args);
    rt->env = str_vec(json_arr(spec, "env"), &s->n_env);
    rt->ports = str_vec(json_arr(spec, "ports"), &s->n_ports);
    s->args = rt->args;
    s->env = rt->env;
    s->ports = rt->ports;
    s->workdir = json_str(spec, "workdir");
    s->user = json_str(spec, "user");
    s->hostname = json_str(spec, "hostname");
    json_object *v;
    s->read_only_rootfs = json_object_object_get_ex(spec, "read_only", &v) && json_object_get_boolean(v);
    s->tty = json_object_object_get_ex(spec, "tty", &v) && json_object_get_boolean(v);
    s->open_stdin = json_object_object_get_ex(spec, "open_stdin", &v) && json_object_get_boolean(v);
    s->memory_bytes = json_int(spec, "memory", 0);
    s->cpu_millis = json_int(spec, "cpu_millis", 0);
    s->network = json_str(spec, "network");
    s->stop_signal = json_str(spec, "stop_signal");

    /* security (container/security.c); a spec stored before it existed gets the defaults */
    json_object *sec = json_obj(spec, "security");
    if (sec) {
        json_object *caps = json_arr(sec, "capabilities");
        if (caps && !(rt->caps = str_vec(caps, &s->n_caps))) {
            container_rt_free(rt);
            return berth_fail_oom();
        }
        s->caps = rt->caps;
        s->privileged = json_object_object_get_ex(sec, "privileged", &v) && json_object_get_boolean(v);
        s->no_new_privileges = json_object_object_get_ex(sec, "no_new_privileges", &v) && json_object_get_boolean(v);
        s->unmask_paths = json_object_object_get_ex(sec, "masked_paths", &v) && !json_object_get_boolean(v);
        s->seccomp = json_str(sec, "seccomp");
        json_object *profile = json_obj(sec, "seccomp_profile");
        if (s->seccomp && strcmp(s->seccomp, "custom") == 0)
            s->seccomp = profile ? json_object_to_json_string_ext(profile, JSON_C_TO_STRING_PLAIN) : "default";
        s->apparmor = json_str(sec, "apparmor");
    }

    json_object *layers = json_arr(spec, "layers"), *mounts = json_arr(spec, "mounts");
    s->n_layers = layers ? json_object_array_length(layers) : 0;
    s->n_mounts = mounts ? json_object_array_length(mounts) : 0;
    rt->layers = calloc(s->n_layers + 1, sizeof *rt->layers);
    rt->mounts = calloc(s->n_mounts + 1, sizeof *rt->mounts);
    rt->mount_copy = calloc(s->n_mounts + 1, 1);
    if (!rt->mount_copy || !rt->bundle || !rt->args || !rt->env || !rt->ports || !rt->layers || !rt->mounts) {
        container_rt_free(rt);
        return berth_fail_oom();
    }
    s->layers = rt->layers;
    s->mounts = rt->mounts;
    s->mount_copy = rt->mount_copy;
    for (size_t i = 0; i < s->n_layers; i++) {
        json_object *l = json_object_array_get_idx(layers, i);
        rt->layers[i].path = json_str(l, "path");
        rt->layers[i].chain_id = json_str(l, "chain_id");
    }
    /* anonymous volumes live in the bundle (removed with the container, like docker rm -v) */
    for (size_t i = 0; i < s->n_mounts; i++) {
        json_object *m = json_object_array_get_idx(mounts, i);
        const char *type = json_str(m, "type");
        runtime_mount *rm = &rt->mounts[i];
        rm->destination = json_str(m, "destination");
        rm->source = json_str(m, "source");
        rm->read_only = json_object_object_get_ex(m, "read_only", &v) && json_object_get_boolean(v);
        rm->is_volume = type && strcmp(type, "volume") == 0;
        rt->mount_copy[i] = type && (strcmp(type, "volume") == 0 || strcmp(type, "anonymous") == 0) &&
                              !(json_object_object_get_ex(m, "nocopy", &v) && json_object_get_boolean(v));
        if (type && strcmp(type, "anonymous") == 0) {
            char sub[64];
            snprintf(sub, sizeof sub, "volumes/%zu", i);
            char *p = fs_join(rt->bundle, sub);
            /* only a created container has a bundle; a plan must not write anything */
            if (!p || (fs_exists(rt->bundle) && fs_mkdir_p(p, 0755) != 0)) {
                free(p);
                container_rt_free(rt);
                return berth_wrap(BERTH_ERROR, "anonymous volume for %s", rm->destination);
            }
            /* keep the path alive in the spec object, which owns it from here */
            json_object_object_add(m, "source", json_object_new_string(p));
            free(p);
            rm->source = json_str(m, "source");
        }
    }
    return 0;
}
