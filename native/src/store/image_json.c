/* The "image" object (docs/api.md) built from an image's rows: what berth_image_list returns
 * for each image and what berth_image_inspect extends with the config and the manifest. */
#include "store/images.h"
#include "store/sql.h"
#include "core/error.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static json_object *str_or_null(const char *s)
{
    return s && *s ? json_object_new_string(s) : NULL;
}

/* repository + sep + name for every row of sql (bound with id), as a JSON array. */
static int names_of(json_object **out, sqlite3 *db, const char *sql, const char *sep, const char *id)
{
    sqlite3_stmt *st = NULL;
    int rc = sql_prepare(&st, db, sql, "read image names"), s;
    json_object *arr = json_object_new_array();
    if (!arr)
        rc = berth_fail_oom();
    if (rc == 0)
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s%s%s", sql_text(st, 0), sep, sql_text(st, 1));
        json_object_array_add(arr, json_object_new_string(buf));
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = sql_fail(db, "read image names");
    sqlite3_finalize(st);
    if (rc)
        json_object_put(arr);
    else
        *out = arr;
    return rc;
}

static int layers_of(json_object **out, sqlite3 *db, const char *id)
{
    sqlite3_stmt *st = NULL;
    int rc = sql_prepare(&st, db, "SELECT digest, size, media_type, diff_id FROM image_layers WHERE image_id = ?1 "
                                  "ORDER BY position", "read image layers"), s;
    json_object *arr = json_object_new_array();
    if (!arr)
        rc = berth_fail_oom();
    if (rc == 0)
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        json_object *l = json_object_new_object();
        json_object_object_add(l, "digest", json_object_new_string(sql_text(st, 0)));
        json_object_object_add(l, "size", json_object_new_int64(sqlite3_column_int64(st, 1)));
        json_object_object_add(l, "media_type", json_object_new_string(sql_text(st, 2)));
        json_object_object_add(l, "diff_id", str_or_null(sql_text(st, 3)));
        json_object_array_add(arr, l);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = sql_fail(db, "read image layers");
    sqlite3_finalize(st);
    if (rc)
        json_object_put(arr);
    else
        *out = arr;
    return rc;
}

static json_object *rfc3339(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
#ifdef _WIN32
    gmtime_s(&tm, &tt);
#else
    gmtime_r(&tt, &tm);
#endif
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_object_new_string(buf);
}

int image_to_json(json_object **out, sqlite3 *db, const char *id)
{
    sqlite3_stmt *st = NULL;
    json_object *o = NULL, *arr = NULL;
    int rc = sql_prepare(&st, db, "SELECT manifest_digest, media_type, os, architecture, variant, os_version, size, "
                                  "created, added, index_digest FROM images WHERE id = ?1", "read image");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s != SQLITE_ROW) {
        rc = s == SQLITE_DONE ? berth_fail(BERTH_ENOTFOUND, "image %s is not in the store", id) : sql_fail(db, "read image");
        goto out;
    }
    if (!(o = json_object_new_object())) {
        rc = berth_fail_oom();
        goto out;
    }
    json_object_object_add(o, "id", json_object_new_string(id));
    if ((rc = names_of(&arr, db, "SELECT repository, tag FROM tags WHERE image_id = ?1 ORDER BY repository, tag",
                       ":", id)) != 0)
        goto out;
    json_object_object_add(o, "repo_tags", arr);
    if ((rc = names_of(&arr, db, "SELECT repository, manifest_digest FROM repo_digests WHERE image_id = ?1 "
                                 "ORDER BY repository, manifest_digest", "@", id)) != 0)
        goto out;
    json_object_object_add(o, "repo_digests", arr);
    json_object_object_add(o, "manifest_digest", json_object_new_string(sql_text(st, 0)));
    json_object_object_add(o, "media_type", json_object_new_string(sql_text(st, 1)));
    json_object_object_add(o, "os", json_object_new_string(sql_text(st, 2)));
    json_object_object_add(o, "architecture", json_object_new_string(sql_text(st, 3)));
    json_object_object_add(o, "variant", str_or_null(sql_text(st, 4)));
    json_object_object_add(o, "os_version", str_or_null(sql_text(st, 5)));
    json_object_object_add(o, "size", json_object_new_int64(sqlite3_column_int64(st, 6)));
    json_object_object_add(o, "created", str_or_null(sql_text(st, 7)));
    json_object_object_add(o, "added", rfc3339(sqlite3_column_int64(st, 8)));
    json_object_object_add(o, "index_digest", str_or_null(sql_text(st, 9)));
    if ((rc = layers_of(&arr, db, id)) != 0)
        goto out;
    json_object_object_add(o, "layers", arr);
    *out = o;
    o = NULL;
out:
    json_object_put(o);
    sqlite3_finalize(st);
    return rc;
}
