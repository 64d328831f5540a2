/* The berth CLI: a thin layer over berth.h. One file per subcommand (cmd_<name>.c), each a
 * function that parses its own flags, calls the library and prints either a human view or,
 * with --json, exactly the JSON the library returned (docs/api.md). */
#ifndef BERTH_CLI_H
#define BERTH_CLI_H
#include "berth.h"

typedef struct {
    const char *root;  /* --root, else NULL (library default / $BERTH_ROOT) */
    int json;          /* --json */
} cli_globals;

typedef int (*cli_command_fn)(const cli_globals *g, int argc, char **argv);

typedef struct {
    const char *name;
    cli_command_fn run;
    const char *usage;    /* one line: "pull [--platform P] REF" */
} cli_command;

/* Prints "berth <cmd>: <berth_errmsg()>" to stderr; returns the exit status for rc. */
int cli_fail(const char *cmd, int rc);
/* Prints a usage error for cmd and returns exit status 2. */
int cli_usage(const char *cmd, const char *usage);
/* Prints json (pretty) to stdout. */
void cli_print_json(const char *json);
/* Opens the store named by g (BERTH_ROOT / default when g->root is NULL). */
int cli_open(berth_t **out, const cli_globals *g, const char *cmd);
/* "12.3 MB" style sizes into buf. */
const char *cli_human_size(char *buf, unsigned long long bytes);

int cmd_version(const cli_globals *g, int argc, char **argv);
int cmd_pull(const cli_globals *g, int argc, char **argv);
int cmd_login(const cli_globals *g, int argc, char **argv);
int cmd_logout(const cli_globals *g, int argc, char **argv);
int cmd_images(const cli_globals *g, int argc, char **argv);
int cmd_inspect(const cli_globals *g, int argc, char **argv);
int cmd_tag(const cli_globals *g, int argc, char **argv);
int cmd_rmi(const cli_globals *g, int argc, char **argv);
int cmd_fsck(const cli_globals *g, int argc, char **argv);
int cmd_prune(const cli_globals *g, int argc, char **argv);
int cmd_layer(const cli_globals *g, int argc, char **argv);

#endif
