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

static int glob_match(const char *p, const char *s)
{
    for (; *p; p++, s++) {
        if (*p == '*') {
            while (p[1] == '*')
                p++;
            for (const char *t = s;; t++) {
                if (glob_match(p + 1, t))
                    return 1;
                if (!*t || *t == '/')
                    return 0;
            }
        }
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '?' && *s && *s != '/')
            continue;
        if (*p != *s)
            return 0;
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
