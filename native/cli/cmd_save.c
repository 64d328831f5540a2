/* berth save: `docker save` — images into a docker-archive tar (default) or an OCI image
 * layout (--format oci-layout; a directory when -o names one or ends with '/', else a tar). */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

/* --json: the failure as an object on stdout too, as pull prints it. */
static void print_error(int rc)
{
    json_object *e = json_object_new_object();
    json_object_object_add(e, "event", json_object_new_string("error"));
    json_object_object_add(e, "code", json_object_new_string(berth_strerror(rc)));
    json_object_object_add(e, "message", json_object_new_string(berth_errmsg()));
    puts(json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(e);
}

static const char USAGE[] = "save -o PATH [--format docker-archive|oci-layout] IMAGE [IMAGE...]";

int cmd_save(const cli_globals *g, int argc, char **argv)
{
    berth_archive_options o = BERTH_ARCHIVE_OPTIONS_INIT;
    const char *path = NULL;
    json_object *names = json_object_new_array();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0)
            continue;
        if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && i + 1 < argc)
            path = argv[++i];
        else if (strncmp(a, "--output=", 9) == 0)
            path = a + 9;
        else if (strcmp(a, "--format") == 0 && i + 1 < argc)
            o.format = argv[++i];
        else if (strncmp(a, "--format=", 9) == 0)
            o.format = a + 9;
        else if (a[0] == '-' && a[1]) {
            json_object_put(names);
            return cli_usage("save", USAGE);
        } else
            json_object_array_add(names, json_object_new_string(a));
    }
    if (!path || json_object_array_length(names) == 0) {
        json_object_put(names);
        return cli_usage("save", USAGE);
    }
    berth_t *b = NULL;
    int st = cli_open(&b, g, "save");
    if (st) {
        json_object_put(names);
        return st;
    }
    int rc = berth_image_save(b, json_object_to_json_string(names), path, &o);
    if (rc && g->json)
        print_error(rc);
    if (rc)
        st = cli_fail("save", rc);
    else if (g->json)
        printf("{\"path\":\"%s\",\"format\":\"%s\",\"images\":%zu}\n", path, o.format ? o.format : "docker-archive",
               json_object_array_length(names));
    json_object_put(names);
    berth_close(b);
    return st;
}
