/* berth images: the local images as a docker-style table, or with --json the array of "image"
 * objects exactly as berth_image_list returns it.
 *   berth images [--json] [-q] [--no-trunc] [--filter reference=GLOB|dangling=true] [REPO[:TAG]] */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define USAGE "images [--json] [-q] [--no-trunc] [--filter reference=GLOB|dangling=true|false] [REPOSITORY[:TAG]]"

/* docker.io/library/busybox → busybox; docker.io/someone/app → someone/app (docker's view). */
static const char *familiar(const char *repo)
{
    static const char hub[] = "docker.io/", lib[] = "docker.io/library/";
    if (strncmp(repo, lib, sizeof lib - 1) == 0 && !strchr(repo + sizeof lib - 1, '/'))
        return repo + sizeof lib - 1;
    if (strncmp(repo, hub, sizeof hub - 1) == 0)
        return repo + sizeof hub - 1;
    return repo;
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

typedef struct {
    char repo[300], tag[140], id[80], created[64], size[32];
} row;

static void fill_row(row *r, json_object *img, const char *repo_tag, int no_trunc)
{
    char full[300];
    snprintf(r->repo, sizeof r->repo, "<none>");
    snprintf(r->tag, sizeof r->tag, "<none>");
    if (repo_tag) {
        const char *colon = strrchr(repo_tag, ':');
        size_t n = colon ? (size_t)(colon - repo_tag) : strlen(repo_tag);
        snprintf(full, sizeof full, "%.*s", (int)n, repo_tag);
        snprintf(r->repo, sizeof r->repo, "%s", familiar(full));
        snprintf(r->tag, sizeof r->tag, "%s", colon ? colon + 1 : "");
    }
    const char *id = jstr(img, "id");
    snprintf(r->id, sizeof r->id, "%.*s", no_trunc ? 71 : 12, id ? (no_trunc ? id : id + 7) : "");
    cli_time_ago(r->created, sizeof r->created, jstr(img, "created"));
    json_object *sz = NULL;
    json_object_object_get_ex(img, "size", &sz);
    cli_human_size(r->size, (unsigned long long)json_object_get_int64(sz));
}

/* One row per tag (an untagged image: one <none> row), columns as wide as their content. */
static void print_table(json_object *arr, int no_trunc)
{
    size_t n = 0, cap = 16;
    row *rows = malloc(cap * sizeof *rows);
    for (size_t i = 0; rows && i < json_object_array_length(arr); i++) {
        json_object *img = json_object_array_get_idx(arr, i), *tags;
        size_t nt = json_object_object_get_ex(img, "repo_tags", &tags) ? json_object_array_length(tags) : 0;
        for (size_t t = 0; t < (nt ? nt : 1); t++) {
            if (n == cap) {
                row *grown = realloc(rows, (cap *= 2) * sizeof *rows);
                if (!grown)
                    break;
                rows = grown;
            }
            fill_row(&rows[n++], img, nt ? json_object_get_string(json_object_array_get_idx(tags, t)) : NULL, no_trunc);
        }
    }
    static const char *const headers[] = { "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE" };
    cli_table *t = cli_table_new(5, headers);
    for (size_t i = 0; t && i < n; i++) {
        const char *cells[] = { rows[i].repo, rows[i].tag, rows[i].id, rows[i].created, rows[i].size };
        cli_table_add(t, cells);
    }
    if (t)
        cli_table_print(t, stdout);
    cli_table_free(t);
    free(rows);
}

/* "reference=busy*" → {"reference":"busy*"} merged into filter. */
static int add_filter(json_object *filter, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq)
        return -1;
    size_t n = (size_t)(eq - spec);
    if (n == 9 && strncmp(spec, "reference", 9) == 0)
        json_object_object_add(filter, "reference", json_object_new_string(eq + 1));
    else if (n == 8 && strncmp(spec, "dangling", 8) == 0 && (!strcmp(eq + 1, "true") || !strcmp(eq + 1, "false")))
        json_object_object_add(filter, "dangling", json_object_new_boolean(strcmp(eq + 1, "true") == 0));
    else
        return -1;
    return 0;
}

int cmd_images(const cli_globals *g, int argc, char **argv)
{
    int quiet = 0, no_trunc = 0, status = 0;
    json_object *filter = json_object_new_object();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            continue;
        else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0)
            quiet = 1;
        else if (strcmp(argv[i], "--no-trunc") == 0)
            no_trunc = 1;
        else if ((strcmp(argv[i], "--filter") == 0 || strcmp(argv[i], "-f") == 0) && i + 1 < argc) {
            if (add_filter(filter, argv[++i]) != 0) {
                fprintf(stderr, "berth images: unknown filter \"%s\" (known: reference=GLOB, dangling=true|false)\n", argv[i]);
                json_object_put(filter);
                return 2;
            }
        } else if (argv[i][0] != '-' && !json_object_object_get_ex(filter, "reference", NULL))
            json_object_object_add(filter, "reference", json_object_new_string(argv[i]));
        else {
            json_object_put(filter);
            return cli_usage("images", USAGE);
        }
    }
    berth_t *b = NULL;
    char *out = NULL;
    if ((status = cli_open(&b, g, "images")) != 0)
        goto done;
    int rc = berth_image_list(&out, b, json_object_to_json_string(filter));
    if (rc) {
        status = cli_fail("images", rc);
        goto done;
    }
    if (g->json) {
        cli_print_json(out);
        goto done;
    }
    json_object *arr = json_tokener_parse(out);
    if (arr && quiet) {
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
            const char *id = jstr(json_object_array_get_idx(arr, i), "id");
            printf("%.*s\n", no_trunc ? 71 : 12, id ? (no_trunc ? id : id + 7) : "");
        }
    } else if (arr) {
        print_table(arr, no_trunc);
    }
    json_object_put(arr);
done:
    berth_free(out);
    berth_close(b);
    json_object_put(filter);
    return status;
}
