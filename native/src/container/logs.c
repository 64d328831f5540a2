/* berth_container_logs: reads log.json (docker's json-file lines, written by the monitor),
 * filtered by --since and --tail, and with follow keeps reading until the monitor is gone. */
#include "container/container.h"
#include "container/lock.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_LINE_MAX (1u << 20)

/* Emits one JSON line; returns non-zero when the callback asks to stop. */
static int emit(const berth_log_options *o, const char *line, int *stop)
{
    json_object *e = json_tokener_parse(line);
    const char *stream = json_str(e, "stream"), *time = json_str(e, "time");
    json_object *lv;
    int rc = 0;
    if (e && stream && time && json_object_object_get_ex(e, "log", &lv)) {
        if (o->since && strcmp(time, o->since) < 0) {
            json_object_put(e);
            return 0;
        }
        *stop = o->on_line(stream, time, json_object_get_string(lv), (size_t)json_object_get_string_len(lv), o->payload) != 0;
    }
    json_object_put(e);
    return rc;
}

/* Reads complete lines from f; a partial last line is left for the next round (follow). */
static int read_lines(FILE *f, char *buf, const berth_log_options *o, int64_t skip, int64_t *seen, int *stop)
{
    while (!*stop) {
        long pos = ftell(f);
        if (!fgets(buf, LOG_LINE_MAX, f)) {
            clearerr(f);   /* glibc's EOF is sticky: without this, follow never sees new lines */
            return 0;
        }
        size_t n = strlen(buf);
        if (n == 0 || buf[n - 1] != '\n') {
            fseek(f, pos, SEEK_SET);   /* not whole yet */
            clearerr(f);
            return 0;
        }
        if ((*seen)++ >= skip)
            emit(o, buf, stop);
    }
    return 0;
}

int berth_container_logs(berth_t *b, const char *name, const berth_log_options *opts)
{
    berth_error_clear();
    if (!opts || !opts->on_line)
        return berth_fail(BERTH_EINVAL, "logs: options with an on_line callback are required");
    container_rec r = { 0 };
    int rc = container_db_find(&r, b, name);
    if (rc == 0)
        rc = container_reconcile(b, &r);
    if (rc)
        return rc;
    json_object *spec = NULL;
    const runtime_backend *be = NULL;
    if (json_parse_limited(&spec, r.spec, strlen(r.spec), "stored spec") == 0)
        be = container_backend(spec);
    json_object_put(spec);
    char rel[128];
    snprintf(rel, sizeof rel, "containers/%s/log.json", r.id);
    char *path = fs_join(berth_root(b), rel), *buf = malloc(LOG_LINE_MAX);
    FILE *f = NULL;
    if (!path || !buf) {
        rc = berth_fail_oom();
        goto out;
    }
    /* wait for the file if the container is just starting */
    f = fopen(path, "r");
    if (!f && !opts->follow)
        goto out;   /* never started: no logs */
    int64_t skip = 0, seen = 0;
    if (f && opts->tail >= 0) {
        int64_t total = 0;
        while (fgets(buf, LOG_LINE_MAX, f))
            if (buf[strlen(buf) - 1] == '\n')
                total++;
        skip = total > opts->tail ? total - opts->tail : 0;
        rewind(f);
    }
    int stop = 0;
    for (int delay = 1;;) {
        int64_t before = seen;
        if (!f)
            f = fopen(path, "r");
        if (f)
            read_lines(f, buf, opts, skip, &seen, &stop);
        if (stop || !opts->follow)
            break;
        int alive = 0;
        if (!be || be->alive(b, r.id, &alive) != 0 || !alive) {
            if (f)
                read_lines(f, buf, opts, skip, &seen, &stop);   /* what arrived before the monitor exited */
            break;
        }
        /* soon again while lines arrive; at most 20 ms between looks when quiet */
        delay = seen > before ? 1 : delay < 20 ? delay * 2 : 20;
        container_sleep_ms(delay);
    }
    berth_error_clear();
out:
    if (f)
        fclose(f);
    free(path);
    free(buf);
    container_rec_free(&r);
    return rc;
}
