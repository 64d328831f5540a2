/* The berth CLI: a thin layer over berth.h. One file per subcommand (cmd_<name>.c), each a
 * function that parses its own flags, calls the library and prints either a human view or,
 * with --json, exactly the JSON the library returned (docs/api.md). */
#ifndef BERTH_CLI_H
#define BERTH_CLI_H
#include "berth.h"
#include <stddef.h>
#include <stdio.h>
#include <time.h>

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
/* "3 days ago" (docker's wording) for an RFC 3339 time, into buf; "N/A" when unreadable. */
const char *cli_time_ago(char *buf, size_t len, const char *rfc3339);
/* Now, in the log's time format (RFC 3339, nanoseconds, UTC). */
void cli_now(char *buf, size_t len);
/* t as UTC broken-down time (gmtime_r / gmtime_s). */
void cli_utc(struct tm *out, time_t t);

/* Tables whose columns are as wide as their content (table.c). */
typedef struct cli_table cli_table;
cli_table *cli_table_new(size_t ncols, const char *const *headers);
int cli_table_add(cli_table *t, const char *const *cells);
void cli_table_print(const cli_table *t, FILE *f);
void cli_table_free(cli_table *t);

int cmd_version(const cli_globals *g, int argc, char **argv);
int cmd_pull(const cli_globals *g, int argc, char **argv);
int cmd_login(const cli_globals *g, int argc, char **argv);
int cmd_logout(const cli_globals *g, int argc, char **argv);
int cmd_images(const cli_globals *g, int argc, char **argv);
int cmd_inspect(const cli_globals *g, int argc, char **argv);
int cmd_tag(const cli_globals *g, int argc, char **argv);
int cmd_rmi(const cli_globals *g, int argc, char **argv);
int cmd_push(const cli_globals *g, int argc, char **argv);
int cmd_save(const cli_globals *g, int argc, char **argv);
int cmd_load(const cli_globals *g, int argc, char **argv);

/* containers (the runc work) */
int cmd_create(const cli_globals *g, int argc, char **argv);
int cmd_run(const cli_globals *g, int argc, char **argv);
int cmd_start(const cli_globals *g, int argc, char **argv);
int cmd_stop(const cli_globals *g, int argc, char **argv);
int cmd_restart(const cli_globals *g, int argc, char **argv);
int cmd_kill(const cli_globals *g, int argc, char **argv);
int cmd_wait(const cli_globals *g, int argc, char **argv);
int cmd_rm(const cli_globals *g, int argc, char **argv);
int cmd_ps(const cli_globals *g, int argc, char **argv);
int cmd_logs(const cli_globals *g, int argc, char **argv);
int cmd_exec(const cli_globals *g, int argc, char **argv);
int cmd_container(const cli_globals *g, int argc, char **argv);
int cmd_container_inspect(const cli_globals *g, int argc, char **argv);
int cmd_hcs_plan(const cli_globals *g, int argc, char **argv);
int cmd_fsck(const cli_globals *g, int argc, char **argv);
int cmd_prune(const cli_globals *g, int argc, char **argv);
int cmd_layer(const cli_globals *g, int argc, char **argv);
int cmd_system(const cli_globals *g, int argc, char **argv);
int cmd_update(const cli_globals *g, int argc, char **argv);

/* --json: a failure as one {"event":"error","code","message"} line on stdout (output.c). */
void cli_print_error_event(int rc);

/* Ctrl+C as a cancel flag (interrupt.c): catch before the library call, release after it; the
 * progress callback returns cli_interrupted() to cancel. second_ctrl_c_kills: a second Ctrl+C
 * gets the default action (the process dies at once). */
typedef struct {
    void (*old)(int);
} cli_interrupt;
void cli_interrupt_catch(cli_interrupt *s, int second_ctrl_c_kills);
void cli_interrupt_release(cli_interrupt *s);
int cli_interrupted(void);

/* Staying attached to a running container (attach.c; run, start -a, attach). The platform
 * part (attach_posix.c, attach_win32.c): signals, stdin, the terminal. */
/* Blocks SIGINT/SIGTERM/SIGHUP in this thread (and threads it starts) so they can be passed to
 * the container; call before the container starts. */
void cli_attach_block_signals(void);
/* Prints the container's output since `since` (NULL: all) until it exits, feeding stdin when
 * interactive; returns its exit status, or 125 when waiting failed. */
int cli_attach(const char *cmd, berth_t *b, const char *id, const char *since, int interactive, int tty);
/* Platform part: starts passing stdin (interactive) and signals to container id, with the
 * terminal raw for a tty; returns what attach_io_end undoes (NULL is fine). */
void *attach_io_begin(berth_t *b, const char *id, int interactive, int tty);
void attach_io_end(void *io);
/* start -a (start: a stopped container is started, a running one joined) and attach (a
 * stopped one is refused): cli_attach from now on, stdin when want_stdin and it has -i. */
int cli_attach_name(const char *cmd, berth_t *b, const char *name, int start, int want_stdin);
int cmd_attach(const cli_globals *g, int argc, char **argv);

#endif
