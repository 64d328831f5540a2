/* berth ps [-a] [-q] [--filter status=|name=|label=]: docker's table, or --json the array. */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void ago(char *buf, size_t len, const char *when)
{
    struct tm tm = { 0 };
    if (!when || sscanf(when, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
        snprintf(buf, len, "?");
        return;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    long d = (long)(time(NULL) - timegm(&tm));
    if (d < 60)
        snprintf(buf, len, "%ld second%s ago", d, d == 1 ? "" : "s");
    else if (d < 3600)
        snprintf(buf, len, "%ld minute%s ago", d / 60, d / 60 == 1 ? "" : "s");
    else if (d < 86400)
        snprintf(buf, len, "%ld hour%s ago", d / 3600, d / 3600 == 1 ? "" : "s");
    else
        snprintf(buf, len, "%ld day%s ago", d / 86400, d / 86400 == 1 ? "" : "s");
}

static const char *s(json_object *o, const char *k)
{
    json_object *v;
    return json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

int cmd_ps(const cli_globals *g, int argc, char **argv)
{
    json_object *filter = json_object_new_object();
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-aq") == 0 || strcmp(a, "-qa") == 0) {
            json_object_object_add(filter, "all", json_object_new_boolean(1));
            quiet = 1;
        } else if (strcmp(a, "-a") == 0 || strcmp(a, "--all") == 0)
            json_object_object_add(filter, "all", json_object_new_boolean(1));
        else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
            quiet = 1;
        else if ((strcmp(a, "-f") == 0 || strcmp(a, "--filter") == 0) && i + 1 < argc) {
            const char *f = argv[++i];
            const char *eq = strchr(f, '=');
            char key[32];
            if (!eq || (size_t)(eq - f) >= sizeof key) {
                json_object_put(filter);
                return cli_usage("ps", "ps [-a] [-q] [--filter status=S|name=N|label=K[=V]]");
            }
            memcpy(key, f, (size_t)(eq - f));
            key[eq - f] = '\0';
            if (strcmp(key, "status") && strcmp(key, "name") && strcmp(key, "label")) {
                fprintf(stderr, "berth ps: unknown filter \"%s\" (status, name, label)\n", key);
                json_object_put(filter);
                return 2;
            }
            json_object_object_add(filter, key, json_object_new_string(eq + 1));
        } else if (strcmp(a, "--json") != 0) {
            json_object_put(filter);
            return cli_usage("ps", "ps [-a] [-q] [--filter status=S|name=N|label=K[=V]]");
        }
    }
    berth_t *b;
    char *out = NULL;
    int st = cli_open(&b, g, "ps");
    if (st == 0) {
        int rc = berth_container_list(&out, b, json_object_to_json_string(filter));
        if (rc)
            st = cli_fail("ps", rc);
    }
    if (st == 0 && g->json) {
        cli_print_json(out);
    } else if (st == 0) {
        json_object *arr = json_tokener_parse(out);
        if (!quiet)
            printf("%-14s %-24s %-22s %-16s %-26s %-20s %s\n", "CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
        for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
            json_object *c = json_object_array_get_idx(arr, i);
            if (quiet) {
                printf("%.12s\n", s(c, "id"));
                continue;
            }
            char cmd[40], created[64], ports[128] = "";
            snprintf(cmd, sizeof cmd, "\"%.19s%s\"", s(c, "command"), strlen(s(c, "command")) > 19 ? "…" : "");
            ago(created, sizeof created, s(c, "created"));
            json_object *p;
            if (json_object_object_get_ex(c, "ports", &p))
                for (size_t k = 0; k < json_object_array_length(p); k++) {
                    size_t n = strlen(ports);
                    snprintf(ports + n, sizeof ports - n, "%s%s", k ? "," : "", json_object_get_string(json_object_array_get_idx(p, k)));
                }
            printf("%-14.12s %-24s %-22s %-16s %-26s %-20s %s\n", s(c, "id"), s(c, "image"), cmd, created, s(c, "status"), ports, s(c, "name"));
        }
        json_object_put(arr);
    }
    berth_free(out);
    berth_close(b);
    json_object_put(filter);
    return st;
}
