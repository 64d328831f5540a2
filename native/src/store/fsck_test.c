/* berth_fsck: finds corrupt, stray and missing blobs, reports partials, repairs on request. */
#include "check.h"
#include "core/digest.h"
#include "core/fs.h"
#include "store/store.h"
#include <json-c/json.h>
#include <stdlib.h>

static size_t count(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 999;
}

static int flag(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

static json_object *fsck(berth_t *b, int repair)
{
    char *out = NULL;
    int rc = berth_fsck(&out, b, repair);
    if (rc)
        printf("#   fsck: %s\n", berth_errmsg());
    json_object *o = out ? json_tokener_parse(out) : NULL;
    berth_free(out);
    return o;
}

static void finds_and_repairs(void)
{
    char dir[] = "/tmp/berth-fsck-test-XXXXXX";
    berth_t *b = NULL;
    CHECK(mkdtemp(dir) != NULL);
    CHECK_OK(berth_open(&b, dir));
    /* an image with one layer */
    const char *config = "{\"os\":\"linux\",\"architecture\":\"amd64\"}", *layer = "layer bytes";
    berth_digest c, m, l;
    char manifest[200];
    digest_of_buffer(&c, config, strlen(config));
    snprintf(manifest, sizeof manifest, "{\"config\":\"%s\"}", c.text);
    digest_of_buffer(&m, manifest, strlen(manifest));
    digest_of_buffer(&l, layer, strlen(layer));
    CHECK_OK(store_blob_put(b, &c, config, strlen(config)));
    CHECK_OK(store_blob_put(b, &m, manifest, strlen(manifest)));
    CHECK_OK(store_blob_put(b, &l, layer, strlen(layer)));
    store_layer sl = { l, (int64_t)strlen(layer), "application/vnd.oci.image.layer.v1.tar", l };
    store_image img = { "docker.io/library/app", "latest", m, "application/vnd.oci.image.manifest.v1+json", c,
                        "linux", "amd64", NULL, NULL, 100, &sl, 1, NULL };
    CHECK_OK(store_image_commit(b, &img));

    json_object *o = fsck(b, 0);
    CHECK(flag(o, "ok"));
    CHECK(count(o, "corrupt") == 0 && count(o, "missing") == 0 && count(o, "stray") == 0);
    json_object *v;
    CHECK(json_object_object_get_ex(o, "blobs_checked", &v) && json_object_get_int64(v) == 3);
    CHECK(count(o, "database") == 0);
    json_object_put(o);

    /* rot the layer, drop a stray file, leave a partial download */
    char *lp = store_blob_path(b, &l);
    CHECK_OK(fs_write_atomic(lp, "layer bytez", 11, 0644));
    char *stray = fs_join(dir, "blobs/sha256/not-a-digest");
    CHECK_OK(fs_write_atomic(stray, "x", 1, 0644));
    store_ingest *w = NULL;
    berth_digest p;
    digest_of_buffer(&p, "partial", 7);
    CHECK_OK(store_ingest_open(&w, b, &p, 7));
    CHECK_OK(store_ingest_write(w, "par", 3));
    store_ingest_abort(w);

    o = fsck(b, 0);
    CHECK(!flag(o, "ok"));
    CHECK(count(o, "corrupt") == 1 && count(o, "stray") == 1 && count(o, "missing") == 0);
    CHECK(count(o, "partials") == 1 && count(o, "removed") == 0);
    json_object *bad = NULL, *imgs;
    json_object_object_get_ex(o, "corrupt", &bad);
    bad = json_object_array_get_idx(bad, 0);
    CHECK(json_object_object_get_ex(bad, "images", &imgs) &&
          strcmp(json_object_get_string(json_object_array_get_idx(imgs, 0)), "docker.io/library/app:latest") == 0);
    CHECK(fs_exists(lp));            /* without repair nothing is touched */
    json_object_put(o);

    o = fsck(b, 1);
    CHECK(count(o, "removed") == 2);
    CHECK(count(o, "missing") == 1);  /* the removed layer: pull the image again */
    json_object_put(o);
    CHECK(!fs_exists(lp) && !fs_exists(stray));
    CHECK(store_blob_exists(b, &c, NULL) && store_blob_exists(b, &m, NULL));   /* sound blobs stay */

    o = fsck(b, 0);
    CHECK(count(o, "corrupt") == 0 && count(o, "stray") == 0 && count(o, "missing") == 1 && count(o, "partials") == 1);
    json_object_put(o);
    free(lp);
    free(stray);
    berth_close(b);
    fs_remove_tree(dir);
}

int main(void)
{
    RUN(finds_and_repairs);
    return check_done();
}
