/* berth run: create + start, then (unless -d) stay attached like docker run (attach.c): the
 * exit status is the container's. */
#include "cli.h"
#include "container_args.h"
#include <json-c/json.h>
#include <stdio.h>

int cmd_run(const cli_globals *g, int argc, char **argv)
{
    container_args a;
    int st = container_args_parse(&a, "run", argc, argv);
    if (st) {
        json_object_put(a.req);
        return st;
    }
    berth_t *b = NULL;
    char *out = NULL;
    json_object *created = NULL;
    char id[80];
    int rc;
    if ((st = cli_open(&b, g, "run")) != 0)
        goto done;
    if ((rc = berth_container_create(&out, b, json_object_to_json_string(a.req))) != 0) {
        cli_fail("run", rc);
        st = 125;
        goto done;
    }
    created = json_tokener_parse(out);
    json_object *idv;
    if (!created || !json_object_object_get_ex(created, "id", &idv)) {
        fprintf(stderr, "berth run: create returned no id\n");
        st = 125;
        goto done;
    }
    snprintf(id, sizeof id, "%s", json_object_get_string(idv));
    json_object *ar;
    int auto_remove = json_object_object_get_ex(created, "auto_remove", &ar) && json_object_get_boolean(ar);

    if (!a.detach)
        cli_attach_block_signals();   /* they go to the container from the moment it starts */
    if ((rc = berth_container_start(b, id)) != 0) {
        cli_fail("run", rc);
        st = rc == BERTH_ENOTFOUND ? 127 : rc == BERTH_EINVAL ? 126 : 125;
        if (auto_remove)
            berth_container_remove(b, id, 1);
        goto done;
    }
    if (a.detach) {
        if (g->json) {
            char *j = NULL;
            if (berth_container_inspect(&j, b, id) == 0)
                cli_print_json(j);
            berth_free(j);
        } else {
            puts(id);
        }
        goto done;
    }
    st = cli_attach("run", b, id, NULL, a.interactive, a.tty);
done:
    json_object_put(created);
    berth_free(out);
    berth_close(b);
    json_object_put(a.req);
    return st;
}
