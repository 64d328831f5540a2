/* berth_container_exec: a process in a running container, environment and user defaulting to
 * the container's, with the caller's stdio. */
#include "container/container.h"
#include "core/error.h"
#include "core/json.h"
#include <stdlib.h>
#include <string.h>

int berth_container_exec(int *exit_code, berth_t *b, const char *name, const char *spec_json, int stdin_fd, int stdout_fd, int stderr_fd)
{
    berth_error_clear();
    if (!exit_code)
        return berth_fail(BERTH_EINVAL, "exec: exit_code is NULL");
    container_rec r = { 0 };
    json_object *req = NULL, *spec = NULL;
    container_rt rt = { 0 };
    const char **env = NULL, **args = NULL;
    int rc = spec_json ? json_parse_limited(&req, spec_json, strlen(spec_json), "exec spec") : berth_fail(BERTH_EINVAL, "exec: no spec");
    if (rc == 0 && (rc = container_db_find(&r, b, name)) == 0)
        rc = container_reconcile(b, &r);
    if (rc)
        goto out;
    if (strcmp(r.state, "running") != 0) {
        rc = berth_fail(BERTH_ESTATE, "cannot exec in container %s: it is not running (%s) — start it first", r.name, r.state);
        goto out;
    }
    if (r.restarting) {   /* docker's answer too: between two runs there is no process to join */
        rc = berth_fail(BERTH_ESTATE, "cannot exec in container %s: it is restarting (restart %d, last exit code %d) — wait until it "
                        "runs, or see why it exits: berth logs %s", r.name, r.restart_count, r.exit_code, r.name);
        goto out;
    }
    json_object *cmd = json_arr(req, "cmd");
    if (!cmd || json_object_array_length(cmd) == 0) {
        rc = berth_fail(BERTH_EINVAL, "exec in %s: no command given", r.name);
        goto out;
    }
    if ((rc = json_parse_limited(&spec, r.spec, strlen(r.spec), "stored spec")) != 0)
        goto out;
    const runtime_backend *be = container_backend(spec);
    if (!be || !be->exec) {
        rc = be ? berth_fail(BERTH_EUNSUPPORTED, "exec: the %s runtime cannot run extra processes", be->name) : BERTH_EPLATFORM;
        goto out;
    }
    if ((rc = container_rt_build(&rt, b, r.id, r.name, spec)) != 0)
        goto out;
    /* the process: the container's env with the given entries on top */
    json_object *extra = json_arr(req, "env");
    size_t ne = rt.rs.n_env, nx = extra ? json_object_array_length(extra) : 0, nc = json_object_array_length(cmd);
    env = calloc(ne + nx + 1, sizeof *env);
    args = calloc(nc + 1, sizeof *args);
    if (!env || !args) {
        rc = berth_fail_oom();
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < ne; i++) {
        size_t kl = strcspn(rt.rs.env[i], "=");
        int over = 0;
        for (size_t j = 0; j < nx && !over; j++) {
            const char *x = json_object_get_string(json_object_array_get_idx(extra, j));
            over = strncmp(x, rt.rs.env[i], kl) == 0 && x[kl] == '=';
        }
        if (!over)
            env[k++] = rt.rs.env[i];
    }
    for (size_t j = 0; j < nx; j++)
        env[k++] = json_object_get_string(json_object_array_get_idx(extra, j));
    for (size_t i = 0; i < nc; i++)
        args[i] = json_object_get_string(json_object_array_get_idx(cmd, i));
    runtime_spec proc = rt.rs;
    proc.args = args;
    proc.n_args = nc;
    proc.env = env;
    proc.n_env = k;
    const char *w = json_str(req, "workdir"), *u = json_str(req, "user");
    if (w && *w)
        proc.workdir = w;
    if (u && *u)
        proc.user = u;
    json_object *t;
    proc.tty = json_object_object_get_ex(req, "tty", &t) && json_object_get_boolean(t);
    rc = be->exec(exit_code, b, r.id, &proc, stdin_fd, stdout_fd, stderr_fd);
out:
    free(env);
    free(args);
    container_rt_free(&rt);
    json_object_put(req);
    json_object_put(spec);
    container_rec_free(&r);
    return rc;
}
