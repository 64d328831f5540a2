#include "cli.h"
#include <stdio.h>
#include <string.h>

/* berth start [-a] [-i] NAME...: prints each name once it runs. With -a (one container), stays
 * attached like docker start -a: its new output, then its exit status as ours (a container
 * that already runs is joined, like berth attach). */
int cmd_start(const cli_globals *g, int argc, char **argv)
{
    const char *usage = "start [-a] [-i] NAME...";
    int first = 1, attach = 0, interactive = 0;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (!strcmp(argv[first], "-a") || !strcmp(argv[first], "--attach"))
            attach = 1;
        else if (!strcmp(argv[first], "-i") || !strcmp(argv[first], "--interactive"))
            interactive = 1;
        else if (!strcmp(argv[first], "-ai") || !strcmp(argv[first], "-ia"))
            attach = interactive = 1;
        else if (strcmp(argv[first], "--json") != 0)
            return cli_usage("start", usage);
    }
    if (first >= argc || ((attach || interactive) && argc - first != 1)) {
        if (first < argc)
            fprintf(stderr, "berth start: -a and -i take one container\n");
        return cli_usage("start", usage);
    }
    berth_t *b;
    int st = cli_open(&b, g, "start");
    if (st)
        return st;
    if (attach || interactive) {
        st = cli_attach_name("start", b, argv[first], 1, interactive);
        berth_close(b);
        return st;
    }
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
