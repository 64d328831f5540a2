/* berth_image_list: every image, newest first, optionally filtered the way `docker images
 * --filter` filters: {"reference": "glob"} matches a tag's repository or repository:tag, in
 * full (docker.io/library/busybox:latest) or familiar (busybox:latest) form, where '*' and '?'
 * do not cross '/' (like docker's path.Match); {"dangling": true|false} keeps untagged images
 * only, or tagged ones only. */
#include "store/images.h"
#include "store/sql.h"
#include "core/error.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILTER_MAX 4096

/* One chunk of a pattern (what lies between stars) against the start of s: where s goes on
 * after it, or NULL. '?' is one character but '/'; '\\' makes the next one literal. */
static const char *match_chunk(const char *chunk, size_t len, const char *s)
{
    for (size_t i = 0; i < len; i++, s++) {
        char c = chunk[i];
        if (c == '?') {
            if (!*s || *s == '/')
                return NULL;
            continue;
        }
        if (c == '\\' && i + 1 < len)
            c = chunk[++i];
        if (*s != c)
            return NULL;
    }
    return s;
}

/* Go's path.Match, which docker's filter uses, for '*', '?' and '\\': the pattern is read
 * chunk by chunk and each starred chunk is placed at the first position that works, so time
 * is |pattern| x |s| — the backtracking matcher this replaces took exponential time on
 * patterns such as "*a*a*a*a*a*a*a*a*a*a*a*a*b" (a filter that never returned). */
static int glob_match(const char *p, const char *s)
{
    while (*p) {
        int star = 0;
        while (*p == '*') {
            star = 1;
            p++;
        }
        size_t n = 0;
        while (p[n] && p[n] != '*')
            n += (p[n] == '\\' && p[n + 1]) ? 2 : 1;
        const char *rest = p + n;
        if (star && n == 0)
            return strchr(s, '/') == NULL; /* a trailing '*' takes the rest, unless it has a '/' */
        const char *t = match_chunk(p, n, s);
        if (t && (!*t || *rest)) {
            s = t;
            p = rest;
            continue;
        }
        if (!star)
            return 0;
        /* '*' skips one more character each time, never a '/' */
        const char *next = NULL;
        for (const char *u = s; *u && *u != '/' && !next; u++) {
            t = match_chunk(p, n, u + 1);
            if (t && (!*t || *rest))
                next = t;
        }
        if (!next)
            return 0;
        s = next;
        p = rest;
    }
    return *s == '\0';
}

/* docker.io/library/busybox → busybox; docker.io/someone/app → someone/app. */
static const char *familiar(const char *repo)
{
    static const char hub[] = "docker.io/", lib[] = "docker.io/library/";
    if (strncmp(repo, lib, sizeof lib - 1) == 0 && !strchr(repo + sizeof lib - 1, '/'))
        return repo + sizeof lib - 1;
    if (strncmp(repo, hub, sizeof hub - 1) == 0)
        return repo + sizeof hub - 1;
    return repo;
}

static int tag_matches(const char *pattern, const char *repo_tag)
{
    char repo[512];
    const char *colon = strrchr(repo_tag, ':');
    size_t n = colon && !strchr(colon, '/') ? (size_t)(colon - repo_tag) : strlen(repo_tag);
    if (n >= sizeof repo)
        return 0;
    memcpy(repo, repo_tag, n);
    repo[n] = '\0';
    char fam_tag[512];
    snprintf(fam_tag, sizeof fam_tag, "%s%s", familiar(repo), repo_tag + n);
    return glob_match(pattern, repo_tag) || glob_match(pattern, repo) || glob_match(pattern, familiar(repo)) ||
           glob_match(pattern, fam_tag);
}

typedef struct {
    const char *reference;  /* NULL: any */
    int dangling;           /* -1: any, 0: tagged only, 1: untagged only */
} list_filter;

static int parse_filter(list_filter *f, json_object **holder, const char *filter_json)
{
    f->reference = NULL;
    f->dangling = -1;
    *holder = NULL;
    if (!filter_json || !*filter_json)
        return 0;
    int rc = json_parse_limited(holder, filter_json, strnlen(filter_json, FILTER_MAX + 1), "image list filter");
    if (rc)
        return rc;
    if (!json_object_is_type(*holder, json_type_object))
        return berth_fail(BERTH_EINVAL, "image list filter: expected a JSON object such as {\"reference\": \"busy*\"}");
    json_object_object_foreach(*holder, key, val) {
        if (strcmp(key, "reference") == 0 && json_object_is_type(val, json_type_string))
            f->reference = json_object_get_string(val);
        else if (strcmp(key, "dangling") == 0 && json_object_is_type(val, json_type_boolean))
            f->dangling = json_object_get_boolean(val);
        else
            return berth_fail(BERTH_EINVAL, "image list filter: unknown key \"%s\" or wrong type (known: \"reference\": "
                              "glob string, \"dangling\": boolean)", key);
    }
    return 0;
}

static int keep(const list_filter *f, json_object *img)
{
    json_object *tags = json_arr(img, "repo_tags");
    size_t n = tags ? json_object_array_length(tags) : 0;
    if (f->dangling == 1 && n > 0)
        return 0;
    if (f->dangling == 0 && n == 0)
        return 0;
    if (!f->reference)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (tag_matches(f->reference, json_object_get_string(json_object_array_get_idx(tags, i))))
            return 1;
    return 0;
}

int berth_image_list(char **out_json, berth_t *b, const char *filter_json)
{
    berth_error_clear();
    if (!out_json || !b)
        return berth_fail(BERTH_EINVAL, "berth_image_list: NULL argument");
    *out_json = NULL;
    list_filter f = { NULL, -1 };
    json_object *holder = NULL, *arr = json_object_new_array();
    sqlite3 *db = store_meta_db(b);
    sqlite3_stmt *st = NULL;
    int rc = arr ? parse_filter(&f, &holder, filter_json) : berth_fail_oom();
    if (rc || (rc = sql_tx_begin(db, 0)) != 0)
        goto out;
    rc = sql_prepare(&st, db, "SELECT id FROM images ORDER BY added DESC, id", "list images");
    int s;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        json_object *img = NULL;
        if ((rc = image_to_json(&img, db, sql_text(st, 0))) != 0)
            break;
        if (keep(&f, img))
            json_object_array_add(arr, img);
        else
            json_object_put(img);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = sql_fail(db, "list images");
    sqlite3_finalize(st);
    rc = sql_tx_end(db, rc);
    if (rc == 0) {
        rc = json_hand_out(out_json, arr);
        arr = NULL;
    }
out:
    json_object_put(arr);
    json_object_put(holder);
    return rc ? berth_wrap(rc, "list images") : 0;
}
