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
    char since[64];
    char id[80];
    int tty = 0, open_stdin = 0, running = 0;
    cli_now(since, sizeof since);
    int rc = cli_container_stdio(b, argv[i], id, &tty, &open_stdin, &running);
    if (rc == 0 && !running) {
        fprintf(stderr, "berth attach: container %s is not running — start it with berth start -a %s\n", argv[i], argv[i]);
        st = 1;
    } else if (rc) {
        st = cli_fail("attach", rc);
    } else {
        cli_attach_block_signals();
        st = cli_attach("attach", b, id, since, open_stdin && !no_stdin, tty);
    }
    berth_close(b);
    return st;
}
