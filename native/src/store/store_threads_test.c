/* One berth_t shared by several threads: commits, tags, lists and removals interleave, and
 * every call must succeed with its own transaction (the handle serialises them). Also two
 * processes committing to one root at once. */
#include "check.h"
#include "core/digest.h"
#include "core/fs.h"
#include "store/store.h"
#include <json-c/json.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS 4
#define PER_THREAD 15

typedef struct {
    berth_t *b;
    int index;
    int failures;
    char last_error[512];
} worker;

static int commit_one(berth_t *b, int t, int i)
{
    char config[128], manifest[200], repo[64], tag[32];
    berth_digest c, m;
    snprintf(config, sizeof config, "{\"os\":\"linux\",\"thread\":%d,\"i\":%d}", t, i);
    digest_of_buffer(&c, config, strlen(config));
    snprintf(manifest, sizeof manifest, "{\"config\":\"%s\"}", c.text);
    digest_of_buffer(&m, manifest, strlen(manifest));
    snprintf(repo, sizeof repo, "docker.io/library/t%d", t);
    snprintf(tag, sizeof tag, "v%d", i);
    int rc = store_blob_put(b, &c, config, strlen(config));
    if (rc == 0)
        rc = store_blob_put(b, &m, manifest, strlen(manifest));
    store_image img = { repo, tag, m, "application/vnd.oci.image.manifest.v1+json", c, "linux", "amd64",
                        NULL, NULL, 1, NULL, 0, NULL };
    return rc ? rc : store_image_commit(b, &img);
}

static void *work(void *arg)
{
    worker *w = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        char *out = NULL, src[64], dst[64];
        snprintf(src, sizeof src, "t%d:v%d", w->index, i);
        snprintf(dst, sizeof dst, "copy%d:v%d", w->index, i);
        int rc = commit_one(w->b, w->index, i);
        if (rc == 0)
            rc = berth_image_list(&out, w->b, NULL);
        berth_free(out);
        out = NULL;
        if (rc == 0)
            rc = berth_image_tag(w->b, src, dst);
        if (rc == 0)
            rc = berth_image_inspect(&out, w->b, dst);
        berth_free(out);
        out = NULL;
        if (rc == 0)
            rc = berth_image_remove(&out, w->b, dst, 0);   /* t<n>:v<i> still names it */
        berth_free(out);
        if (rc) {
            w->failures++;
            snprintf(w->last_error, sizeof w->last_error, "%s", berth_errmsg());
        }
    }
    return NULL;
}

static size_t count_images(berth_t *b)
{
    char *out = NULL;
    if (berth_image_list(&out, b, NULL) != 0)
        return 0;
    json_object *a = json_tokener_parse(out);
    size_t n = a ? json_object_array_length(a) : 0;
    json_object_put(a);
    berth_free(out);
    return n;
}

static void threads_share_a_handle(void)
{
    char dir[] = "/tmp/berth-threads-test-XXXXXX";
    berth_t *b = NULL;
    CHECK(mkdtemp(dir) != NULL);
    CHECK_OK(berth_open(&b, dir));
    pthread_t th[THREADS];
    worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){ b, i, 0, "" };
        CHECK(pthread_create(&th[i], NULL, work, &w[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        if (w[i].failures)
            printf("#   thread %d: %d failures, last: %s\n", i, w[i].failures, w[i].last_error);
        CHECK(w[i].failures == 0);
    }
    CHECK(count_images(b) == THREADS * PER_THREAD);
    berth_close(b);
    fs_remove_tree(dir);
}

static void processes_share_a_root(void)
{
    char dir[] = "/tmp/berth-procs-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    pid_t pids[3];
    for (int p = 0; p < 3; p++) {
        if ((pids[p] = fork()) == 0) {
            berth_t *cb = NULL;
            int bad = berth_open(&cb, dir) != 0;   /* all three may create the schema at once */
            for (int i = 0; !bad && i < PER_THREAD; i++)
                bad = commit_one(cb, 10 + p, i) != 0;
            if (bad)
                fprintf(stderr, "#   process %d: %s\n", p, berth_errmsg());
            berth_close(cb);
            _exit(bad);
        }
    }
    for (int p = 0; p < 3; p++) {
        int st = 0;
        waitpid(pids[p], &st, 0);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    berth_t *b = NULL;
    CHECK_OK(berth_open(&b, dir));
    CHECK(count_images(b) == 3 * PER_THREAD);
    berth_close(b);
    fs_remove_tree(dir);
}

int main(void)
{
    RUN(threads_share_a_handle);
    RUN(processes_share_a_root);
    return check_done();
}
