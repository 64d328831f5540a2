/* berth tag SOURCE TARGET: gives the image SOURCE (reference, id or id prefix) the name TARGET. */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

int cmd_tag(const cli_globals *g, int argc, char **argv)
{
    const char *args[2];
    int n = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            continue;
        if (n == 2 || argv[i][0] == '-')
            return cli_usage("tag", "tag SOURCE_IMAGE TARGET_IMAGE[:TAG]");
        args[n++] = argv[i];
    }
    if (n != 2)
        return cli_usage("tag", "tag SOURCE_IMAGE TARGET_IMAGE[:TAG]");
    berth_t *b = NULL;
    int status = cli_open(&b, g, "tag");
    if (status)
        return status;
    int rc = berth_image_tag(b, args[0], args[1]);
    if (rc)
        status = cli_fail("tag", rc);
    else if (g->json) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "source", json_object_new_string(args[0]));
        json_object_object_add(o, "target", json_object_new_string(args[1]));
        cli_print_json(json_object_to_json_string(o));
        json_object_put(o);
    }
    berth_close(b);
    return status;
}
