/* berth_image_load: a docker-archive or an OCI image layout (tar or directory) → the store.
 *
 * archive_src_open (pass 1: names checked, files hashed, JSON kept) → the format's planner
 * (every digest, size and count checked before a byte enters the store) → a lease over every
 * digest (gc keeps away) → pass 2: each layer file not yet stored streams through
 * store_ingest (which verifies the digest again before the rename: an archive changed between
 * the passes is caught) → config and manifest put from memory → compressed docker-archive
 * layers checked against their diff_ids → store_image_commit per image: the image and its
 * first name in one transaction; further names follow. A failure at any step leaves no image
 * row: blobs that did land are unreferenced and the next prune removes them. */
#include "core/error.h"
#include "core/json.h"
#include "image/load.h"
#include "image/uncompress.h"
#include "reference/reference.h"
#include "store/images.h"
#include "store/sql.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _WIN32
#  include <windows.h>
#else
#  include <unistd.h>
#endif

#define CHUNK (128 * 1024)
#define BUSY_WAIT_MS 100
#define BUSY_WAIT_MAX_MS (30 * 60 * 1000)

typedef struct {
    berth_t *b;
    const berth_archive_options *o;
    const char *path;
    int canceled;
    unsigned char *buf;
} load_ctx;

static int say(load_ctx *x, const char *phase, const char *id, uint64_t cur, uint64_t total, const char *msg)
{
    if (!x->o->progress)
        return 0;
    berth_progress ev = { phase, id, cur, total, msg };
    if (x->o->progress(&ev, x->o->progress_payload) != 0) {
        x->canceled = 1;
        return berth_fail(BERTH_ECANCELED, "load %s: canceled", x->path);
    }
    return 0;
}

static int read_progress(uint64_t bytes, void *payload)
{
    load_ctx *x = payload;
    static const uint64_t step = 4u << 20;
    if (bytes % step > CHUNK && bytes > CHUNK)
        return 0; /* a tick every few MiB is plenty */
    return say(x, "read", x->path, bytes, 0, "checking the archive") != 0;
}

static void sleep_ms(long ms)
{
#ifdef _WIN32
    Sleep((DWORD)ms);
#else
    usleep((useconds_t)ms * 1000);
#endif
}

/* Pass 2, one file: into the content store, verified. Another process ingesting the same blob
 * (two loads of one archive) is waited for; its verified blob then counts as ours. */
static int ingest_entry(archive_entry_info *e, archive_reader *r, void *payload)
{
    load_ctx *x = payload;
    store_ingest *w = NULL;
    int rc = 0;
    for (long waited = 0;; waited += BUSY_WAIT_MS) {
        if (store_blob_exists(x->b, &e->digest, NULL))
            return say(x, "exists", e->digest.text, (uint64_t)e->size, (uint64_t)e->size, "already in the store");
        rc = store_ingest_open(&w, x->b, &e->digest, e->size);
        if (rc != BERTH_EBUSY)
            break;
        if (waited >= BUSY_WAIT_MAX_MS)
            return rc;
        berth_error_clear();
        if ((rc = say(x, "wait", e->digest.text, 0, (uint64_t)e->size, "another process is storing this blob")) != 0)
            return rc;
        sleep_ms(BUSY_WAIT_MS);
    }
    if (rc)
        return rc;
    /* A partial left by a killed load: start over rather than trust which archive it came from. */
    if (store_ingest_offset(w) > 0 && (rc = store_ingest_reset(w)) != 0)
        goto out;
    uint64_t done = 0;
    while (rc == 0) {
        size_t got = 0;
        if ((rc = archive_reader_read(r, x->buf, CHUNK, &got)) != 0 || got == 0)
            break;
        if ((rc = store_ingest_write(w, x->buf, got)) != 0)
            break;
        done += got;
        if ((done & ((4u << 20) - 1)) < got)
            rc = say(x, "load", e->digest.text, done, (uint64_t)e->size, "storing");
    }
    if (rc == 0) {
        rc = store_ingest_commit(w);
        w = NULL;
    }
    if (rc == 0)
        rc = say(x, "done", e->digest.text, (uint64_t)e->size, (uint64_t)e->size, "stored");
out:
    store_ingest_abort(w);
    return rc ? berth_wrap(rc, "store \"%.200s\" from the archive", e->name) : 0;
}

static int lease_plan(berth_t *b, int64_t lease, const load_plan *p)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        const load_image *img = &p->images[i];
        rc = store_lease_add(b, lease, &img->manifest_digest);
        if (rc == 0)
            rc = store_lease_add(b, lease, &img->doc.config.digest);
        if (rc == 0 && img->index)
            rc = store_lease_add(b, lease, &img->index_digest);
        for (size_t k = 0; rc == 0 && k < img->doc.n; k++)
            rc = store_lease_add(b, lease, &img->doc.entries[k].digest);
    }
    return rc;
}

static int check_diff_ids(load_ctx *x, const load_image *img)
{
    for (size_t k = 0; k < img->doc.n; k++) {
        if (!img->layers[k].check_diff_id)
            continue;
        berth_digest got;
        char *p = store_blob_path(x->b, &img->doc.entries[k].digest);
        int rc = p ? uncompress_digest(&got, NULL, p) : BERTH_ENOMEM;
        free(p);
        if (rc == 0 && !digest_equal(&got, &img->cfg.diff_ids[k]))
            rc = berth_fail(BERTH_EDIGEST, "layer %zu (\"%.200s\") decompresses to %s but the config says its diff_id "
                            "is %s — the archive is damaged or was tampered with; the image was not loaded", k,
                            img->layers[k].src->name, got.text, img->cfg.diff_ids[k].text);
        if (rc)
            return rc;
    }
    return 0;
}

/* Splits "repo:tag" at the tag's colon (the last one, after the last slash). */
static int split_name(const char *full, char **repo, const char **tag)
{
    const char *slash = strrchr(full, '/'), *colon = strrchr(full, ':');
    if (!colon || (slash && colon < slash))
        return berth_fail(BERTH_EINVAL, "\"%s\" has no tag", full);
    size_t n = (size_t)(colon - full);
    if (!(*repo = malloc(n + 1)))
        return berth_fail_oom();
    memcpy(*repo, full, n);
    (*repo)[n] = '\0';
    *tag = colon + 1;
    return 0;
}

static int commit_image(load_ctx *x, const load_image *img)
{
    int rc = store_blob_put(x->b, &img->doc.config.digest, img->config, img->config_len);
    if (rc == 0)
        rc = store_blob_put(x->b, &img->manifest_digest, img->manifest, img->manifest_len);
    if (rc == 0 && img->index)
        rc = store_blob_put(x->b, &img->index_digest, img->index, img->index_len);
    if (rc == 0)
        rc = check_diff_ids(x, img);
    if (rc)
        return rc;
    store_layer *layers = calloc(img->doc.n ? img->doc.n : 1, sizeof *layers);
    char *repo = NULL;
    const char *tag = NULL;
    if (!layers)
        return berth_fail_oom();
    int64_t size = img->doc.config.size;
    for (size_t k = 0; k < img->doc.n; k++) {
        layers[k].digest = img->doc.entries[k].digest;
        layers[k].size = img->doc.entries[k].size;
        layers[k].media_type = img->doc.entries[k].media_type;
        layers[k].diff_id = img->cfg.diff_ids[k];
        size += img->doc.entries[k].size;
    }
    if (img->n_names && (rc = split_name(img->names[0], &repo, &tag)) != 0)
        goto out;
    store_image si = { 0 };
    si.repository = repo;
    si.tag = tag;
    si.manifest_digest = img->manifest_digest;
    si.manifest_media_type = img->doc.media_type;
    si.config_digest = img->doc.config.digest;
    si.os = img->cfg.platform.os;
    si.arch = img->cfg.platform.arch;
    si.variant = img->cfg.platform.variant;
    si.os_version = img->cfg.platform.os_version;
    si.size = size;
    si.layers = layers;
    si.n_layers = img->doc.n;
    si.index_digest = img->index ? img->index_digest.text : NULL;
    if ((rc = store_image_commit(x->b, &si)) != 0 || img->n_names < 2)
        goto out;
    sqlite3 *db = store_meta_db(x->b);
    if ((rc = sql_tx_begin(db, 1)) != 0)
        goto out;
    for (size_t k = 1; rc == 0 && k < img->n_names; k++) {
        char *r2 = NULL;
        const char *t2 = NULL;
        if ((rc = split_name(img->names[k], &r2, &t2)) == 0)
            rc = store_tag_set(db, r2, t2, img->doc.config.digest.text);
        free(r2);
    }
    rc = sql_tx_end(db, rc);
out:
    free(repo);
    free(layers);
    return rc;
}

static int result_json(char **out, berth_t *b, const load_plan *p)
{
    sqlite3 *db = store_meta_db(b);
    json_object *arr = json_object_new_array();
    int rc = arr ? sql_tx_begin(db, 0) : berth_fail_oom();
    if (rc) {
        json_object_put(arr);
        return rc;
    }
    for (size_t i = 0; rc == 0 && i < p->n; i++) {
        json_object *o = NULL;
        if ((rc = image_to_json(&o, db, p->images[i].doc.config.digest.text)) == 0)
            json_object_array_add(arr, o);
    }
    rc = sql_tx_end(db, rc);
    if (rc) {
        json_object_put(arr);
        return rc;
    }
    return json_hand_out(out, arr);
}

/* Which planner: the option, else what the archive holds (an OCI layout keeps the original
 * manifests, so it wins when an archive — docker 25's — is both). */
static int plan_archive(load_plan *plan, archive_src *src, const char *format)
{
    int rc = 0;
    if (format && *format) {
        if (strcmp(format, "docker-archive") == 0)
            return load_plan_docker(plan, src);
        if (strcmp(format, "oci-layout") == 0 || strcmp(format, "oci") == 0)
            return load_plan_oci(plan, src);
        return berth_fail(BERTH_EINVAL, "unknown archive format \"%s\": use docker-archive or oci-layout", format);
    }
    if (archive_src_lookup(src, "oci-layout", &rc) && archive_src_lookup(src, "index.json", &rc))
        return load_plan_oci(plan, src);
    if (archive_src_lookup(src, "manifest.json", &rc))
        return load_plan_docker(plan, src);
    return berth_fail(BERTH_EINVAL, "%s is neither a docker-archive (no manifest.json) nor an OCI image layout (no "
                      "oci-layout and index.json)", archive_src_is_dir(src) ? "the directory" : "the archive");
}

int berth_image_load(char **out_json, berth_t *b, const char *path, const berth_archive_options *opts)
{
    berth_error_clear();
    berth_archive_options defaults = BERTH_ARCHIVE_OPTIONS_INIT;
    if (out_json)
        *out_json = NULL;
    if (!b || !path)
        return berth_fail(BERTH_EINVAL, "berth_image_load: store handle and path are required");
    if (!opts)
        opts = &defaults;
    if (opts->version < 1 || opts->version > BERTH_ARCHIVE_OPTIONS_VERSION)
        return berth_fail(BERTH_EINVAL, "berth_image_load: options version %u is not known to this library",
                          opts->version);
    load_ctx x = { b, opts, path, 0, malloc(CHUNK) };
    archive_src *src = NULL;
    load_plan plan = { 0 };
    int64_t lease = 0;
    int rc = x.buf ? 0 : berth_fail_oom();
    if (rc == 0)
        rc = say(&x, "read", path, 0, 0, "checking the archive");
    if (rc == 0)
        rc = archive_src_open(&src, path, read_progress, &x);
    if (rc == 0)
        rc = plan_archive(&plan, src, opts->format);
    if (rc == 0 && (rc = store_lease_begin(&lease, b, "load")) == 0)
        rc = lease_plan(b, lease, &plan);
    for (size_t i = 0; rc == 0 && i < plan.n; i++)
        for (size_t k = 0; k < plan.images[i].doc.n; k++) {
            archive_entry_info *e = plan.images[i].layers[k].src;
            if (e && !store_blob_exists(b, &e->digest, NULL))
                e->wanted = 1;
        }
    if (rc == 0)
        rc = archive_src_stream(src, ingest_entry, &x);
    for (size_t i = 0; rc == 0 && i < plan.n; i++) {
        if ((rc = say(&x, "commit", plan.images[i].doc.config.digest.text, 0, 0, "writing image metadata")) == 0)
            rc = commit_image(&x, &plan.images[i]);
    }
    if (rc == 0 && out_json)
        rc = result_json(out_json, b, &plan);
    if (rc == 0 && (rc = say(&x, "done", path, plan.n, plan.n, "loaded")) == BERTH_ECANCELED)
        rc = 0; /* everything is in; a cancel this late changes nothing */
    if (rc && rc != BERTH_ECANCELED)
        rc = berth_wrap(rc, "load %s", path);
    char first_error[1024];
    snprintf(first_error, sizeof first_error, "%s", rc ? berth_errmsg() : "");
    if (rc && out_json && *out_json) {
        free(*out_json);
        *out_json = NULL;
    }
    if (lease && store_lease_end(b, lease) != 0 && rc) {
        /* Ending the lease failed too (a full disk fails both): the first cause is the one to tell. */
        berth_fail(rc, "%s", first_error);
    }
    load_plan_clear(&plan);
    archive_src_close(src);
    free(x.buf);
    return rc;
}
