/* berth logs [-f] [--tail N] [--since T] [-t] NAME. --since takes RFC 3339 or a duration
 * (10s, 5m, 2h) back from now, as docker does. */
#include "cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct show { int timestamps; int json; };

static int print(const char *stream, const char *time, const char *line, size_t len, void *payload)
{
    struct show *sh = payload;
    FILE *f = strcmp(stream, "stderr") == 0 ? stderr : stdout;
    if (sh->timestamps)
        fprintf(f, "%s ", time);
    fwrite(line, 1, len, f);
    fflush(f);
    return 0;
}

static int since_arg(char *buf, size_t len, const char *v)
{
    char *end;
    double n = strtod(v, &end);
    long mul = 0;
    if (end != v && (!strcmp(end, "s") || !*end)) mul = 1;
    else if (end != v && !strcmp(end, "m")) mul = 60;
    else if (end != v && !strcmp(end, "h")) mul = 3600;
    if (!mul) {
        snprintf(buf, len, "%s", v);   /* RFC 3339: compared as text, like the log's own times */
        return 0;
    }
    time_t t = time(NULL) - (time_t)(n * (double)mul);
    struct tm tm;
    cli_utc(&tm, t);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    return 0;
}

int cmd_logs(const cli_globals *g, int argc, char **argv)
{
    berth_log_options o = BERTH_LOG_OPTIONS_INIT;
    struct show sh = { 0, g->json };
    char since[64];
    const char *name = NULL;
    const char *usage = "logs [-f] [--tail N] [--since TIME|DURATION] [-t] NAME";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-f") || !strcmp(a, "--follow")) o.follow = 1;
        else if (!strcmp(a, "-t") || !strcmp(a, "--timestamps")) sh.timestamps = 1;
        else if ((!strcmp(a, "--tail") || !strcmp(a, "-n")) && i + 1 < argc) {
            const char *v = argv[++i];
            o.tail = strcmp(v, "all") == 0 ? -1 : atoll(v);
        } else if (!strcmp(a, "--since") && i + 1 < argc) {
            since_arg(since, sizeof since, argv[++i]);
            o.since = since;
        } else if (!strcmp(a, "--json")) continue;
        else if (a[0] == '-' || name) return cli_usage("logs", usage);
        else name = a;
    }
    if (!name)
        return cli_usage("logs", usage);
    o.on_line = print;
    o.payload = &sh;
    berth_t *b;
    int st = cli_open(&b, g, "logs");
    if (st)
        return st;
    int rc = berth_container_logs(b, name, &o);
    if (rc)
        st = cli_fail("logs", rc);
    berth_close(b);
    return st;
}
