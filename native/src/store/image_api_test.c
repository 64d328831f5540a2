/* Unit tests of the public image calls over the metadata: list (+ filters), inspect by
 * reference / id / prefix (ambiguous prefixes), tag, and remove with docker rmi semantics. */
#include "check.h"
#include "core/digest.h"
#include "core/fs.h"
#include "store/store.h"
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdlib.h>

static char dir[64];

static berth_t *open_store(void)
{
    berth_t *b = NULL;
    strcpy(dir, "/tmp/berth-image-test-XXXXXX");
    if (!mkdtemp(dir) || berth_open(&b, dir) != 0)
        printf("# open: %s\n", berth_errmsg());
    return b;
}

static void close_store(berth_t *b)
{
    berth_close(b);
    fs_remove_tree(dir);
}

/* Commits a one-layer image whose config differs by `seed`; its id goes to id_out. */
static void add_image(berth_t *b, const char *seed, const char *repo, const char *tag, char *id_out)
{
    char config[256], manifest[256];
    berth_digest c, m;
    store_layer layer;
    snprintf(config, sizeof config, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\","
             "\"config\":{\"Cmd\":[\"%s\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}", seed);
    digest_of_buffer(&c, config, strlen(config));
    snprintf(manifest, sizeof manifest, "{\"schemaVersion\":2,\"config\":{\"digest\":\"%s\"}}", c.text);
    digest_of_buffer(&m, manifest, strlen(manifest));
    CHECK_OK(store_blob_put(b, &c, config, strlen(config)));
    CHECK_OK(store_blob_put(b, &m, manifest, strlen(manifest)));
    memset(&layer, 0, sizeof layer);
    digest_of_buffer(&layer.digest, seed, strlen(seed));
    digest_of_buffer(&layer.diff_id, "diff", 4);
    layer.size = 100;
    layer.media_type = "application/vnd.oci.image.layer.v1.tar+gzip";
    store_image img = { 0 };
    img.repository = repo;
    img.tag = tag;
    img.manifest_digest = m;
    img.manifest_media_type = "application/vnd.oci.image.manifest.v1+json";
    img.config_digest = c;
    img.os = "linux";
    img.arch = "amd64";
    img.size = 100 + (int64_t)strlen(config);
    img.layers = &layer;
    img.n_layers = 1;
    CHECK_OK(store_image_commit(b, &img));
    if (id_out)
        strcpy(id_out, c.text);
}

static json_object *parse(char *s)
{
    json_object *o = s ? json_tokener_parse(s) : NULL;
    berth_free(s);
    return o;
}

static const char *field(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

static size_t len_of(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_array)
               ? json_object_array_length(v) : (size_t)-1;
}

static size_t list_count(berth_t *b, const char *filter)
{
    char *out = NULL;
    int rc = berth_image_list(&out, b, filter);
    if (rc) {
        printf("#   list %s: %s\n", filter ? filter : "", berth_errmsg());
        return (size_t)-1;
    }
    json_object *a = parse(out);
    size_t n = json_object_array_length(a);
    json_object_put(a);
    return n;
}

static void list_and_filter(void)
{
    berth_t *b = open_store();
    add_image(b, "a", "docker.io/library/busybox", "latest", NULL);
    add_image(b, "b", "127.0.0.1:5000/team/app", "1.0", NULL);
    add_image(b, "c", "docker.io/library/alpine", "3.19", NULL);
    CHECK(list_count(b, NULL) == 3);
    CHECK(list_count(b, "{}") == 3);
    CHECK(list_count(b, "{\"reference\": \"busybox\"}") == 1);
    CHECK(list_count(b, "{\"reference\": \"busy*\"}") == 1);
    CHECK(list_count(b, "{\"reference\": \"busybox:latest\"}") == 1);
    CHECK(list_count(b, "{\"reference\": \"docker.io/library/*\"}") == 2);
    CHECK(list_count(b, "{\"reference\": \"*\"}") == 2);          /* '*' does not cross '/' */
    CHECK(list_count(b, "{\"reference\": \"127.0.0.1:5000/*/*\"}") == 1);
    CHECK(list_count(b, "{\"reference\": \"*:1.?\"}") == 0);
    CHECK(list_count(b, "{\"reference\": \"127.0.0.1:5000/team/app:1.?\"}") == 1);
    CHECK(list_count(b, "{\"reference\": \"nothing\"}") == 0);
    CHECK(list_count(b, "{\"dangling\": true}") == 0);
    char *out = NULL;
    CHECK_RC(BERTH_EINVAL, berth_image_list(&out, b, "{\"colour\": \"blue\"}"));
    CHECK_MSG("unknown key \"colour\"");
    CHECK_RC(BERTH_EINVAL, berth_image_list(&out, b, "[1,2"));
    CHECK_RC(BERTH_EINVAL, berth_image_list(&out, b, "[]"));
    /* the shape */
    CHECK_OK(berth_image_list(&out, b, "{\"reference\": \"alpine\"}"));
    json_object *a = parse(out), *img = json_object_array_get_idx(a, 0);
    CHECK(img != NULL);
    CHECK_STREQ(field(img, "os"), "linux");
    CHECK_STREQ(field(img, "architecture"), "amd64");
    CHECK_STREQ(field(img, "created"), "2024-01-01T00:00:00Z");
    CHECK(len_of(img, "repo_tags") == 1 && len_of(img, "repo_digests") == 1 && len_of(img, "layers") == 1);
    CHECK(strncmp(field(img, "id"), "sha256:", 7) == 0);
    json_object *tags;
    CHECK(json_object_object_get_ex(img, "repo_tags", &tags) &&
          strcmp(json_object_get_string(json_object_array_get_idx(tags, 0)), "docker.io/library/alpine:3.19") == 0);
    json_object_put(a);
    close_store(b);
}

/* Found reading the filter code for the fuzzing work: the old backtracking glob took
 * exponential time; a 25-character pattern over a long name never returned. Also the
 * patterns docker's path.Match agrees on. */
static void filter_glob_is_linear(void)
{
    berth_t *b = open_store();
    char repo[300] = "docker.io/library/";
    memset(repo + strlen(repo), 'a', 230);
    add_image(b, "a", repo, "latest", NULL);
    add_image(b, "b", "example.com/x/y", "v1.2", NULL);
    char filter[400] = "{\"reference\": \"";
    for (int i = 0; i < 30; i++)
        strcat(filter, "*a");
    strcat(filter, "*b\"}");
    CHECK(list_count(b, filter) == 0);    /* returns at all: the test would hang before */
    strcpy(filter, "{\"reference\": \"");
    for (int i = 0; i < 30; i++)
        strcat(filter, "*a");
    strcat(filter, "\"}");
    CHECK(list_count(b, filter) == 1);    /* the familiar name aaaa… */
    CHECK(list_count(b, "{\"reference\": \"example.com/*/y:v1.?\"}") == 1);
    CHECK(list_count(b, "{\"reference\": \"example.com/*\"}") == 0);   /* '*' stops at '/' */
    CHECK(list_count(b, "{\"reference\": \"example.com/x*y\"}") == 0);
    CHECK(list_count(b, "{\"reference\": \"*.com/x/*\"}") == 1);
    CHECK(list_count(b, "{\"reference\": \"example.com/x/y:v1\\\\.2\"}") == 1);  /* \\. is a literal dot */
    CHECK(list_count(b, "{\"reference\": \"example.com/x/y:v1\\\\?2\"}") == 0);  /* \\? is a literal ? */
    CHECK(list_count(b, "{\"reference\": \"**/x/**\"}") == 1);
    CHECK(list_count(b, "{\"reference\": \"*a*a\"}") == 1);
    close_store(b);
}

static void inspect_by_every_name(void)
{
    berth_t *b = open_store();
    char id[80], other[80];
    add_image(b, "x", "docker.io/library/busybox", "latest", id);
    add_image(b, "y", "127.0.0.1:5000/app", "v1", other);
    const char *names[] = { "busybox", "busybox:latest", "docker.io/library/busybox", "index.docker.io/busybox:latest",
                            id, id + 7, NULL };
    for (int i = 0; names[i]; i++) {
        char *out = NULL;
        int rc = berth_image_inspect(&out, b, names[i]);
        if (rc)
            printf("#   inspect %s: %s\n", names[i], berth_errmsg());
        CHECK(rc == 0);
        json_object *o = parse(out);
        CHECK_STREQ(field(o, "id"), id);
        json_object *cfg, *man;
        CHECK(json_object_object_get_ex(o, "config", &cfg) && json_object_is_type(cfg, json_type_object));
        CHECK(json_object_object_get_ex(o, "manifest", &man) && json_object_is_type(man, json_type_object));
        json_object_put(o);
    }
    /* by repository digest */
    char *out = NULL;
    CHECK_OK(berth_image_inspect(&out, b, "127.0.0.1:5000/app:v1"));
    json_object *o = parse(out), *digests;
    CHECK(json_object_object_get_ex(o, "repo_digests", &digests));
    char ref[300];
    snprintf(ref, sizeof ref, "%s", json_object_get_string(json_object_array_get_idx(digests, 0)));
    json_object_put(o);
    CHECK_OK(berth_image_inspect(&out, b, ref));
    o = parse(out);
    CHECK_STREQ(field(o, "id"), other);
    json_object_put(o);
    /* a prefix: unique when long enough; ambiguity is detected when two ids share it */
    char prefix[16];
    snprintf(prefix, sizeof prefix, "%.10s", id + 7);
    CHECK_OK(berth_image_inspect(&out, b, prefix));
    berth_free(out);
    snprintf(prefix, sizeof prefix, "sha256:%.6s", id + 7);
    CHECK_OK(berth_image_inspect(&out, b, prefix));
    berth_free(out);
    CHECK_RC(BERTH_ENOTFOUND, berth_image_inspect(&out, b, "nothere"));
    CHECK_MSG("berth pull nothere");
    CHECK_RC(BERTH_ENOTFOUND, berth_image_inspect(&out, b, "sha256:0000000000000000000000000000000000000000000000000000000000000000"));
    CHECK_RC(BERTH_EINVAL, berth_image_inspect(&out, b, "Bad Name"));
    CHECK_RC(BERTH_EINVAL, berth_image_inspect(&out, b, "sha256:12"));
    CHECK_RC(BERTH_EINVAL, berth_image_inspect(&out, b, ""));
    close_store(b);
}

/* Two ids sharing their first hex digits, written straight into the metadata (no blobs are
 * needed to resolve a name): a shared prefix is ambiguous, a longer one is not. */
static void ambiguous_prefix(void)
{
    berth_t *b = open_store();
    const char *ins = "INSERT INTO images (id, manifest_digest, media_type, size, added) VALUES "
        "('sha256:abcd1111111111111111111111111111111111111111111111111111111111aa', 'sha256:00', 'm', 1, 1),"
        "('sha256:abcd2222222222222222222222222222222222222222222222222222222222bb', 'sha256:01', 'm', 1, 2);"
        "INSERT INTO tags VALUES ('docker.io/library/one', 'latest', "
        "'sha256:abcd1111111111111111111111111111111111111111111111111111111111aa');";
    CHECK(sqlite3_exec(store_meta_db(b), ins, NULL, NULL, NULL) == SQLITE_OK);
    CHECK_RC(BERTH_EINVAL, berth_image_tag(b, "abcd", "x:y"));
    CHECK_MSG("ambiguous");
    CHECK_MSG("sha256:abcd1111");
    CHECK_MSG("sha256:abcd2222");
    CHECK_MSG("docker.io/library/one:latest");
    CHECK_RC(BERTH_EINVAL, berth_image_tag(b, "sha256:abcd", "x:y"));
    CHECK_OK(berth_image_tag(b, "abcd2", "x:y"));
    CHECK_STREQ(berth_errmsg(), "");
    CHECK_OK(berth_image_tag(b, "sha256:abcd1", "x:z"));
    CHECK_RC(BERTH_ENOTFOUND, berth_image_tag(b, "abce", "x:y"));
    CHECK_RC(BERTH_ENOTFOUND, berth_image_tag(b, "abc", "x:y"));  /* 3 digits: only a name */
    char *out = NULL;
    CHECK_OK(berth_image_list(&out, b, "{\"reference\": \"x:y\"}"));
    json_object *a = parse(out);
    CHECK(json_object_array_length(a) == 1);
    CHECK_STREQ(field(json_object_array_get_idx(a, 0), "id"),
                "sha256:abcd2222222222222222222222222222222222222222222222222222222222bb");
    json_object_put(a);
    CHECK(list_count(b, "{\"reference\": \"x\"}") == 2);
    close_store(b);
}

static void tag_and_retag(void)
{
    berth_t *b = open_store();
    char one[80], two[80];
    add_image(b, "1", "docker.io/library/app", "1", one);
    add_image(b, "2", "docker.io/library/app", "2", two);
    CHECK_OK(berth_image_tag(b, "app:1", "myrepo.example.com/app:prod"));
    char *out = NULL;
    CHECK_OK(berth_image_inspect(&out, b, "myrepo.example.com/app:prod"));
    json_object *o = parse(out);
    CHECK_STREQ(field(o, "id"), one);
    json_object_put(o);
    /* moving the tag to the other image */
    CHECK_OK(berth_image_tag(b, two, "myrepo.example.com/app:prod"));
    CHECK_OK(berth_image_inspect(&out, b, "myrepo.example.com/app:prod"));
    o = parse(out);
    CHECK_STREQ(field(o, "id"), two);
    json_object_put(o);
    CHECK_OK(berth_image_tag(b, "app:1", "app"));  /* :latest */
    CHECK_OK(berth_image_inspect(&out, b, "docker.io/library/app:latest"));
    berth_free(out);
    CHECK_RC(BERTH_ENOTFOUND, berth_image_tag(b, "nothere", "x"));
    CHECK_RC(BERTH_EINVAL, berth_image_tag(b, "app:1", "Bad"));
    CHECK_RC(BERTH_EINVAL, berth_image_tag(b, "app:1", "x@sha256:0000000000000000000000000000000000000000000000000000000000000000"));
    CHECK_MSG("cannot carry a digest");
    close_store(b);
}

static void remove_like_rmi(void)
{
    berth_t *b = open_store();
    char id[80];
    add_image(b, "r", "docker.io/library/app", "1", id);
    CHECK_OK(berth_image_tag(b, "app:1", "app:2"));
    char *out = NULL;
    /* untag one: the image stays */
    CHECK_OK(berth_image_remove(&out, b, "app:1", 0));
    json_object *o = parse(out);
    CHECK(len_of(o, "untagged") == 1 && len_of(o, "deleted") == 0);
    json_object_put(o);
    CHECK(list_count(b, NULL) == 1);
    /* the last tag: the image and its repository digest go */
    CHECK_OK(berth_image_remove(&out, b, "app:2", 0));
    o = parse(out);
    CHECK(len_of(o, "untagged") == 2 && len_of(o, "deleted") == 1);
    json_object *d;
    CHECK(json_object_object_get_ex(o, "deleted", &d) &&
          strcmp(json_object_get_string(json_object_array_get_idx(d, 0)), id) == 0);
    json_object_put(o);
    CHECK(list_count(b, NULL) == 0);
    CHECK_RC(BERTH_ENOTFOUND, berth_image_remove(&out, b, "app:2", 0));
    /* by id, with tags in two repositories: needs force */
    add_image(b, "r", "docker.io/library/app", "1", id);
    CHECK_OK(berth_image_tag(b, id, "other.example.com/app:1"));
    CHECK_RC(BERTH_EBUSY, berth_image_remove(&out, b, id, 0));
    CHECK_MSG("2 repositories");
    CHECK(list_count(b, NULL) == 1);
    CHECK_OK(berth_image_remove(&out, b, id + 7, 1));
    o = parse(out);
    CHECK(len_of(o, "untagged") == 3 && len_of(o, "deleted") == 1);
    json_object_put(o);
    CHECK(list_count(b, NULL) == 0);
    /* by repository digest */
    add_image(b, "r", "docker.io/library/app", "1", id);
    CHECK_OK(berth_image_inspect(&out, b, id));
    o = parse(out);
    json_object *digests;
    char ref[300] = "";
    if (json_object_object_get_ex(o, "repo_digests", &digests))
        snprintf(ref, sizeof ref, "%s", json_object_get_string(json_object_array_get_idx(digests, 0)));
    json_object_put(o);
    CHECK_OK(berth_image_remove(&out, b, ref, 0));
    o = parse(out);
    CHECK(len_of(o, "untagged") == 1 && len_of(o, "deleted") == 0); /* the tag app:1 still names it */
    json_object_put(o);
    CHECK_OK(berth_image_remove(NULL, b, "app:1", 0));
    CHECK(list_count(b, NULL) == 0);
    /* the blobs stay for berth_prune */
    berth_digest cd;
    digest_parse(&cd, id);
    CHECK(store_blob_exists(b, &cd, NULL));
    close_store(b);
}

static void dangling_images_listed(void)
{
    berth_t *b = open_store();
    char one[80];
    add_image(b, "old", "docker.io/library/app", "latest", one);
    add_image(b, "new", "docker.io/library/app", "latest", NULL);
    CHECK(list_count(b, NULL) == 2);
    CHECK(list_count(b, "{\"dangling\": true}") == 1);
    CHECK(list_count(b, "{\"dangling\": false}") == 1);
    char *out = NULL;
    CHECK_OK(berth_image_remove(&out, b, one, 0));
    json_object *o = parse(out);
    CHECK(len_of(o, "untagged") == 1 && len_of(o, "deleted") == 1); /* its repo digest, then the image */
    json_object_put(o);
    close_store(b);
}

/* An image chosen from an index is also named by repo@<index digest>, as docker shows it. */
static void index_digest_names_the_image(void)
{
    berth_t *b = open_store();
    const char *config = "{\"os\":\"linux\"}", *manifest = "{\"m\":1}", *index = "{\"manifests\":[]}";
    berth_digest c, m, ix;
    digest_of_buffer(&c, config, strlen(config));
    digest_of_buffer(&m, manifest, strlen(manifest));
    digest_of_buffer(&ix, index, strlen(index));
    CHECK_OK(store_blob_put(b, &c, config, strlen(config)));
    CHECK_OK(store_blob_put(b, &m, manifest, strlen(manifest)));
    CHECK_OK(store_blob_put(b, &ix, index, strlen(index)));
    store_image img = { "docker.io/library/multi", "latest", m, "application/vnd.oci.image.manifest.v1+json", c,
                        "linux", "amd64", NULL, NULL, 10, NULL, 0, ix.text };
    CHECK_OK(store_image_commit(b, &img));
    char ref[200], *out = NULL;
    snprintf(ref, sizeof ref, "multi@%s", ix.text);
    CHECK_OK(berth_image_inspect(&out, b, ref));
    json_object *o = parse(out);
    CHECK_STREQ(field(o, "id"), c.text);
    CHECK_STREQ(field(o, "index_digest"), ix.text);
    CHECK(len_of(o, "repo_digests") == 2);
    json_object_put(o);
    snprintf(ref, sizeof ref, "multi@%s", m.text);
    CHECK_OK(berth_image_inspect(&out, b, ref));
    berth_free(out);
    img.index_digest = "sha256:nothex";
    CHECK_RC(BERTH_EINVAL, store_image_commit(b, &img));
    /* removing the last tag removes both digests and the image */
    CHECK_OK(berth_image_remove(&out, b, "multi", 0));
    o = parse(out);
    CHECK(len_of(o, "untagged") == 3 && len_of(o, "deleted") == 1);
    json_object_put(o);
    close_store(b);
}

int main(void)
{
    RUN(list_and_filter);
    RUN(filter_glob_is_linear);
    RUN(inspect_by_every_name);
    RUN(ambiguous_prefix);
    RUN(tag_and_retag);
    RUN(remove_like_rmi);
    RUN(dangling_images_listed);
    RUN(index_digest_names_the_image);
    return check_done();
}
