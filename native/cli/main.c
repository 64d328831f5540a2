/* berth — the command line over berth.h. Global flags come before the subcommand:
 *   berth [--root DIR] [--json] <command> [args]
 * The table below is the whole CLI; each entry lives in its own cmd_<name>.c. */
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_command commands[] = {
    { "version", cmd_version, "version" },
    { "pull", cmd_pull, "pull [--platform P] [--isolation I] [--allow-foreign-layers] [--max-concurrent N] [-q] REF" },
    { "login", cmd_login, "login [-u USER] [-p PASSWORD | --password-stdin] [REGISTRY]" },
    { "logout", cmd_logout, "logout [REGISTRY]" },
    { "images", cmd_images, "images [--json] [-q] [--no-trunc] [--filter reference=GLOB|dangling=BOOL] [REPOSITORY[:TAG]]" },
    { "inspect", cmd_inspect, "inspect IMAGE [IMAGE...]" },
    { "tag", cmd_tag, "tag SOURCE_IMAGE TARGET_IMAGE[:TAG]" },
    { "rmi", cmd_rmi, "rmi [-f|--force] IMAGE [IMAGE...]" },
    { "push", cmd_push, "push [--quiet] IMAGE [TARGET]" },
    { "save", cmd_save, "save [-o PATH] [--format docker-archive|oci-layout] IMAGE [IMAGE...]" },
    { "load", cmd_load, "load [-i] [PATH|-] [--format docker-archive|oci-layout] [-q]" },
    { "create", cmd_create, "create [--name N] [-e K=V] [-v SRC:DST] [-m 512m] [--dry-run] ... IMAGE [CMD...]" },
    { "run", cmd_run, "run [-d] [-i] [-t] [--rm] [--name N] [create flags] IMAGE [CMD...]" },
    { "start", cmd_start, "start [-a] [-i] NAME..." },
    { "attach", cmd_attach, "attach [--no-stdin] NAME" },
    { "stop", cmd_stop, "stop [-t SECONDS] NAME..." },
    { "restart", cmd_restart, "restart [-t SECONDS] NAME..." },
    { "kill", cmd_kill, "kill [-s SIGNAL] NAME..." },
    { "wait", cmd_wait, "wait NAME..." },
    { "rm", cmd_rm, "rm [-f] NAME..." },
    { "ps", cmd_ps, "ps [-a] [-q] [--filter status=S|name=N|label=K[=V]]" },
    { "logs", cmd_logs, "logs [-f] [--tail N] [--since T] [-t] NAME" },
    { "exec", cmd_exec, "exec [-i] [-t] [-e K=V] [-w DIR] [-u USER] NAME CMD..." },
    { "container", cmd_container, "container inspect NAME... (also ls, rm, start, stop, ...)" },
    { "hcs-plan", cmd_hcs_plan, "hcs-plan [--isolation process|hyperv] --layer DIR... [options] COMMAND... (Windows HCS documents, any host)" },
    { "fsck", cmd_fsck, "fsck [--repair]" },
    { "update", cmd_update, "update --restart no|on-failure[:N]|always|unless-stopped NAME..." },
    { "system", cmd_system, "system boot   start the containers whose restart policy says they run after a boot" },
    { "prune", cmd_prune, "prune [-a|--all] [--ingest-grace SECONDS]" },
    { "layer", cmd_layer, "layer apply|unpack|chain ...   one layer onto a directory or into the store" },
};

static void usage(FILE *f)
{
    fprintf(f, "usage: berth [--root DIR] [--json] <command> [args]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %s\n", commands[i].usage);
    fprintf(f, "\nThe store root is --root, else $BERTH_ROOT, else /var/lib/berth.\n");
}

int main(int argc, char **argv)
{
    cli_globals g = { NULL, 0 };
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--json") == 0)
            g.json = 1;
        else if (strcmp(argv[i], "--root") == 0 && i + 1 < argc)
            g.root = argv[++i];
        else if (strncmp(argv[i], "--root=", 7) == 0)
            g.root = argv[i] + 7;
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "berth: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return 2;
    }
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
        if (strcmp(commands[c].name, argv[i]) == 0) {
            /* Subcommands may also take --json after their name. */
            for (int j = i + 1; j < argc; j++)
                if (strcmp(argv[j], "--json") == 0)
                    g.json = 1;
            return commands[c].run(&g, argc - i, argv + i);
        }
    }
    fprintf(stderr, "berth: unknown command \"%s\"; run berth --help for the list\n", argv[i]);
    return 2;
}
