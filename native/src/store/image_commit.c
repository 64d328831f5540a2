/* store_image_commit: the moment an image becomes visible. Its manifest and config blobs must
 * already be in the content store; then the image row, its layers, its repository digest and
 * its tag are written in one transaction, so readers see all of it or none of it, and a tag
 * that pointed at another image moves in the same instant. */
#include "store/store.h"
#include "store/images.h"
#include "store/sql.h"
#include "core/error.h"
#include "core/json.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CONFIG_MAX (8u << 20)

/* The config's "created" (RFC 3339), or "" when it has none. */
static int config_created(char **out, berth_t *b, const berth_digest *config)
{
    char *data = NULL;
    size_t len = 0;
    json_object *o = NULL;
    int rc = store_blob_read(&data, &len, b, config, CONFIG_MAX);
    if (rc == BERTH_ENOTFOUND)
        rc = berth_fail(BERTH_ENOTFOUND, "config blob %s is not in the content store; store it (store_blob_put) "
                        "before committing the image", config->text);
    if (rc == 0)
        rc = json_parse_limited(&o, data, len, "image config");
    if (rc == 0 && !json_object_is_type(o, json_type_object))
        rc = berth_fail(BERTH_EINVAL, "image config %s is not a JSON object", config->text);
    if (rc == 0) {
        const char *c = json_str(o, "created");
        *out = strdup(c ? c : "");
        if (!*out)
            rc = berth_fail_oom();
    }
    json_object_put(o);
    free(data);
    return rc;
}

static int check_image(berth_t *b, const store_image *img)
{
    if (!b || !store_meta_db(b) || !img)
        return berth_fail(BERTH_EINVAL, "store_image_commit: NULL argument");
    if (img->tag && !img->repository)
        return berth_fail(BERTH_EINVAL, "store_image_commit: a tag needs a repository");
    if (!img->manifest_media_type || (img->n_layers && !img->layers))
        return berth_fail(BERTH_EINVAL, "store_image_commit: media type or layers missing");
    berth_digest index;
    if (img->index_digest && *img->index_digest && digest_parse(&index, img->index_digest) != 0)
        return berth_wrap(BERTH_EINVAL, "store_image_commit: index digest");
    if (!store_blob_exists(b, &img->manifest_digest, NULL))
        return berth_fail(BERTH_ENOTFOUND, "manifest blob %s is not in the content store; store it (store_blob_put) "
                          "before committing the image", img->manifest_digest.text);
    return 0;
}

static int write_image_row(sqlite3 *db, const store_image *img, const char *created)
{
    sqlite3_stmt *st = NULL;
    int rc = sql_prepare(&st, db,
        "INSERT INTO images (id, manifest_digest, media_type, os, architecture, variant, os_version, size, created, "
        "added, index_digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "ON CONFLICT (id) DO UPDATE SET manifest_digest = excluded.manifest_digest, media_type = excluded.media_type, "
        "os = excluded.os, architecture = excluded.architecture, variant = excluded.variant, "
        "os_version = excluded.os_version, size = excluded.size, created = excluded.created, "
        "index_digest = COALESCE(excluded.index_digest, images.index_digest)", "write image");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, img->config_digest.text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, img->manifest_digest.text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, img->manifest_media_type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, img->os ? img->os : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, img->arch ? img->arch : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, img->variant ? img->variant : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, img->os_version ? img->os_version : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, img->size);
    sqlite3_bind_text(st, 9, created, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 10, (sqlite3_int64)time(NULL));
    sql_bind_text_or_null(st, 11, img->index_digest);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = sql_fail(db, "write image");
    sqlite3_finalize(st);
    return rc;
}

static int write_layers(sqlite3 *db, const store_image *img)
{
    sqlite3_stmt *st = NULL;
    char *sql = sqlite3_mprintf("DELETE FROM image_layers WHERE image_id = %Q", img->config_digest.text);
    int rc = sql ? sql_exec(db, sql, "replace layers") : berth_fail_oom();
    sqlite3_free(sql);
    if (rc || (rc = sql_prepare(&st, db, "INSERT INTO image_layers (image_id, position, digest, size, media_type, "
                                         "diff_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "write layers")) != 0)
        return rc;
    for (size_t i = 0; rc == 0 && i < img->n_layers; i++) {
        const store_layer *l = &img->layers[i];
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, img->config_digest.text, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_text(st, 3, l->digest.text, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, l->size);
        sqlite3_bind_text(st, 5, l->media_type ? l->media_type : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, l->diff_id.text, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = sql_fail(db, "write layers");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Points repository:tag (or repository@digest) at the image; an old target is replaced. */
static int write_name(sqlite3 *db, const char *sql, const char *repository, const char *name, const char *image_id)
{
    sqlite3_stmt *st = NULL;
    int rc = sql_prepare(&st, db, sql, "write name");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, repository, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, image_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = sql_fail(db, "write name");
    sqlite3_finalize(st);
    return rc;
}

int store_tag_set(sqlite3 *db, const char *repository, const char *tag, const char *image_id)
{
    return write_name(db, "INSERT INTO tags (repository, tag, image_id) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (repository, tag) DO UPDATE SET image_id = excluded.image_id",
                      repository, tag, image_id);
}

int store_image_commit(berth_t *b, const store_image *img)
{
    int rc = check_image(b, img);
    char *created = NULL;
    if (rc == 0)
        rc = config_created(&created, b, &img->config_digest);
    if (rc)
        return berth_wrap(rc, "commit image %s", img && img->repository ? img->repository : "");
    sqlite3 *db = store_meta_db(b);
    if ((rc = sql_tx_begin(db, 1)) == 0) {
        rc = write_image_row(db, img, created);
        if (rc == 0)
            rc = write_layers(db, img);
        /* repo@<manifest> and, for an image chosen from an index, repo@<index> (what docker shows
         * and what a user who pulled by the index digest will type) */
        static const char repo_digest_sql[] =
            "INSERT INTO repo_digests (repository, manifest_digest, image_id) VALUES (?1, ?2, ?3) "
            "ON CONFLICT (repository, manifest_digest) DO UPDATE SET image_id = excluded.image_id";
        if (rc == 0 && img->repository)
            rc = write_name(db, repo_digest_sql, img->repository, img->manifest_digest.text, img->config_digest.text);
        if (rc == 0 && img->repository && img->index_digest && *img->index_digest)
            rc = write_name(db, repo_digest_sql, img->repository, img->index_digest, img->config_digest.text);
        if (rc == 0 && img->tag)
            rc = store_tag_set(db, img->repository, img->tag, img->config_digest.text);
        rc = sql_tx_end(db, rc);
    }
    free(created);
    return rc ? berth_wrap(rc, "commit image %s", img->config_digest.text) : 0;
}
