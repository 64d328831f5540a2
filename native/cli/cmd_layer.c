/* berth layer apply|unpack|chain — one layer at a time, as the pull unpacks them:
 *   berth layer apply  [--media-type T] [--max-bytes N] [--max-entries N] [--allow-devices] LAYER DIR
 *   berth layer unpack [--media-type T] [--diff-id D] [--parent CHAIN] [--lower DIR]... LAYER  (store)
 *   berth layer chain DIFF_ID...                                                     (chain ids)
 * LAYER "-" reads standard input. A refusal exits 1 and says which entry and why.
 * $BERTH_LAYER_MAX_BYTES / $BERTH_LAYER_MAX_ENTRIES set the size policy when no flag does. */
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE_APPLY "layer apply [--media-type T] [--max-bytes N] [--max-entries N] [--allow-devices] LAYER DIR"
#define USAGE_UNPACK "layer unpack [--media-type T] [--diff-id D] [--parent CHAIN] [--lower DIR]... [--max-bytes N] [--max-entries N] LAYER"
#define MAX_LOWERS 128

/* Parses the flags both subcommands share; leaves positional arguments in pos[]. */
/* lowers: room for MAX_LOWERS --lower values (unpack only; NULL for apply). */
static int parse(berth_layer_options *o, const char **diff_id, const char **parent, const char **lowers,
                 const char **pos, int *npos, int maxpos, int argc, char **argv)
{
    o->lower_dirs = lowers;
    /* The policy's defaults may come from the environment; flags win. */
    const char *env = getenv("BERTH_LAYER_MAX_BYTES");
    if (env && *env)
        o->max_bytes = strtoull(env, NULL, 10);
    if ((env = getenv("BERTH_LAYER_MAX_ENTRIES")) && *env)
        o->max_entries = strtoull(env, NULL, 10);
    *npos = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--json") == 0)
            continue;
        if (strcmp(a, "--allow-devices") == 0) {
            o->allow_devices = 1;
        } else if (strcmp(a, "--media-type") == 0 && v) {
            o->media_type = v, i++;
        } else if (strcmp(a, "--max-bytes") == 0 && v) {
            o->max_bytes = strtoull(v, NULL, 10), i++;
        } else if (strcmp(a, "--max-entries") == 0 && v) {
            o->max_entries = strtoull(v, NULL, 10), i++;
        } else if (diff_id && strcmp(a, "--diff-id") == 0 && v) {
            *diff_id = v, i++;
        } else if (parent && strcmp(a, "--parent") == 0 && v) {
            *parent = v, i++;
        } else if (lowers && strcmp(a, "--lower") == 0 && v && o->n_lower_dirs < MAX_LOWERS) {
            lowers[o->n_lower_dirs++] = v, i++;
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "berth layer: unknown option %s\n", a);
            return -1;
        } else if (*npos < maxpos) {
            pos[(*npos)++] = a;
        } else {
            return -1;
        }
    }
    return 0;
}

static void print_human(const char *json, const char *verb)
{
    /* The JSON is small and flat: show the fields people look for. */
    const char *keys[] = { "chain_id", "diff_id", "path", "entries", "bytes", "existed", "windows" };
    printf("%s\n", verb);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char pat[32];
        snprintf(pat, sizeof pat, "\"%s\":", keys[i]);
        const char *p = strstr(json, pat);
        if (!p)
            continue;
        p += strlen(pat);
        while (*p == ' ' || *p == '"')
            p++;
        size_t n = strcspn(p, "\",}");
        printf("  %-9s %.*s\n", keys[i], (int)n, p);
    }
}

static int layer_apply_cmd(const cli_globals *g, int argc, char **argv)
{
    berth_layer_options o = BERTH_LAYER_OPTIONS_INIT;
    const char *pos[2];
    int npos;
    if (parse(&o, NULL, NULL, NULL, pos, &npos, 2, argc, argv) != 0 || npos != 2)
        return cli_usage("layer", USAGE_APPLY);
    char *json = NULL;
    int rc = berth_layer_apply_opts(&json, pos[0], pos[1], &o);
    if (rc != 0)
        return cli_fail("layer apply", rc);
    if (g->json)
        cli_print_json(json);
    else
        print_human(json, "applied");
    berth_free(json);
    return 0;
}

static int layer_unpack_cmd(const cli_globals *g, int argc, char **argv)
{
    berth_layer_options o = BERTH_LAYER_OPTIONS_INIT;
    const char *pos[1], *diff_id = NULL, *parent = NULL, *lowers[MAX_LOWERS];
    int npos;
    if (parse(&o, &diff_id, &parent, lowers, pos, &npos, 1, argc, argv) != 0 || npos != 1)
        return cli_usage("layer", USAGE_UNPACK);
    berth_t *b = NULL;
    int rc = cli_open(&b, g, "layer unpack");
    if (rc != 0)
        return rc;
    char *json = NULL;
    rc = berth_layer_unpack(&json, b, pos[0], diff_id, parent, &o);
    if (rc != 0) {
        rc = cli_fail("layer unpack", rc);
    } else {
        if (g->json)
            cli_print_json(json);
        else
            print_human(json, "unpacked");
        rc = 0;
    }
    berth_free(json);
    berth_close(b);
    return rc;
}

/* Prints the chain id after each diff_id in turn (base first), as the store names layers. */
static int layer_chain_cmd(const cli_globals *g, int argc, char **argv)
{
    (void)g;
    if (argc < 3)
        return cli_usage("layer", "layer chain DIFF_ID...");
    char *chain = NULL;
    for (int i = 2; i < argc; i++) {
        char *next = NULL;
        int rc = berth_layer_chain_id(&next, chain, argv[i]);
        berth_free(chain);
        if (rc != 0)
            return cli_fail("layer chain", rc);
        chain = next;
        printf("%s\n", chain);
    }
    berth_free(chain);
    return 0;
}

int cmd_layer(const cli_globals *g, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "apply") == 0)
        return layer_apply_cmd(g, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "unpack") == 0)
        return layer_unpack_cmd(g, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "chain") == 0)
        return layer_chain_cmd(g, argc, argv);
    fprintf(stderr, "usage: berth %s\n       berth %s\n       berth layer chain DIFF_ID...\n", USAGE_APPLY, USAGE_UNPACK);
    return 2;
}
