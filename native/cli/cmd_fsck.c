/* berth fsck [--repair]: re-hashes every blob, checks every image's blobs are present; prints
 * what it found (or the "fsck" JSON with --json). Exit status 1 when the store is not sound. */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

static size_t list(json_object *o, const char *key, const char *label, const char *field)
{
    json_object *arr;
    if (!json_object_object_get_ex(o, key, &arr))
        return 0;
    size_t n = json_object_array_length(arr);
    for (size_t i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(arr, i), *v;
        if (field && json_object_object_get_ex(e, field, &v))
            printf("%s: %s\n", label, json_object_get_string(v));
        else
            printf("%s: %s\n", label, json_object_get_string(e));
    }
    return n;
}

int cmd_fsck(const cli_globals *g, int argc, char **argv)
{
    int repair = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repair") == 0)
            repair = 1;
        else if (strcmp(argv[i], "--json") != 0)
            return cli_usage("fsck", "fsck [--repair]");
    }
    berth_t *b = NULL;
    char *out = NULL;
    int status = cli_open(&b, g, "fsck");
    if (status)
        return status;
    int rc = berth_fsck(&out, b, repair);
    berth_close(b);
    if (rc)
        return cli_fail("fsck", rc);
    json_object *o = json_tokener_parse(out), *v;
    int ok = o && json_object_object_get_ex(o, "ok", &v) && json_object_get_boolean(v);
    if (g->json) {
        cli_print_json(out);
    } else if (o) {
        char size[32];
        json_object_object_get_ex(o, "bytes_checked", &v);
        cli_human_size(size, (unsigned long long)json_object_get_int64(v));
        json_object_object_get_ex(o, "blobs_checked", &v);
        printf("checked %lld blobs (%s)\n", (long long)json_object_get_int64(v), size);
        list(o, "corrupt", "corrupt", "digest");
        list(o, "stray", "stray file", NULL);
        json_object *missing;
        if (json_object_object_get_ex(o, "missing", &missing))
            for (size_t i = 0; i < json_object_array_length(missing); i++) {
                json_object *m = json_object_array_get_idx(missing, i), *k, *d, *img;
                json_object_object_get_ex(m, "kind", &k);
                json_object_object_get_ex(m, "digest", &d);
                json_object_object_get_ex(m, "image", &img);
                printf("missing %s blob %s of image %s\n", json_object_get_string(k), json_object_get_string(d),
                       json_object_get_string(img));
            }
        list(o, "database", "database", NULL);
        list(o, "removed", "removed", NULL);
        if (ok)
            printf("the store is sound\n");
        else if (repair)
            printf("repaired what could be repaired; pull the images above again to fetch what is missing\n");
        else
            printf("run `berth fsck --repair` to remove damaged blobs, then pull the affected images again\n");
    }
    json_object_put(o);
    berth_free(out);
    return ok ? 0 : 1;
}
