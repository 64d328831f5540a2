#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* berth restart [-t SECONDS] NAME...: stop (as berth stop), then start. */
int cmd_restart(const cli_globals *g, int argc, char **argv)
{
    int timeout = -1, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if ((strcmp(argv[i], "-t") == 0 || strcmp(argv[i], "--time") == 0) && i + 1 < argc)
            timeout = atoi(argv[++i]);
        else if (strcmp(argv[i], "--json") != 0)
            return cli_usage("restart", "restart [-t SECONDS] NAME...");
    }
    if (i >= argc)
        return cli_usage("restart", "restart [-t SECONDS] NAME...");
    berth_t *b;
    int st = cli_open(&b, g, "restart");
    for (; st == 0 && i < argc; i++) {
        int rc = berth_container_stop(b, argv[i], timeout);
        if (rc == 0)
            rc = berth_container_start(b, argv[i]);
        if (rc)
            st = cli_fail("restart", rc);
        else
            puts(argv[i]);
    }
    berth_close(b);
    return st;
}
