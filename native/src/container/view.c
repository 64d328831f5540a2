/* inspect and list: the stored row and spec as one "container" object, with a docker-like
 * human status ("Up 5 seconds", "Exited (0) 3 minutes ago"). */
#include "container/view.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seconds since the epoch of an RFC 3339 UTC time (days from the civil date, so no timegm,
 * which the Windows CRT lacks). */
static time_t parse_time(const char *s)
{
    int y, m, d, hh, mm, ss;
    if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d", &y, &m, &d, &hh, &mm, &ss) != 6)
        return 0;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468;
    return (time_t)days * 86400 + hh * 3600 + mm * 60 + ss;
}

/* '*' and '?' globbing (fnmatch is POSIX only). */
static int glob_match(const char *pat, const char *s)
{
    if (!*pat)
        return !*s;
    if (*pat == '*')
        return glob_match(pat + 1, s) || (*s && glob_match(pat, s + 1));
    return *s && (*pat == '?' || *pat == *s) && glob_match(pat + 1, s + 1);
}

static void human_ago(char *buf, size_t len, time_t since)
{
    long d = (long)(time(NULL) - since);
    if (d < 1)
        snprintf(buf, len, "Less than a second");
    else if (d < 60)
        snprintf(buf, len, "%ld second%s", d, d == 1 ? "" : "s");
    else if (d < 3600)
        snprintf(buf, len, "%ld minute%s", d / 60, d / 60 == 1 ? "" : "s");
    else if (d < 86400)
        snprintf(buf, len, "%ld hour%s", d / 3600, d / 3600 == 1 ? "" : "s");
    else
        snprintf(buf, len, "%ld day%s", d / 86400, d / 86400 == 1 ? "" : "s");
}

static void status_text(char *buf, size_t len, const container_rec *r)
{
    char ago[64];
    if (strcmp(r->state, "running") == 0 && r->restarting) {
        /* docker: the last exit code and how long ago that run ended */
        human_ago(ago, sizeof ago, parse_time(r->finished));
        snprintf(buf, len, "Restarting (%d) %s ago", r->exit_code, ago);
    } else if (strcmp(r->state, "running") == 0) {
        human_ago(ago, sizeof ago, parse_time(r->started));
        snprintf(buf, len, "Up %s", ago);
    } else if (strcmp(r->state, "exited") == 0) {
        human_ago(ago, sizeof ago, parse_time(r->finished));
        snprintf(buf, len, "Exited (%d) %s ago", r->exit_code, ago);
    } else {
        snprintf(buf, len, "Created");
    }
}

const char *container_display_state(const container_rec *r)
{
    return strcmp(r->state, "running") == 0 && r->restarting ? "restarting" : r->state;
}

json_object *container_view(berth_t *b, const container_rec *r, int full)
{
    json_object *o = json_object_new_object(), *spec = NULL;
    if (json_parse_limited(&spec, r->spec, strlen(r->spec), "stored container spec") != 0)
        spec = json_object_new_object();
    char status[128], rel[128];
    status_text(status, sizeof status, r);
    json_object_object_add(o, "id", json_object_new_string(r->id));
    json_object_object_add(o, "name", json_object_new_string(r->name));
    json_object_object_add(o, "image", json_object_new_string(r->image));
    json_object_object_add(o, "image_id", r->image_id ? json_object_new_string(r->image_id) : NULL);
    /* the command line as docker ps shows it */
    char cmd[4096] = "";
    json_object *args = json_arr(spec, "args");
    for (size_t i = 0; args && i < json_object_array_length(args); i++) {
        size_t n = strlen(cmd);
        snprintf(cmd + n, sizeof cmd - n, "%s%s", i ? " " : "", json_object_get_string(json_object_array_get_idx(args, i)));
    }
    json_object_object_add(o, "command", json_object_new_string(cmd));
    /* backing off between two runs of a restart policy: docker's "restarting" (the row stays
     * "running": its monitor is alive and answers for it) */
    json_object_object_add(o, "state", json_object_new_string(container_display_state(r)));
    json_object_object_add(o, "status", json_object_new_string(status));
    json_object_object_add(o, "running", json_object_new_boolean(strcmp(r->state, "running") == 0));
    json_object_object_add(o, "pid", json_object_new_int64(r->pid));
    json_object_object_add(o, "shim_pid", json_object_new_int64(r->shim_pid));
    json_object_object_add(o, "exit_code", json_object_new_int(r->exit_code));
    json_object_object_add(o, "error", r->error ? json_object_new_string(r->error) : NULL);
    json_object_object_add(o, "created", json_object_new_string(r->created));
    json_object_object_add(o, "started", r->started ? json_object_new_string(r->started) : NULL);
    json_object_object_add(o, "finished", r->finished ? json_object_new_string(r->finished) : NULL);
    json_object_object_add(o, "auto_remove", json_object_new_boolean(r->auto_remove));
    json_object_object_add(o, "restart_policy", json_object_new_string(json_str(spec, "restart_policy") ? json_str(spec, "restart_policy") : "no"));
    json_object_object_add(o, "restart_count", json_object_new_int(r->restart_count));
    json_object_object_add(o, "restarting", json_object_new_boolean(strcmp(r->state, "running") == 0 && r->restarting));
    json_object *v;
    json_object_object_add(o, "labels", json_object_object_get_ex(spec, "labels", &v) ? json_object_get(v) : json_object_new_object());
    json_object_object_add(o, "ports", json_object_object_get_ex(spec, "ports", &v) ? json_object_get(v) : json_object_new_array());
    json_object_object_add(o, "network", json_object_new_string(json_str(spec, "network") ? json_str(spec, "network") : "none"));
    snprintf(rel, sizeof rel, "containers/%s/log.json", r->id);
    char *lp = fs_join(berth_root(b), rel);
    json_object_object_add(o, "log_path", lp ? json_object_new_string(lp) : NULL);
    free(lp);
    if (full)
        json_object_object_add(o, "config", spec);
    else
        json_object_put(spec);
    return o;
}

int container_view_json(char **out, berth_t *b, const container_rec *r)
{
    return json_hand_out(out, container_view(b, r, 1));
}

int berth_container_inspect(char **out_json, berth_t *b, const char *name)
{
    berth_error_clear();
    container_rec r = { 0 };
    int rc = container_db_find(&r, b, name);
    if (rc == 0)
        rc = container_reconcile(b, &r);
    if (rc == 0)
        rc = container_view_json(out_json, b, &r);
    container_rec_free(&r);
    return rc;
}

/* {"label": "k"} matches when the key exists; "k=v" when it has that value. */
static int label_match(const container_rec *r, const char *want)
{
    json_object *spec = NULL;
    if (json_parse_limited(&spec, r->spec, strlen(r->spec), "spec") != 0)
        return 0;
    json_object *labels = json_obj(spec, "labels");
    char key[512];
    snprintf(key, sizeof key, "%s", want);
    char *eq = strchr(key, '=');
    if (eq)
        *eq++ = '\0';
    const char *have = json_str(labels, key);
    int ok = have && (!eq || strcmp(have, eq) == 0);
    json_object_put(spec);
    return ok;
}

static int name_match(const char *name, const char *pat)
{
    if (strpbrk(pat, "*?"))
        return glob_match(pat, name);
    return strstr(name, pat) != NULL;   /* docker: a substring */
}

int berth_container_list(char **out_json, berth_t *b, const char *filter_json)
{
    berth_error_clear();
    json_object *filter = NULL;
    int rc = 0;
    if (filter_json && *filter_json && (rc = json_parse_limited(&filter, filter_json, strlen(filter_json), "container filter")) != 0)
        return rc;
    json_object *v;
    int all = json_object_object_get_ex(filter, "all", &v) && json_object_get_boolean(v);
    const char *status = json_str(filter, "status"), *name = json_str(filter, "name"), *label = json_str(filter, "label");
    if (status && strcmp(status, "created") && strcmp(status, "running") && strcmp(status, "exited") && strcmp(status, "restarting")) {
        rc = berth_fail(BERTH_EINVAL, "filter status=%s: use created, running, restarting or exited", status);
        json_object_put(filter);
        return rc;
    }
    container_rec *rows = NULL;
    size_t n = 0;
    if ((rc = container_db_list(&rows, &n, b)) != 0) {
        json_object_put(filter);
        return rc;
    }
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < n && rc == 0; i++) {
        container_rec *r = &rows[i];
        rc = container_reconcile(b, r);
        if (rc)
            break;
        if (status ? strcmp(container_display_state(r), status) != 0 : (!all && strcmp(r->state, "running") != 0))
            continue;
        if (name && !name_match(r->name, name))
            continue;
        if (label && !label_match(r, label))
            continue;
        json_object_array_add(arr, container_view(b, r, 0));
    }
    for (size_t i = 0; i < n; i++)
        container_rec_free(&rows[i]);
    free(rows);
    json_object_put(filter);
    if (rc) {
        json_object_put(arr);
        return rc;
    }
    return json_hand_out(out_json, arr);
}
