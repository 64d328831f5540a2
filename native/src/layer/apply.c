/* Apply mode (a layer onto a plain directory, whiteouts by removal) and the public layer calls. */
#include "layer/layer.h"
#include "core/error.h"
#include "core/fs.h"
#include "core/json.h"
#include "layer/unpack.h"
#include <stdlib.h>
#include <string.h>

int layer_apply(layer_result *out, layer_read_fn read, void *read_payload, const char *media_type,
                const char *dir, const layer_options *opts)
{
    int rc = fs_mkdir_p(dir, 0755);
    if (rc == 0)
        rc = layer_unpack_dir(out, read, read_payload, media_type, dir, 0, -1, opts);
    if (rc == 0 && opts && opts->expected_digest && !digest_equal(&out->digest, opts->expected_digest))
        rc = berth_fail(BERTH_EDIGEST, "the layer hashes to %s, not %s", out->digest.text, opts->expected_digest->text);
    return rc;
}

int layer_apply_file(layer_result *out, const char *layer_path, const char *media_type, const char *dir,
                     const layer_options *opts)
{
    void *src;
    int rc = layer_file_source_open(&src, layer_path);
    if (rc != 0)
        return rc;
    rc = layer_apply(out, layer_file_source_read, src, media_type, dir, opts);
    layer_file_source_close(src);
    return rc;
}

static void options_from_public(layer_options *o, const berth_layer_options *p)
{
    memset(o, 0, sizeof *o);
    if (!p)
        return;
    o->max_bytes = p->max_bytes;
    o->max_entries = p->max_entries;
    o->allow_devices = p->allow_devices;
    o->progress = p->progress;
    o->progress_payload = p->progress_payload;
    o->lower_dirs = p->lower_dirs;
    o->n_lower_dirs = p->n_lower_dirs;
}

static int result_json(char **out_json, const layer_result *r, const char *path)
{
    json_object *o = json_object_new_object();
    if (!o)
        return berth_fail_oom();
    if (r->chain_id.text[0])
        json_object_object_add(o, "chain_id", json_object_new_string(r->chain_id.text));
    json_object_object_add(o, "diff_id", json_object_new_string(r->diff_id.text));
    if (r->digest.text[0])
        json_object_object_add(o, "digest", json_object_new_string(r->digest.text));
    if (path)
        json_object_object_add(o, "path", json_object_new_string(path));
    json_object_object_add(o, "compression", json_object_new_string(layer_compression_name(r->compression)));
    json_object_object_add(o, "entries", json_object_new_int64((int64_t)r->entries));
    json_object_object_add(o, "bytes", json_object_new_int64((int64_t)r->tar_bytes));
    json_object_object_add(o, "compressed_bytes", json_object_new_int64((int64_t)r->compressed_bytes));
    json_object_object_add(o, "windows", json_object_new_boolean(r->windows));
    if (path)
        json_object_object_add(o, "existed", json_object_new_boolean(r->existed));
    return json_hand_out(out_json, o);
}

int berth_layer_apply_opts(char **out_json, const char *layer_path, const char *dir, const berth_layer_options *opts)
{
    berth_error_clear();
    if (!out_json || !layer_path || !dir)
        return berth_fail(BERTH_EINVAL, "berth_layer_apply: out_json, layer_path and dir are required");
    *out_json = NULL;
    if (opts && (opts->version < 1 || opts->version > BERTH_LAYER_OPTIONS_VERSION))
        return berth_fail(BERTH_EINVAL, "berth_layer_options: version %u is not known (use BERTH_LAYER_OPTIONS_INIT)",
                          opts->version);
    layer_options o;
    options_from_public(&o, opts);
    layer_result r;
    int rc = layer_apply_file(&r, layer_path, opts ? opts->media_type : NULL, dir, &o);
    if (rc != 0)
        return berth_wrap(rc, "apply layer %s onto %s", layer_path, dir);
    return result_json(out_json, &r, NULL);
}

int berth_layer_apply(char **out_json, const char *layer_path, const char *media_type, const char *dir)
{
    berth_layer_options o = BERTH_LAYER_OPTIONS_INIT;
    o.media_type = media_type;
    return berth_layer_apply_opts(out_json, layer_path, dir, &o);
}

int berth_layer_unpack(char **out_json, berth_t *b, const char *layer_path, const char *diff_id,
                       const char *parent_chain, const berth_layer_options *opts)
{
    berth_error_clear();
    if (!out_json || !b || !layer_path)
        return berth_fail(BERTH_EINVAL, "berth_layer_unpack: out_json, the store and layer_path are required");
    *out_json = NULL;
    if (opts && (opts->version < 1 || opts->version > BERTH_LAYER_OPTIONS_VERSION))
        return berth_fail(BERTH_EINVAL, "berth_layer_options: version %u is not known (use BERTH_LAYER_OPTIONS_INIT)",
                          opts->version);
    berth_digest want, parent;
    int rc;
    if (diff_id && (rc = digest_parse(&want, diff_id)) != 0)
        return berth_wrap(rc, "diff_id");
    if (parent_chain && (rc = digest_parse(&parent, parent_chain)) != 0)
        return berth_wrap(rc, "parent chain id");
    layer_options o;
    options_from_public(&o, opts);
    o.id = layer_path;
    layer_result r;
    rc = layer_unpack_file_to_store(&r, b, layer_path, opts ? opts->media_type : NULL, diff_id ? &want : NULL,
                                    parent_chain ? &parent : NULL, &o);
    if (rc != 0)
        return rc;
    char *path = layer_dir(b, &r.chain_id);
    if (!path)
        return BERTH_ENOMEM;
    rc = result_json(out_json, &r, path);
    free(path);
    return rc;
}

int berth_layer_chain_id(char **out, const char *parent_chain, const char *diff_id)
{
    berth_error_clear();
    if (!out || !diff_id)
        return berth_fail(BERTH_EINVAL, "berth_layer_chain_id: out and diff_id are required");
    *out = NULL;
    berth_digest parent, diff, chain;
    int rc;
    if (parent_chain && (rc = digest_parse(&parent, parent_chain)) != 0)
        return berth_wrap(rc, "parent chain id");
    if ((rc = digest_parse(&diff, diff_id)) != 0)
        return berth_wrap(rc, "diff_id");
    if ((rc = layer_chain_id(&chain, parent_chain ? &parent : NULL, &diff)) != 0)
        return rc;
    if (!(*out = strdup(chain.text)))
        return berth_fail_oom();
    return 0;
}
