/* The CLI over the image calls: berth images / inspect / tag against a store seeded through
 * the library (the pull is another concern's). Runs build/berth; skips, saying why, if absent. */
#include "check.h"
#include "core/digest.h"
#include "core/fs.h"
#include "store/store.h"
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define BERTH "build/berth"
static char dir[64];

static void seed(berth_t *b, const char *repo, const char *tag, const char *created)
{
    char config[256], manifest[256];
    berth_digest c, m;
    store_layer l = { 0 };
    snprintf(config, sizeof config, "{\"os\":\"linux\",\"architecture\":\"arm64\",\"created\":\"%s\"}", created);
    digest_of_buffer(&c, config, strlen(config));
    snprintf(manifest, sizeof manifest, "{\"schemaVersion\":2,\"config\":{\"digest\":\"%s\"}}", c.text);
    digest_of_buffer(&m, manifest, strlen(manifest));
    CHECK_OK(store_blob_put(b, &c, config, strlen(config)));
    CHECK_OK(store_blob_put(b, &m, manifest, strlen(manifest)));
    digest_of_buffer(&l.digest, "layer", 5);
    l.diff_id = l.digest;
    l.size = 2500000;
    l.media_type = "application/vnd.oci.image.layer.v1.tar+gzip";
    store_image img = { 0 };
    img.repository = repo;
    img.tag = tag;
    img.manifest_digest = m;
    img.manifest_media_type = "application/vnd.oci.image.manifest.v1+json";
    img.config_digest = c;
    img.os = "linux";
    img.arch = "arm64";
    img.variant = "v8";
    img.size = 2500000;
    img.layers = &l;
    img.n_layers = 1;
    CHECK_OK(store_image_commit(b, &img));
}

/* Runs `berth --root dir <args>`, output (stdout + stderr) into out; returns the exit status. */
static int run(char *out, size_t len, const char *args)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s --root %s %s 2>&1", BERTH, dir, args);
    FILE *p = popen(cmd, "r");
    size_t n = p ? fread(out, 1, len - 1, p) : 0;
    out[n] = '\0';
    int st = p ? pclose(p) : -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void images_table_and_json(void)
{
    char out[8192];
    CHECK(run(out, sizeof out, "images") == 0);
    CHECK(strstr(out, "REPOSITORY") && strstr(out, "IMAGE ID") && strstr(out, "CREATED") && strstr(out, "SIZE"));
    CHECK(strstr(out, "\nbusybox ") != NULL);             /* familiar name */
    CHECK(strstr(out, "127.0.0.1:5000/team/app ") != NULL);
    CHECK(strstr(out, "2.5 MB") != NULL);
    CHECK(strstr(out, "years ago") != NULL);              /* created 2001 */
    CHECK(run(out, sizeof out, "images --json") == 0);
    CHECK(out[0] == '[' && strstr(out, "\"repo_tags\"") && strstr(out, "docker.io/library/busybox:latest"));
    CHECK(run(out, sizeof out, "images -q busybox") == 0);
    CHECK(strlen(out) == 13);                              /* one 12-digit id and a newline */
    CHECK(run(out, sizeof out, "images --filter colour=red") == 2);
    CHECK(strstr(out, "unknown filter") != NULL);
}

static void inspect_and_tag(void)
{
    char out[16384];
    CHECK(run(out, sizeof out, "inspect busybox") == 0);
    CHECK(strstr(out, "\"config\"") && strstr(out, "\"manifest\"") && strstr(out, "\"variant\": \"v8\""));
    CHECK(run(out, sizeof out, "inspect nothere") == 1);
    CHECK(strstr(out, "berth inspect: ") && strstr(out, "berth pull nothere"));
    CHECK(run(out, sizeof out, "tag busybox registry.example.com/copy:1") == 0);
    CHECK(run(out, sizeof out, "inspect registry.example.com/copy:1") == 0);
    CHECK(run(out, sizeof out, "tag busybox Bad:1") == 1);
    CHECK(strstr(out, "lowercase") != NULL);
    CHECK(run(out, sizeof out, "tag onlyone") == 2);
}

static void rmi(void)
{
    char out[4096];
    CHECK(run(out, sizeof out, "rmi") == 2);
    CHECK(run(out, sizeof out, "rmi registry.example.com/copy:1") == 0);
    CHECK(strstr(out, "Untagged: registry.example.com/copy:1\n") != NULL);
    CHECK(strstr(out, "Deleted:") == NULL);                /* busybox still names it */
    CHECK(run(out, sizeof out, "rmi nothere busybox") == 1);  /* one fails, the other goes */
    CHECK(strstr(out, "berth rmi: ") && strstr(out, "Untagged: docker.io/library/busybox:latest") &&
          strstr(out, "Deleted: sha256:"));
    CHECK(run(out, sizeof out, "--json rmi -f 127.0.0.1:5000/team/app:1.0") == 0);
    CHECK(strstr(out, "\"untagged\"") && strstr(out, "\"deleted\""));
    CHECK(run(out, sizeof out, "images -q") == 0);
    CHECK(out[0] == '\0');
    /* the images are gone; their blobs go with prune, after which fsck finds a sound store */
    CHECK(run(out, sizeof out, "prune") == 0);
    CHECK(strstr(out, "Removed 4 blobs") != NULL);        /* 2 configs, 2 manifests (seed stores no layer) */
    CHECK(run(out, sizeof out, "fsck") == 0);
    CHECK(strstr(out, "checked 0 blobs") && strstr(out, "sound"));
}

int main(void)
{
    if (access(BERTH, X_OK) != 0) {
        check_skip("image CLI", BERTH " is not built (run make all)");
        return check_done();
    }
    berth_t *b = NULL;
    strcpy(dir, "/tmp/berth-cli-test-XXXXXX");
    if (!mkdtemp(dir) || berth_open(&b, dir) != 0) {
        printf("not ok 1 - open store: %s\n", berth_errmsg());
        return 1;
    }
    seed(b, "docker.io/library/busybox", "latest", "2001-02-03T04:05:06Z");
    seed(b, "127.0.0.1:5000/team/app", "1.0", "2002-02-03T04:05:06.5+01:00");
    berth_close(b);
    RUN(images_table_and_json);
    RUN(inspect_and_tag);
    RUN(rmi);
    fs_remove_tree(dir);
    return check_done();
}
