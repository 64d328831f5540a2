/* Planning a docker-archive load (`docker save`, `skopeo copy … docker-archive:`):
 * manifest.json lists, per image, its config file, its RepoTags and its layer files, base first.
 * The image id is the config's sha256. Layer files are plain tars (docker) or compressed (some
 * writers): a plain one must hash to the config's diff_id here and now; a compressed one keeps
 * its own digest as the blob and has its diff_id checked after ingest. The manifest the store
 * keeps is built here, as an OCI image manifest, deterministically, so loading one archive
 * twice gives one image. */
#include "image/load.h"
#include "core/error.h"
#include "core/json.h"
#include <stdlib.h>
#include <string.h>

static const char *layer_media_type(const archive_entry_info *e, int *compressed)
{
    *compressed = 1;
    if (e->n_magic >= 2 && e->magic[0] == 0x1f && e->magic[1] == 0x8b)
        return "application/vnd.oci.image.layer.v1.tar+gzip";
    if (e->n_magic >= 4 && e->magic[0] == 0x28 && e->magic[1] == 0xb5 && e->magic[2] == 0x2f && e->magic[3] == 0xfd)
        return "application/vnd.oci.image.layer.v1.tar+zstd";
    *compressed = 0;
    return "application/vnd.oci.image.layer.v1.tar";
}

static json_object *descriptor(const char *media_type, const berth_digest *d, int64_t size)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "mediaType", json_object_new_string(media_type));
    json_object_object_add(o, "digest", json_object_new_string(d->text));
    json_object_object_add(o, "size", json_object_new_int64(size));
    return o;
}

static int plan_one(load_plan *plan, archive_src *src, json_object *m, size_t idx)
{
    int rc = 0;
    const char *config_name = json_str(m, "Config");
    json_object *layers = json_arr(m, "Layers"), *tags = json_arr(m, "RepoTags");
    if (!config_name || !layers)
        return berth_fail(BERTH_EINVAL, "manifest.json entry %zu has no Config or no Layers — not a docker-archive", idx);
    size_t n = json_object_array_length(layers);
    if (n > MANIFEST_MAX_ENTRIES)
        return berth_fail(BERTH_EUNSAFE, "manifest.json entry %zu lists %zu layers (at most %d) — refusing it", idx, n,
                          MANIFEST_MAX_ENTRIES);
    archive_entry_info *ce = archive_src_lookup(src, config_name, &rc);
    if (!ce)
        return berth_wrap(rc, "config of image %zu", idx);
    if (!ce->data)
        return berth_fail(BERTH_EINVAL, "config \"%.200s\" is not a JSON document of at most %u MiB", config_name,
                          ARCHIVE_JSON_MAX >> 20);
    load_image *img = load_plan_add(plan);
    if (!img)
        return BERTH_ENOMEM;
    if (!(img->config = malloc(ce->len + 1)) || !(img->layers = calloc(n ? n : 1, sizeof *img->layers)))
        return berth_fail_oom();
    memcpy(img->config, ce->data, ce->len + 1);
    img->config_len = ce->len;
    if ((rc = image_config_parse(&img->cfg, img->config, img->config_len)) != 0)
        return berth_wrap(rc, "config \"%.200s\"", config_name);
    if (img->cfg.n_diff_ids != n)
        return berth_fail(BERTH_EINVAL, "image %zu: manifest.json lists %zu layers but its config %zu diff_ids — the "
                          "archive is malformed", idx, n, img->cfg.n_diff_ids);
    json_object *man = json_object_new_object(), *ls = json_object_new_array();
    json_object_object_add(man, "schemaVersion", json_object_new_int(2));
    json_object_object_add(man, "mediaType", json_object_new_string(MT_OCI_MANIFEST));
    json_object_object_add(man, "config", descriptor(MT_OCI_CONFIG, &ce->digest, ce->size));
    json_object_object_add(man, "layers", ls);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *ln = json_object_get_string(json_object_array_get_idx(layers, i));
        archive_entry_info *le = ln ? archive_src_lookup(src, ln, &rc) : NULL;
        if (!ln)
            rc = berth_fail(BERTH_EINVAL, "manifest.json entry %zu: layer %zu is not a file name", idx, i);
        if (!le)
            break;
        int compressed = 0;
        const char *mt = layer_media_type(le, &compressed);
        if (!compressed && !digest_equal(&le->digest, &img->cfg.diff_ids[i])) {
            rc = berth_fail(BERTH_EDIGEST, "layer %zu (\"%.200s\") hashes to %s but the config says its diff_id is %s — "
                            "the archive is damaged or was tampered with; nothing was loaded", i, le->name,
                            le->digest.text, img->cfg.diff_ids[i].text);
            break;
        }
        img->layers[i].src = le;
        img->layers[i].check_diff_id = compressed;
        json_object_array_add(ls, descriptor(mt, &le->digest, le->size));
    }
    if (rc == 0) {
        const char *text = json_object_to_json_string_ext(man, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        img->manifest_len = strlen(text);
        if (!(img->manifest = strdup(text)))
            rc = berth_fail_oom();
    }
    json_object_put(man);
    if (rc)
        return berth_wrap(rc, "image %zu of the archive", idx);
    if ((rc = digest_of_buffer(&img->manifest_digest, img->manifest, img->manifest_len)) != 0 ||
        (rc = manifest_parse(&img->doc, img->manifest, img->manifest_len, MT_OCI_MANIFEST)) != 0)
        return rc;
    for (size_t i = 0; tags && i < json_object_array_length(tags); i++) {
        const char *t = json_object_get_string(json_object_array_get_idx(tags, i));
        if (t && (rc = load_image_add_name(img, t)) != 0)
            return rc;
    }
    return 0;
}

int load_plan_docker(load_plan *plan, archive_src *src)
{
    int rc = 0;
    json_object *top = NULL;
    plan->format = "docker-archive";
    archive_entry_info *e = archive_src_lookup(src, "manifest.json", &rc);
    if (!e)
        return berth_wrap(rc, "docker-archive");
    if (!e->data)
        return berth_fail(BERTH_EINVAL, "docker-archive: manifest.json is not a JSON document of at most %u MiB",
                          ARCHIVE_JSON_MAX >> 20);
    if ((rc = json_parse_limited(&top, e->data, e->len, "manifest.json")) != 0)
        return rc;
    if (!json_object_is_type(top, json_type_array) || json_object_array_length(top) == 0)
        rc = berth_fail(BERTH_EINVAL, "docker-archive: manifest.json is not a non-empty array of images");
    for (size_t i = 0; rc == 0 && i < json_object_array_length(top); i++) {
        json_object *m = json_object_array_get_idx(top, i);
        rc = json_object_is_type(m, json_type_object) ? plan_one(plan, src, m, i)
                                                       : berth_fail(BERTH_EINVAL, "manifest.json entry %zu is not an object", i);
    }
    json_object_put(top);
    return rc;
}
