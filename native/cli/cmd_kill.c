#include "cli.h"
#include <stdio.h>
#include <string.h>

/* berth kill [-s SIGNAL] NAME... (default SIGKILL). */
int cmd_kill(const cli_globals *g, int argc, char **argv)
{
    const char *sig = "SIGKILL";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if ((strcmp(argv[i], "-s") == 0 || strcmp(argv[i], "--signal") == 0) && i + 1 < argc)
            sig = argv[++i];
        else if (strncmp(argv[i], "--signal=", 9) == 0)
            sig = argv[i] + 9;
        else if (strcmp(argv[i], "--json") != 0)
            return cli_usage("kill", "kill [-s SIGNAL] NAME...");
    }
    if (i >= argc)
        return cli_usage("kill", "kill [-s SIGNAL] NAME...");
    berth_t *b;
    int st = cli_open(&b, g, "kill");
    for (; st == 0 && i < argc; i++) {
        int rc = berth_container_kill(b, argv[i], sig);
        if (rc)
            st = cli_fail("kill", rc);
        else
            puts(argv[i]);
    }
    berth_close(b);
    return st;
}
