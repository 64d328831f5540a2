/* berth_image_remove: `docker rmi` semantics.
 *  - By tag (repo:tag) or by repository digest (repo@sha256:…): that name goes; when the image
 *    has no tag left, its repository digests go too and the image is deleted.
 *  - By id or id prefix: every tag and digest goes and the image is deleted — but an image
 *    tagged in several repositories needs force (it is hard to tell which one was meant).
 *  - An image a container uses (store_image_users) is never deleted: without force the call
 *    fails BERTH_EBUSY naming the containers; with force its names go and the rows stay.
 * Rows only: blobs and unpacked layers are reclaimed by berth_prune, which skips what a live
 * image or lease still references. One transaction, so a failure changes nothing. */
#include "store/images.h"
#include "store/sql.h"
#include "core/error.h"
#include "core/json.h"
#include <stdio.h>
#include <string.h>

typedef struct {
    sqlite3 *db;
    berth_t *b;
    const char *id;
    json_object *untagged, *deleted;
} removal;

static int64_t count_of(sqlite3 *db, const char *sql, const char *id, int *rc)
{
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    if ((*rc = sql_prepare(&st, db, sql, "count image names")) != 0)
        return 0;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        *rc = sql_fail(db, "count image names");
    sqlite3_finalize(st);
    return n;
}

/* Deletes the rows selected by `where` (bound to ?1 = a, ?2 = b) from table, reporting each
 * as repository + sep + name in r->untagged. */
static int drop_names(removal *r, const char *table, const char *col, const char *sep, const char *where,
                      const char *a, const char *b)
{
    char sql[256];
    sqlite3_stmt *st = NULL;
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s RETURNING repository, %s", table, where, col);
    int rc = sql_prepare(&st, r->db, sql, "remove image name"), s;
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    if (b)
        sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char buf[512];
        snprintf(buf, sizeof buf, "%s%s%s", sql_text(st, 0), sep, sql_text(st, 1));
        json_object_array_add(r->untagged, json_object_new_string(buf));
    }
    if (s != SQLITE_DONE)
        rc = sql_fail(r->db, "remove image name");
    sqlite3_finalize(st);
    return rc;
}

static int drop_all_names(removal *r)
{
    int rc = drop_names(r, "tags", "tag", ":", "image_id = ?1", r->id, NULL);
    return rc ? rc : drop_names(r, "repo_digests", "manifest_digest", "@", "image_id = ?1", r->id, NULL);
}

static int delete_image(removal *r)
{
    sqlite3_stmt *st = NULL;
    int rc = sql_prepare(&st, r->db, "DELETE FROM images WHERE id = ?1", "delete image");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = sql_fail(r->db, "delete image");
    else
        json_object_array_add(r->deleted, json_object_new_string(r->id));
    sqlite3_finalize(st);
    return rc;
}

/* After a name went: delete the image once no tag is left (unless a container needs it). */
static int delete_if_untagged(removal *r, int force, int users)
{
    int rc = 0;
    if (count_of(r->db, "SELECT COUNT(*) FROM tags WHERE image_id = ?1", r->id, &rc) > 0 || rc)
        return rc;
    if (users)
        return 0;  /* forced: the names are gone, the image stays for its containers */
    (void)force;
    if ((rc = drop_names(r, "repo_digests", "manifest_digest", "@", "image_id = ?1", r->id, NULL)) != 0)
        return rc;
    return delete_image(r);
}

static int remove_by_id(removal *r, const char *name, int force, int users)
{
    int rc = 0;
    int64_t repos = count_of(r->db, "SELECT COUNT(DISTINCT repository) FROM tags WHERE image_id = ?1", r->id, &rc);
    if (rc)
        return rc;
    if (repos > 1 && !force)
        return berth_fail(BERTH_EBUSY, "image %s is tagged in %lld repositories: remove it by name (repo:tag), or "
                          "force to remove every tag and the image", name, (long long)repos);
    if ((rc = drop_all_names(r)) != 0 || users)
        return rc;
    return delete_image(r);
}

static int remove_in_tx(removal *r, const char *name, int force)
{
    image_name n;
    char users_names[512];
    int rc = image_name_resolve(&n, r->db, name);
    if (rc)
        return rc;
    r->id = n.id;
    int users = store_image_users(r->b, n.id, users_names, sizeof users_names);
    if (users < 0) {
        rc = users;
        goto out;
    }
    /* Removing the last name (or the image itself) of an image a container uses needs force. */
    int64_t tags = count_of(r->db, "SELECT COUNT(*) FROM tags WHERE image_id = ?1", n.id, &rc);
    int last_name = n.kind == IMAGE_BY_ID || (n.kind == IMAGE_BY_TAG && tags <= 1) || (n.kind == IMAGE_BY_DIGEST && tags == 0);
    if (rc == 0 && users > 0 && last_name && !force) {
        rc = berth_fail(BERTH_EBUSY, "image %s is used by container%s %s: remove %s first, or force to remove only "
                        "its name%s", name, users > 1 ? "s" : "", users_names, users > 1 ? "them" : "it",
                        n.kind == IMAGE_BY_ID ? "s" : "");
        goto out;
    }
    if (rc)
        goto out;
    if (n.kind == IMAGE_BY_ID)
        rc = remove_by_id(r, name, force, users);
    else {
        if (n.kind == IMAGE_BY_TAG)
            rc = drop_names(r, "tags", "tag", ":", "repository = ?1 AND tag = ?2", n.repository, n.tag);
        else
            rc = drop_names(r, "repo_digests", "manifest_digest", "@", "repository = ?1 AND manifest_digest = ?2",
                            n.repository, n.digest);
        if (rc == 0)
            rc = delete_if_untagged(r, force, users);
    }
out:
    r->id = NULL;
    image_name_clear(&n);
    return rc;
}

int berth_image_remove(char **out_json, berth_t *b, const char *name, int force)
{
    berth_error_clear();
    if (!b || !name)
        return berth_fail(BERTH_EINVAL, "berth_image_remove: NULL argument");
    if (out_json)
        *out_json = NULL;
    removal r = { store_meta_db(b), b, NULL, json_object_new_array(), json_object_new_array() };
    json_object *o = json_object_new_object();
    int rc = (r.untagged && r.deleted && o) ? sql_tx_begin(r.db, 1) : berth_fail_oom();
    if (rc == 0)
        rc = sql_tx_end(r.db, remove_in_tx(&r, name, force));
    if (rc == 0) {
        json_object_object_add(o, "untagged", r.untagged);
        json_object_object_add(o, "deleted", r.deleted);
        r.untagged = r.deleted = NULL;
        rc = out_json ? json_hand_out(out_json, o) : 0;
        if (!out_json)
            json_object_put(o);
        o = NULL;
    }
    json_object_put(o);
    json_object_put(r.untagged);
    json_object_put(r.deleted);
    return rc ? berth_wrap(rc, "remove image %s", name) : 0;
}
