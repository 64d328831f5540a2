#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

int cli_fail(const char *cmd, int rc)
{
    const char *msg = berth_errmsg();
    fprintf(stderr, "berth %s: %s\n", cmd, msg && *msg ? msg : berth_strerror(rc));
    /* Exit statuses: 1 for a failure, 2 for usage, 125 like docker for engine errors is not
     * needed here; cancellation exits 130 like a shell after Ctrl+C. */
    return rc == BERTH_ECANCELED ? 130 : 1;
}

int cli_usage(const char *cmd, const char *usage)
{
    fprintf(stderr, "usage: berth %s\n", usage);
    (void)cmd;
    return 2;
}

void cli_print_json(const char *json)
{
    json_object *o = json_tokener_parse(json);
    if (o) {
        puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                   JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(o);
    } else {
        puts(json);
    }
}

int cli_open(berth_t **out, const cli_globals *g, const char *cmd)
{
    int rc = berth_open(out, g->root);
    return rc ? cli_fail(cmd, rc) : 0;
}

const char *cli_human_size(char *buf, unsigned long long bytes)
{
    static const char *units[] = { "B", "kB", "MB", "GB", "TB" };
    double v = (double)bytes;
    int u = 0;
    while (v >= 1000 && u < 4) {
        v /= 1000;
        u++;
    }
    if (u == 0)
        sprintf(buf, "%llu B", bytes);
    else
        sprintf(buf, "%.1f %s", v, units[u]);
    return buf;
}

void cli_print_error_event(int rc)
{
    json_object *e = json_object_new_object();
    json_object_object_add(e, "event", json_object_new_string("error"));
    json_object_object_add(e, "code", json_object_new_string(berth_strerror(rc)));
    json_object_object_add(e, "message", json_object_new_string(berth_errmsg()));
    puts(json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(e);
}
