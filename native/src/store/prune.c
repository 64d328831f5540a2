/* berth_prune: garbage collection of the content store. Under the exclusive gc lock
 * (gc/gc.h), inside one write transaction (which keeps image commits and new leases out while
 * it runs): sweep leases of dead processes; with "all", delete untagged images no container
 * uses; then delete every blob that no image (config, manifest, index, layer) and no live
 * lease references, and remove the layer folders no image's chain needs; after it, stale
 * partial ingests (gc/gc.c).
 * Safe against a concurrent pull because a pull leases a digest before it checks whether the
 * blob is present: either the lease lands first (the blob is kept) or after this transaction
 * (the pull finds the blob gone and fetches it). */
#include "store/store.h"
#include "gc/gc.h"
#include "layer/layer.h"
#include "store/dir_walk.h"
#include "store/images.h"
#include "store/sql.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    berth_t *b;
    sqlite3_stmt *referenced;
    char *blob_dir;
    int64_t removed, bytes;
} gc_run;

static int collect_blob(const char *name, void *payload)
{
    gc_run *g = payload;
    char text[DIGEST_TEXT_MAX + 8];
    berth_digest d;
    snprintf(text, sizeof text, "sha256:%.70s", name);
    if (strlen(name) != 64 || digest_parse(&d, text) != 0) {
        berth_error_clear();   /* not a blob: fsck reports it, gc leaves it */
        return 0;
    }
    sqlite3_reset(g->referenced);
    sqlite3_bind_text(g->referenced, 1, d.text, -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(g->referenced);
    if (s == SQLITE_ROW)
        return 0;
    if (s != SQLITE_DONE)
        return sql_fail(sqlite3_db_handle(g->referenced), "check blob references");
    char *path = fs_join(g->blob_dir, name);
    if (!path)
        return BERTH_ENOMEM;
    int64_t size = fs_size(path);
    if (remove(path) == 0) {
        g->removed++;
        g->bytes += size > 0 ? size : 0;
    }
    free(path);
    return 0;
}

/* Untagged images that no container uses; their ids into removed. */
static int drop_dangling(berth_t *b, sqlite3 *db, json_object *removed)
{
    sqlite3_stmt *st = NULL, *del = NULL;
    int rc = sql_prepare(&st, db, "SELECT id FROM images i WHERE NOT EXISTS (SELECT 1 FROM tags t WHERE t.image_id = i.id)",
                         "find untagged images"), s;
    if (rc == 0)
        rc = sql_prepare(&del, db, "DELETE FROM images WHERE id = ?1", "delete untagged image");
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        char names[256];
        const char *id = sql_text(st, 0);
        int users = store_image_users(b, id, names, sizeof names);
        if (users < 0) {
            rc = users;
            break;
        }
        if (users == 0)
            users = gc_container_uses(db, id); /* also when the hook does not know containers yet */
        if (users < 0) {
            rc = users;
            break;
        }
        if (users > 0)
            continue;
        sqlite3_reset(del);
        sqlite3_bind_text(del, 1, id, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(del) != SQLITE_DONE)
            rc = sql_fail(db, "delete untagged image");
        else
            json_object_array_add(removed, json_object_new_string(id));
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = sql_fail(db, "find untagged images");
    sqlite3_finalize(st);
    sqlite3_finalize(del);
    return rc;
}

static int parse_opts(int *all, int64_t *grace, const char *opts_json)
{
    json_object *o = NULL;
    *all = 0;
    *grace = GC_INGEST_GRACE_DEFAULT;
    if (!opts_json || !*opts_json)
        return 0;
    int rc = json_parse_limited(&o, opts_json, strlen(opts_json), "prune options");
    if (rc == 0 && !json_object_is_type(o, json_type_object))
        rc = berth_fail(BERTH_EINVAL, "prune options: expected a JSON object such as {\"all\": true}");
    if (rc == 0) {
        json_object_object_foreach(o, key, val) {
            if (strcmp(key, "all") == 0 && json_object_is_type(val, json_type_boolean))
                *all = json_object_get_boolean(val);
            else if (strcmp(key, "ingest_grace_seconds") == 0 && json_object_is_type(val, json_type_int) &&
                     json_object_get_int64(val) >= 0)
                *grace = json_object_get_int64(val);
            else
                rc = berth_fail(BERTH_EINVAL, "prune options: unknown key \"%s\" or wrong type (known: \"all\": boolean, \"ingest_grace_seconds\": seconds)", key);
        }
    }
    json_object_put(o);
    return rc;
}

int berth_prune(char **out_json, berth_t *b, const char *opts_json)
{
    berth_error_clear();
    if (!out_json || !b)
        return berth_fail(BERTH_EINVAL, "berth_prune: NULL argument");
    *out_json = NULL;
    int all = 0;
    int64_t grace = 0, layers = 0, ingests = 0;
    gc_lock *lock = NULL;
    int rc = parse_opts(&all, &grace, opts_json);
    if (rc == 0)
        rc = gc_lock_take(&lock, b);
    if (rc)
        return rc;
    sqlite3 *db = store_meta_db(b);
    gc_run g = { b, NULL, fs_join(b->root, "blobs/sha256"), 0, 0 };
    json_object *images = json_object_new_array(), *o = json_object_new_object();
    int64_t swept = 0;
    if (!g.blob_dir || !images || !o) {
        rc = berth_fail_oom();
        goto out;
    }
    /* before the transaction: the sweep takes its own */
    layer_clean_tmp(b); /* what killed unpacks (and killed prunes) left; best effort */
    berth_error_clear();
    if ((rc = store_lease_sweep(b, &swept)) != 0 || (rc = sql_tx_begin(db, 1)) != 0)
        goto out;
    if (all)
        rc = drop_dangling(b, db, images);
    if (rc == 0)
        rc = sql_prepare(&g.referenced, db,
            "SELECT 1 WHERE EXISTS (SELECT 1 FROM images WHERE id = ?1 OR manifest_digest = ?1 OR index_digest = ?1) "
            "OR EXISTS (SELECT 1 FROM image_layers WHERE digest = ?1) "
            "OR EXISTS (SELECT 1 FROM lease_blobs WHERE digest = ?1)", "check blob references");
    if (rc == 0)
        rc = dir_walk(g.blob_dir, collect_blob, &g);
    if (rc == 0)
        rc = gc_layers_sweep(b, db, &layers, &g.bytes);
    sqlite3_finalize(g.referenced);
    rc = sql_tx_end(db, rc);
    if (rc == 0)
        rc = gc_ingests(b, grace, &ingests, &g.bytes);
    if (rc == 0) {
        json_object_object_add(o, "blobs_removed", json_object_new_int64(g.removed));
        json_object_object_add(o, "layers_removed", json_object_new_int64(layers));
        json_object_object_add(o, "ingests_removed", json_object_new_int64(ingests));
        json_object_object_add(o, "bytes_freed", json_object_new_int64(g.bytes));
        json_object_object_add(o, "images_removed", images);
        json_object_object_add(o, "leases_swept", json_object_new_int64(swept));
        images = NULL;
        rc = json_hand_out(out_json, o);
        o = NULL;
    }
out:
    gc_lock_release(lock);
    json_object_put(images);
    json_object_put(o);
    free(g.blob_dir);
    return rc ? berth_wrap(rc, "prune %s", b->root) : 0;
}
