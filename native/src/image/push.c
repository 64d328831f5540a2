/* berth_image_push: a stored image → a registry, as `docker push` does it.
 *
 * local image (manifest, config, layers; leased against gc) → target reference → for each
 * layer, then the config: HEAD (the registry has it: skip), else a cross-repository mount
 * when the image came from another repository of the same registry, else an upload
 * (monolithic, or chunked for blobs over the chunk size) → the manifest PUT, byte for byte
 * the stored one, so the pushed digest equals the local one → the target repository is
 * recorded as a repository digest of the image (later pushes may mount from it).
 * Auth as in pull; Bearer tokens ask for pull,push. */
#include "core/error.h"
#include "core/json.h"
#include "image/local.h"
#include "image/progress.h"
#include "reference/reference.h"
#include "registry/registry.h"
#include "store/sql.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CHUNK (64LL << 20)

typedef struct {
    image_progress pr;
} push_ctx;

/* Asked by the client during blocking requests: a tick a few times a second lets the caller cancel. */
static int push_cancel_check(void *payload)
{
    push_ctx *p = payload;
    return image_progress_tick(&p->pr, "wait", "waiting for the registry");
}

static int upload_progress(const berth_progress *ev, void *payload)
{
    push_ctx *p = payload;
    return image_progress_relay(&p->pr, ev);
}

/* A repository of the same registry (other than the target) the image is known to be in. */
static const char *mount_source(const local_image *img, const berth_ref *target)
{
    size_t dl = strlen(target->domain);
    for (size_t i = 0; i < img->n_repositories; i++) {
        const char *r = img->repositories[i];
        if (strncmp(r, target->domain, dl) == 0 && r[dl] == '/' && strcmp(r + dl + 1, target->path) != 0)
            return r + dl + 1;
    }
    return NULL;
}

/* Records repository@manifest for the image, as docker records RepoDigests after a push. */
static int record_repo_digest(berth_t *b, const char *repository, const local_image *img)
{
    sqlite3 *db = store_meta_db(b);
    sqlite3_stmt *st = NULL;
    int rc = sql_tx_begin(db, 1);
    if (rc)
        return rc;
    if ((rc = sql_prepare(&st, db, "INSERT INTO repo_digests (repository, manifest_digest, image_id) "
                                   "SELECT ?1, ?2, id FROM images WHERE id = ?3 "
                                   "ON CONFLICT (repository, manifest_digest) DO UPDATE SET image_id = excluded.image_id",
                          "record repository digest")) == 0) {
        sqlite3_bind_text(st, 1, repository, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, img->manifest_digest.text, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, img->id.text, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = sql_fail(db, "record repository digest");
        sqlite3_finalize(st);
    }
    return sql_tx_end(db, rc);
}

/* 64 hex digits (or sha256:…): docker refuses such repository names, and so do we. */
static int looks_like_id(const char *name)
{
    if (strncmp(name, "sha256:", 7) == 0)
        return 1;
    size_t n = strspn(name, "0123456789abcdef");
    return n == 64 && name[n] == '\0';
}

typedef struct {
    int pushed, existed, mounted, skipped;
    int64_t bytes;
} push_counts;

static int push_blob(push_ctx *px, registry_client *c, berth_t *b, const char *repo, const char *from,
                     const manifest_desc *d, push_counts *n)
{
    int64_t remote = -1;
    char *upload_url = NULL, *path = NULL;
    int rc;
    if (d->foreign && !store_blob_exists(b, &d->digest, NULL)) {
        n->skipped++;
        return image_progress_say(&px->pr, "skip", d->digest.text, 0, (uint64_t)d->size, "foreign layer: not pushed");
    }
    if ((rc = image_progress_say(&px->pr, "check", d->digest.text, 0, (uint64_t)d->size, "checking")) != 0)
        return rc;
    if ((rc = registry_blob_exists(c, repo, &d->digest, &remote)) < 0)
        return rc;
    if (rc == 1) {
        n->existed++;
        return image_progress_say(&px->pr, "exists", d->digest.text, (uint64_t)d->size, (uint64_t)d->size, "already exists");
    }
    if (from) {
        if ((rc = registry_blob_mount(c, repo, &d->digest, from, &upload_url)) < 0)
            return rc;
        if (rc == 1) {
            n->mounted++;
            char msg[300];
            snprintf(msg, sizeof msg, "mounted from %s", from);
            return image_progress_say(&px->pr, "mounted", d->digest.text, (uint64_t)d->size, (uint64_t)d->size, msg);
        }
    }
    char *env = getenv("BERTH_PUSH_CHUNK_SIZE");  /* tests exercise the chunked path with small blobs */
    registry_upload_options uo = { env && atoll(env) > 0 ? atoll(env) : DEFAULT_CHUNK, upload_progress, px };
    if (!(path = store_blob_path(b, &d->digest))) {
        rc = BERTH_ENOMEM;
        goto out;
    }
    char msg[96] = "uploading";
    if (d->size > uo.chunk_size)
        snprintf(msg, sizeof msg, "uploading in %lld chunks", (long long)((d->size + uo.chunk_size - 1) / uo.chunk_size));
    if ((rc = image_progress_say(&px->pr, "upload", d->digest.text, 0, (uint64_t)d->size, msg)) != 0)
        goto out;
    if ((rc = registry_blob_upload(c, repo, &d->digest, path, d->size, upload_url, &uo)) != 0)
        goto out;
    n->pushed++;
    n->bytes += d->size;
    rc = image_progress_say(&px->pr, "done", d->digest.text, (uint64_t)d->size, (uint64_t)d->size, "pushed");
out:
    free(upload_url);
    free(path);
    return rc;
}

static int result_json(char **out, const char *reference, const local_image *img, const push_counts *n, int64_t size)
{
    json_object *o = json_object_new_object();
    if (!o)
        return berth_fail_oom();
    json_object_object_add(o, "reference", json_object_new_string(reference));
    json_object_object_add(o, "digest", json_object_new_string(img->manifest_digest.text));
    json_object_object_add(o, "id", json_object_new_string(img->id.text));
    json_object_object_add(o, "media_type", json_object_new_string(img->media_type));
    json_object_object_add(o, "size", json_object_new_int64(size));
    json_object_object_add(o, "blobs_pushed", json_object_new_int(n->pushed));
    json_object_object_add(o, "blobs_existed", json_object_new_int(n->existed));
    json_object_object_add(o, "blobs_mounted", json_object_new_int(n->mounted));
    json_object_object_add(o, "bytes_pushed", json_object_new_int64(n->bytes));
    return json_hand_out(out, o);
}

int berth_image_push(char **out_json, berth_t *b, const char *name, const char *ref, const berth_push_options *opts)
{
    berth_error_clear();
    berth_push_options defaults = BERTH_PUSH_OPTIONS_INIT;
    if (out_json)
        *out_json = NULL;
    if (!b || !name)
        return berth_fail(BERTH_EINVAL, "berth_image_push: store handle and image name are required");
    if (!opts)
        opts = &defaults;
    if (opts->version < 1 || opts->version > BERTH_PUSH_OPTIONS_VERSION)
        return berth_fail(BERTH_EINVAL, "berth_image_push: options version %u is not known to this library "
                          "(it knows 1..%d)", opts->version, BERTH_PUSH_OPTIONS_VERSION);
    const char *target = ref && *ref ? ref : name;
    push_ctx px = { { opts->progress, opts->progress_payload, "push", target, 0, 0 } };
    berth_ref r = { 0 };
    local_image img = { 0 };
    registry_client *c = NULL;
    char *canonical = NULL, *repository = NULL;
    push_counts n = { 0 };
    int rc;

    if ((rc = reference_parse(&r, target)) != 0) {
        if (!ref)
            rc = berth_fail(BERTH_EINVAL, "push %s: give the target as a reference (registry/repository:tag), e.g. "
                            "`berth push %s 127.0.0.1:5000/app:1.0`", name, name);
        goto out;
    }
    if (!ref && looks_like_id(name)) {
        rc = berth_fail(BERTH_EINVAL, "push %s: that is an image id, not a repository name — give the target, e.g. "
                        "`berth push %s 127.0.0.1:5000/app:1.0`", name, name);
        goto out;
    }
    if (!(canonical = reference_string(&r)) || !(repository = reference_repository(&r))) {
        rc = berth_fail_oom();
        goto out;
    }
    px.pr.subject = canonical;
    if ((rc = local_image_load(&img, b, name, canonical)) != 0)
        goto out;
    if (r.digest && strcmp(r.digest, img.manifest_digest.text) != 0) {
        rc = berth_fail(BERTH_EINVAL, "the image's manifest is %s, not %s: a push by digest must name the image's "
                        "own manifest digest — push by tag instead", img.manifest_digest.text, r.digest);
        goto out;
    }
    const char *from = mount_source(&img, &r);
    if ((rc = image_progress_say(&px.pr, "resolve", canonical, 0, 0, "connecting")) != 0)
        goto out;
    if ((rc = registry_client_new(&c, b, r.domain)) != 0 || (rc = registry_client_set_push(c, from)) != 0)
        goto out;
    registry_client_set_cancel(c, push_cancel_check, &px);
    if ((rc = registry_ping(c)) != 0)
        goto out;
    int64_t size = img.doc.config.size;
    for (size_t i = 0; i < img.doc.n; i++) {
        size += img.doc.entries[i].size;
        if ((rc = image_progress_say(&px.pr, "queued", img.doc.entries[i].digest.text, 0, (uint64_t)img.doc.entries[i].size, "waiting")) != 0)
            goto out;
    }
    for (size_t i = 0; i < img.doc.n; i++)
        if ((rc = push_blob(&px, c, b, r.path, from, &img.doc.entries[i], &n)) != 0)
            goto out;
    /* The config last among the blobs: a registry may check a manifest's references on PUT. */
    if ((rc = push_blob(&px, c, b, r.path, from, &img.doc.config, &n)) != 0)
        goto out;
    if ((rc = image_progress_say(&px.pr, "manifest", canonical, 0, 0, "putting the manifest")) != 0)
        goto out;
    if ((rc = registry_put_manifest(c, r.path, r.digest ? r.digest : r.tag, img.media_type, img.manifest,
                                    img.manifest_len, &img.manifest_digest)) != 0)
        goto out;
    if ((rc = record_repo_digest(b, repository, &img)) != 0)
        goto out;
    if (out_json && (rc = result_json(out_json, canonical, &img, &n, size)) != 0)
        goto out;
    rc = image_progress_say(&px.pr, "done", canonical, (uint64_t)size, (uint64_t)size, "pushed");
    if (rc == BERTH_ECANCELED)
        rc = 0; /* the manifest is in; a cancel this late changes nothing */
out:
    if (rc && px.pr.canceled && rc != BERTH_ECANCELED)
        rc = berth_fail(BERTH_ECANCELED, "push %s: canceled; blobs already uploaded stay in the registry and the next "
                        "push skips them", px.pr.subject);
    else if (rc && rc != BERTH_ECANCELED)
        rc = berth_wrap(rc, "push %s", px.pr.subject);
    if (rc && out_json && *out_json) {
        free(*out_json);
        *out_json = NULL;
    }
    registry_client_free(c);
    local_image_clear(&img, b);
    free(canonical);
    free(repository);
    reference_clear(&r);
    return rc;
}
