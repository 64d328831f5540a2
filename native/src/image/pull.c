/* berth_image_pull: reference → manifest (→ platform choice in an index) → config → layers →
 * one store_image_commit. Every document and blob is verified before the store keeps it; the
 * image becomes visible all at once; a lease keeps the blobs out of garbage collection while
 * the pull runs. Layers stream into the store in parallel (registry/blobs.c); a per-layer
 * after-commit hook is where unpacking plugs in (skipped with no_unpack). */
#include "core/error.h"
#include "core/json.h"
#include "image/manifest.h"
#include "reference/reference.h"
#include "registry/registry.h"
#include "store/images.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    const berth_pull_options *o;
    const char *ref_text;
    const char *phase_msg;  /* what the blocking step is doing, for cancel checks */
    long long last_tick;
    int canceled;
} pull_ctx;

static long long ms_now(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int say(pull_ctx *p, const char *phase, const char *id, uint64_t cur, uint64_t total, const char *msg)
{
    if (!p->o->progress)
        return 0;
    berth_progress ev = { phase, id, cur, total, msg };
    if (p->o->progress(&ev, p->o->progress_payload) != 0) {
        p->canceled = 1;
        return berth_fail(BERTH_ECANCELED, "pull %s: canceled", p->ref_text);
    }
    return 0;
}

/* The registry client asks this during blocking requests: repeat the current step's event
 * a few times a second so the caller can cancel. */
static int pull_cancel_check(void *payload)
{
    pull_ctx *p = payload;
    if (p->canceled)
        return 1;
    long long now = ms_now();
    if (!p->o->progress || now - p->last_tick < 250)
        return 0;
    p->last_tick = now;
    berth_progress ev = { "resolve", p->ref_text, 0, 0, p->phase_msg };
    if (p->o->progress(&ev, p->o->progress_payload) != 0)
        p->canceled = 1;
    return p->canceled;
}

static int fetch_blob_progress(const berth_progress *ev, void *payload)
{
    pull_ctx *p = payload;
    if (p->o->progress && p->o->progress(ev, p->o->progress_payload) != 0)
        p->canceled = 1;
    return p->canceled;
}

/* Index → the manifest descriptor for the wanted platform. */
static int choose_from_index(size_t *idx, const manifest_doc *index, const berth_platform *want,
                             berth_isolation iso)
{
    berth_platform *cands = calloc(index->n ? index->n : 1, sizeof *cands);
    if (!cands)
        return berth_fail_oom();
    for (size_t i = 0; i < index->n; i++)
        cands[i] = index->entries[i].platform; /* entries without a platform stay empty: never chosen */
    int rc = platform_choose(idx, want, iso, cands, index->n);
    free(cands);
    return rc;
}

/* The result is the documented "image" object, read back from what the store committed, so a
 * pull returns exactly what berth_image_list shows. */
static int result_json(char **out_json, berth_t *b, const berth_digest *id)
{
    json_object *o = NULL;
    int rc = image_to_json(&o, store_meta_db(b), id->text);
    return rc ? rc : json_hand_out(out_json, o);
}

/* The image config: from the store when present, else from the registry (verified), kept. */
static int get_config(char **data, size_t *len, berth_t *b, registry_client *c, const char *repo,
                      const manifest_desc *cfg)
{
    if (store_blob_exists(b, &cfg->digest, NULL))
        return store_blob_read(data, len, b, &cfg->digest, REGISTRY_CONFIG_MAX);
    int rc = registry_get_blob_small(data, len, c, repo, &cfg->digest, REGISTRY_CONFIG_MAX);
    if (rc == 0 && (int64_t)*len != cfg->size)
        rc = berth_fail(BERTH_EDIGEST, "config %s: %zu bytes, the manifest says %lld", cfg->digest.text, *len,
                        (long long)cfg->size);
    if (rc == 0)
        rc = store_blob_put(b, &cfg->digest, *data, *len);
    return rc;
}

int berth_image_pull(char **out_json, berth_t *b, const char *ref, const berth_pull_options *opts)
{
    berth_error_clear();
    berth_pull_options defaults = BERTH_PULL_OPTIONS_INIT;
    if (out_json)
        *out_json = NULL;
    if (!b || !ref)
        return berth_fail(BERTH_EINVAL, "berth_image_pull: store handle and reference are required");
    if (!opts)
        opts = &defaults;
    if (opts->version < 1 || opts->version > BERTH_PULL_OPTIONS_VERSION)
        return berth_fail(BERTH_EINVAL, "berth_image_pull: options version %u is not known to this library "
                          "(it knows 1..%d)", opts->version, BERTH_PULL_OPTIONS_VERSION);

    pull_ctx px = { opts, ref, "resolving", 0, 0 };
    berth_ref r = { 0 };
    registry_client *c = NULL;
    registry_manifest_raw raw = { 0 }, raw_index = { 0 };
    manifest_doc doc = { 0 }, index = { 0 };
    image_config cfg = { 0 };
    char *cfg_data = NULL, *repository = NULL, *canonical = NULL;
    size_t cfg_len = 0;
    registry_blob *blobs = NULL;
    store_layer *layers = NULL;
    int64_t lease = 0;
    int have_lease = 0, rc;
    berth_platform want;
    berth_isolation iso = ISOLATION_DEFAULT;
    char platform_text[160];

    if ((rc = reference_parse(&r, ref)) != 0)
        goto out;
    if (!(repository = reference_repository(&r)) || !(canonical = reference_string(&r))) {
        rc = berth_fail_oom();
        goto out;
    }
    px.ref_text = canonical;
    if ((rc = opts->platform && *opts->platform ? platform_parse(&want, opts->platform) : platform_host(&want)) != 0)
        goto out;
    if ((rc = platform_parse_isolation(&iso, opts->isolation)) != 0)
        goto out;
    platform_format(&want, platform_text, sizeof platform_text);
    if ((rc = store_lease_begin(&lease, b, canonical)) != 0)
        goto out;
    have_lease = 1;
    if ((rc = say(&px, "resolve", canonical, 0, 0, "resolving")) != 0)
        goto out;
    if ((rc = registry_client_new(&c, b, r.domain)) != 0)
        goto out;
    registry_client_set_cancel(c, pull_cancel_check, &px);

    const char *wanted_ref = r.digest ? r.digest : r.tag;
    if ((rc = registry_get_manifest(&raw, c, r.path, wanted_ref)) != 0)
        goto out;
    if ((rc = manifest_parse(&doc, raw.data, raw.len, raw.media_type)) != 0) {
        rc = berth_wrap(rc, "%s", raw.digest.text);
        goto out;
    }
    if (doc.kind == MANIFEST_INDEX) {
        size_t idx = 0;
        if ((rc = choose_from_index(&idx, &doc, &want, iso)) != 0)
            goto out;
        raw_index = raw;
        memset(&raw, 0, sizeof raw);
        index = doc;
        memset(&doc, 0, sizeof doc);
        const manifest_desc *pick = &index.entries[idx];
        px.phase_msg = "fetching the platform's manifest";
        if ((rc = registry_get_manifest(&raw, c, r.path, pick->digest.text)) != 0)
            goto out;
        if ((int64_t)raw.len != pick->size) {
            rc = berth_fail(BERTH_EDIGEST, "manifest %s: %zu bytes, the index says %lld", pick->digest.text, raw.len,
                            (long long)pick->size);
            goto out;
        }
        if ((rc = manifest_parse(&doc, raw.data, raw.len, raw.media_type ? raw.media_type : pick->media_type)) != 0) {
            rc = berth_wrap(rc, "%s", raw.digest.text);
            goto out;
        }
        if (doc.kind != MANIFEST_IMAGE) {
            rc = berth_fail(BERTH_EUNSUPPORTED, "manifest %s: an index inside an index; nested indexes (and loops) "
                            "are refused", pick->digest.text);
            goto out;
        }
    }
    px.phase_msg = "fetching the image config";
    if ((rc = get_config(&cfg_data, &cfg_len, b, c, r.path, &doc.config)) != 0)
        goto out;
    if ((rc = image_config_parse(&cfg, cfg_data, cfg_len)) != 0) {
        rc = berth_wrap(rc, "config %s", doc.config.digest.text);
        goto out;
    }
    if (cfg.n_diff_ids != doc.n) {
        rc = berth_fail(BERTH_EINVAL, "image %s: the manifest lists %zu layers but the config %zu diff_ids — the "
                        "image is malformed", raw.digest.text, doc.n, cfg.n_diff_ids);
        goto out;
    }
    if (index.kind != MANIFEST_INDEX) {
        /* A single-platform image must still suit the host (or --platform). */
        char why[512], got[160];
        if (!platform_accepts(&want, iso, &cfg.platform, why, sizeof why)) {
            platform_format(&cfg.platform, got, sizeof got);
            rc = berth_fail(BERTH_EPLATFORM, "the image is for %s, not %s: %s — pass --platform to choose another",
                            got, platform_text, why);
            goto out;
        }
    }
    for (size_t i = 0; i < doc.n; i++)
        if (doc.entries[i].foreign && !opts->allow_foreign_layers) {
            rc = berth_fail(BERTH_EUNSUPPORTED, "layer %zu (%s) is a foreign (non-distributable) layer%s%s; pass "
                            "--allow-foreign-layers to fetch it (from the registry first, then its URLs)", i,
                            doc.entries[i].digest.text, doc.entries[i].n_urls ? " hosted at " : "",
                            doc.entries[i].n_urls ? doc.entries[i].urls[0] : "");
            goto out;
        }

    /* Lease everything before it lands, so a concurrent prune never removes it mid-pull. */
    if ((rc = store_lease_add(b, lease, &raw.digest)) || (rc = store_lease_add(b, lease, &doc.config.digest)) ||
        (index.kind && (rc = store_lease_add(b, lease, &raw_index.digest))))
        goto out;
    if (!(blobs = calloc(doc.n ? doc.n : 1, sizeof *blobs)) || !(layers = calloc(doc.n ? doc.n : 1, sizeof *layers))) {
        rc = berth_fail_oom();
        goto out;
    }
    int64_t total = doc.config.size;
    for (size_t i = 0; i < doc.n; i++) {
        const manifest_desc *d = &doc.entries[i];
        blobs[i].digest = d->digest;
        blobs[i].size = d->size;
        blobs[i].media_type = d->media_type;
        blobs[i].urls = (const char *const *)d->urls;
        blobs[i].n_urls = d->n_urls;
        layers[i].digest = d->digest;
        layers[i].size = d->size;
        layers[i].media_type = d->media_type;
        layers[i].diff_id = cfg.diff_ids[i];
        total += d->size;
        if ((rc = store_lease_add(b, lease, &d->digest)) != 0)
            goto out;
        if ((rc = say(&px, "queued", d->digest.text, 0, (uint64_t)d->size, "waiting")) != 0)
            goto out;
    }
    registry_fetch_options fo = { opts->max_concurrent, opts->allow_foreign_layers, fetch_blob_progress, &px, NULL, NULL };
    if ((rc = registry_fetch_blobs(c, b, r.path, blobs, doc.n, &fo)) != 0)
        goto out;

    if ((rc = say(&px, "commit", canonical, 0, 0, "writing image metadata")) != 0)
        goto out;
    if ((rc = store_blob_put(b, &raw.digest, raw.data, raw.len)) != 0 ||
        (index.kind && (rc = store_blob_put(b, &raw_index.digest, raw_index.data, raw_index.len)) != 0))
        goto out;
    store_image img = { 0 };
    img.repository = repository;
    img.tag = r.digest ? NULL : r.tag;
    img.manifest_digest = raw.digest;
    img.manifest_media_type = doc.media_type;
    img.config_digest = doc.config.digest;
    img.os = cfg.platform.os;
    img.arch = cfg.platform.arch;
    img.variant = cfg.platform.variant;
    img.os_version = cfg.platform.os_version;
    img.size = total;
    img.layers = layers;
    img.n_layers = doc.n;
    img.index_digest = index.kind ? raw_index.digest.text : NULL;
    if ((rc = store_image_commit(b, &img)) != 0)
        goto out;
    if (out_json && (rc = result_json(out_json, b, &img.config_digest)) != 0)
        goto out;
    rc = say(&px, "done", canonical, (uint64_t)total, (uint64_t)total, "pulled");
    if (rc == BERTH_ECANCELED)
        rc = 0; /* the image is in; a cancel this late changes nothing */
out:
    if (rc && px.canceled && rc != BERTH_ECANCELED)
        rc = berth_fail(BERTH_ECANCELED, "pull %s: canceled; partial downloads are kept and the next pull resumes them",
                        px.ref_text);
    else if (rc && !strstr(berth_errmsg(), "pull "))
        rc = berth_wrap(rc, "pull %s", px.ref_text);
    if (rc && out_json && *out_json) {
        free(*out_json);
        *out_json = NULL;
    }
    if (have_lease)
        store_lease_end(b, lease);
    registry_client_free(c);
    registry_manifest_raw_clear(&raw);
    registry_manifest_raw_clear(&raw_index);
    manifest_doc_clear(&doc);
    manifest_doc_clear(&index);
    image_config_clear(&cfg);
    free(cfg_data);
    free(blobs);
    free(layers);
    free(repository);
    free(canonical);
    reference_clear(&r);
    return rc;
}
