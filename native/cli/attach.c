/* Staying attached to a running container, as `docker run` (without -d), `docker start -a` and
 * `docker attach` do: its output is followed from its log, stdin and signals go to it (the
 * platform part: attach_posix.c, attach_win32.c), and the result is the container's exit status. */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static int print_line(const char *stream, const char *time, const char *line, size_t len, void *payload)
{
    (void)time; (void)payload;
    FILE *f = strcmp(stream, "stderr") == 0 ? stderr : stdout;
    fwrite(line, 1, len, f);
    fflush(f);
    return 0;
}

/* The container's id, whether it was created with -t and with -i, and whether it runs. */
static int container_stdio(berth_t *b, const char *name, char id[80], int *tty, int *open_stdin, int *running)
{
    char *j = NULL;
    int rc = berth_container_inspect(&j, b, name);
    json_object *all = rc == 0 ? json_tokener_parse(j) : NULL, *one = NULL, *c = NULL, *v;
    one = all && json_object_is_type(all, json_type_object) ? all : NULL;
    json_object_object_get_ex(one, "config", &c);
    snprintf(id, 80, "%s", json_object_object_get_ex(one, "id", &v) ? json_object_get_string(v) : name);
    *running = one && json_object_object_get_ex(one, "running", &v) && json_object_get_boolean(v);
    *tty = c && json_object_object_get_ex(c, "tty", &v) && json_object_get_boolean(v);
    *open_stdin = c && json_object_object_get_ex(c, "open_stdin", &v) && json_object_get_boolean(v);
    json_object_put(all);
    berth_free(j);
    return rc;
}

int cli_attach(const char *cmd, berth_t *b, const char *id, const char *since, int interactive, int tty)
{
    void *io = attach_io_begin(b, id, interactive, tty);
    berth_log_options lo = BERTH_LOG_OPTIONS_INIT;
    lo.follow = 1;
    lo.since = since;
    lo.on_line = print_line;
    berth_container_logs(b, id, &lo);
    int code = 0, rc = berth_container_wait(&code, b, id, -1);
    attach_io_end(io);
    if (rc) {
        cli_fail(cmd, rc);
        return 125;
    }
    return code;
}

int cli_attach_name(const char *cmd, berth_t *b, const char *name, int start, int want_stdin)
{
    char since[64], id[80];
    int tty = 0, open_stdin = 0, running = 0;
    cli_now(since, sizeof since);   /* only what comes from now on, as docker start -a and attach show */
    int rc = container_stdio(b, name, id, &tty, &open_stdin, &running);
    if (rc)
        return cli_fail(cmd, rc);
    if (!running && !start) {
        fprintf(stderr, "berth %s: container %s is not running — start it with berth start -a %s\n", cmd, name, name);
        return 1;
    }
    cli_attach_block_signals();   /* before the start: signals go to the container from its first moment */
    if (!running && (rc = berth_container_start(b, id)) != 0)
        return cli_fail(cmd, rc);
    return cli_attach(cmd, b, id, since, want_stdin && open_stdin, tty);
}
