/* berth system boot: what docker's daemon does for restart policies when it starts — run at
 * boot by samples/systemd/berth-boot.service. Prints the name of each container it started
 * (docker start's output); one that fails is reported on stderr and the exit status is 1. */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static int boot(const cli_globals *g)
{
    berth_t *b;
    char *out = NULL;
    int st = cli_open(&b, g, "system boot");
    if (st)
        return st;
    int rc = berth_container_boot(&out, b);
    if (rc) {
        st = cli_fail("system boot", rc);
    } else if (g->json) {
        cli_print_json(out);
    } else {
        json_object *arr = json_tokener_parse(out);
        for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
            json_object *o = json_object_array_get_idx(arr, i), *v;
            const char *name = json_object_object_get_ex(o, "name", &v) ? json_object_get_string(v) : "?";
            if (json_object_object_get_ex(o, "started", &v) && json_object_get_boolean(v)) {
                printf("%s\n", name);
            } else {
                fprintf(stderr, "berth system boot: start %s: %s\n", name,
                        json_object_object_get_ex(o, "error", &v) ? json_object_get_string(v) : "failed");
                st = 1;
            }
        }
        json_object_put(arr);
    }
    berth_free(out);
    berth_close(b);
    return st;
}

int cmd_system(const cli_globals *g, int argc, char **argv)
{
    const char *usage = "system boot   (start every stopped container whose restart policy says it runs after a boot: always, "
                        "unless-stopped not stopped by the user, on-failure that failed with retries left)";
    int i = 1;
    while (i < argc && strcmp(argv[i], "--json") == 0)
        i++;
    if (i >= argc || strcmp(argv[i], "boot") != 0)
        return cli_usage("system", usage);
    for (int k = i + 1; k < argc; k++)
        if (strcmp(argv[k], "--json") != 0)
            return cli_usage("system", usage);
    return boot(g);
}
