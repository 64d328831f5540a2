#include "cli.h"
#include <stdio.h>

int cmd_version(const cli_globals *g, int argc, char **argv)
{
    (void)argc; (void)argv;
    if (g->json)
        printf("{\"version\": \"%s\"}\n", berth_version());
    else
        printf("berth %s\n", berth_version());
    return 0;
}
