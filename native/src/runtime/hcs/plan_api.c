/* berth_hcs_plan: the HCS documents for a Windows container described directly (layer
 * folders, command, limits…), on any host and without a store — what `berth hcs-plan` prints
 * and what a module can show for -WhatIf. `berth create --dry-run` reaches the same builder
 * through runtime_hcs.plan once the container layer has resolved the image. */
#include "runtime/hcs/doc.h"
#include "core/error.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLAN_SPEC_MAX (1u << 20)
#define PLAN_LIST_MAX 4096
#define DEFAULT_ROOT "C:\\ProgramData\\berth"

typedef struct {
    const char **strs[4];          /* layers, args, env, ports: owned arrays of borrowed strings */
    runtime_layer *layers;
    runtime_mount *mounts;
    char *bundle;
} plan_mem;

/* A list of strings under key into *out (borrowed from o); absent is an empty list. */
static int str_list(const char ***out, size_t *n_out, json_object *o, const char *key)
{
    json_object *a;
    *out = NULL;
    *n_out = 0;
    if (!json_object_object_get_ex(o, key, &a) || json_object_is_type(a, json_type_null))
        return 0;
    if (!json_object_is_type(a, json_type_array))
        return berth_fail(BERTH_EINVAL, "hcs plan: \"%s\" must be a list of strings", key);
    size_t n = json_object_array_length(a);
    if (n > PLAN_LIST_MAX)
        return berth_fail(BERTH_EINVAL, "hcs plan: \"%s\" has %zu entries; at most %d", key, n, PLAN_LIST_MAX);
    const char **v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        return berth_fail_oom();
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(a, i);
        if (!json_object_is_type(e, json_type_string)) {
            free(v);
            return berth_fail(BERTH_EINVAL, "hcs plan: \"%s\"[%zu] is not a string", key, i);
        }
        v[i] = json_object_get_string(e);
    }
    *out = v;
    *n_out = n;
    return 0;
}

static int opt_str(const char **out, json_object *o, const char *key)
{
    json_object *v;
    *out = NULL;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return 0;
    if (!json_object_is_type(v, json_type_string))
        return berth_fail(BERTH_EINVAL, "hcs plan: \"%s\" must be a string", key);
    *out = json_object_get_string(v);
    return 0;
}

static int opt_bool(int *out, json_object *o, const char *key)
{
    json_object *v;
    *out = 0;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return 0;
    if (!json_object_is_type(v, json_type_boolean))
        return berth_fail(BERTH_EINVAL, "hcs plan: \"%s\" must be true or false", key);
    *out = json_object_get_boolean(v);
    return 0;
}

static int opt_num(double *out, json_object *o, const char *key, double max)
{
    json_object *v;
    *out = 0;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return 0;
    if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
        return berth_fail(BERTH_EINVAL, "hcs plan: \"%s\" must be a number", key);
    double d = json_object_get_double(v);
    if (!(d >= 0) || d > max)
        return berth_fail(BERTH_EINVAL, "hcs plan: \"%s\" is %g; it must be between 0 and %g", key, d, max);
    *out = d;
    return 0;
}

static int read_mounts(plan_mem *m, runtime_spec *s, json_object *o)
{
    json_object *a;
    if (!json_object_object_get_ex(o, "mounts", &a) || json_object_is_type(a, json_type_null))
        return 0;
    if (!json_object_is_type(a, json_type_array) || json_object_array_length(a) > PLAN_LIST_MAX)
        return berth_fail(BERTH_EINVAL, "hcs plan: \"mounts\" must be a list of {\"source\",\"destination\"}");
    size_t n = json_object_array_length(a);
    m->mounts = calloc(n ? n : 1, sizeof *m->mounts);
    if (!m->mounts)
        return berth_fail_oom();
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(a, i);
        runtime_mount *mt = &m->mounts[i];
        int rc;
        if (!json_object_is_type(e, json_type_object))
            return berth_fail(BERTH_EINVAL, "hcs plan: mounts[%zu] is not an object", i);
        if ((rc = opt_str(&mt->source, e, "source")) || (rc = opt_str(&mt->destination, e, "destination")) ||
            (rc = opt_bool(&mt->read_only, e, "read_only")) || (rc = opt_bool(&mt->is_volume, e, "volume")))
            return rc;
    }
    s->mounts = m->mounts;
    s->n_mounts = n;
    return 0;
}

static int read_spec(plan_mem *m, runtime_spec *s, int *host_cpus, json_object *o)
{
    const char *iso = NULL, *root = NULL, **layers = NULL;
    size_t n_layers = 0;
    double mem = 0, cpus = 0, hostc = 0;
    int rc;
    memset(s, 0, sizeof *s);
    if ((rc = opt_str(&s->id, o, "id")) || (rc = opt_str(&root, o, "root")) || (rc = opt_str(&iso, o, "isolation")) ||
        (rc = opt_str(&s->workdir, o, "workdir")) || (rc = opt_str(&s->user, o, "user")) ||
        (rc = opt_str(&s->hostname, o, "hostname")) || (rc = opt_str(&s->network, o, "network")) ||
        (rc = opt_bool(&s->tty, o, "tty")) || (rc = opt_bool(&s->open_stdin, o, "stdin")) ||
        (rc = opt_num(&mem, o, "memory", 9.0e15)) || (rc = opt_num(&cpus, o, "cpus", 2048)) ||
        (rc = opt_num(&hostc, o, "host_processors", 65536)))
        return rc;
    if ((rc = str_list(&layers, &n_layers, o, "layers")) != 0)
        return rc;
    m->strs[0] = layers;
    if ((rc = str_list(&m->strs[1], &s->n_args, o, "args")) || (rc = str_list(&m->strs[2], &s->n_env, o, "env")) ||
        (rc = str_list(&m->strs[3], &s->n_ports, o, "ports")) || (rc = read_mounts(m, s, o)))
        return rc;
    s->args = (const char *const *)m->strs[1];
    s->env = (const char *const *)m->strs[2];
    s->ports = (const char *const *)m->strs[3];
    if (!s->id || !*s->id)
        s->id = "dry-run";
    if (strpbrk(s->id, "/\\:") || strcmp(s->id, "..") == 0 || strcmp(s->id, ".") == 0 || strlen(s->id) > 128)
        return berth_fail(BERTH_EINVAL, "hcs plan: id \"%s\" must be a plain name of at most 128 characters", s->id);
    if (!iso || !*iso || strcmp(iso, "process") == 0)
        s->isolation = ISOLATION_PROCESS;
    else if (strcmp(iso, "hyperv") == 0 || strcmp(iso, "hyper-v") == 0)
        s->isolation = ISOLATION_HYPERV;
    else
        return berth_fail(BERTH_EINVAL, "hcs plan: isolation \"%s\" is not process or hyperv", iso);
    m->layers = calloc(n_layers ? n_layers : 1, sizeof *m->layers);
    if (!m->layers)
        return berth_fail_oom();
    for (size_t i = 0; i < n_layers; i++) {
        m->layers[i].path = layers[i];
        m->layers[i].chain_id = "";
    }
    s->layers = m->layers;
    s->n_layers = n_layers;
    /* <root>\containers\<id>, as the store lays out a Windows host */
    root = root && *root ? root : DEFAULT_ROOT;
    size_t len = strlen(root) + strlen(s->id) + 16;
    if (!(m->bundle = malloc(len)))
        return berth_fail_oom();
    int win = strchr(root, '\\') || (root[0] && root[1] == ':');
    snprintf(m->bundle, len, win ? "%s\\containers\\%s" : "%s/containers/%s", root, s->id);
    s->bundle_dir = m->bundle;
    s->memory_bytes = (int64_t)mem;
    s->cpu_millis = (int64_t)(cpus * 1000 + 0.5);
    *host_cpus = (int)hostc;
    return 0;
}

int berth_hcs_plan(char **out_json, const char *spec_json)
{
    berth_error_clear();
    if (!out_json || !spec_json)
        return berth_fail(BERTH_EINVAL, "hcs plan: out_json and spec_json are required");
    size_t len = strlen(spec_json);
    if (len > PLAN_SPEC_MAX)
        return berth_fail(BERTH_EINVAL, "hcs plan: the spec is larger than %u bytes", PLAN_SPEC_MAX);
    json_object *o = NULL, *plan = NULL;
    plan_mem m;
    memset(&m, 0, sizeof m);
    runtime_spec s;
    int host = 0;
    int rc = json_parse_limited(&o, spec_json, len, "hcs plan spec");
    if (rc == 0 && !json_object_is_type(o, json_type_object))
        rc = berth_fail(BERTH_EINVAL, "hcs plan spec: not a JSON object");
    if (rc == 0)
        rc = read_spec(&m, &s, &host, o);
    if (rc == 0) {
        hcs_docs_options opts = { NULL, NULL, NULL, NULL, host };
        rc = hcs_plan_object(&plan, &s, &opts);
    }
    if (rc == 0)
        rc = json_hand_out(out_json, plan);
    json_object_put(o);
    for (int i = 0; i < 4; i++)
        free((void *)m.strs[i]);
    free(m.layers);
    free(m.mounts);
    free(m.bundle);
    return rc;
}
