/* berth push: uploads a stored image to a registry, one line per layer state change
 * ("Pushed", "Layer already exists", "Mounted from …"), or JSON lines with --json (progress
 * events, then the result object). Ctrl+C cancels; uploaded blobs stay and the next push
 * skips them. */
#include "cli.h"
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    int json, quiet;
    char last[512];
} push_view;

static void print_event(const berth_progress *p)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "event", json_object_new_string("progress"));
    json_object_object_add(o, "phase", json_object_new_string(p->phase ? p->phase : ""));
    json_object_object_add(o, "id", p->id ? json_object_new_string(p->id) : NULL);
    json_object_object_add(o, "current", json_object_new_int64((int64_t)p->current));
    json_object_object_add(o, "total", json_object_new_int64((int64_t)p->total));
    json_object_object_add(o, "message", p->message ? json_object_new_string(p->message) : NULL);
    puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    fflush(stdout);
    json_object_put(o);
}

static int on_progress(const berth_progress *p, void *payload)
{
    push_view *v = payload;
    if (cli_interrupted())
        return 1;
    if (!p->phase || !p->id || strcmp(p->phase, "wait") == 0)
        return 0;
    if (v->json) {
        if (strcmp(p->phase, "upload") != 0 || p->current == 0 || p->current == p->total)
            print_event(p);
        return 0;
    }
    if (v->quiet || strncmp(p->id, "sha256:", 7) != 0)
        return 0;
    const char *status = NULL;
    char buf[400];
    if (strcmp(p->phase, "upload") == 0)
        status = "Pushing";
    else if (strcmp(p->phase, "exists") == 0)
        status = "Layer already exists";
    else if (strcmp(p->phase, "mounted") == 0)
        snprintf(buf, sizeof buf, "Mounted (%s)", p->message ? p->message : ""), status = buf;
    else if (strcmp(p->phase, "done") == 0)
        status = "Pushed";
    else if (strcmp(p->phase, "skip") == 0)
        status = "Skipped foreign layer";
    else if (strcmp(p->phase, "retry") == 0)
        snprintf(buf, sizeof buf, "Retrying: %.300s", p->message ? p->message : ""), status = buf;
    if (!status)
        return 0;
    char line[512];
    snprintf(line, sizeof line, "%.12s: %s", p->id + 7, status);
    if (strcmp(line, v->last) != 0) {
        puts(line);
        fflush(stdout);
        snprintf(v->last, sizeof v->last, "%s", line);
    }
    return 0;
}

static const char USAGE[] = "push [--quiet] IMAGE [TARGET]";

int cmd_push(const cli_globals *g, int argc, char **argv)
{
    const char *name = NULL, *target = NULL;
    push_view v = { g->json, 0, "" };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0)
            continue;
        if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
            v.quiet = 1;
        else if (a[0] == '-' && a[1])
            return cli_usage("push", USAGE);
        else if (!name)
            name = a;
        else if (!target)
            target = a;
        else
            return cli_usage("push", USAGE);
    }
    if (!name)
        return cli_usage("push", USAGE);
    berth_push_options o = BERTH_PUSH_OPTIONS_INIT;
    o.progress = on_progress;
    o.progress_payload = &v;
    cli_interrupt intr;
    cli_interrupt_catch(&intr, 0);
#ifdef SIGPIPE
    signal(SIGPIPE, SIG_IGN);
#endif

    berth_t *b = NULL;
    int st = cli_open(&b, g, "push");
    if (st) {
        cli_interrupt_release(&intr);
        return st;
    }
    if (!g->json && !v.quiet)
        printf("Pushing %s%s%s\n", name, target ? " to " : "", target ? target : ""), fflush(stdout);
    char *json = NULL;
    int rc = berth_image_push(&json, b, name, target, &o);
    cli_interrupt_release(&intr);
    if (rc) {
        if (g->json)
            cli_print_error_event(rc);
        st = cli_fail("push", rc);
        berth_close(b);
        return st;
    }
    json_object *res = json_tokener_parse(json);
    if (g->json) {
        puts(res ? json_object_to_json_string_ext(res, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : json);
    } else {
        json_object *d = NULL, *r = NULL, *sz = NULL;
        char size[32] = "?";
        json_object_object_get_ex(res, "digest", &d);
        json_object_object_get_ex(res, "reference", &r);
        if (json_object_object_get_ex(res, "size", &sz))
            cli_human_size(size, (unsigned long long)json_object_get_int64(sz));
        printf("%s: digest: %s size: %s\n", r ? json_object_get_string(r) : name, d ? json_object_get_string(d) : "?", size);
    }
    json_object_put(res);
    berth_free(json);
    berth_close(b);
    return 0;
}
