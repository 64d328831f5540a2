/* berth_image_pull: reference → manifest (→ platform choice in an index) → config → layers →
 * one store_image_commit. Every document and blob is verified before the store keeps it; the
 * image becomes visible all at once; a lease keeps the blobs out of garbage collection while
 * the pull runs. Layers stream into the store in parallel (registry/blobs.c), and each one
 * unpacks on a worker thread as soon as its blob is verified (pull_unpack.c), so the image is
 * ready to run when it becomes visible (unless no_unpack). */
#include "core/error.h"
#include "core/json.h"
#include "image/manifest.h"
#include "image/progress.h"
#include "image/pull_unpack.h"
#include "layer/layer.h"
#include "reference/reference.h"
#include "registry/registry.h"
#include "store/images.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const berth_pull_options *o;
    image_progress pr;
    const char *phase_msg;  /* what the blocking step is doing, for cancel checks */
    pull_unpacker *unpacker; /* NULL with no_unpack */
} pull_ctx;

/* The registry client asks this during blocking requests: repeat the current step's event
 * a few times a second so the caller can cancel. */
static int pull_cancel_check(void *payload)
{
    pull_ctx *p = payload;
    return image_progress_tick(&p->pr, "resolve", p->phase_msg);
}

static int fetch_blob_progress(const berth_progress *ev, void *payload)
{
    pull_ctx *p = payload;
    image_progress_relay(&p->pr, ev);
    /* Download events come often: a good moment to report the unpack workers' progress too. */
    if (!p->pr.canceled && p->unpacker && pull_unpacker_relay(p->unpacker, p->o->progress, p->o->progress_payload))
        p->pr.canceled = 1;
    return p->pr.canceled;
}

/* A blob is verified and stored: its layers can unpack while the others download. */
static int blob_committed(size_t i, const registry_blob *blob, void *payload)
{
    pull_ctx *p = payload;
    (void)i;
    pull_unpacker_blob_ready(p->unpacker, &blob->digest);
    return 0;
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

/* The image config: from the store when present, else from the registry (verified). It is
 * stored only once the pull has checked it (*fetched tells whether it still must be). */
static int get_config(char **data, size_t *len, int *fetched, berth_t *b, registry_client *c, const char *repo,
                      const manifest_desc *cfg)
{
    *fetched = 0;
    if (store_blob_exists(b, &cfg->digest, NULL))
        return store_blob_read(data, len, b, &cfg->digest, REGISTRY_CONFIG_MAX);
    int rc = registry_get_blob_small(data, len, c, repo, &cfg->digest, REGISTRY_CONFIG_MAX);
    if (rc == 0 && (int64_t)*len != cfg->size)
        rc = berth_fail(BERTH_EDIGEST, "config %s: %zu bytes, the manifest says %lld", cfg->digest.text, *len,
                        (long long)cfg->size);
    *fetched = rc == 0;
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

    pull_ctx px = { opts, { opts->progress, opts->progress_payload, "pull", ref, 0, 0 }, "resolving", NULL };
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
    px.pr.subject = canonical;
    if ((rc = opts->platform && *opts->platform ? platform_parse(&want, opts->platform) : platform_host(&want)) != 0)
        goto out;
    if ((rc = platform_parse_isolation(&iso, opts->isolation)) != 0)
        goto out;
    /* No --isolation: the host's default decides which Windows builds it can run (Hyper-V on a
     * client edition runs older builds that process isolation on the same host could not). */
    if (iso == ISOLATION_DEFAULT && (rc = platform_host_isolation(&iso)) != 0)
        goto out;
    platform_format(&want, platform_text, sizeof platform_text);
    if ((rc = store_lease_begin(&lease, b, canonical)) != 0)
        goto out;
    have_lease = 1;
    if ((rc = image_progress_say(&px.pr, "resolve", canonical, 0, 0, "resolving")) != 0)
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
    /* Lease before looking for blobs (store.h): a concurrent prune then never removes what
     * this pull found present and is counting on. */
    if ((rc = store_lease_add(b, lease, &raw.digest)) || (rc = store_lease_add(b, lease, &doc.config.digest)) ||
        (index.kind && (rc = store_lease_add(b, lease, &raw_index.digest))))
        goto out;
    px.phase_msg = "fetching the image config";
    int cfg_fetched = 0;
    if ((rc = get_config(&cfg_data, &cfg_len, &cfg_fetched, b, c, r.path, &doc.config)) != 0)
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

    if (!(blobs = calloc(doc.n ? doc.n : 1, sizeof *blobs)) || !(layers = calloc(doc.n ? doc.n : 1, sizeof *layers))) {
        rc = berth_fail_oom();
        goto out;
    }
    int64_t total = doc.config.size;
    size_t n_blobs = 0;
    for (size_t i = 0; i < doc.n; i++) {
        const manifest_desc *d = &doc.entries[i];
        layers[i].digest = d->digest;
        layers[i].size = d->size;
        layers[i].media_type = d->media_type;
        layers[i].diff_id = cfg.diff_ids[i];
        total += d->size;
        /* A layer may repeat (old images repeat the empty layer): fetch each blob once, so
         * one process never opens the same ingest twice. */
        int seen = 0;
        for (size_t k = 0; k < n_blobs && !seen; k++)
            seen = digest_equal(&blobs[k].digest, &d->digest);
        if (seen)
            continue;
        registry_blob *bl = &blobs[n_blobs++];
        bl->digest = d->digest;
        bl->size = d->size;
        bl->media_type = d->media_type;
        bl->urls = (const char *const *)d->urls;
        bl->n_urls = d->n_urls;
        if ((rc = store_lease_add(b, lease, &d->digest)) != 0)
            goto out;
        if ((rc = image_progress_say(&px.pr, "queued", d->digest.text, 0, (uint64_t)d->size, "waiting")) != 0)
            goto out;
    }
    /* Checked: keep the config, then fetch the layers. */
    if (cfg_fetched && (rc = store_blob_put(b, &doc.config.digest, cfg_data, cfg_len)) != 0)
        goto out;
    registry_fetch_options fo = { opts->max_concurrent, opts->allow_foreign_layers, fetch_blob_progress, &px, NULL, NULL };
    if (!opts->no_unpack) {
        /* Lease the chain ids too: a prune in another process must not remove a layer folder
         * this pull unpacked before its image commits (gc/gc.h). */
        berth_digest chain, parent;
        for (size_t i = 0; rc == 0 && i < doc.n; i++) {
            if ((rc = layer_chain_id(&chain, i ? &parent : NULL, &layers[i].diff_id)) == 0)
                rc = store_lease_add(b, lease, &chain);
            parent = chain;
        }
        if (rc)
            goto out;
        if ((rc = pull_unpacker_start(&px.unpacker, b, layers, doc.n)) != 0)
            goto out;
        fo.after_commit = blob_committed;
        fo.after_commit_payload = &px;
    }
    if ((rc = registry_fetch_blobs(c, b, r.path, blobs, n_blobs, &fo)) != 0)
        goto out;
    /* The image becomes visible only once every layer is unpacked: ready to run. */
    if (px.unpacker && (rc = pull_unpacker_finish(px.unpacker, opts->progress, opts->progress_payload)) != 0) {
        if (rc == BERTH_ECANCELED)
            px.pr.canceled = 1;
        goto out;
    }

    if ((rc = image_progress_say(&px.pr, "commit", canonical, 0, 0, "writing image metadata")) != 0)
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
    rc = image_progress_say(&px.pr, "done", canonical, (uint64_t)total, (uint64_t)total, "pulled");
    if (rc == BERTH_ECANCELED)
        rc = 0; /* the image is in; a cancel this late changes nothing */
out:
    if (rc && px.pr.canceled && rc != BERTH_ECANCELED)
        rc = berth_fail(BERTH_ECANCELED, "pull %s: canceled; partial downloads are kept and the next pull resumes them",
                        px.pr.subject);
    else if (rc && !strstr(berth_errmsg(), "pull "))
        rc = berth_wrap(rc, "pull %s", px.pr.subject);
    if (rc && out_json && *out_json) {
        free(*out_json);
        *out_json = NULL;
    }
    pull_unpacker_free(px.unpacker);
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
