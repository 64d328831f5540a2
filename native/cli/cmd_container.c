/* berth container inspect NAME...: the "container" objects as a JSON array (docker inspect's
 * shape of output: always an array). `berth inspect` is the image side's; it falls back here. */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

int cmd_container_inspect(const cli_globals *g, int argc, char **argv)
{
    (void)g;
    json_object *arr = json_object_new_array();
    berth_t *b;
    int st = cli_open(&b, g, "container inspect"), n = 0;
    for (int i = 1; st == 0 && i < argc; i++) {
        if (argv[i][0] == '-')
            continue;
        n++;
        char *out = NULL;
        int rc = berth_container_inspect(&out, b, argv[i]);
        if (rc) {
            st = cli_fail("container inspect", rc);
        } else {
            json_object_array_add(arr, json_tokener_parse(out));
        }
        berth_free(out);
    }
    if (st == 0 && n == 0)
        st = cli_usage("container inspect", "container inspect NAME...");
    if (json_object_array_length(arr))
        cli_print_json(json_object_to_json_string(arr));
    json_object_put(arr);
    berth_close(b);
    return st;
}

int cmd_container(const cli_globals *g, int argc, char **argv)
{
    const char *usage = "container inspect|ls|rm|start|stop|kill|wait|logs|exec|create|run ...";
    if (argc < 2)
        return cli_usage("container", usage);
    static const struct { const char *name; cli_command_fn fn; } subs[] = {
        { "inspect", cmd_container_inspect }, { "ls", cmd_ps }, { "ps", cmd_ps }, { "list", cmd_ps },
        { "rm", cmd_rm }, { "start", cmd_start }, { "stop", cmd_stop }, { "restart", cmd_restart },
        { "kill", cmd_kill }, { "wait", cmd_wait }, { "logs", cmd_logs }, { "exec", cmd_exec },
        { "create", cmd_create }, { "run", cmd_run }, { "update", cmd_update },
    };
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].fn(g, argc - 1, argv + 1);
    fprintf(stderr, "berth container: unknown subcommand \"%s\"\n", argv[1]);
    return cli_usage("container", usage);
}
