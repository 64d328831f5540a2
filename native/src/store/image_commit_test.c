/* Unit tests for store_image_commit and leases: one transaction, tags that move, blobs that
 * must be present, leases that die with their process. */
#include "check.h"
#include "core/digest.h"
#include "core/fs.h"
#include "store/store.h"
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static berth_t *open_store(char *dir)
{
    berth_t *b = NULL;
    strcpy(dir, "/tmp/berth-meta-test-XXXXXX");
    if (!mkdtemp(dir) || berth_open(&b, dir) != 0)
        printf("# open: %s\n", berth_errmsg());
    return b;
}

static void close_store(berth_t *b, const char *dir)
{
    berth_close(b);
    fs_remove_tree(dir);
}

static int64_t count(berth_t *b, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(store_meta_db(b), sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void text(berth_t *b, const char *sql, char *out, size_t len)
{
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(store_meta_db(b), sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* Puts a config and a manifest for a one-layer image into the content store. */
typedef struct {
    berth_digest config, manifest;
    store_layer layer;
    store_image img;
} fixture;

static void make_image(berth_t *b, fixture *f, const char *created, const char *repo, const char *tag)
{
    char config[256], manifest[256];
    snprintf(config, sizeof config, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"%s\","
             "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}", created);
    digest_of_buffer(&f->config, config, strlen(config));
    snprintf(manifest, sizeof manifest, "{\"schemaVersion\":2,\"config\":{\"digest\":\"%s\"}}", f->config.text);
    digest_of_buffer(&f->manifest, manifest, strlen(manifest));
    store_blob_put(b, &f->config, config, strlen(config));
    store_blob_put(b, &f->manifest, manifest, strlen(manifest));
    memset(&f->layer, 0, sizeof f->layer);
    digest_of_buffer(&f->layer.digest, created, strlen(created));
    digest_of_buffer(&f->layer.diff_id, repo, strlen(repo));
    f->layer.size = 1234;
    f->layer.media_type = "application/vnd.oci.image.layer.v1.tar+gzip";
    memset(&f->img, 0, sizeof f->img);
    f->img.repository = repo;
    f->img.tag = tag;
    f->img.manifest_digest = f->manifest;
    f->img.manifest_media_type = "application/vnd.oci.image.manifest.v1+json";
    f->img.config_digest = f->config;
    f->img.os = "linux";
    f->img.arch = "amd64";
    f->img.size = 1234 + (int64_t)strlen(config);
    f->img.layers = &f->layer;
    f->img.n_layers = 1;
}

static void commit_writes_everything(void)
{
    char dir[64], got[256];
    berth_t *b = open_store(dir);
    fixture f;
    make_image(b, &f, "2024-01-02T03:04:05Z", "127.0.0.1:5000/app", "1.0");
    CHECK_OK(store_image_commit(b, &f.img));
    CHECK(count(b, "SELECT COUNT(*) FROM images") == 1);
    CHECK(count(b, "SELECT COUNT(*) FROM image_layers") == 1);
    CHECK(count(b, "SELECT COUNT(*) FROM tags WHERE repository = '127.0.0.1:5000/app' AND tag = '1.0'") == 1);
    CHECK(count(b, "SELECT COUNT(*) FROM repo_digests") == 1);
    text(b, "SELECT created FROM images", got, sizeof got);
    CHECK_STREQ(got, "2024-01-02T03:04:05Z");
    text(b, "SELECT id FROM images", got, sizeof got);
    CHECK_STREQ(got, f.config.text);
    /* committing again is idempotent */
    CHECK_OK(store_image_commit(b, &f.img));
    CHECK(count(b, "SELECT COUNT(*) FROM images") == 1);
    CHECK(count(b, "SELECT COUNT(*) FROM image_layers") == 1);
    close_store(b, dir);
}

static void tag_moves_atomically(void)
{
    char dir[64], got[256];
    berth_t *b = open_store(dir);
    fixture one, two;
    make_image(b, &one, "2024-01-01T00:00:00Z", "docker.io/library/app", "latest");
    make_image(b, &two, "2024-02-01T00:00:00Z", "docker.io/library/app", "latest");
    CHECK_OK(store_image_commit(b, &one.img));
    CHECK_OK(store_image_commit(b, &two.img));
    CHECK(count(b, "SELECT COUNT(*) FROM tags") == 1);
    text(b, "SELECT image_id FROM tags", got, sizeof got);
    CHECK_STREQ(got, two.config.text);
    CHECK(count(b, "SELECT COUNT(*) FROM images") == 2);  /* the old one stays, untagged */
    CHECK(count(b, "SELECT COUNT(*) FROM repo_digests") == 2);
    close_store(b, dir);
}

static void commit_needs_blobs(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    fixture f;
    make_image(b, &f, "2024-01-01T00:00:00Z", "docker.io/library/app", "latest");
    char *p = store_blob_path(b, &f.config);
    unlink(p);
    free(p);
    CHECK_RC(BERTH_ENOTFOUND, store_image_commit(b, &f.img));
    CHECK_MSG("config blob");
    CHECK(count(b, "SELECT COUNT(*) FROM images") == 0);
    make_image(b, &f, "2024-01-01T00:00:00Z", "docker.io/library/app", "latest");
    p = store_blob_path(b, &f.manifest);
    unlink(p);
    free(p);
    CHECK_RC(BERTH_ENOTFOUND, store_image_commit(b, &f.img));
    CHECK_MSG("manifest blob");
    f.img.repository = NULL; /* a tag without a repository */
    CHECK_RC(BERTH_EINVAL, store_image_commit(b, &f.img));
    CHECK(count(b, "SELECT COUNT(*) FROM tags") == 0);
    close_store(b, dir);
}

/* A failure half-way leaves nothing: a layer row that violates NOT NULL rolls back the image. */
static void failure_rolls_back(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    fixture f;
    make_image(b, &f, "2024-01-01T00:00:00Z", "docker.io/library/app", "latest");
    CHECK(sqlite3_exec(store_meta_db(b), "CREATE TRIGGER no_tags BEFORE INSERT ON tags BEGIN "
                       "SELECT RAISE(ABORT, 'injected failure'); END;", NULL, NULL, NULL) == SQLITE_OK);
    CHECK_RC(BERTH_ERROR, store_image_commit(b, &f.img));
    CHECK_MSG("injected failure");
    CHECK(count(b, "SELECT COUNT(*) FROM images") == 0);
    CHECK(count(b, "SELECT COUNT(*) FROM image_layers") == 0);
    CHECK(count(b, "SELECT COUNT(*) FROM repo_digests") == 0);
    close_store(b, dir);
}

static void second_process_sees_all_or_nothing(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    fixture f;
    make_image(b, &f, "2024-01-01T00:00:00Z", "docker.io/library/app", "latest");
    pid_t pid = fork();
    if (pid == 0) {
        berth_t *cb = NULL;
        int ok = berth_open(&cb, dir) == 0 && store_image_commit(cb, &f.img) == 0;
        berth_close(cb);
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(count(b, "SELECT COUNT(*) FROM tags") == 1);
    CHECK(count(b, "SELECT COUNT(*) FROM image_layers") == 1);
    close_store(b, dir);
}

static void leases_live_and_die(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d, other;
    digest_of_buffer(&d, "leased", 6);
    digest_of_buffer(&other, "free", 4);
    int64_t lease = 0, swept = -1;
    CHECK_OK(store_lease_begin(&lease, b, "pull app"));
    CHECK(lease > 0);
    CHECK_OK(store_lease_add(b, lease, &d));
    CHECK_OK(store_lease_add(b, lease, &d)); /* twice is fine */
    CHECK(store_lease_held(b, &d));
    CHECK(!store_lease_held(b, &other));
    CHECK_OK(store_lease_sweep(b, &swept));
    CHECK(swept == 0);              /* our own lease: we are alive */
    CHECK_OK(store_lease_end(b, lease));
    CHECK(!store_lease_held(b, &d));
    CHECK_RC(BERTH_ENOTFOUND, store_lease_add(b, lease, &d));

    /* a child takes a lease and dies without ending it */
    pid_t pid = fork();
    if (pid == 0) {
        berth_t *cb = NULL;
        int64_t l = 0;
        int ok = berth_open(&cb, dir) == 0 && store_lease_begin(&l, cb, "killed pull") == 0 &&
                 store_lease_add(cb, l, &other) == 0;
        _exit(ok ? 0 : 1); /* no lease_end, no close: like kill -9 */
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(count(b, "SELECT COUNT(*) FROM leases") == 1);
    CHECK(!store_lease_held(b, &other));  /* its owner is gone */
    CHECK_OK(store_lease_sweep(b, &swept));
    CHECK(swept == 1);
    CHECK(count(b, "SELECT COUNT(*) FROM leases") == 0);
    CHECK(count(b, "SELECT COUNT(*) FROM lease_blobs") == 0);
    close_store(b, dir);
}

static void reopen_keeps_schema(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    fixture f;
    make_image(b, &f, "2024-01-01T00:00:00Z", "docker.io/library/app", "latest");
    CHECK_OK(store_image_commit(b, &f.img));
    berth_close(b);
    b = NULL;
    CHECK_OK(berth_open(&b, dir));
    CHECK(count(b, "SELECT MAX(version) FROM schema_version WHERE concern = 'store'") == 1);
    CHECK(count(b, "SELECT COUNT(*) FROM tags") == 1);
    close_store(b, dir);
}

int main(void)
{
    RUN(commit_writes_everything);
    RUN(tag_moves_atomically);
    RUN(commit_needs_blobs);
    RUN(failure_rolls_back);
    RUN(second_process_sees_all_or_nothing);
    RUN(leases_live_and_die);
    RUN(reopen_keeps_schema);
    return check_done();
}
