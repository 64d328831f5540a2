/* Planning an OCI image layout load (directory or tar; `skopeo copy … oci:`, `docker save`
 * since 25): oci-layout, then index.json names manifests by digest; every blob lives at
 * blobs/sha256/<hex> and must hash to its name and have the size its descriptor says. A nested
 * index is resolved to this host's platform. Names come from the io.containerd.image.name
 * annotation, else org.opencontainers.image.ref.name when it is a full reference; a bare tag
 * ("v1") names no repository, so that image is loaded untagged (tag it with berth tag). */
#include "image/load.h"
#include "core/error.h"
#include "core/json.h"
#include "platform/platform.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The blob for descriptor (d, size): its entry, checked. */
static archive_entry_info *blob(archive_src *src, const berth_digest *d, int64_t size, const char *what, int *rc)
{
    char name[128];
    snprintf(name, sizeof name, "blobs/sha256/%s", digest_hex(d));
    archive_entry_info *e = archive_src_lookup(src, name, rc);
    if (!e) {
        *rc = berth_wrap(*rc, "the layout lacks the %s blob %s", what, d->text);
        return NULL;
    }
    if (!digest_equal(&e->digest, d)) {
        *rc = berth_fail(BERTH_EDIGEST, "the %s blob %s hashes to %s — the layout is damaged or was tampered with; "
                         "nothing was loaded", what, d->text, e->digest.text);
        return NULL;
    }
    if (size >= 0 && e->size != size) {
        *rc = berth_fail(BERTH_EDIGEST, "the %s blob %s is %lld bytes, its descriptor says %lld", what, d->text,
                         (long long)e->size, (long long)size);
        return NULL;
    }
    return e;
}

static int copy_doc(char **out, size_t *len, const archive_entry_info *e, const char *what)
{
    if (!e->data)
        return berth_fail(BERTH_EINVAL, "the %s blob %s is not a JSON document of at most %u MiB", what,
                          e->digest.text, ARCHIVE_JSON_MAX >> 20);
    if (!(*out = malloc(e->len + 1)))
        return berth_fail_oom();
    memcpy(*out, e->data, e->len + 1);
    *len = e->len;
    return 0;
}

static const char *name_of(json_object *desc)
{
    json_object *ann = json_obj(desc, "annotations");
    const char *full = ann ? json_str(ann, "io.containerd.image.name") : NULL;
    if (full && *full)
        return full;
    const char *ref = ann ? json_str(ann, "org.opencontainers.image.ref.name") : NULL;
    return ref && strchr(ref, '/') ? ref : NULL;
}

/* An index entry that is itself an index: pick this host's manifest. */
static int resolve_index(load_image *img, archive_src *src, manifest_desc *pick)
{
    int rc = 0;
    archive_entry_info *e = blob(src, &pick->digest, pick->size, "index", &rc);
    manifest_doc idx = { 0 };
    berth_platform host, *cands = NULL;
    if (!e || (rc = copy_doc(&img->index, &img->index_len, e, "index")) != 0)
        return rc;
    img->index_digest = pick->digest;
    if ((rc = manifest_parse(&idx, img->index, img->index_len, pick->media_type)) != 0)
        goto out;
    if (idx.kind != MANIFEST_INDEX || idx.n == 0) {
        rc = berth_fail(BERTH_EINVAL, "index %s lists no manifests", pick->digest.text);
        goto out;
    }
    if ((rc = platform_host(&host)) != 0 || !(cands = calloc(idx.n, sizeof *cands))) {
        rc = rc ? rc : berth_fail_oom();
        goto out;
    }
    for (size_t i = 0; i < idx.n; i++)
        cands[i] = idx.entries[i].platform;
    size_t k = 0;
    if ((rc = platform_choose(&k, &host, ISOLATION_DEFAULT, cands, idx.n)) != 0)
        goto out;
    manifest_desc chosen = idx.entries[k];
    free(pick->media_type);
    if (!(pick->media_type = chosen.media_type ? strdup(chosen.media_type) : NULL) && chosen.media_type) {
        rc = berth_fail_oom();
        goto out;
    }
    pick->digest = chosen.digest;
    pick->size = chosen.size;
out:
    free(cands);
    manifest_doc_clear(&idx);
    return rc;
}

static int plan_one(load_plan *plan, archive_src *src, json_object *desc, size_t idx)
{
    int rc = 0;
    manifest_desc d = { 0 };
    const char *dg = json_str(desc, "digest"), *mt = json_str(desc, "mediaType");
    if (!dg || (rc = digest_parse(&d.digest, dg)) != 0)
        return berth_wrap(rc ? rc : berth_fail(BERTH_EINVAL, "no digest"), "index.json entry %zu", idx);
    d.size = json_int(desc, "size", -1);
    if (!(d.media_type = strdup(mt ? mt : ""))) 
        return berth_fail_oom();
    const char *name = name_of(desc);
    /* Several tags of one manifest: one image, several names. */
    for (size_t i = 0; i < plan->n; i++)
        if (digest_equal(&plan->images[i].manifest_digest, &d.digest) ||
            (plan->images[i].index && digest_equal(&plan->images[i].index_digest, &d.digest))) {
            free(d.media_type);
            return name ? load_image_add_name(&plan->images[i], name) : 0;
        }
    load_image *img = load_plan_add(plan);
    if (!img) {
        free(d.media_type);
        return BERTH_ENOMEM;
    }
    if (strcmp(d.media_type, MT_OCI_INDEX) == 0 || strcmp(d.media_type, MT_DOCKER_LIST) == 0)
        rc = resolve_index(img, src, &d);
    archive_entry_info *me = rc ? NULL : blob(src, &d.digest, d.size, "manifest", &rc);
    if (me)
        rc = copy_doc(&img->manifest, &img->manifest_len, me, "manifest");
    if (rc == 0) {
        img->manifest_digest = d.digest;
        rc = manifest_parse(&img->doc, img->manifest, img->manifest_len, *d.media_type ? d.media_type : NULL);
    }
    if (rc == 0 && img->doc.kind != MANIFEST_IMAGE)
        rc = berth_fail(BERTH_EUNSUPPORTED, "manifest %s is an index inside an index; nested indexes are refused",
                        d.digest.text);
    archive_entry_info *ce = rc ? NULL : blob(src, &img->doc.config.digest, img->doc.config.size, "config", &rc);
    if (ce)
        rc = copy_doc(&img->config, &img->config_len, ce, "config");
    if (rc == 0)
        rc = load_image_check(img);
    if (rc == 0 && !(img->layers = calloc(img->doc.n ? img->doc.n : 1, sizeof *img->layers)))
        rc = berth_fail_oom();
    for (size_t i = 0; rc == 0 && i < img->doc.n; i++) {
        const manifest_desc *l = &img->doc.entries[i];
        int lrc = 0;
        archive_entry_info *le = blob(src, &l->digest, l->size, "layer", &lrc);
        if (!le && lrc == BERTH_ENOTFOUND && l->foreign) {
            berth_error_clear(); /* a foreign layer that was never fetched lives at its URLs */
            continue;
        }
        if (!le)
            rc = lrc;
        else
            img->layers[i].src = le;
    }
    if (rc == 0 && name)
        rc = load_image_add_name(img, name);
    free(d.media_type);
    return rc ? berth_wrap(rc, "index.json entry %zu (%s)", idx, dg) : 0;
}

int load_plan_oci(load_plan *plan, archive_src *src)
{
    int rc = 0;
    json_object *top = NULL, *lay = NULL;
    plan->format = "oci-layout";
    archive_entry_info *le = archive_src_lookup(src, "oci-layout", &rc);
    if (!le)
        return berth_wrap(rc, "OCI layout");
    if (!le->data || json_parse_limited(&lay, le->data, le->len, "oci-layout") != 0 ||
        !json_str(lay, "imageLayoutVersion") || strncmp(json_str(lay, "imageLayoutVersion"), "1.", 2) != 0) {
        json_object_put(lay);
        return berth_fail(BERTH_EUNSUPPORTED, "OCI layout: oci-layout does not declare imageLayoutVersion 1.x");
    }
    json_object_put(lay);
    archive_entry_info *ie = archive_src_lookup(src, "index.json", &rc);
    if (!ie)
        return berth_wrap(rc, "OCI layout");
    if (!ie->data)
        return berth_fail(BERTH_EINVAL, "OCI layout: index.json is not a JSON document of at most %u MiB",
                          ARCHIVE_JSON_MAX >> 20);
    if ((rc = json_parse_limited(&top, ie->data, ie->len, "index.json")) != 0)
        return rc;
    json_object *ms = json_arr(top, "manifests");
    if (!ms || json_object_array_length(ms) == 0)
        rc = berth_fail(BERTH_EINVAL, "OCI layout: index.json lists no manifests");
    else if (json_object_array_length(ms) > MANIFEST_MAX_ENTRIES)
        rc = berth_fail(BERTH_EUNSAFE, "OCI layout: index.json lists more than %d manifests", MANIFEST_MAX_ENTRIES);
    for (size_t i = 0; rc == 0 && i < json_object_array_length(ms); i++)
        rc = plan_one(plan, src, json_object_array_get_idx(ms, i), i);
    json_object_put(top);
    return rc;
}
