/* berth update --restart POLICY NAME...: docker update's restart policy, on a running or a
 * stopped container (the monitor applies it at the next exit). Prints each name. */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

int cmd_update(const cli_globals *g, int argc, char **argv)
{
    const char *usage = "update --restart no|on-failure[:N]|always|unless-stopped NAME...";
    const char *policy = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--restart") == 0 && i + 1 < argc)
            policy = argv[++i];
        else if (strncmp(argv[i], "--restart=", 10) == 0)
            policy = argv[i] + 10;
        else if (strcmp(argv[i], "--json") != 0)
            return cli_usage("update", usage);
    }
    if (!policy || i >= argc)
        return cli_usage("update", usage);
    json_object *upd = json_object_new_object();
    json_object_object_add(upd, "restart_policy", json_object_new_string(policy));
    berth_t *b;
    int st = cli_open(&b, g, "update");
    for (; st == 0 && i < argc; i++) {
        char *out = NULL;
        int rc = berth_container_update(&out, b, argv[i], json_object_to_json_string(upd));
        if (rc)
            st = cli_fail("update", rc);
        else if (g->json)
            cli_print_json(out);
        else
            puts(argv[i]);
        berth_free(out);
    }
    json_object_put(upd);
    berth_close(b);
    return st;
}
