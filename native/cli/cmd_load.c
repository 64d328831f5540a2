/* berth load: `docker load` — a docker-archive or an OCI image layout (tar or directory; the
 * format is detected, --format forces one). Without a path (or with "-") the archive is read
 * from standard input, spooled into the store's tmp/ folder first (a load reads it twice).
 * Prints "Loaded image: NAME" per name, or "Loaded image ID: ID" for an image without one;
 * --json prints the array of "image" objects. */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _WIN32
#  include <io.h>
#  define isatty _isatty
#  define fileno _fileno
#else
#  include <unistd.h>
#endif

/* Copies standard input into a fresh file under <root>/tmp; its malloc'ed path, or NULL. */
static char *spool_stdin(berth_t *b)
{
    size_t n = strlen(berth_root(b)) + 64;
    char *p = malloc(n), buf[64 * 1024];
    FILE *f = NULL;
    for (unsigned i = 0; p && !f && i < 100; i++) {
        snprintf(p, n, "%s/tmp/load-%lld-%u-%u.tar", berth_root(b), (long long)time(NULL), (unsigned)clock(), i);
        f = fopen(p, "wbx");
    }
    if (!f) {
        free(p);
        return NULL;
    }
    size_t got;
    int ok = 1;
    while (ok && (got = fread(buf, 1, sizeof buf, stdin)) > 0)
        ok = fwrite(buf, 1, got, f) == got;
    ok = ok && !ferror(stdin);
    if (fclose(f) != 0 || !ok) {
        remove(p);
        free(p);
        return NULL;
    }
    return p;
}

static int on_progress(const berth_progress *p, void *payload)
{
    (void)p;
    (void)payload;
    return cli_interrupted() ? 1 : 0;
}

static const char USAGE[] = "load [-i PATH | PATH | - (stdin)] [--format docker-archive|oci-layout] [-q]";

int cmd_load(const cli_globals *g, int argc, char **argv)
{
    berth_archive_options o = BERTH_ARCHIVE_OPTIONS_INIT;
    const char *path = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0)
            continue;
        if ((strcmp(a, "-i") == 0 || strcmp(a, "--input") == 0) && i + 1 < argc && !path)
            path = argv[++i];
        else if (strcmp(a, "--format") == 0 && i + 1 < argc)
            o.format = argv[++i];
        else if (strncmp(a, "--format=", 9) == 0)
            o.format = a + 9;
        else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
            quiet = 1;
        else if (a[0] == '-' && a[1])
            return cli_usage("load", USAGE);
        else if (!path)
            path = a;
        else
            return cli_usage("load", USAGE);
    }
    int from_stdin = !path || strcmp(path, "-") == 0;
    if (from_stdin && isatty(fileno(stdin))) {
        fprintf(stderr, "berth load: give the archive as PATH, or pipe it in (berth load < image.tar)\n");
        return cli_usage("load", USAGE);
    }
    cli_interrupt intr;
    cli_interrupt_catch(&intr, 0);
    o.progress = on_progress;
    berth_t *b = NULL;
    int st = cli_open(&b, g, "load");
    if (st) {
        cli_interrupt_release(&intr);
        return st;
    }
    char *spooled = NULL;
    if (from_stdin && !(spooled = spool_stdin(b))) {
        cli_interrupt_release(&intr);
        fprintf(stderr, "berth load: could not copy standard input into %s/tmp (is there room?)\n", berth_root(b));
        berth_close(b);
        return 1;
    }
    char *json = NULL;
    int rc = berth_image_load(&json, b, spooled ? spooled : path, &o);
    if (spooled) {
        remove(spooled);
        free(spooled);
    }
    cli_interrupt_release(&intr);
    if (rc) {
        if (g->json)
            cli_print_error_event(rc);
        st = cli_fail("load", rc);
        berth_close(b);
        return st;
    }
    json_object *arr = json_tokener_parse(json);
    if (g->json) {
        puts(arr ? json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : json);
    } else if (!quiet) {
        for (size_t i = 0; arr && i < json_object_array_length(arr); i++) {
            json_object *img = json_object_array_get_idx(arr, i), *tags = NULL, *id = NULL;
            json_object_object_get_ex(img, "repo_tags", &tags);
            json_object_object_get_ex(img, "id", &id);
            size_t n = tags ? json_object_array_length(tags) : 0;
            for (size_t k = 0; k < n; k++)
                printf("Loaded image: %s\n", json_object_get_string(json_object_array_get_idx(tags, k)));
            if (n == 0)
                printf("Loaded image ID: %s\n", id ? json_object_get_string(id) : "?");
        }
    }
    json_object_put(arr);
    berth_free(json);
    berth_close(b);
    return 0;
}
