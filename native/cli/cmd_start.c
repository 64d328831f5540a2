#include "cli.h"
#include <stdio.h>
#include <string.h>

/* berth start NAME...: prints each name once it runs. */
int cmd_start(const cli_globals *g, int argc, char **argv)
{
    int first = 1;
    while (first < argc && argv[first][0] == '-') {
        if (strcmp(argv[first], "--json") != 0)
            return cli_usage("start", "start NAME...");
        first++;
    }
    if (first >= argc)
        return cli_usage("start", "start NAME...");
    berth_t *b;
    int st = cli_open(&b, g, "start");
    if (st)
        return st;
    for (int i = first; i < argc; i++) {
        int rc = berth_container_start(b, argv[i]);
        if (rc)
            st = cli_fail("start", rc);
        else
            puts(argv[i]);
    }
    berth_close(b);
    return st;
}
