/* Parsing of image documents; see manifest.h. */
#include "core/error.h"
#include "core/json.h"
#include "image/manifest.h"
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BLOB_SIZE ((int64_t)1 << 40) /* 1 TiB: larger is a lie, not a layer */

static int is_schema1(const char *mt)
{
    return mt && (strcmp(mt, "application/vnd.docker.distribution.manifest.v1+json") == 0 ||
                  strcmp(mt, "application/vnd.docker.distribution.manifest.v1+prettyjws") == 0);
}

static int layer_type_known(const char *mt, int *foreign)
{
    static const char *const ok[] = {
        "application/vnd.oci.image.layer.v1.tar",
        "application/vnd.oci.image.layer.v1.tar+gzip",
        "application/vnd.oci.image.layer.v1.tar+zstd",
        "application/vnd.docker.image.rootfs.diff.tar.gzip",
        "application/vnd.docker.image.rootfs.diff.tar",
    };
    static const char *const nondist[] = {
        "application/vnd.oci.image.layer.nondistributable.v1.tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        "application/vnd.docker.image.rootfs.foreign.diff.tar",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strcmp(mt, ok[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof nondist / sizeof nondist[0]; i++)
        if (strcmp(mt, nondist[i]) == 0) {
            *foreign = 1;
            return 1;
        }
    return 0;
}

static void desc_clear(manifest_desc *d)
{
    free(d->media_type);
    for (size_t i = 0; i < d->n_urls; i++)
        free(d->urls[i]);
    free(d->urls);
    memset(d, 0, sizeof *d);
}

void manifest_doc_clear(manifest_doc *m)
{
    free(m->media_type);
    desc_clear(&m->config);
    for (size_t i = 0; i < m->n; i++)
        desc_clear(&m->entries[i]);
    free(m->entries);
    memset(m, 0, sizeof *m);
}

static int copy_field(char *dst, size_t cap, const char *src, const char *what)
{
    if (!src)
        return 0;
    if (strlen(src) >= cap)
        return berth_fail(BERTH_EINVAL, "%s \"%.40s…\" is too long", what, src);
    memcpy(dst, src, strlen(src) + 1);
    return 0;
}

/* RFC 6838 as the OCI descriptor schema writes it: type "/" subtype, each a letter or digit
 * then at most 126 of [A-Za-z0-9!#$&^_.+-]; no parameters. */
static int media_type_part(const char *s, size_t n)
{
    if (n == 0 || n > 127 || !isalnum((unsigned char)s[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("!#$&^_.+-", s[i]))
            return 0;
    return 1;
}

static int media_type_valid(const char *mt)
{
    const char *slash = strchr(mt, '/');
    return slash && media_type_part(mt, (size_t)(slash - mt)) && media_type_part(slash + 1, strlen(slash + 1));
}

static int parse_desc(manifest_desc *d, json_object *o, const char *what, size_t i)
{
    if (!o || !json_object_is_type(o, json_type_object))
        return berth_fail(BERTH_EINVAL, "%s %zu is not an object", what, i);
    const char *dg = json_str(o, "digest"), *mt = json_str(o, "mediaType");
    int rc = digest_parse(&d->digest, dg);
    if (rc)
        return berth_wrap(rc, "%s %zu", what, i);
    json_object *sz = NULL;
    if (!json_object_object_get_ex(o, "size", &sz) || !json_object_is_type(sz, json_type_int))
        return berth_fail(BERTH_EINVAL, "%s %zu (%s) has no size", what, i, d->digest.text);
    d->size = json_object_get_int64(sz);
    if (d->size < 0 || d->size > MAX_BLOB_SIZE)
        return berth_fail(BERTH_EINVAL, "%s %zu (%s) has an impossible size %" PRId64, what, i, d->digest.text, d->size);
    if (mt && !media_type_valid(mt))
        return berth_fail(BERTH_EINVAL, "%s %zu (%s) has the media type \"%.140s\", which is not type/subtype",
                          what, i, d->digest.text, mt);
    if (mt && !(d->media_type = strdup(mt)))
        return berth_fail_oom();
    json_object *urls = json_arr(o, "urls");
    if (urls) {
        size_t n = json_object_array_length(urls);
        if (n > MANIFEST_MAX_URLS)
            return berth_fail(BERTH_EINVAL, "%s %zu lists %zu urls (at most %d)", what, i, n, MANIFEST_MAX_URLS);
        if (n && !(d->urls = calloc(n, sizeof *d->urls)))
            return berth_fail_oom();
        for (size_t k = 0; k < n; k++) {
            const char *u = json_object_get_string(json_object_array_get_idx(urls, k));
            if (!u || !json_object_is_type(json_object_array_get_idx(urls, k), json_type_string))
                return berth_fail(BERTH_EINVAL, "%s %zu: urls[%zu] is not a string", what, i, k);
            if (!(d->urls[k] = strdup(u)))
                return berth_fail_oom();
            d->n_urls++;
        }
        if (n)
            d->foreign = 1;
    }
    json_object *p = json_obj(o, "platform");
    if (p) {
        d->has_platform = 1;
        if ((rc = copy_field(d->platform.os, sizeof d->platform.os, json_str(p, "os"), "platform os")) ||
            (rc = copy_field(d->platform.arch, sizeof d->platform.arch, json_str(p, "architecture"), "platform architecture")) ||
            (rc = copy_field(d->platform.variant, sizeof d->platform.variant, json_str(p, "variant"), "platform variant")) ||
            (rc = copy_field(d->platform.os_version, sizeof d->platform.os_version, json_str(p, "os.version"), "platform os.version")))
            return berth_wrap(rc, "%s %zu", what, i);
        platform_normalize(&d->platform);
    }
    return 0;
}

int manifest_parse(manifest_doc *out, const char *data, size_t len, const char *content_type)
{
    memset(out, 0, sizeof *out);
    json_object *o = NULL;
    int rc = json_parse_limited(&o, data, len, "manifest");
    if (rc)
        return rc;
    if (!json_object_is_type(o, json_type_object)) {
        rc = berth_fail(BERTH_EINVAL, "manifest: not a JSON object");
        goto out;
    }
    const char *doc_mt = json_str(o, "mediaType");
    /* The Content-Type decides; a generic one ("application/json") defers to the document. */
    const char *mt = content_type && *content_type && strcmp(content_type, "application/json") != 0 &&
                     strcmp(content_type, "text/plain") != 0 ? content_type : doc_mt;
    int64_t sv = json_int(o, "schemaVersion", -1);
    if (is_schema1(mt) || sv == 1) {
        rc = berth_fail(BERTH_EUNSUPPORTED, "manifest: Docker schema 1 (%s) is deprecated and not supported — push "
                        "the image again with a current Docker or skopeo (schema 2 or OCI)", mt ? mt : "schemaVersion 1");
        goto out;
    }
    if (!mt) {
        /* OCI allows omitting mediaType: tell an index from a manifest by its fields. */
        mt = json_arr(o, "manifests") ? MT_OCI_INDEX : json_obj(o, "config") ? MT_OCI_MANIFEST : NULL;
    }
    if (!mt) {
        rc = berth_fail(BERTH_EUNSUPPORTED, "manifest: no media type and neither \"manifests\" nor \"config\"");
        goto out;
    }
    if (doc_mt && strcmp(doc_mt, mt) != 0) {
        rc = berth_fail(BERTH_EINVAL, "manifest: served as %s but says it is %s", mt, doc_mt);
        goto out;
    }
    if (sv != 2) {
        rc = berth_fail(BERTH_EUNSUPPORTED, "manifest: schemaVersion %" PRId64 " is not supported (only 2)", sv);
        goto out;
    }
    if (!(out->media_type = strdup(mt))) {
        rc = berth_fail_oom();
        goto out;
    }
    int index = strcmp(mt, MT_OCI_INDEX) == 0 || strcmp(mt, MT_DOCKER_LIST) == 0;
    int image = strcmp(mt, MT_OCI_MANIFEST) == 0 || strcmp(mt, MT_DOCKER_MANIFEST) == 0;
    if (!index && !image) {
        rc = berth_fail(BERTH_EUNSUPPORTED, "manifest: media type %s is not an image or an index", mt);
        goto out;
    }
    out->kind = index ? MANIFEST_INDEX : MANIFEST_IMAGE;
    json_object *arr = json_arr(o, index ? "manifests" : "layers");
    const char *what = index ? "manifest entry" : "layer";
    if (!arr) {
        rc = berth_fail(BERTH_EINVAL, "manifest: no \"%s\" array", index ? "manifests" : "layers");
        goto out;
    }
    size_t n = json_object_array_length(arr);
    if (n > MANIFEST_MAX_ENTRIES) {
        rc = berth_fail(BERTH_EINVAL, "manifest: %zu %ss (at most %d)", n, what, MANIFEST_MAX_ENTRIES);
        goto out;
    }
    if (n && !(out->entries = calloc(n, sizeof *out->entries))) {
        rc = berth_fail_oom();
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        manifest_desc *d = &out->entries[i];
        out->n++;
        if ((rc = parse_desc(d, json_object_array_get_idx(arr, i), what, i)) != 0)
            goto out;
        if (index) {
            if (!d->media_type) {
                rc = berth_fail(BERTH_EINVAL, "manifest: entry %zu (%s) has no mediaType, which the OCI image "
                                "index requires of every descriptor", i, d->digest.text);
                goto out;
            }
            if (d->media_type && (strcmp(d->media_type, MT_OCI_INDEX) == 0 || strcmp(d->media_type, MT_DOCKER_LIST) == 0)) {
                rc = berth_fail(BERTH_EUNSUPPORTED, "manifest: entry %zu (%s) is itself an index; nested indexes "
                                "are refused", i, d->digest.text);
                goto out;
            }
        } else {
            if (!d->media_type || !layer_type_known(d->media_type, &d->foreign)) {
                rc = berth_fail(BERTH_EUNSUPPORTED, "manifest: layer %zu (%s) has media type %s, which is not a "
                                "container layer (is this an artifact rather than an image?)", i, d->digest.text,
                                d->media_type ? d->media_type : "(none)");
                goto out;
            }
        }
    }
    if (image) {
        if ((rc = parse_desc(&out->config, json_obj(o, "config"), "config", 0)) != 0)
            goto out;
        const char *cmt = out->config.media_type;
        if (!cmt || (strcmp(cmt, MT_OCI_CONFIG) != 0 && strcmp(cmt, MT_DOCKER_CONFIG) != 0)) {
            rc = berth_fail(BERTH_EUNSUPPORTED, "manifest: config media type %s is not a container image config "
                            "(is this an artifact rather than an image?)", cmt ? cmt : "(none)");
            goto out;
        }
        if (out->config.size > (1 << 23)) {
            rc = berth_fail(BERTH_EINVAL, "manifest: config of %" PRId64 " bytes is larger than the 8 MiB allowed",
                            out->config.size);
            goto out;
        }
    }
out:
    json_object_put(o);
    if (rc)
        manifest_doc_clear(out);
    return rc;
}

void image_config_clear(image_config *c)
{
    free(c->diff_ids);
    memset(c, 0, sizeof *c);
}

int image_config_parse(image_config *out, const char *data, size_t len)
{
    memset(out, 0, sizeof *out);
    json_object *o = NULL;
    int rc = json_parse_limited(&o, data, len, "image config");
    if (rc)
        return rc;
    if (!json_object_is_type(o, json_type_object)) {
        rc = berth_fail(BERTH_EINVAL, "image config: not a JSON object");
        goto out;
    }
    if ((rc = copy_field(out->platform.os, sizeof out->platform.os, json_str(o, "os"), "image config os")) ||
        (rc = copy_field(out->platform.arch, sizeof out->platform.arch, json_str(o, "architecture"), "image config architecture")) ||
        (rc = copy_field(out->platform.variant, sizeof out->platform.variant, json_str(o, "variant"), "image config variant")) ||
        (rc = copy_field(out->platform.os_version, sizeof out->platform.os_version, json_str(o, "os.version"), "image config os.version")))
        goto out;
    platform_normalize(&out->platform);
    json_object *ids = json_arr(json_obj(o, "rootfs"), "diff_ids");
    if (!ids) {
        rc = berth_fail(BERTH_EINVAL, "image config: no rootfs.diff_ids");
        goto out;
    }
    size_t n = json_object_array_length(ids);
    if (n > MANIFEST_MAX_ENTRIES) {
        rc = berth_fail(BERTH_EINVAL, "image config: %zu diff_ids (at most %d)", n, MANIFEST_MAX_ENTRIES);
        goto out;
    }
    if (n && !(out->diff_ids = calloc(n, sizeof *out->diff_ids))) {
        rc = berth_fail_oom();
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if ((rc = digest_parse(&out->diff_ids[i], json_object_get_string(json_object_array_get_idx(ids, i)))) != 0) {
            rc = berth_wrap(rc, "image config: rootfs.diff_ids[%zu]", i);
            goto out;
        }
        out->n_diff_ids++;
    }
out:
    json_object_put(o);
    if (rc)
        image_config_clear(out);
    return rc;
}
