/* berth exec [-i] [-t] [-e K=V] [-w DIR] [-u USER] NAME CMD...: the exit status is the
 * command's (126: cannot execute, 127: not found, like docker). */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

int cmd_exec(const cli_globals *g, int argc, char **argv)
{
    json_object *req = json_object_new_object(), *env = json_object_new_array(), *cmd = json_object_new_array();
    json_object_object_add(req, "env", env);
    json_object_object_add(req, "cmd", cmd);
    int interactive = 0, i = 1;
    const char *usage = "exec [-i] [-t] [-e K=V] [-w DIR] [-u USER] NAME CMD...";
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-i") || !strcmp(a, "--interactive")) interactive = 1;
        else if (!strcmp(a, "-t") || !strcmp(a, "--tty")) json_object_object_add(req, "tty", json_object_new_boolean(1));
        else if (!strcmp(a, "-it") || !strcmp(a, "-ti")) {
            interactive = 1;
            json_object_object_add(req, "tty", json_object_new_boolean(1));
        } else if ((!strcmp(a, "-e") || !strcmp(a, "--env")) && i + 1 < argc)
            json_object_array_add(env, json_object_new_string(argv[++i]));
        else if ((!strcmp(a, "-w") || !strcmp(a, "--workdir")) && i + 1 < argc)
            json_object_object_add(req, "workdir", json_object_new_string(argv[++i]));
        else if ((!strcmp(a, "-u") || !strcmp(a, "--user")) && i + 1 < argc)
            json_object_object_add(req, "user", json_object_new_string(argv[++i]));
        else if (strcmp(a, "--json") != 0) {
            json_object_put(req);
            return cli_usage("exec", usage);
        }
    }
    if (i + 1 >= argc) {
        json_object_put(req);
        return cli_usage("exec", usage);
    }
    const char *name = argv[i++];
    for (; i < argc; i++)
        json_object_array_add(cmd, json_object_new_string(argv[i]));
    berth_t *b;
    int st = cli_open(&b, g, "exec");
    if (st == 0) {
        int code = 0;
        int rc = berth_container_exec(&code, b, name, json_object_to_json_string(req), interactive ? 0 : -1, 1, 2);
        if (rc) {
            cli_fail("exec", rc);
            st = 126 - (rc == BERTH_ENOTFOUND ? 0 : 1);   /* docker: 126 for an engine failure of exec */
            st = rc == BERTH_ENOTFOUND || rc == BERTH_ESTATE ? 1 : st;
        } else {
            st = code;
        }
    }
    berth_close(b);
    json_object_put(req);
    return st;
}
