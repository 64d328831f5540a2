/* The public container lifecycle: create, plan, start, stop, kill, wait, remove. No daemon:
 * each call reads the row, reconciles it with reality (is its monitor alive?), acts through
 * the backend, and records the result. */
#include "container/container.h"
#include "container/lock.h"
#include "container/view.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Signal numbers as the backends take them (Linux numbering; runtime/hcs maps them). The
 * Windows CRT's signal.h has no SIGKILL. */
#define SIG_KILL 9
#define SIG_TERM 15

static int parse_request(json_object **out, const char *spec_json)
{
    if (!spec_json)
        return berth_fail(BERTH_EINVAL, "create container: no spec given");
    int rc = json_parse_limited(out, spec_json, strlen(spec_json), "container spec");
    if (rc == 0 && !json_object_is_type(*out, json_type_object)) {
        json_object_put(*out);
        *out = NULL;
        rc = berth_fail(BERTH_EINVAL, "container spec: expected a JSON object");
    }
    return rc;
}

static int load_spec(json_object **out, const container_rec *r)
{
    return json_parse_limited(out, r->spec, strlen(r->spec), "stored container spec");
}

int berth_container_plan(char **out_json, berth_t *b, const char *spec_json)
{
    berth_error_clear();
    json_object *req = NULL, *spec = NULL;
    container_rt rt = { 0 };
    char id[65];
    int rc = parse_request(&req, spec_json);
    if (rc == 0)
        rc = container_spec_resolve(&spec, b, req);
    if (rc == 0)
        rc = container_new_id(id);
    const char *name = json_str(req, "name");
    if (rc == 0)
        rc = container_rt_build(&rt, b, id, name ? name : "(plan)", spec);
    const runtime_backend *be = rc == 0 ? container_backend(spec) : NULL;
    if (rc == 0 && !be)
        rc = BERTH_EPLATFORM;
    if (rc == 0) {
        if (!rt.rs.hostname)
            rt.rs.hostname = id;
        rc = be->plan(out_json, &rt.rs);
    }
    container_rt_free(&rt);
    json_object_put(req);
    json_object_put(spec);
    return rc;
}

int berth_container_create(char **out_json, berth_t *b, const char *spec_json)
{
    berth_error_clear();
    json_object *req = NULL, *spec = NULL;
    container_rec r = { 0 };
    container_rt rt = { 0 };
    char name[160], hostname[13];
    int rc = parse_request(&req, spec_json), inserted = 0;
    if (rc == 0)
        rc = container_spec_resolve(&spec, b, req);
    if (rc == 0)
        rc = container_new_id(r.id);
    const char *given = json_str(req, "name");
    if (rc == 0 && given && !container_name_valid(given))
        rc = berth_fail(BERTH_EINVAL, "invalid container name \"%s\": use [a-zA-Z0-9][a-zA-Z0-9_.-]+", given);
    if (rc)
        goto out;
    /* docker's default hostname: the short id */
    if (!json_str(spec, "hostname")) {
        snprintf(hostname, sizeof hostname, "%.12s", r.id);
        json_object_object_add(spec, "hostname", json_object_new_string(hostname));
    }
    json_object *ar;
    r.auto_remove = json_object_object_get_ex(spec, "auto_remove", &ar) && json_object_get_boolean(ar);
    r.image = (char *)json_str(spec, "image");
    r.image_id = (char *)json_str(spec, "image_id");
    r.state = "created";
    char now[64];
    container_now(now, sizeof now);
    r.created = now;
    if (!(r.spec = json_dup_string(spec))) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    /* the row first: the UNIQUE name decides between two creators at once */
    for (unsigned attempt = 0;; attempt++) {
        if (given)
            snprintf(name, sizeof name, "%s", given);
        else if ((rc = container_new_name(name, sizeof name, attempt)) != 0)
            goto out;
        r.name = name;
        rc = container_db_insert(b, &r);
        if (rc != BERTH_EEXISTS || given || attempt > 20)
            break;
    }
    if (rc)
        goto out;
    inserted = 1;
    const runtime_backend *be = container_backend(spec);
    if (!be) {
        rc = BERTH_EPLATFORM;
        goto out;
    }
    char *bundle = NULL;
    char rel[128];
    snprintf(rel, sizeof rel, "containers/%s", r.id);
    if (!(bundle = fs_join(berth_root(b), rel)) || (rc = fs_mkdir_p(bundle, 0711)) != 0) {
        free(bundle);
        rc = rc ? rc : BERTH_ENOMEM;
        goto out;
    }
    free(bundle);
    if ((rc = container_rt_build(&rt, b, r.id, name, spec)) == 0)
        rc = be->create(b, &rt.rs);
    if (rc == 0) {
        container_rec back = { 0 };
        if ((rc = container_db_get(&back, b, r.id)) == 0)
            rc = container_view_json(out_json, b, &back);
        container_rec_free(&back);
    }
out:
    if (rc && inserted) {
        int keep = rc;
        char msg[2048];
        snprintf(msg, sizeof msg, "%s", berth_errmsg());
        const runtime_backend *undo = spec ? container_backend(spec) : NULL;
        if (undo)
            undo->remove(b, r.id);
        container_db_delete(b, r.id, -1);
        berth_fail(keep, "%s", msg);
    }
    free(r.spec);
    container_rt_free(&rt);
    json_object_put(req);
    json_object_put(spec);
    return rc;
}

int container_reconcile(berth_t *b, container_rec *r)
{
    if (strcmp(r->state, "running") != 0)
        return 0;
    json_object *spec = NULL;
    int rc = load_spec(&spec, r), alive = 0;
    const runtime_backend *be = rc == 0 ? container_backend(spec) : NULL;
    json_object_put(spec);
    if (!be)
        return rc ? rc : BERTH_EPLATFORM;
    if ((rc = be->alive(b, r->id, &alive)) != 0 || alive)
        return rc;
    /* The monitor is gone (killed, or the host restarted). Without it nobody collects the
     * output or the exit code, so stop what may be left and record why. */
    be->signal(b, r->id, SIG_KILL);
    char why[256];
    snprintf(why, sizeof why, "the container's monitor (berth-shim, pid %lld) is gone — killed or the host restarted; "
             "the container was stopped and its exit code is unknown", (long long)r->shim_pid);
    berth_error_clear();
    if ((rc = container_db_set_exited(b, r->id, "running", 255, why)) != 0)
        return rc;
    container_rec fresh = { 0 };
    if ((rc = container_db_get(&fresh, b, r->id)) == 0) {
        container_rec_free(r);
        *r = fresh;
    }
    return rc;
}

/* Finds and reconciles. */
static int find(container_rec *r, berth_t *b, const char *name)
{
    int rc = container_db_find(r, b, name);
    if (rc == 0 && (rc = container_reconcile(b, r)) != 0)
        container_rec_free(r);
    return rc;
}

static int backend_of(const runtime_backend **be, const container_rec *r)
{
    json_object *spec = NULL;
    int rc = load_spec(&spec, r);
    *be = rc == 0 ? container_backend(spec) : NULL;
    json_object_put(spec);
    return rc ? rc : *be ? 0 : BERTH_EPLATFORM;
}

static char *lock_path(berth_t *b, const char *id)
{
    char rel[128];
    snprintf(rel, sizeof rel, "containers/%s/op.lock", id);
    return fs_join(berth_root(b), rel);
}

int berth_container_start(berth_t *b, const char *name)
{
    berth_error_clear();
    container_rec r = { 0 };
    json_object *spec = NULL;
    container_rt rt = { 0 };
    char *lp = NULL;
    int lock = -1;
    int rc = find(&r, b, name);
    if (rc)
        return rc;
    char what[200];
    snprintf(what, sizeof what, "start container %s", r.name);
    if (!(lp = lock_path(b, r.id))) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    if ((rc = container_lock_try(&lock, lp, what)) != 0)
        goto out;
    /* read again under the lock: another process may have started it meanwhile */
    container_rec_free(&r);
    if ((rc = find(&r, b, name)) != 0)
        goto out;
    if (strcmp(r.state, "running") == 0) {
        rc = berth_fail(BERTH_ESTATE, "container %s is already running (pid %lld)", r.name, (long long)r.pid);
        goto out;
    }
    const runtime_backend *be = NULL;
    if ((rc = load_spec(&spec, &r)) != 0 || (rc = backend_of(&be, &r)) != 0)
        goto out;
    if ((rc = container_rt_build(&rt, b, r.id, r.name, spec)) != 0)
        goto out;
    /* a start forgets an earlier stop by the user and the restart count (docker's start) */
    if ((rc = container_db_set_manual_stop(b, r.id, 0)) != 0)
        goto out;
    rc = be->start(b, &rt.rs);
    if (rc) {
        int code = rc == BERTH_ENOTFOUND ? 127 : rc == BERTH_EINVAL ? 126 : 125;
        char msg[2048];
        snprintf(msg, sizeof msg, "%s", berth_errmsg());
        container_db_set_start_failed(b, r.id, code, msg);
        berth_fail(rc, "%s", msg);
    }
out:
    container_unlock(lock);
    free(lp);
    container_rt_free(&rt);
    json_object_put(spec);
    container_rec_free(&r);
    return rc;
}

/* Waits until the monitor of id is gone, at most timeout_ms (< 0: forever). 1 = gone. */
static int wait_gone(const runtime_backend *be, berth_t *b, const char *id, int timeout_ms)
{
    /* forever: sleep in the kernel until the monitor lets go (no polling, no delay) */
    if (timeout_ms < 0 && be->wait_exit && be->wait_exit(b, id) == 0)
        return 1;
    int64_t until = container_clock_ms() + timeout_ms;
    /* a check is an open + flock: cheap enough to poll often, so a waiter returns soon */
    for (int delay = 1;; delay = delay < 5 ? delay + 1 : 5) {
        int alive = 0;
        if (be->alive(b, id, &alive) != 0 || !alive)
            return 1;
        if (timeout_ms >= 0 && container_clock_ms() >= until)
            return 0;
        container_sleep_ms(delay);
    }
}

int berth_container_kill(berth_t *b, const char *name, const char *signal_name)
{
    berth_error_clear();
    container_rec r = { 0 };
    const runtime_backend *be;
    int signo = signal_name && *signal_name ? container_signal_number(signal_name) : SIG_KILL;
    if (signo < 0)
        return berth_fail(BERTH_EINVAL, "kill: \"%s\" is not a signal name or number (e.g. SIGTERM, KILL, 9)", signal_name);
    int rc = find(&r, b, name);
    if (rc == 0 && strcmp(r.state, "running") != 0)
        rc = berth_fail(BERTH_ESTATE, "cannot kill container %s: it is not running (%s)", r.name, r.state);
    /* A kill by the user ends the restart policy (as in docker): recorded before the signal,
     * so the monitor reads it when it sees the exit. A container backing off between two runs
     * has no process: the mark alone makes its monitor stop. */
    if (rc == 0)
        rc = container_db_set_manual_stop(b, r.id, 1);
    if (rc == 0 && !r.restarting && (rc = backend_of(&be, &r)) == 0 && (rc = be->signal(b, r.id, signo)) != 0) {
        /* the run may just have ended (the monitor backs off or is going): then the mark did it */
        container_rec now = { 0 };
        char keep[2048];
        snprintf(keep, sizeof keep, "%s", berth_errmsg());
        int rc2 = find(&now, b, r.id);
        if (rc2 == 0 && (now.restarting || strcmp(now.state, "running") != 0))
            rc = 0;
        else
            berth_fail(rc, "%s", keep);
        container_rec_free(&now);
    }
    if (rc == 0)
        berth_error_clear();
    container_rec_free(&r);
    return rc;
}

int berth_container_stop(berth_t *b, const char *name, int timeout_s)
{
    berth_error_clear();
    container_rec r = { 0 };
    json_object *spec = NULL;
    const runtime_backend *be;
    int rc = find(&r, b, name);
    if (rc)
        return rc;
    if (strcmp(r.state, "running") != 0)
        goto out;   /* stopping a stopped container succeeds, as in docker */
    if ((rc = load_spec(&spec, &r)) != 0 || (rc = backend_of(&be, &r)) != 0)
        goto out;
    /* recorded before the signal: the monitor will not restart what the user stopped */
    if ((rc = container_db_set_manual_stop(b, r.id, 1)) != 0)
        goto out;
    if (timeout_s < 0)
        timeout_s = (int)json_int(spec, "stop_timeout", 10);
    if (r.restarting && wait_gone(be, b, r.id, 30000))
        goto out;   /* backing off between runs: no process to signal; the monitor ends on the mark */
    int signo = container_signal_number(json_str(spec, "stop_signal"));
    if (signo < 0)
        signo = SIG_TERM;
    if (be->signal(b, r.id, signo) == 0 && wait_gone(be, b, r.id, timeout_s * 1000))
        goto out;
    berth_error_clear();
    be->signal(b, r.id, SIG_KILL);
    if (!wait_gone(be, b, r.id, 30000))
        rc = berth_fail(BERTH_ERROR, "stop container %s: still running 30 s after SIGKILL — see %s/containers/%s/shim.log", r.name,
                        berth_root(b), r.id);
out:
    if (rc == 0)
        berth_error_clear();
    json_object_put(spec);
    container_rec_free(&r);
    return rc;
}

int berth_container_wait(int *exit_code, berth_t *b, const char *name, int timeout_ms)
{
    berth_error_clear();
    if (!exit_code)
        return berth_fail(BERTH_EINVAL, "wait: exit_code is NULL");
    container_rec r = { 0 };
    const runtime_backend *be;
    int rc = container_db_find(&r, b, name);
    if (rc == BERTH_ENOTFOUND && container_db_removed_exit(exit_code, b, name) == 0) {
        berth_error_clear();
        return 0;
    }
    if (rc == 0)
        rc = container_reconcile(b, &r);
    if (rc == 0 && strcmp(r.state, "running") == 0 && (rc = backend_of(&be, &r)) == 0 && !wait_gone(be, b, r.id, timeout_ms))
        rc = berth_fail(BERTH_EBUSY, "wait for container %s: still running after %d ms", r.name, timeout_ms);
    if (rc == 0) {
        char id[65];
        snprintf(id, sizeof id, "%s", r.id);
        container_rec_free(&r);
        rc = container_db_get(&r, b, id);
        if (rc == BERTH_ENOTFOUND) {   /* an --rm container its monitor removed */
            rc = container_db_removed_exit(exit_code, b, id);
        } else if (rc == 0 && (rc = container_reconcile(b, &r)) == 0) {
            *exit_code = r.exit_code;
        }
    }
    container_rec_free(&r);
    return rc;
}

int berth_container_remove(berth_t *b, const char *name, int force)
{
    berth_error_clear();
    container_rec r = { 0 };
    const runtime_backend *be;
    char *lp = NULL;
    int lock = -1;
    int rc = find(&r, b, name);
    if (rc)
        return rc;
    if (strcmp(r.state, "running") == 0) {
        if (!force) {
            rc = berth_fail(BERTH_ESTATE, "cannot remove container %s: it is running — stop it first (berth stop %s) or use rm -f",
                            r.name, r.name);
            goto out;
        }
        if ((rc = backend_of(&be, &r)) != 0 || (rc = container_db_set_manual_stop(b, r.id, 1)) != 0)
            goto out;
        be->signal(b, r.id, SIG_KILL);
        if (!wait_gone(be, b, r.id, 30000)) {
            rc = berth_fail(BERTH_ERROR, "remove container %s: still running 30 s after SIGKILL", r.name);
            goto out;
        }
        berth_error_clear();
        /* an --rm container is removed by its monitor as it exits: then we are done */
        container_rec again = { 0 };
        int gone = container_db_get(&again, b, r.id) == BERTH_ENOTFOUND;
        container_rec_free(&again);
        berth_error_clear();
        if (gone)
            goto out;
    }
    char what[200];
    snprintf(what, sizeof what, "remove container %s", r.name);
    if (!(lp = lock_path(b, r.id))) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    /* An --rm container's monitor may be removing it right now (its bundle, with the lock
     * file, goes just before its row): wait for the row to go rather than fail. */
    for (int tries = 0;; tries++) {
        container_rec again = { 0 };
        int gone = container_db_get(&again, b, r.id) == BERTH_ENOTFOUND;
        container_rec_free(&again);
        berth_error_clear();
        if (gone) {
            rc = 0;
            goto out;
        }
        if ((rc = container_lock_try(&lock, lp, what)) == 0 || fs_exists(lp) || tries >= 250)
            break;
        container_sleep_ms(20);
    }
    if (rc)
        goto out;
    rc = container_remove_all(b, &r, -1);
out:
    container_unlock(lock);
    free(lp);
    container_rec_free(&r);
    return rc;
}
