/* berth hcs-plan — prints the HCS documents (compute system, utility VM, process, HNS) that
 * Berth would send for a Windows container, on any host: the documents are built by portable
 * code. A developer's and an administrator's window into runtime/hcs; `berth create
 * --dry-run --platform windows/…` prints the same documents for an image from the store. */
#include "cli.h"
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE "hcs-plan [--isolation process|hyperv] --layer DIR... [--id ID] [--hostname H]\n" \
    "       [-e K=V]... [-w DIR] [-u USER] [-v SRC:DST[:ro]]... [--memory BYTES[k|m|g]] [--cpus N]\n" \
    "       [--network nat|none|NAME] [-p [IP:]HOST:CONTAINER[/udp]]... [-t] [-i]\n" \
    "       [--host-processors N] [--] COMMAND [ARG...]"

/* "512m" → bytes; 0 on error */
static long long parse_size(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0)
        return 0;
    long long mul = 1;
    switch (*end) {
    case 'k': case 'K': mul = 1LL << 10; end++; break;
    case 'm': case 'M': mul = 1LL << 20; end++; break;
    case 'g': case 'G': mul = 1LL << 30; end++; break;
    case '\0': break;
    default: return 0;
    }
    if ((*end == 'b' || *end == 'B') && end[1] == '\0')
        end++;
    return *end ? 0 : (long long)(v * (double)mul);
}

/* Windows volume syntax: SRC:DST[:ro|rw] where SRC and DST may hold drive letters (C:\a:C:\b)
 * or be a named volume (logs:C:\logs) or a named pipe (\\.\pipe\x:\\.\pipe\x). */
static json_object *parse_volume(const char *arg)
{
    char *s = strdup(arg);
    if (!s)
        return NULL;
    int ro = 0;
    size_t n = strlen(s);
    if (n > 3 && (!strcmp(s + n - 3, ":ro") || !strcmp(s + n - 3, ":rw"))) {
        ro = s[n - 2] == 'r' && s[n - 1] == 'o';
        s[n - 3] = '\0';
    }
    char *split = NULL;
    for (char *p = s + 1; *p; p++) {   /* the last ':' after which a destination starts */
        if (*p != ':')
            continue;
        const char *d = p + 1;
        int drive = ((d[0] >= 'A' && d[0] <= 'Z') || (d[0] >= 'a' && d[0] <= 'z')) && d[1] == ':' &&
                    (d[2] == '\\' || d[2] == '/');
        if (drive || !strncmp(d, "\\\\.\\pipe\\", 9))
            split = p;
    }
    json_object *m = NULL;
    if (split) {
        *split = '\0';
        const char *src = s, *dst = split + 1;
        int volume = !strpbrk(src, "\\/:");
        m = json_object_new_object();
        json_object_object_add(m, "source", json_object_new_string(src));
        json_object_object_add(m, "destination", json_object_new_string(dst));
        if (ro)
            json_object_object_add(m, "read_only", json_object_new_boolean(1));
        if (volume)
            json_object_object_add(m, "volume", json_object_new_boolean(1));
    }
    free(s);
    return m;
}

static void add_str(json_object *spec, const char *list, const char *v)
{
    json_object *a;
    if (!json_object_object_get_ex(spec, list, &a)) {
        a = json_object_new_array();
        json_object_object_add(spec, list, a);
    }
    json_object_array_add(a, json_object_new_string(v));
}

int cmd_hcs_plan(const cli_globals *g, int argc, char **argv)
{
    json_object *spec = json_object_new_object();
    int status = 2;
    if (!spec)
        return cli_fail("hcs-plan", BERTH_ENOMEM);
    if (g->root)
        json_object_object_add(spec, "root", json_object_new_string(g->root));
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-')
            break;
        if (!strcmp(a, "--json"))
            continue;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            printf("usage: berth %s\n\nPrints the HCS documents (compute system, utility VM, process, HNS "
                   "endpoint and namespace)\nthat a Windows host would be sent for this container. Works on "
                   "any host.\n", USAGE);
            status = 0;
            goto out;
        }
        if (!strcmp(a, "-t") || !strcmp(a, "--tty")) {
            json_object_object_add(spec, "tty", json_object_new_boolean(1));
            continue;
        }
        if (!strcmp(a, "-i") || !strcmp(a, "--interactive")) {
            json_object_object_add(spec, "stdin", json_object_new_boolean(1));
            continue;
        }
        if (!v)
            goto usage;
        i++;
        if (!strcmp(a, "--isolation") || !strcmp(a, "--id") || !strcmp(a, "--hostname") ||
            !strcmp(a, "--network") || !strcmp(a, "-w") || !strcmp(a, "--workdir") || !strcmp(a, "-u") ||
            !strcmp(a, "--user")) {
            const char *key = !strcmp(a, "-w") ? "workdir" : !strcmp(a, "-u") ? "user" : a + 2;
            json_object_object_add(spec, key, json_object_new_string(v));
        } else if (!strcmp(a, "--layer")) {
            add_str(spec, "layers", v);
        } else if (!strcmp(a, "-e") || !strcmp(a, "--env")) {
            add_str(spec, "env", v);
        } else if (!strcmp(a, "-p") || !strcmp(a, "--publish")) {
            add_str(spec, "ports", v);
        } else if (!strcmp(a, "-v") || !strcmp(a, "--volume")) {
            json_object *m = parse_volume(v);
            if (!m) {
                fprintf(stderr, "berth hcs-plan: volume \"%s\": want SRC:DST[:ro], e.g. C:\\data:C:\\data:ro\n", v);
                goto out;
            }
            json_object *arr;
            if (!json_object_object_get_ex(spec, "mounts", &arr)) {
                arr = json_object_new_array();
                json_object_object_add(spec, "mounts", arr);
            }
            json_object_array_add(arr, m);
        } else if (!strcmp(a, "--memory") || !strcmp(a, "-m")) {
            long long bytes = parse_size(v);
            if (bytes <= 0) {
                fprintf(stderr, "berth hcs-plan: --memory \"%s\": want a size such as 512m or 2g\n", v);
                goto out;
            }
            json_object_object_add(spec, "memory", json_object_new_int64(bytes));
        } else if (!strcmp(a, "--host-processors")) {
            char *end;
            long n = strtol(v, &end, 10);
            if (end == v || *end || n <= 0 || n > 65536) {
                fprintf(stderr, "berth hcs-plan: --host-processors \"%s\": want the host's logical processor "
                        "count, e.g. 8\n", v);
                goto out;
            }
            json_object_object_add(spec, "host_processors", json_object_new_int((int)n));
        } else if (!strcmp(a, "--cpus")) {
            char *end;
            double c = strtod(v, &end);
            if (end == v || *end || c <= 0) {
                fprintf(stderr, "berth hcs-plan: --cpus \"%s\": want a positive number such as 1.5\n", v);
                goto out;
            }
            json_object_object_add(spec, "cpus", json_object_new_double(c));
        } else {
            goto usage;
        }
    }
    for (; i < argc; i++)
        add_str(spec, "args", argv[i]);

    char *out = NULL;
    int rc = berth_hcs_plan(&out, json_object_to_json_string_ext(spec, JSON_C_TO_STRING_PLAIN));
    if (rc) {
        status = cli_fail("hcs-plan", rc);
        goto out;
    }
    cli_print_json(out);
    berth_free(out);
    status = 0;
    goto out;
usage:
    status = cli_usage("hcs-plan", USAGE);
out:
    json_object_put(spec);
    return status;
}
