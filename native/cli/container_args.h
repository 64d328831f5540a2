/* Flags shared by `berth create` and `berth run` (docker's names), turned into the
 * "container_create" JSON object of docs/api.md. */
#ifndef BERTH_CLI_CONTAINER_ARGS_H
#define BERTH_CLI_CONTAINER_ARGS_H
#include <json-c/json.h>

typedef struct {
    json_object *req;   /* the container_create object */
    int detach, interactive, tty, dry_run;
} container_args;

/* Parses argv[1..]; returns 0, or prints the problem and returns the exit status (2). */
int container_args_parse(container_args *out, const char *cmd, int argc, char **argv);
/* "512m", "1g", "1048576" → bytes; -1 when malformed. */
long long container_args_bytes(const char *s);

#endif
