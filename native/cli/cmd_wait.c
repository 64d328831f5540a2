#include "cli.h"
#include <stdio.h>
#include <string.h>

/* berth wait NAME...: blocks until each exits and prints its exit code. */
int cmd_wait(const cli_globals *g, int argc, char **argv)
{
    int i = 1;
    while (i < argc && strcmp(argv[i], "--json") == 0)
        i++;
    if (i >= argc)
        return cli_usage("wait", "wait NAME...");
    berth_t *b;
    int st = cli_open(&b, g, "wait");
    for (; st == 0 && i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            continue;
        int code = 0, rc = berth_container_wait(&code, b, argv[i], -1);
        if (rc)
            st = cli_fail("wait", rc);
        else if (g->json)
            printf("{\"name\": \"%s\", \"exit_code\": %d}\n", argv[i], code);
        else
            printf("%d\n", code);
    }
    berth_close(b);
    return st;
}
