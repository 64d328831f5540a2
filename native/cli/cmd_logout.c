/* berth logout REGISTRY: forgets the credentials `berth login` stored for it. */
#include "cli.h"
#include <stdio.h>
#include <string.h>

int cmd_logout(const cli_globals *g, int argc, char **argv)
{
    const char *registry = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            continue;
        if (argv[i][0] == '-' || registry)
            return cli_usage("logout", "logout REGISTRY");
        registry = argv[i];
    }
    if (!registry)
        return cli_usage("logout", "logout REGISTRY");
    berth_t *b = NULL;
    int st = cli_open(&b, g, "logout");
    if (st)
        return st;
    int rc = berth_logout(b, registry);
    if (rc)
        st = cli_fail("logout", rc);
    else if (g->json)
        printf("{\"registry\": \"%s\", \"status\": \"logged out\"}\n", registry);
    else
        printf("Removed the credentials for %s\n", registry);
    berth_close(b);
    return st;
}
