#include "cli.h"
#include <stdio.h>
#include <string.h>

/* berth attach [--no-stdin] NAME: joins a running container like docker attach — its output
 * from now on, stdin when it was created with -i, signals passed on — until it exits. */
int cmd_attach(const cli_globals *g, int argc, char **argv)
{
    const char *usage = "attach [--no-stdin] NAME";
    int i = 1, no_stdin = 0;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--no-stdin"))
            no_stdin = 1;
        else if (strcmp(argv[i], "--json") != 0)
            return cli_usage("attach", usage);
    }
    if (argc - i != 1)
        return cli_usage("attach", usage);
    berth_t *b;
    int st = cli_open(&b, g, "attach");
    if (st)
        return st;
    st = cli_attach_name("attach", b, argv[i], 0, !no_stdin);
    berth_close(b);
    return st;
}
