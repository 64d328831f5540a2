/* berth rmi [-f] IMAGE…: removes images like docker rmi — "Untagged:" / "Deleted:" lines, or
 * with --json one {"untagged": [...], "deleted": [...]} for all the names. A name that fails is
 * reported and the others are still removed; the exit status is 1 if any failed. */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#define USAGE "rmi [-f|--force] IMAGE [IMAGE...]"

static void merge(json_object *into, json_object *from, const char *key, const char *label, int print)
{
    json_object *src, *dst;
    if (!json_object_object_get_ex(from, key, &src) || !json_object_object_get_ex(into, key, &dst))
        return;
    for (size_t i = 0; i < json_object_array_length(src); i++) {
        const char *s = json_object_get_string(json_object_array_get_idx(src, i));
        json_object_array_add(dst, json_object_new_string(s));
        if (print)
            printf("%s: %s\n", label, s);
    }
}

int cmd_rmi(const cli_globals *g, int argc, char **argv)
{
    int force = 0, names = 0, status = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--force") == 0)
            force = 1;
        else if (strcmp(argv[i], "--json") == 0)
            continue;
        else if (argv[i][0] == '-')
            return cli_usage("rmi", USAGE);
        else
            names++;
    }
    if (names == 0)
        return cli_usage("rmi", USAGE);
    berth_t *b = NULL;
    if ((status = cli_open(&b, g, "rmi")) != 0)
        return status;
    json_object *all = json_object_new_object();
    json_object_object_add(all, "untagged", json_object_new_array());
    json_object_object_add(all, "deleted", json_object_new_array());
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        char *out = NULL;
        int rc = berth_image_remove(&out, b, argv[i], force);
        if (rc) {
            status = cli_fail("rmi", rc);
            continue;
        }
        json_object *o = json_tokener_parse(out);
        merge(all, o, "untagged", "Untagged", !g->json);
        merge(all, o, "deleted", "Deleted", !g->json);
        json_object_put(o);
        berth_free(out);
    }
    if (g->json)
        cli_print_json(json_object_to_json_string(all));
    json_object_put(all);
    berth_close(b);
    return status;
}
