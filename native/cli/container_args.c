#include "container_args.h"
#include "cli.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long long container_args_bytes(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v < 0)
        return -1;
    long long mul = 1;
    switch (tolower((unsigned char)*end)) {
    case '\0': case 'b': break;
    case 'k': mul = 1024; break;
    case 'm': mul = 1024 * 1024; break;
    case 'g': mul = 1024LL * 1024 * 1024; break;
    default: return -1;
    }
    if (*end && end[1] && !(tolower((unsigned char)end[1]) == 'b' && !end[2]))
        return -1;
    return (long long)(v * (double)mul);
}

static void add_str(json_object *req, const char *key, const char *v)
{
    json_object_object_add(req, key, json_object_new_string(v));
}

static void push(json_object *req, const char *key, const char *v)
{
    json_object *a;
    if (!json_object_object_get_ex(req, key, &a)) {
        a = json_object_new_array();
        json_object_object_add(req, key, a);
    }
    json_object_array_add(a, json_object_new_string(v));
}

int container_args_parse(container_args *o, const char *cmd, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->req = json_object_new_object();
    json_object *labels = json_object_new_object();
    json_object_object_add(o->req, "labels", labels);
    int i = 1;
    const char *usage = "[--name N] [-d] [-i] [-t] [--rm] [-e K=V] [--entrypoint E] [-w DIR] [-u USER] [-h HOST] "
                        "[-v SRC:DST[:ro]] [--read-only] [-m BYTES] [--cpus N] [-l K=V] [--network none|host|bridge] "
                        "[-p HOST:CTR] [--stop-signal S] [--stop-timeout N] [--restart no|on-failure[:N]|always|unless-stopped] "
                        "[--rootfs DIR] "
                        "[--security-opt seccomp=unconfined|PROFILE.json|no-new-privileges|apparmor=P] [--cap-add CAP] "
                        "[--cap-drop CAP] [--privileged] IMAGE [CMD...]";
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        /* --flag=value */
        char flag[64];
        const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        if (eq && (size_t)(eq - a) < sizeof flag) {
            memcpy(flag, a, (size_t)(eq - a));
            flag[eq - a] = '\0';
            a = flag;
            val = eq + 1;
        }
#define NEXT() (val ? val : (i + 1 < argc ? argv[++i] : NULL))
#define IS(s) (strcmp(a, s) == 0)
        if (IS("--json")) continue;
        if (IS("-d") || IS("--detach")) { o->detach = 1; continue; }
        if (IS("-i") || IS("--interactive")) { o->interactive = 1; continue; }
        if (IS("-t") || IS("--tty")) { o->tty = 1; continue; }
        if (IS("-it") || IS("-ti")) { o->interactive = o->tty = 1; continue; }
        if (IS("-itd") || IS("-dit")) { o->interactive = o->tty = o->detach = 1; continue; }
        if (IS("--rm")) { json_object_object_add(o->req, "auto_remove", json_object_new_boolean(1)); continue; }
        if (IS("--read-only")) { json_object_object_add(o->req, "read_only", json_object_new_boolean(1)); continue; }
        if (IS("--dry-run")) { o->dry_run = 1; continue; }
        /* security (docker's names): --privileged takes no value */
        if (IS("--privileged")) { json_object_object_add(o->req, "privileged", json_object_new_boolean(1)); continue; }
        const char *v = NEXT();
        if (!v) {
            fprintf(stderr, "berth %s: %s needs a value\n", cmd, a);
            return cli_usage(cmd, usage);
        }
        if (IS("--name")) add_str(o->req, "name", v);
        else if (IS("-e") || IS("--env")) {
            if (strchr(v, '=')) push(o->req, "env", v);
            else if (getenv(v)) {   /* -e NAME takes the value from this environment, like docker */
                char kv[8192];
                snprintf(kv, sizeof kv, "%s=%s", v, getenv(v));
                push(o->req, "env", kv);
            }
        }
        else if (IS("--entrypoint")) add_str(o->req, "entrypoint", v);
        else if (IS("-w") || IS("--workdir")) add_str(o->req, "workdir", v);
        else if (IS("-u") || IS("--user")) add_str(o->req, "user", v);
        else if (IS("-h") || IS("--hostname")) add_str(o->req, "hostname", v);
        else if (IS("-v") || IS("--volume")) push(o->req, "volumes", v);
        else if (IS("-p") || IS("--publish")) push(o->req, "ports", v);
        else if (IS("--network") || IS("--net")) add_str(o->req, "network", v);
        else if (IS("--stop-signal")) add_str(o->req, "stop_signal", v);
        else if (IS("--stop-timeout")) json_object_object_add(o->req, "stop_timeout", json_object_new_int(atoi(v)));
        else if (IS("--rootfs")) add_str(o->req, "rootfs", v);
        else if (IS("--restart")) add_str(o->req, "restart_policy", v);   /* checked by the library (container/restart.c) */
        else if (IS("--security-opt")) push(o->req, "security_opt", v);
        else if (IS("--cap-add")) push(o->req, "cap_add", v);
        else if (IS("--cap-drop")) push(o->req, "cap_drop", v);
        else if (IS("-m") || IS("--memory")) {
            long long n = container_args_bytes(v);
            if (n < 0) {
                fprintf(stderr, "berth %s: --memory %s: give bytes with an optional unit (b, k, m, g), e.g. 512m\n", cmd, v);
                return 2;
            }
            json_object_object_add(o->req, "memory", json_object_new_int64(n));
        } else if (IS("--cpus")) {
            char *end;
            double c = strtod(v, &end);
            if (*end || c <= 0) {
                fprintf(stderr, "berth %s: --cpus %s: give a positive number, e.g. 1.5\n", cmd, v);
                return 2;
            }
            json_object_object_add(o->req, "cpus", json_object_new_double(c));
        } else if (IS("-l") || IS("--label")) {
            char k[1024];
            snprintf(k, sizeof k, "%s", v);
            char *e = strchr(k, '=');
            if (e)
                *e++ = '\0';
            json_object_object_add(labels, k, json_object_new_string(e ? e : ""));
        } else {
            fprintf(stderr, "berth %s: unknown option %s\n", cmd, argv[i]);
            return cli_usage(cmd, usage);
        }
#undef NEXT
#undef IS
    }
    json_object *rootfs;
    int has_rootfs = json_object_object_get_ex(o->req, "rootfs", &rootfs);
    if (i < argc && !has_rootfs)
        add_str(o->req, "image", argv[i++]);
    else if (!has_rootfs)
        return cli_usage(cmd, usage);
    if (i < argc) {
        json_object *c = json_object_new_array();
        for (; i < argc; i++)
            json_object_array_add(c, json_object_new_string(argv[i]));
        json_object_object_add(o->req, "cmd", c);
    }
    if (o->tty)
        json_object_object_add(o->req, "tty", json_object_new_boolean(1));
    if (o->interactive)
        json_object_object_add(o->req, "open_stdin", json_object_new_boolean(1));
    return 0;
}
