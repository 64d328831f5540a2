/* berth_fsck: re-hashes every blob and checks that every image's manifest, config and layers
 * are present. With repair: deletes corrupt blobs and stray files under blobs/ (so the next
 * pull fetches them again) and sweeps leases of dead processes. Partial downloads are only
 * reported: they are resumable, not damage. Reads blobs in fixed chunks (memory flat). */
#include "store/store.h"
#include "store/dir_walk.h"
#include "store/sql.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    berth_t *b;
    int repair;
    char *blob_dir;
    int64_t checked, bytes;
    json_object *corrupt, *stray, *removed, *partials;
} fsck_run;

/* The image names that reference digest d (for telling the user what to pull again). */
static json_object *images_using(sqlite3 *db, const char *digest)
{
    json_object *arr = json_object_new_array();
    sqlite3_stmt *st = NULL;
    if (sql_prepare(&st, db, "SELECT DISTINCT COALESCE((SELECT repository || ':' || tag FROM tags t WHERE t.image_id = i.id "
                             "LIMIT 1), i.id) FROM images i LEFT JOIN image_layers l ON l.image_id = i.id "
                             "WHERE i.id = ?1 OR i.manifest_digest = ?1 OR l.digest = ?1", "find images of a blob") == 0) {
        sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_object_array_add(arr, json_object_new_string(sql_text(st, 0)));
    }
    sqlite3_finalize(st);
    return arr;
}

static int check_blob(const char *name, void *payload)
{
    fsck_run *r = payload;
    char *path = fs_join(r->blob_dir, name), text[DIGEST_TEXT_MAX + 8];
    berth_digest want, got;
    if (!path)
        return BERTH_ENOMEM;
    snprintf(text, sizeof text, "sha256:%.70s", name);
    int rc = 0;
    if (strlen(name) != 64 || digest_parse(&want, text) != 0) {
        json_object_array_add(r->stray, json_object_new_string(path));
        if (r->repair && remove(path) == 0)
            json_object_array_add(r->removed, json_object_new_string(path));
        goto out;
    }
    int64_t size = fs_size(path);
    if ((rc = digest_of_file(&got, path)) != 0) {
        if (!fs_exists(path))
            rc = 0;   /* removed meanwhile (prune in another process): nothing to check */
        goto out;
    }
    r->checked++;
    r->bytes += size > 0 ? size : 0;
    if (!digest_equal(&got, &want)) {
        json_object *c = json_object_new_object();
        json_object_object_add(c, "digest", json_object_new_string(want.text));
        json_object_object_add(c, "actual", json_object_new_string(got.text));
        json_object_object_add(c, "path", json_object_new_string(path));
        json_object_object_add(c, "images", images_using(store_meta_db(r->b), want.text));
        json_object_array_add(r->corrupt, c);
        if (r->repair && remove(path) == 0)
            json_object_array_add(r->removed, json_object_new_string(path));
    }
out:
    free(path);
    berth_error_clear();   /* a problem found is a finding, not a failure of the check */
    return rc;
}

static int note_partial(const char *name, void *payload)
{
    fsck_run *r = payload;
    size_t n = strlen(name);
    char *dir = fs_join(berth_root(r->b), "ingest"), *path = dir ? fs_join(dir, name) : NULL;
    if (path) {
        json_object *p = json_object_new_object();
        json_object_object_add(p, "name", json_object_new_string(name));
        if (n == 64 + 8 && strcmp(name + 64, ".partial") == 0) {
            char d[80];
            snprintf(d, sizeof d, "sha256:%.64s", name);
            json_object_object_add(p, "digest", json_object_new_string(d));
        }
        json_object_object_add(p, "bytes", json_object_new_int64(fs_size(path)));
        json_object_array_add(r->partials, p);
    }
    free(path);
    free(dir);
    return path ? 0 : BERTH_ENOMEM;
}

/* Blobs the metadata needs but the content store lacks. */
static int find_missing(berth_t *b, json_object *missing)
{
    sqlite3 *db = store_meta_db(b);
    sqlite3_stmt *st = NULL;
    int rc = sql_prepare(&st, db,
        "SELECT id, 'config', id FROM images UNION ALL SELECT id, 'manifest', manifest_digest FROM images "
        "UNION ALL SELECT image_id, 'layer', digest FROM image_layers ORDER BY 1, 2", "list referenced blobs"), s;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        berth_digest d;
        if (digest_parse(&d, sql_text(st, 2)) == 0 && store_blob_exists(b, &d, NULL))
            continue;
        berth_error_clear();
        json_object *m = json_object_new_object();
        json_object_object_add(m, "image", json_object_new_string(sql_text(st, 0)));
        json_object_object_add(m, "kind", json_object_new_string(sql_text(st, 1)));
        json_object_object_add(m, "digest", json_object_new_string(sql_text(st, 2)));
        json_object_array_add(missing, m);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = sql_fail(db, "list referenced blobs");
    sqlite3_finalize(st);
    return rc;
}

/* SQLite's own consistency check of berth.db: "ok", or its first complaints. */
static int database_check(berth_t *b, json_object **out)
{
    sqlite3 *db = store_meta_db(b);
    sqlite3_stmt *st = NULL;
    int rc = sql_prepare(&st, db, "PRAGMA quick_check(5)", "check the database"), s;
    json_object *arr = json_object_new_array();
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW)
        if (strcmp(sql_text(st, 0), "ok") != 0)
            json_object_array_add(arr, json_object_new_string(sql_text(st, 0)));
    if (rc == 0 && s != SQLITE_DONE)
        json_object_array_add(arr, json_object_new_string(sqlite3_errmsg(db)));
    sqlite3_finalize(st);
    if (rc)
        json_object_put(arr);
    else
        *out = arr;
    return rc;
}

int berth_fsck(char **out_json, berth_t *b, int repair)
{
    berth_error_clear();
    if (!out_json || !b)
        return berth_fail(BERTH_EINVAL, "berth_fsck: NULL argument");
    *out_json = NULL;
    fsck_run r = { b, repair, fs_join(b->root, "blobs/sha256"), 0, 0, json_object_new_array(), json_object_new_array(),
                   json_object_new_array(), json_object_new_array() };
    json_object *missing = json_object_new_array(), *o = json_object_new_object();
    char *ingest = fs_join(b->root, "ingest");
    int64_t swept = 0;
    int rc = (r.blob_dir && ingest && o && missing) ? 0 : berth_fail_oom();
    if (rc == 0)
        rc = dir_walk(r.blob_dir, check_blob, &r);
    if (rc == 0)
        rc = dir_walk(ingest, note_partial, &r);
    if (rc == 0)
        rc = find_missing(b, missing);   /* after repair, so removed corrupt blobs show as missing */
    json_object *db_problems = NULL;
    if (rc == 0 && repair)
        rc = store_lease_sweep(b, &swept);
    if (rc == 0)
        rc = database_check(b, &db_problems);
    if (rc == 0) {
        int ok = json_object_array_length(r.corrupt) == 0 && json_object_array_length(r.stray) == 0 &&
                 json_object_array_length(missing) == 0 && json_object_array_length(db_problems) == 0;
        json_object_object_add(o, "ok", json_object_new_boolean(ok));
        json_object_object_add(o, "blobs_checked", json_object_new_int64(r.checked));
        json_object_object_add(o, "bytes_checked", json_object_new_int64(r.bytes));
        json_object_object_add(o, "corrupt", r.corrupt);
        json_object_object_add(o, "missing", missing);
        json_object_object_add(o, "stray", r.stray);
        json_object_object_add(o, "partials", r.partials);
        json_object_object_add(o, "repaired", json_object_new_boolean(repair));
        json_object_object_add(o, "removed", r.removed);
        json_object_object_add(o, "leases_swept", json_object_new_int64(swept));
        json_object_object_add(o, "database", db_problems);
        db_problems = NULL;
        r.corrupt = r.stray = r.partials = r.removed = missing = NULL;
        rc = json_hand_out(out_json, o);
        o = NULL;
    }
    json_object_put(o);
    json_object_put(db_problems);
    json_object_put(missing);
    json_object_put(r.corrupt);
    json_object_put(r.stray);
    json_object_put(r.partials);
    json_object_put(r.removed);
    free(r.blob_dir);
    free(ingest);
    return rc ? berth_wrap(rc, "fsck %s", b->root) : 0;
}
