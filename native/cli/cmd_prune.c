/* berth prune [-a|--all] [--ingest-grace SECONDS]: removes blobs no image or running pull
 * references, unpacked layers no image needs and partial downloads older than the grace (a
 * day by default); with --all also untagged images no container uses (docker image prune -a is
 * the model). */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_prune(const cli_globals *g, int argc, char **argv)
{
    int all = 0;
    long long grace = -1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-a") == 0 || strcmp(argv[i], "--all") == 0)
            all = 1;
        else if (strcmp(argv[i], "--ingest-grace") == 0 && i + 1 < argc)
            grace = atoll(argv[++i]);
        else if (strcmp(argv[i], "--json") != 0)
            return cli_usage("prune", "prune [-a|--all] [--ingest-grace SECONDS]");
    }
    char opts[128];
    if (grace >= 0)
        snprintf(opts, sizeof opts, "{\"all\": %s, \"ingest_grace_seconds\": %lld}", all ? "true" : "false", grace);
    else
        snprintf(opts, sizeof opts, "{\"all\": %s}", all ? "true" : "false");
    berth_t *b = NULL;
    char *out = NULL;
    int status = cli_open(&b, g, "prune");
    if (status)
        return status;
    int rc = berth_prune(&out, b, opts);
    berth_close(b);
    if (rc)
        return cli_fail("prune", rc);
    if (g->json) {
        cli_print_json(out);
    } else {
        json_object *o = json_tokener_parse(out), *v, *imgs;
        if (o && json_object_object_get_ex(o, "images_removed", &imgs))
            for (size_t i = 0; i < json_object_array_length(imgs); i++)
                printf("Deleted: %s\n", json_object_get_string(json_object_array_get_idx(imgs, i)));
        char size[32];
        json_object_object_get_ex(o, "bytes_freed", &v);
        cli_human_size(size, (unsigned long long)json_object_get_int64(v));
        json_object *l = NULL, *p = NULL;
        json_object_object_get_ex(o, "blobs_removed", &v);
        json_object_object_get_ex(o, "layers_removed", &l);
        json_object_object_get_ex(o, "ingests_removed", &p);
        printf("Removed %lld blobs, %lld unpacked layers, %lld partial downloads; reclaimed %s\n",
               (long long)json_object_get_int64(v), (long long)json_object_get_int64(l),
               (long long)json_object_get_int64(p), size);
        json_object_put(o);
    }
    berth_free(out);
    return 0;
}
