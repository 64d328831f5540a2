#include "cli.h"
#include <stdio.h>
#include <string.h>

/* berth rm [-f] NAME...: a running container needs -f (it is killed first). */
int cmd_rm(const cli_globals *g, int argc, char **argv)
{
    int force = 0, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--force") == 0)
            force = 1;
        else if (strcmp(argv[i], "-v") != 0 && strcmp(argv[i], "--json") != 0)
            return cli_usage("rm", "rm [-f] NAME...");
    }
    if (i >= argc)
        return cli_usage("rm", "rm [-f] NAME...");
    berth_t *b;
    int st = cli_open(&b, g, "rm");
    if (st)
        return st;
    for (; i < argc; i++) {
        int rc = berth_container_remove(b, argv[i], force);
        if (rc)
            st = cli_fail("rm", rc);
        else
            puts(argv[i]);
    }
    berth_close(b);
    return st;
}
