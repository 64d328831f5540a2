/* local_image_load: a stored image read back for push and save (see local.h). */
#include "image/local.h"
#include "core/error.h"
#include "registry/registry.h"
#include "store/images.h"
#include "store/sql.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends column 0 of every row of sql(?1 = id) to *list. */
static int collect(char ***list, size_t *n, sqlite3 *db, const char *sql, const char *id)
{
    sqlite3_stmt *st = NULL;
    int rc = sql_prepare(&st, db, sql, "read image names"), s;
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char **grown = realloc(*list, (*n + 1) * sizeof **list);
        if (!grown || !(grown[*n] = strdup(sql_text(st, 0)))) {
            if (grown)
                *list = grown;
            rc = berth_fail_oom();
            break;
        }
        *list = grown;
        (*n)++;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = sql_fail(db, "read image names");
    sqlite3_finalize(st);
    return rc;
}

static int read_rows(local_image *out, sqlite3 *db, const char *name)
{
    image_name n;
    sqlite3_stmt *st = NULL;
    int rc = image_name_resolve(&n, db, name);
    if (rc)
        return rc;
    if ((rc = digest_parse(&out->id, n.id)) != 0)
        goto out;
    if ((rc = sql_prepare(&st, db, "SELECT manifest_digest, media_type FROM images WHERE id = ?1", "read image")) != 0)
        goto out;
    sqlite3_bind_text(st, 1, n.id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = berth_fail(BERTH_ENOTFOUND, "image %s disappeared while it was read", n.id);
        goto out;
    }
    if ((rc = digest_parse(&out->manifest_digest, sql_text(st, 0))) != 0)
        goto out;
    if (!(out->media_type = strdup(sql_text(st, 1)))) {
        rc = berth_fail_oom();
        goto out;
    }
    if ((rc = collect(&out->tags, &out->n_tags, db, "SELECT repository || ':' || tag FROM tags WHERE image_id = ?1 "
                      "ORDER BY repository, tag", n.id)) != 0)
        goto out;
    rc = collect(&out->repositories, &out->n_repositories, db,
                 "SELECT DISTINCT repository FROM repo_digests WHERE image_id = ?1 ORDER BY repository", n.id);
out:
    sqlite3_finalize(st);
    image_name_clear(&n);
    return rc;
}

static int missing(int rc, const berth_digest *d, const char *what)
{
    if (rc == BERTH_ENOTFOUND)
        return berth_fail(BERTH_ENOTFOUND, "the %s blob %s is missing from the content store — run `berth fsck` and "
                          "pull the image again", what, d->text);
    return rc;
}

int local_image_load(local_image *out, berth_t *b, const char *name, const char *lease_purpose)
{
    memset(out, 0, sizeof *out);
    sqlite3 *db = store_meta_db(b);
    int rc = sql_tx_begin(db, 0);
    if (rc == 0)
        rc = sql_tx_end(db, read_rows(out, db, name));
    if (rc)
        goto out;
    if (lease_purpose) {
        if ((rc = store_lease_begin(&out->lease, b, lease_purpose)) != 0 ||
            (rc = store_lease_add(b, out->lease, &out->manifest_digest)) != 0 ||
            (rc = store_lease_add(b, out->lease, &out->id)) != 0)
            goto out;
    }
    if ((rc = missing(store_blob_read(&out->manifest, &out->manifest_len, b, &out->manifest_digest,
                                      REGISTRY_MANIFEST_MAX), &out->manifest_digest, "manifest")) != 0)
        goto out;
    if ((rc = manifest_parse(&out->doc, out->manifest, out->manifest_len, out->media_type)) != 0)
        goto out;
    if (out->doc.kind != MANIFEST_IMAGE) {
        rc = berth_fail(BERTH_EUNSUPPORTED, "the stored manifest %s is an index, not an image manifest",
                        out->manifest_digest.text);
        goto out;
    }
    if (!digest_equal(&out->doc.config.digest, &out->id)) {
        rc = berth_fail(BERTH_EINVAL, "the stored manifest %s names config %s, but the image id is %s — run `berth fsck`",
                        out->manifest_digest.text, out->doc.config.digest.text, out->id.text);
        goto out;
    }
    if ((rc = missing(store_blob_read(&out->config, &out->config_len, b, &out->id, REGISTRY_CONFIG_MAX), &out->id,
                      "config")) != 0)
        goto out;
    for (size_t i = 0; i < out->doc.n; i++) {
        const manifest_desc *l = &out->doc.entries[i];
        int64_t size = -1;
        if (lease_purpose && (rc = store_lease_add(b, out->lease, &l->digest)) != 0)
            goto out;
        if (!store_blob_exists(b, &l->digest, &size)) {
            if (l->foreign)
                continue; /* a foreign layer that was never fetched lives at its URLs */
            rc = missing(BERTH_ENOTFOUND, &l->digest, "layer");
            goto out;
        }
        if (size != l->size) {
            rc = berth_fail(BERTH_EDIGEST, "layer blob %s is %lld bytes in the store, the manifest says %lld — run "
                            "`berth fsck --repair` and pull the image again", l->digest.text, (long long)size,
                            (long long)l->size);
            goto out;
        }
    }
out:
    if (rc) {
        rc = berth_wrap(rc, "read image %s", name);
        local_image_clear(out, b);
    }
    return rc;
}

void local_image_clear(local_image *img, berth_t *b)
{
    int code = berth_errcode();
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", berth_errmsg());
    if (img->lease && store_lease_end(b, img->lease) != 0 && code)
        berth_fail(code, "%s", msg); /* keep the first cause (a full disk fails both) */
    free(img->manifest);
    free(img->media_type);
    manifest_doc_clear(&img->doc);
    free(img->config);
    for (size_t i = 0; i < img->n_tags; i++)
        free(img->tags[i]);
    free(img->tags);
    for (size_t i = 0; i < img->n_repositories; i++)
        free(img->repositories[i]);
    free(img->repositories);
    memset(img, 0, sizeof *img);
}
