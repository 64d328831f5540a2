/* berth inspect IMAGE|CONTAINER…: the "image_detail" object of each image (or, when no image
 * has that name, the "container" object of the container that has it) (by reference, id or unique id
 * prefix), as JSON — like docker inspect, always JSON; several names print an array. */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

int cmd_inspect(const cli_globals *g, int argc, char **argv)
{
    int names = 0, status = 0;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--json") != 0)
            names++;
    if (names == 0)
        return cli_usage("inspect", "inspect IMAGE [IMAGE...]");
    berth_t *b = NULL;
    if ((status = cli_open(&b, g, "inspect")) != 0)
        return status;
    json_object *all = json_object_new_array();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            continue;
        char *out = NULL;
        int rc = berth_image_inspect(&out, b, argv[i]);
        if (rc == BERTH_ENOTFOUND) {
            /* not an image: a container of that name or id (docker inspect does both) */
            char *c = NULL;
            if (berth_container_inspect(&c, b, argv[i]) == 0) {
                rc = 0;
                out = c;
            } else {
                rc = berth_image_inspect(&out, b, argv[i]);   /* keep the image's message */
            }
        }
        if (rc) {
            status = cli_fail("inspect", rc);   /* go on with the other names, like docker */
            continue;
        }
        json_object *o = json_tokener_parse(out);
        if (o)
            json_object_array_add(all, o);
        berth_free(out);
    }
    if (json_object_array_length(all) > 0) {
        json_object *shown = names == 1 ? json_object_array_get_idx(all, 0) : all;
        puts(json_object_to_json_string_ext(shown, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                       JSON_C_TO_STRING_NOSLASHESCAPE));
    }
    json_object_put(all);
    berth_close(b);
    return status;
}
