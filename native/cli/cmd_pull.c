/* berth pull: pulls an image with a live display per layer on a terminal (bytes, rate, ETA,
 * "Already exists", "Verifying"), one line per state change when stdout is not a terminal, or
 * JSON lines with --json (one progress event per line, then the "image" object). Ctrl+C
 * cancels through the progress callback; the partial downloads stay for the next pull. */
#include "cli.h"
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _WIN32
#  include <io.h>
#  define stdout_is_terminal() _isatty(_fileno(stdout))
#else
#  include <unistd.h>
#  define stdout_is_terminal() isatty(STDOUT_FILENO)
#endif

#define MAX_ITEMS 256

typedef struct {
    char id[80];
    char status[160];
    unsigned long long cur, total;
    double rate;              /* bytes per second, smoothed */
    double last_t;
    unsigned long long last_cur;
    int is_bytes;             /* show bytes, rate, ETA */
} pull_item;

typedef struct {
    int json, tty, quiet;
    int unpack;            /* layers are extracted too: "Download complete", then "Extracting" */
    pull_item items[MAX_ITEMS];
    int n;
    int drawn;                /* lines of the live display already on screen */
    int downloaded;           /* layers fetched (0: everything was already there) */
    double last_draw;
    char last_json[512];
} pull_view;

static double now_s(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static pull_item *item_for(pull_view *v, const char *id)
{
    for (int i = 0; i < v->n; i++)
        if (strcmp(v->items[i].id, id) == 0)
            return &v->items[i];
    if (v->n == MAX_ITEMS)
        return NULL;
    pull_item *it = &v->items[v->n++];
    memset(it, 0, sizeof *it);
    snprintf(it->id, sizeof it->id, "%s", id);
    it->last_t = now_s();
    return it;
}

/* "sha256:0123456789ab…" → "0123456789ab" like docker's short layer ids */
static const char *short_id(const char *id)
{
    static char buf[16];
    const char *hex = strncmp(id, "sha256:", 7) == 0 ? id + 7 : id;
    snprintf(buf, sizeof buf, "%.12s", hex);
    return buf;
}

static void format_line(const pull_item *it, char *line, size_t len)
{
    char a[32], b[32], r[32];
    if (!it->is_bytes) {
        snprintf(line, len, "%s: %s", short_id(it->id), it->status);
        return;
    }
    cli_human_size(a, it->cur);
    cli_human_size(b, it->total);
    cli_human_size(r, (unsigned long long)it->rate);
    char eta[32] = "";
    if (it->rate > 1 && it->total > it->cur) {
        unsigned long long s = (unsigned long long)((it->total - it->cur) / it->rate);
        if (s >= 3600)
            snprintf(eta, sizeof eta, "  ETA %lluh%02llum", s / 3600, (s / 60) % 60);
        else if (s >= 60)
            snprintf(eta, sizeof eta, "  ETA %llum%02llus", s / 60, s % 60);
        else
            snprintf(eta, sizeof eta, "  ETA %llus", s);
    }
    char bar[23] = "[--------------------]";
    if (it->total) {
        int fill = (int)(20.0 * (double)it->cur / (double)it->total);
        for (int i = 0; i < fill && i < 20; i++)
            bar[1 + i] = '=';
        if (fill < 20)
            bar[1 + fill] = '>';
    }
    snprintf(line, len, "%s: %-12s %s %9s / %-9s %9s/s%s", short_id(it->id), it->status, bar, a, b, r, eta);
}

static void draw(pull_view *v, int force)
{
    double t = now_s();
    if (!force && t - v->last_draw < 0.1)
        return;
    v->last_draw = t;
    if (v->drawn)
        printf("\033[%dA", v->drawn);
    char line[256];
    for (int i = 0; i < v->n; i++) {
        format_line(&v->items[i], line, sizeof line);
        printf("\r\033[K%s\n", line);
    }
    v->drawn = v->n;
    fflush(stdout);
}

static void print_json_event(pull_view *v, const berth_progress *p)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "event", json_object_new_string("progress"));
    json_object_object_add(o, "phase", json_object_new_string(p->phase ? p->phase : ""));
    json_object_object_add(o, "id", p->id ? json_object_new_string(p->id) : NULL);
    json_object_object_add(o, "current", json_object_new_int64((int64_t)p->current));
    json_object_object_add(o, "total", json_object_new_int64((int64_t)p->total));
    json_object_object_add(o, "message", p->message ? json_object_new_string(p->message) : NULL);
    const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    /* The library repeats its current step while it waits, so a caller can cancel; print once. */
    if (strcmp(s, v->last_json) != 0) {
        puts(s);
        fflush(stdout);
        snprintf(v->last_json, sizeof v->last_json, "%s", s);
    }
    json_object_put(o);
}

static int on_progress(const berth_progress *p, void *payload)
{
    pull_view *v = payload;
    if (cli_interrupted())
        return 1;
    if (v->json) {
        print_json_event(v, p);
        return 0;
    }
    if (v->quiet || !p->phase || !p->id)
        return 0;
    if (strcmp(p->phase, "resolve") == 0 || strcmp(p->phase, "commit") == 0 || strcmp(p->phase, "done") == 0) {
        if (strncmp(p->id, "sha256:", 7) != 0) /* the image itself: the summary comes at the end */
            return 0;
    }
    if (strcmp(p->phase, "done") == 0)
        v->downloaded++;
    pull_item *it = item_for(v, p->id);
    if (!it)
        return 0;
    const char *old = it->status;
    char status[160];
    int bytes = 0;
    if (strcmp(p->phase, "queued") == 0)
        snprintf(status, sizeof status, "Waiting");
    else if (strcmp(p->phase, "download") == 0)
        snprintf(status, sizeof status, "Downloading"), bytes = 1;
    else if (strcmp(p->phase, "verify") == 0)
        snprintf(status, sizeof status, "Verifying");
    else if (strcmp(p->phase, "exists") == 0)
        snprintf(status, sizeof status, "Already exists");
    else if (strcmp(p->phase, "done") == 0)
        snprintf(status, sizeof status, v->unpack ? "Download complete" : "Pull complete");
    else if (strcmp(p->phase, "unpack") == 0)
        snprintf(status, sizeof status, "Extracting"), bytes = 1;
    else if (strcmp(p->phase, "unpacked") == 0)
        snprintf(status, sizeof status, "%s", strcmp(old, "Already exists") == 0 ? "Already exists" : "Pull complete");
    else if (strcmp(p->phase, "retry") == 0)
        snprintf(status, sizeof status, "Retrying: %.140s", p->message ? p->message : "");
    else if (strcmp(p->phase, "wait") == 0)
        snprintf(status, sizeof status, "Waiting for another download of this layer");
    else
        snprintf(status, sizeof status, "%.150s", p->message ? p->message : p->phase);
    int changed = strcmp(old, status) != 0;
    double t = now_s();
    if (bytes && t - it->last_t >= 0.25) {
        double inst = (double)(p->current - (p->current >= it->last_cur ? it->last_cur : p->current)) / (t - it->last_t);
        it->rate = it->rate > 0 ? 0.7 * it->rate + 0.3 * inst : inst;
        it->last_t = t;
        it->last_cur = p->current;
    }
    it->cur = p->current;
    it->total = p->total;
    it->is_bytes = bytes;
    snprintf(it->status, sizeof it->status, "%s", status);
    if (v->tty)
        draw(v, changed);
    else if (changed) {
        /* Not a terminal (a log, a pipe): one line per state change, no byte ticks. */
        printf("%s: %s\n", short_id(it->id), it->status);
        fflush(stdout);
    }
    return 0;
}

static const char USAGE[] = "pull [--platform OS/ARCH[/VARIANT][:OSVERSION]] [--isolation process|hyperv] "
                            "[--allow-foreign-layers] [--max-concurrent N] [--no-unpack] [--quiet] REF";

int cmd_pull(const cli_globals *g, int argc, char **argv)
{
    berth_pull_options o = BERTH_PULL_OPTIONS_INIT;
    const char *ref = NULL;
    static pull_view v;
    memset(&v, 0, sizeof v);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--json") == 0)
            continue;
        else if (strcmp(a, "--platform") == 0 && i + 1 < argc)
            o.platform = argv[++i];
        else if (strncmp(a, "--platform=", 11) == 0)
            o.platform = a + 11;
        else if (strcmp(a, "--isolation") == 0 && i + 1 < argc)
            o.isolation = argv[++i];
        else if (strncmp(a, "--isolation=", 12) == 0)
            o.isolation = a + 12;
        else if (strcmp(a, "--no-unpack") == 0)
            o.no_unpack = 1;
        else if (strcmp(a, "--allow-foreign-layers") == 0)
            o.allow_foreign_layers = 1;
        else if (strcmp(a, "--max-concurrent") == 0 && i + 1 < argc)
            o.max_concurrent = atoi(argv[++i]);
        else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
            v.quiet = 1;
        else if (a[0] == '-' && a[1])
            return cli_usage("pull", USAGE);
        else if (!ref)
            ref = a;
        else
            return cli_usage("pull", USAGE);
    }
    if (!ref)
        return cli_usage("pull", USAGE);
    v.unpack = !o.no_unpack;
    v.json = g->json;
    v.tty = !g->json && stdout_is_terminal();
    o.progress = on_progress;
    o.progress_payload = &v;

    /* Ctrl+C only sets a flag; the progress callback turns it into a clean cancel. */
    cli_interrupt intr;
    cli_interrupt_catch(&intr, 1); /* a second Ctrl+C kills at once */
#ifdef SIGPIPE
    signal(SIGPIPE, SIG_IGN);
#endif

    berth_t *b = NULL;
    int st = cli_open(&b, g, "pull");
    if (st) {
        cli_interrupt_release(&intr);
        return st;
    }
    if (!g->json && !v.quiet)
        printf("Pulling %s\n", ref), fflush(stdout);
    char *json = NULL;
    int rc = berth_image_pull(&json, b, ref, &o);
    if (v.tty)
        draw(&v, 1);
    cli_interrupt_release(&intr);
    if (rc) {
        if (g->json)
            cli_print_error_event(rc);
        st = cli_fail("pull", rc);
        berth_close(b);
        return st;
    }
    if (g->json) {
        json_object *o2 = json_tokener_parse(json);
        puts(o2 ? json_object_to_json_string_ext(o2, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : json);
        json_object_put(o2);
    } else if (v.quiet) {
        puts(ref); /* like docker pull -q: just the name */
    } else {
        json_object *img = json_tokener_parse(json);
        json_object *d = NULL, *id = NULL, *sz = NULL;
        char size[32] = "";
        if (img) {
            json_object_object_get_ex(img, "manifest_digest", &d);
            json_object_object_get_ex(img, "id", &id);
            if (json_object_object_get_ex(img, "size", &sz))
                cli_human_size(size, (unsigned long long)json_object_get_int64(sz));
        }
        printf("Digest: %s\nImage:  %s (%s)\nStatus: %s %s\n", d ? json_object_get_string(d) : "?",
               id ? json_object_get_string(id) : "?", size,
               v.downloaded ? "Downloaded newer image for" : "Image is up to date for", ref);
        json_object_put(img);
    }
    berth_free(json);
    berth_close(b);
    return 0;
}
