#include "cli.h"
#include "container_args.h"
#include <json-c/json.h>
#include <stdio.h>

/* berth create [flags] IMAGE [CMD...]: prints the new container's id (--json: the container;
 * --dry-run: the runtime documents without creating anything). */
int cmd_create(const cli_globals *g, int argc, char **argv)
{
    container_args a;
    int st = container_args_parse(&a, "create", argc, argv);
    if (st) {
        json_object_put(a.req);
        return st;
    }
    berth_t *b = NULL;
    char *out = NULL;
    if ((st = cli_open(&b, g, "create")) != 0)
        goto done;
    const char *req = json_object_to_json_string(a.req);
    int rc = a.dry_run ? berth_container_plan(&out, b, req) : berth_container_create(&out, b, req);
    if (rc) {
        st = cli_fail("create", rc);
        st = st == 1 ? 125 : st;
        goto done;
    }
    if (g->json || a.dry_run) {
        cli_print_json(out);
    } else {
        json_object *o = json_tokener_parse(out);
        json_object *id;
        if (o && json_object_object_get_ex(o, "id", &id))
            puts(json_object_get_string(id));
        json_object_put(o);
    }
done:
    berth_free(out);
    berth_close(b);
    json_object_put(a.req);
    return st;
}
