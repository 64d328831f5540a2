#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* berth stop [-t SECONDS] NAME...: the image's stop signal, then SIGKILL after the timeout. */
int cmd_stop(const cli_globals *g, int argc, char **argv)
{
    int timeout = -1, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if ((strcmp(argv[i], "-t") == 0 || strcmp(argv[i], "--time") == 0 || strcmp(argv[i], "--timeout") == 0) && i + 1 < argc)
            timeout = atoi(argv[++i]);
        else if (strcmp(argv[i], "--json") != 0)
            return cli_usage("stop", "stop [-t SECONDS] NAME...");
    }
    if (i >= argc)
        return cli_usage("stop", "stop [-t SECONDS] NAME...");
    berth_t *b;
    int st = cli_open(&b, g, "stop");
    for (; st == 0 && i < argc; i++) {
        int rc = berth_container_stop(b, argv[i], timeout);
        if (rc)
            st = cli_fail("stop", rc);
        else
            puts(argv[i]);
    }
    berth_close(b);
    return st;
}
