/* berth_image_save: stored images → a docker-archive (`docker save`) or an OCI image layout.
 *
 * docker-archive (a tar): <config hex>.json, one <diff_id hex>.tar per distinct layer —
 * uncompressed, as docker writes them, so the file's sha256 is the config's diff_id (the
 * decompressed bytes are hashed on the way and must match it) — then manifest.json
 * ([{"Config","RepoTags","Layers"}]) and the legacy repositories file.
 * oci-layout (a directory, or a tar of one): oci-layout, blobs/sha256/HEX for every manifest,
 * config and layer exactly as stored (digests unchanged), index.json last, one entry per name
 * with io.containerd.image.name (the full reference) and org.opencontainers.image.ref.name
 * (the tag), as docker 25 and containerd write them; skopeo's oci:DIR:TAG finds the tag.
 * Every image is leased while it is read, so a concurrent prune cannot take its blobs. */
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include "image/archive_dir.h"
#include "image/archive_out.h"
#include "image/local.h"
#include "image/uncompress.h"
#include "reference/reference.h"
#include "store/store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (128 * 1024)

typedef struct {
    local_image img;
    char **names;      /* "repo:tag" the user named this image by */
    size_t n_names;
} save_item;

typedef struct {
    berth_t *b;
    const berth_archive_options *o;
    save_item *items;
    size_t n;
    int canceled;
} save_ctx;

static int say(save_ctx *x, const char *phase, const char *id, uint64_t cur, uint64_t total, const char *msg)
{
    if (!x->o->progress)
        return 0;
    berth_progress ev = { phase, id, cur, total, msg };
    if (x->o->progress(&ev, x->o->progress_payload) != 0) {
        x->canceled = 1;
        return berth_fail(BERTH_ECANCELED, "save: canceled; nothing was written");
    }
    return 0;
}

/* "docker.io/library/busybox:latest" → "busybox:latest", as docker writes RepoTags. */
static const char *familiar(const char *full)
{
    if (strncmp(full, "docker.io/library/", 18) == 0)
        return full + 18;
    if (strncmp(full, "docker.io/", 10) == 0)
        return full + 10;
    return full;
}

static int add_name(save_item *it, const char *name)
{
    for (size_t i = 0; i < it->n_names; i++)
        if (strcmp(it->names[i], name) == 0)
            return 0;
    char **g = realloc(it->names, (it->n_names + 1) * sizeof *g);
    if (!g || !(g[it->n_names] = strdup(name))) {
        if (g)
            it->names = g;
        return berth_fail_oom();
    }
    it->names = g;
    it->n_names++;
    return 0;
}

/* Resolves one user name; an image named twice is saved once with both names. */
static int add_image(save_ctx *x, const char *name)
{
    local_image img;
    int rc = local_image_load(&img, x->b, name, "save");
    if (rc)
        return rc;
    save_item *it = NULL;
    for (size_t i = 0; i < x->n; i++)
        if (digest_equal(&x->items[i].img.id, &img.id))
            it = &x->items[i];
    if (it) {
        local_image_clear(&img, x->b);
    } else {
        save_item *g = realloc(x->items, (x->n + 1) * sizeof *g);
        if (!g) {
            local_image_clear(&img, x->b);
            return berth_fail_oom();
        }
        x->items = g;
        it = &x->items[x->n++];
        memset(it, 0, sizeof *it);
        it->img = img;
    }
    /* Named by a tag it carries: save that name (docker does the same; by id: no name). */
    berth_ref r = { 0 };
    if (reference_parse(&r, name) == 0 && r.tag && !r.digest) {
        char *repo = reference_repository(&r);
        char full[600];
        snprintf(full, sizeof full, "%s:%s", repo ? repo : "", r.tag);
        free(repo);
        for (size_t i = 0; rc == 0 && i < it->img.n_tags; i++)
            if (strcmp(it->img.tags[i], full) == 0)
                rc = add_name(it, full);
    }
    berth_error_clear();
    reference_clear(&r);
    return rc;
}

typedef struct {
    FILE *f;
    unsigned char *buf;
    uncompress *u;
    digest_ctx *h;       /* hashes what goes out, when checking a diff_id */
} blob_reader;

static int file_read(void *payload, const void **buf, size_t *len)
{
    blob_reader *r = payload;
    size_t n = fread(r->buf, 1, CHUNK, r->f);
    if (n == 0 && ferror(r->f))
        return berth_fail(BERTH_ERROR, "read a blob of the store");
    *buf = r->buf;
    *len = n;
    return 0;
}

static int unc_read(void *payload, const void **buf, size_t *len)
{
    blob_reader *r = payload;
    int rc = uncompress_read(r->u, buf, len);
    if (rc == 0 && *len)
        rc = digest_update(r->h, *buf, *len);
    return rc;
}

/* A stored blob as it is. */
static int put_blob(save_ctx *x, archive_out *out, const char *name, const berth_digest *d, int64_t size)
{
    if (archive_out_has(out, name))
        return 0;
    char *p = store_blob_path(x->b, d);
    blob_reader r = { p ? fopen(p, "rb") : NULL, malloc(CHUNK), NULL, NULL };
    int rc = 0;
    if (!p || !r.buf)
        rc = berth_fail_oom();
    else if (!r.f)
        rc = berth_fail(BERTH_ENOTFOUND, "blob %s is missing from the content store — run `berth fsck`", d->text);
    if (rc == 0 && (rc = say(x, "save", d->text, 0, (uint64_t)size, "writing")) == 0)
        rc = archive_out_stream(out, name, (uint64_t)size, file_read, &r);
    if (r.f)
        fclose(r.f);
    free(r.buf);
    free(p);
    return rc;
}

/* A layer uncompressed, checked against its diff_id on the way. */
static int put_layer_tar(save_ctx *x, archive_out *out, const char *name, const manifest_desc *l,
                         const berth_digest *diff_id)
{
    if (archive_out_has(out, name))
        return 0;
    char *p = store_blob_path(x->b, &l->digest);
    blob_reader r = { NULL, NULL, NULL, NULL };
    berth_digest first, got;
    uint64_t size = 0;
    int rc = p ? 0 : BERTH_ENOMEM;
    /* The tar header needs the size first: one pass to measure (and check), one to write. */
    if (rc == 0 && (rc = say(x, "save", l->digest.text, 0, (uint64_t)l->size, "decompressing")) == 0)
        rc = uncompress_digest(&first, &size, p);
    if (rc == 0 && !digest_equal(&first, diff_id))
        rc = berth_fail(BERTH_EDIGEST, "layer %s decompresses to %s, not its diff_id %s — the store is damaged; run "
                        "`berth fsck --repair` and pull the image again", l->digest.text, first.text, diff_id->text);
    if (rc == 0 && (rc = uncompress_open(&r.u, p)) == 0 && (rc = digest_begin(&r.h)) == 0)
        rc = archive_out_stream(out, name, size, unc_read, &r);
    if (rc == 0 && (rc = digest_final(&got, r.h)) == 0 && !digest_equal(&got, diff_id))
        rc = berth_fail(BERTH_EDIGEST, "layer %s changed while it was saved", l->digest.text);
    uncompress_close(r.u);
    digest_free(r.h);
    free(p);
    return rc;
}

static int save_docker(save_ctx *x, archive_out *out)
{
    json_object *manifest = json_object_new_array(), *repos = json_object_new_object();
    char name[128];
    int rc = manifest && repos ? 0 : berth_fail_oom();
    for (size_t i = 0; rc == 0 && i < x->n; i++) {
        const local_image *img = &x->items[i].img;
        image_config cfg = { 0 };
        json_object *entry = json_object_new_object(), *tags = json_object_new_array(), *layers = json_object_new_array();
        json_object_array_add(manifest, entry);
        snprintf(name, sizeof name, "%s.json", digest_hex(&img->id));
        json_object_object_add(entry, "Config", json_object_new_string(name));
        json_object_object_add(entry, "RepoTags", tags);
        json_object_object_add(entry, "Layers", layers);
        if ((rc = archive_out_has(out, name) ? 0 : archive_out_mem(out, name, img->config, img->config_len)) != 0 ||
            (rc = image_config_parse(&cfg, img->config, img->config_len)) != 0)
            break;
        if (cfg.n_diff_ids != img->doc.n)
            rc = berth_fail(BERTH_EINVAL, "image %s: %zu layers but %zu diff_ids", img->id.text, img->doc.n, cfg.n_diff_ids);
        for (size_t k = 0; rc == 0 && k < img->doc.n; k++) {
            snprintf(name, sizeof name, "%s.tar", digest_hex(&cfg.diff_ids[k]));
            json_object_array_add(layers, json_object_new_string(name));
            rc = put_layer_tar(x, out, name, &img->doc.entries[k], &cfg.diff_ids[k]);
        }
        for (size_t k = 0; rc == 0 && k < x->items[i].n_names; k++) {
            const char *full = familiar(x->items[i].names[k]);
            json_object_array_add(tags, json_object_new_string(full));
            const char *colon = strrchr(full, ':');
            char repo[512];
            snprintf(repo, sizeof repo, "%.*s", (int)(colon - full), full);
            json_object *r = json_obj(repos, repo);
            if (!r) {
                r = json_object_new_object();
                json_object_object_add(repos, repo, r);
            }
            if (img->doc.n)
                json_object_object_add(r, colon + 1, json_object_new_string(digest_hex(&cfg.diff_ids[img->doc.n - 1])));
        }
        image_config_clear(&cfg);
    }
    const char *text;
    if (rc == 0) {
        text = json_object_to_json_string_ext(manifest, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        rc = archive_out_mem(out, "manifest.json", text, strlen(text));
    }
    if (rc == 0) {
        text = json_object_to_json_string_ext(repos, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        rc = archive_out_mem(out, "repositories", text, strlen(text));
    }
    json_object_put(manifest);
    json_object_put(repos);
    return rc;
}

static json_object *index_entry(const local_image *img, const char *full)
{
    json_object *e = json_object_new_object();
    json_object_object_add(e, "mediaType", json_object_new_string(img->media_type));
    json_object_object_add(e, "digest", json_object_new_string(img->manifest_digest.text));
    json_object_object_add(e, "size", json_object_new_int64((int64_t)img->manifest_len));
    if (full) {
        json_object *ann = json_object_new_object();
        json_object_object_add(ann, "io.containerd.image.name", json_object_new_string(full));
        json_object_object_add(ann, "org.opencontainers.image.ref.name", json_object_new_string(strrchr(full, ':') + 1));
        json_object_object_add(e, "annotations", ann);
    }
    return e;
}

/* The name an index entry carries: the full reference when it has one, else the ref.name. */
static const char *entry_name(json_object *e)
{
    json_object *ann = json_obj(e, "annotations");
    const char *full = ann ? json_str(ann, "io.containerd.image.name") : NULL;
    return full ? full : ann ? json_str(ann, "org.opencontainers.image.ref.name") : NULL;
}

/* An existing layout's entries that none of ours replaces (same name) are kept. */
static int keep_old_entries(json_object *manifests, const char *dir, json_object *ours)
{
    char *p = fs_join(dir, "index.json"), *data = NULL;
    size_t len = 0;
    json_object *old = NULL;
    if (!p)
        return BERTH_ENOMEM;
    if (!fs_exists(p) || fs_read_file(&data, &len, p, 8u << 20) != 0 ||
        json_parse_limited(&old, data, len, "index.json") != 0) {
        berth_error_clear();
        free(p);
        free(data);
        return 0;
    }
    json_object *ms = json_arr(old, "manifests");
    for (size_t i = 0; ms && i < json_object_array_length(ms); i++) {
        json_object *e = json_object_array_get_idx(ms, i);
        const char *name = entry_name(e);
        int replaced = 0;
        for (size_t k = 0; name && k < json_object_array_length(ours); k++) {
            const char *n2 = entry_name(json_object_array_get_idx(ours, k));
            replaced |= n2 && strcmp(n2, name) == 0;
        }
        if (!replaced)
            json_object_array_add(manifests, json_object_get(e));
    }
    json_object_put(old);
    free(data);
    free(p);
    return 0;
}

static int save_oci(save_ctx *x, archive_out *out, const char *path)
{
    json_object *ours = json_object_new_array(), *index = json_object_new_object(), *all = json_object_new_array();
    char name[128];
    int rc = ours && index && all ? 0 : berth_fail_oom();
    static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
    if (rc == 0)
        rc = archive_out_mem(out, "oci-layout", layout, sizeof layout - 1);
    for (size_t i = 0; rc == 0 && i < x->n; i++) {
        const local_image *img = &x->items[i].img;
        for (size_t k = 0; rc == 0 && k < img->doc.n; k++) {
            if (img->doc.entries[k].foreign && !store_blob_exists(x->b, &img->doc.entries[k].digest, NULL))
                continue;
            snprintf(name, sizeof name, "blobs/sha256/%s", digest_hex(&img->doc.entries[k].digest));
            rc = put_blob(x, out, name, &img->doc.entries[k].digest, img->doc.entries[k].size);
        }
        snprintf(name, sizeof name, "blobs/sha256/%s", digest_hex(&img->id));
        if (rc == 0 && !archive_out_has(out, name))
            rc = archive_out_mem(out, name, img->config, img->config_len);
        snprintf(name, sizeof name, "blobs/sha256/%s", digest_hex(&img->manifest_digest));
        if (rc == 0 && !archive_out_has(out, name))
            rc = archive_out_mem(out, name, img->manifest, img->manifest_len);
        if (x->items[i].n_names == 0)
            json_object_array_add(ours, index_entry(img, NULL));
        for (size_t k = 0; k < x->items[i].n_names; k++)
            json_object_array_add(ours, index_entry(img, x->items[i].names[k]));
    }
    if (rc == 0 && archive_out_is_dir(out))
        rc = keep_old_entries(all, path, ours);
    for (size_t i = 0; rc == 0 && i < json_object_array_length(ours); i++)
        json_object_array_add(all, json_object_get(json_object_array_get_idx(ours, i)));
    if (rc == 0) {
        json_object_object_add(index, "schemaVersion", json_object_new_int(2));
        json_object_object_add(index, "mediaType", json_object_new_string("application/vnd.oci.image.index.v1+json"));
        json_object_object_add(index, "manifests", all);
        all = NULL;
        const char *text = json_object_to_json_string_ext(index, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (archive_out_is_dir(out)) {
            char *p = fs_join(path, "index.json");
            rc = p ? fs_write_atomic(p, text, strlen(text), 0644) : BERTH_ENOMEM;
            free(p);
        } else {
            rc = archive_out_mem(out, "index.json", text, strlen(text));
        }
    }
    json_object_put(all);
    json_object_put(ours);
    json_object_put(index);
    return rc;
}

/* oci-layout goes to a directory when path is one, or ends with '/'; else into a tar. */
static int wants_dir(const char *path)
{
    size_t n = strlen(path);
    return (n && (path[n - 1] == '/' || path[n - 1] == '\\')) || archive_dir_is_dir(path);
}

int berth_image_save(berth_t *b, const char *refs_json, const char *path, const berth_archive_options *opts)
{
    berth_error_clear();
    berth_archive_options defaults = BERTH_ARCHIVE_OPTIONS_INIT;
    if (!b || !refs_json || !path || !*path)
        return berth_fail(BERTH_EINVAL, "berth_image_save: store handle, image names and path are required");
    if (!opts)
        opts = &defaults;
    if (opts->version < 1 || opts->version > BERTH_ARCHIVE_OPTIONS_VERSION)
        return berth_fail(BERTH_EINVAL, "berth_image_save: options version %u is not known to this library", opts->version);
    const char *format = opts->format && *opts->format ? opts->format : "docker-archive";
    int oci = strcmp(format, "oci-layout") == 0 || strcmp(format, "oci") == 0;
    if (!oci && strcmp(format, "docker-archive") != 0)
        return berth_fail(BERTH_EINVAL, "save: unknown format \"%s\": use docker-archive or oci-layout", format);
    save_ctx x = { b, opts, NULL, 0, 0 };
    json_object *refs = NULL;
    archive_out *out = NULL;
    int rc = json_parse_limited(&refs, refs_json, strlen(refs_json), "image names");
    if (rc == 0 && json_object_is_type(refs, json_type_string)) {
        json_object *one = json_object_new_array();
        json_object_array_add(one, refs);
        refs = one;
    }
    if (rc == 0 && (!json_object_is_type(refs, json_type_array) || json_object_array_length(refs) == 0))
        rc = berth_fail(BERTH_EINVAL, "save: give a JSON array of image names, e.g. [\"busybox:latest\"]");
    for (size_t i = 0; rc == 0 && i < json_object_array_length(refs); i++) {
        const char *n = json_object_get_string(json_object_array_get_idx(refs, i));
        rc = n ? add_image(&x, n) : berth_fail(BERTH_EINVAL, "save: image name %zu is not a string", i);
    }
    if (rc == 0 && !oci && wants_dir(path))
        rc = berth_fail(BERTH_EINVAL, "save: %s is a directory; a docker-archive is a tar file — name a file", path);
    if (rc == 0)
        rc = archive_out_open(&out, path, oci && wants_dir(path));
    if (rc == 0)
        rc = oci ? save_oci(&x, out, path) : save_docker(&x, out);
    if (rc == 0) {
        rc = archive_out_commit(out);
        out = NULL;
    }
    if (rc == 0 && (rc = say(&x, "done", path, x.n, x.n, "saved")) == BERTH_ECANCELED)
        rc = 0;
    archive_out_abort(out);
    for (size_t i = 0; i < x.n; i++) {
        local_image_clear(&x.items[i].img, b);
        for (size_t k = 0; k < x.items[i].n_names; k++)
            free(x.items[i].names[k]);
        free(x.items[i].names);
    }
    free(x.items);
    json_object_put(refs);
    return rc && rc != BERTH_ECANCELED ? berth_wrap(rc, "save %s", path) : rc;
}
