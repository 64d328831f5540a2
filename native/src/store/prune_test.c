/* berth_prune: unreferenced blobs go, referenced and leased ones stay, "all" drops untagged
 * images no container uses. */
#include "check.h"
#include "core/digest.h"
#include "core/fs.h"
#include "store/store.h"
#include <json-c/json.h>
#include <stdlib.h>

static int64_t num(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : -1;
}

static json_object *prune(berth_t *b, const char *opts)
{
    char *out = NULL;
    if (berth_prune(&out, b, opts) != 0)
        printf("#   prune: %s\n", berth_errmsg());
    json_object *o = out ? json_tokener_parse(out) : NULL;
    berth_free(out);
    return o;
}

static void put(berth_t *b, const char *s, berth_digest *d)
{
    digest_of_buffer(d, s, strlen(s));
    CHECK_OK(store_blob_put(b, d, s, strlen(s)));
}

static void image(berth_t *b, const char *seed, const char *tag, berth_digest *layer_out)
{
    char config[128], manifest[200];
    berth_digest c, m;
    snprintf(config, sizeof config, "{\"os\":\"linux\",\"seed\":\"%s\"}", seed);
    put(b, config, &c);
    snprintf(manifest, sizeof manifest, "{\"config\":\"%s\"}", c.text);
    put(b, manifest, &m);
    char layer[64];
    snprintf(layer, sizeof layer, "layer of %s", seed);
    put(b, layer, layer_out);
    store_layer l = { *layer_out, (int64_t)strlen(layer), "application/vnd.oci.image.layer.v1.tar", *layer_out };
    store_image img = { "docker.io/library/app", tag, m, "application/vnd.oci.image.manifest.v1+json", c,
                        "linux", "amd64", NULL, NULL, 10, &l, 1, NULL };
    CHECK_OK(store_image_commit(b, &img));
}

static void collects_garbage(void)
{
    char dir[] = "/tmp/berth-prune-test-XXXXXX";
    berth_t *b = NULL;
    CHECK(mkdtemp(dir) != NULL);
    CHECK_OK(berth_open(&b, dir));
    berth_digest keep, old, orphan, leased;
    image(b, "one", "latest", &old);
    image(b, "two", "latest", &keep);      /* moves the tag: image one is now untagged */
    put(b, "nobody references me", &orphan);
    put(b, "a pull is using me", &leased);
    int64_t lease = 0;
    CHECK_OK(store_lease_begin(&lease, b, "pull"));
    CHECK_OK(store_lease_add(b, lease, &leased));

    json_object *o = prune(b, NULL);
    CHECK(num(o, "blobs_removed") == 1);   /* only the orphan */
    CHECK(num(o, "bytes_freed") == (int64_t)strlen("nobody references me"));
    json_object_put(o);
    CHECK(!store_blob_exists(b, &orphan, NULL));
    CHECK(store_blob_exists(b, &leased, NULL) && store_blob_exists(b, &old, NULL) && store_blob_exists(b, &keep, NULL));

    o = prune(b, "{\"all\": true}");
    json_object *imgs;
    CHECK(json_object_object_get_ex(o, "images_removed", &imgs) && json_object_array_length(imgs) == 1);
    CHECK(num(o, "blobs_removed") == 3);   /* image one's config, manifest and layer */
    json_object_put(o);
    CHECK(!store_blob_exists(b, &old, NULL));
    CHECK(store_blob_exists(b, &keep, NULL) && store_blob_exists(b, &leased, NULL));

    CHECK_OK(store_lease_end(b, lease));
    o = prune(b, "{}");
    CHECK(num(o, "blobs_removed") == 1);   /* the lease ended */
    json_object_put(o);
    char *out = NULL;
    CHECK_RC(BERTH_EINVAL, berth_prune(&out, b, "{\"everything\": 1}"));
    CHECK_OK(berth_image_inspect(&out, b, "app"));   /* the tagged image is whole */
    berth_free(out);
    berth_close(b);
    fs_remove_tree(dir);
}

int main(void)
{
    RUN(collects_garbage);
    return check_done();
}
