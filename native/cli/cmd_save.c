/* berth save: `docker save` — images into a docker-archive tar (default) or an OCI image
 * layout (--format oci-layout; a directory when -o names one or ends with '/', else a tar).
 * Without -o the tar goes to standard output (refused on a terminal), as docker does: it is
 * made in the store's tmp/ folder first, so a failed save writes nothing to the pipe. */
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

/* A fresh name under <root>/tmp for the archive on its way to stdout. */
static char *temp_name(berth_t *b)
{
    size_t n = strlen(berth_root(b)) + 64;
    char *p = malloc(n);
    for (unsigned i = 0; p && i < 100; i++) {
        snprintf(p, n, "%s/tmp/save-%lld-%u-%u.tar", berth_root(b), (long long)time(NULL), (unsigned)clock(), i);
        FILE *f = fopen(p, "wbx");
        if (f) {
            fclose(f);
            remove(p); /* the name is ours to use; the save creates it afresh */
            return p;
        }
    }
    free(p);
    return NULL;
}

static int copy_to_stdout(const char *path)
{
    FILE *f = fopen(path, "rb");
    char buf[64 * 1024];
    size_t n;
    int rc = f ? 0 : -1;
    while (rc == 0 && (n = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, n, stdout) != n)
            rc = -1;
    if (f)
        fclose(f);
    if (fflush(stdout) != 0)
        rc = -1;
    return rc;
}

static const char USAGE[] = "save [-o PATH] [--format docker-archive|oci-layout] IMAGE [IMAGE...]   (no -o: a tar to stdout)";

int cmd_save(const cli_globals *g, int argc, char **argv)
{
    berth_archive_options o = BERTH_ARCHIVE_OPTIONS_INIT;
    const char *path = NULL;
    json_object *names = json_object_new_array();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0)
            continue;
        if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && i + 1 < argc)
            path = argv[++i];
        else if (strncmp(a, "--output=", 9) == 0)
            path = a + 9;
        else if (strcmp(a, "--format") == 0 && i + 1 < argc)
            o.format = argv[++i];
        else if (strncmp(a, "--format=", 9) == 0)
            o.format = a + 9;
        else if (a[0] == '-' && a[1]) {
            json_object_put(names);
            return cli_usage("save", USAGE);
        } else
            json_object_array_add(names, json_object_new_string(a));
    }
    if (json_object_array_length(names) == 0 || (!path && (g->json || isatty(fileno(stdout))))) {
        if (!path && json_object_array_length(names) > 0)
            fprintf(stderr, "berth save: refusing to write an archive to a terminal; use -o FILE or redirect the output\n");
        json_object_put(names);
        return cli_usage("save", USAGE);
    }
    berth_t *b = NULL;
    int st = cli_open(&b, g, "save");
    if (st) {
        json_object_put(names);
        return st;
    }
    char *tmp = NULL;
    if (!path && !(tmp = temp_name(b))) {
        fprintf(stderr, "berth save: cannot create a temporary file in %s/tmp\n", berth_root(b));
        json_object_put(names);
        berth_close(b);
        return 1;
    }
    int rc = berth_image_save(b, json_object_to_json_string(names), tmp ? tmp : path, &o);
    if (rc == 0 && tmp && copy_to_stdout(tmp) != 0) {
        fprintf(stderr, "berth save: writing the archive to standard output failed\n");
        st = 1;
    }
    if (tmp) {
        remove(tmp);
        free(tmp);
    }
    if (rc && g->json)
        cli_print_error_event(rc);
    if (rc)
        st = cli_fail("save", rc);
    else if (g->json)
        printf("{\"path\":\"%s\",\"format\":\"%s\",\"images\":%zu}\n", path, o.format ? o.format : "docker-archive",
               json_object_array_length(names));
    json_object_put(names);
    berth_close(b);
    return st;
}
