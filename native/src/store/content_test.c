/* Unit tests for the content store: put/read, ingest resume, mismatches, size checks, the
 * cross-process lock (with fork) and "already present". */
#include "check.h"
#include "core/digest.h"
#include "core/fs.h"
#include "store/store.h"
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static berth_t *open_store(char *dir)
{
    berth_t *b = NULL;
    strcpy(dir, "/tmp/berth-content-test-XXXXXX");
    if (!mkdtemp(dir))
        return NULL;
    if (berth_open(&b, dir) != 0)
        printf("# open: %s\n", berth_errmsg());
    return b;
}

static void close_store(berth_t *b, const char *dir)
{
    berth_close(b);
    fs_remove_tree(dir);
}

/* Deterministic test content of n bytes. */
static unsigned char *content(size_t n, berth_digest *d)
{
    unsigned char *p = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * 131 + (i >> 9));
    digest_of_buffer(d, p, n);
    return p;
}

static int files_in(const char *root, const char *sub)
{
    char *p = fs_join(root, sub);
    DIR *d = opendir(p);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    if (d)
        closedir(d);
    free(p);
    return n;
}

static char *partial_of(berth_t *b, const berth_digest *d)
{
    char name[128];
    snprintf(name, sizeof name, "ingest/%s.partial", digest_hex(d));
    return fs_join(berth_root(b), name);
}

static void put_then_read(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d, other;
    CHECK_OK(digest_of_buffer(&d, "{\"a\":1}", 7));
    CHECK_OK(digest_of_buffer(&other, "x", 1));
    CHECK(!store_blob_exists(b, &d, NULL));
    CHECK_OK(store_blob_put(b, &d, "{\"a\":1}", 7));
    CHECK_OK(store_blob_put(b, &d, "{\"a\":1}", 7)); /* again: already there is success */
    int64_t size = 0;
    CHECK(store_blob_exists(b, &d, &size) && size == 7);
    char *data = NULL;
    size_t len = 0;
    CHECK_OK(store_blob_read(&data, &len, b, &d, 1024));
    CHECK(len == 7 && data && memcmp(data, "{\"a\":1}", 7) == 0);
    free(data);
    CHECK_RC(BERTH_EINVAL, store_blob_read(&data, &len, b, &d, 3)); /* over the ceiling */
    CHECK_RC(BERTH_ENOTFOUND, store_blob_read(&data, &len, b, &other, 1024));
    CHECK_MSG(other.text);
    CHECK_RC(BERTH_EDIGEST, store_blob_put(b, &other, "y", 1));
    CHECK_MSG(other.text);
    CHECK(!store_blob_exists(b, &other, NULL));
    CHECK(files_in(dir, "ingest") == 0);
    close_store(b, dir);
}

static void read_detects_rotted_blob(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d;
    CHECK_OK(digest_of_buffer(&d, "hello", 5));
    CHECK_OK(store_blob_put(b, &d, "hello", 5));
    char *p = store_blob_path(b, &d);
    CHECK_OK(fs_write_atomic(p, "hellO", 5, 0644));
    char *data = NULL;
    CHECK_RC(BERTH_EDIGEST, store_blob_read(&data, NULL, b, &d, 64));
    CHECK_MSG("fsck");
    free(p);
    close_store(b, dir);
}

static void ingest_in_pieces(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d;
    size_t n = 300000;
    unsigned char *c = content(n, &d);
    store_ingest *w = NULL;
    CHECK_OK(store_ingest_open(&w, b, &d, (int64_t)n));
    CHECK(store_ingest_offset(w) == 0);
    for (size_t off = 0; off < n; off += 7000)
        CHECK_OK(store_ingest_write(w, c + off, n - off < 7000 ? n - off : 7000));
    CHECK(store_ingest_offset(w) == (int64_t)n);
    CHECK_OK(store_ingest_commit(w));
    int64_t size = 0;
    CHECK(store_blob_exists(b, &d, &size) && size == (int64_t)n);
    CHECK(files_in(dir, "ingest") == 0);
    free(c);
    close_store(b, dir);
}

static void resume_after_abort(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d;
    size_t n = 1000003, half = 700001; /* the partial is bigger than one rehash chunk */
    unsigned char *c = content(n, &d);
    store_ingest *w = NULL;
    CHECK_OK(store_ingest_open(&w, b, &d, (int64_t)n));
    CHECK_OK(store_ingest_write(w, c, half));
    store_ingest_abort(w);
    char *partial = partial_of(b, &d);
    CHECK(fs_size(partial) == (int64_t)half);
    CHECK(!store_blob_exists(b, &d, NULL));

    w = NULL;
    CHECK_OK(store_ingest_open(&w, b, &d, (int64_t)n));
    CHECK(store_ingest_offset(w) == (int64_t)half);
    CHECK_OK(store_ingest_write(w, c + half, n - half));
    CHECK_OK(store_ingest_commit(w));
    CHECK(store_blob_exists(b, &d, NULL));
    CHECK(!fs_exists(partial));
    /* the bytes in the store are the original ones */
    berth_digest got;
    char *blob = store_blob_path(b, &d);
    CHECK_OK(digest_of_file(&got, blob));
    CHECK(digest_equal(&got, &d));
    free(blob);
    free(partial);
    free(c);
    close_store(b, dir);
}

static void resume_with_unknown_size(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d;
    unsigned char *c = content(5000, &d);
    store_ingest *w = NULL;
    CHECK_OK(store_ingest_open(&w, b, &d, -1));
    CHECK_OK(store_ingest_write(w, c, 1234));
    store_ingest_abort(w);
    CHECK_OK(store_ingest_open(&w, b, &d, -1));
    CHECK(store_ingest_offset(w) == 1234);
    CHECK_OK(store_ingest_write(w, c + 1234, 5000 - 1234));
    CHECK_OK(store_ingest_commit(w));
    CHECK(store_blob_exists(b, &d, NULL));
    free(c);
    close_store(b, dir);
}

static void mismatch_deletes_partial(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d;
    size_t n = 4096;
    unsigned char *c = content(n, &d);
    c[100] ^= 0x01; /* one flipped bit */
    store_ingest *w = NULL;
    CHECK_OK(store_ingest_open(&w, b, &d, (int64_t)n));
    CHECK_OK(store_ingest_write(w, c, n));
    CHECK_RC(BERTH_EDIGEST, store_ingest_commit(w));
    CHECK_MSG(d.text);
    CHECK_MSG("hash to sha256:");
    CHECK_MSG("pull again");
    CHECK(!store_blob_exists(b, &d, NULL));
    CHECK(files_in(dir, "ingest") == 0);
    CHECK(files_in(dir, "blobs/sha256") == 0);
    free(c);
    close_store(b, dir);
}

static void size_mismatches(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d;
    size_t n = 1000;
    unsigned char *c = content(n + 10, &d);
    digest_of_buffer(&d, c, n);
    store_ingest *w = NULL;
    /* more than declared: refused, and the suspect partial is emptied */
    CHECK_OK(store_ingest_open(&w, b, &d, (int64_t)n));
    CHECK_OK(store_ingest_write(w, c, 600));
    CHECK_RC(BERTH_EDIGEST, store_ingest_write(w, c + 600, 410));
    CHECK_MSG("more than the 1000 bytes");
    CHECK(store_ingest_offset(w) == 0);
    /* short at commit: refused, the partial is kept for a resume */
    CHECK_OK(store_ingest_write(w, c, 600));
    CHECK_RC(BERTH_EDIGEST, store_ingest_commit(w));
    CHECK_MSG("incomplete: 600 of 1000");
    CHECK(!store_blob_exists(b, &d, NULL));
    CHECK_OK(store_ingest_open(&w, b, &d, (int64_t)n));
    CHECK(store_ingest_offset(w) == 600);
    CHECK_OK(store_ingest_write(w, c + 600, 400));
    CHECK_OK(store_ingest_commit(w));
    CHECK(store_blob_exists(b, &d, NULL));
    free(c);
    close_store(b, dir);
}

static void oversized_partial_is_discarded(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d;
    unsigned char *c = content(100, &d);
    char *partial = partial_of(b, &d);
    CHECK_OK(fs_write_atomic(partial, "0123456789012345678901234567890123456789012345678901234567890123456789"
                                      "01234567890123456789012345678901234567890123456789", 120, 0600));
    store_ingest *w = NULL;
    CHECK_OK(store_ingest_open(&w, b, &d, 100));
    CHECK(store_ingest_offset(w) == 0);
    CHECK_OK(store_ingest_write(w, c, 100));
    CHECK_OK(store_ingest_commit(w));
    free(partial);
    free(c);
    close_store(b, dir);
}

static void reset_starts_over(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d;
    unsigned char *c = content(2000, &d);
    store_ingest *w = NULL;
    CHECK_OK(store_ingest_open(&w, b, &d, 2000));
    CHECK_OK(store_ingest_write(w, "garbage", 7));
    CHECK_OK(store_ingest_reset(w));
    CHECK(store_ingest_offset(w) == 0);
    CHECK_OK(store_ingest_write(w, c, 2000));
    CHECK_OK(store_ingest_commit(w));
    CHECK(store_blob_exists(b, &d, NULL));
    free(c);
    close_store(b, dir);
}

static void already_present_is_success(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d;
    unsigned char *c = content(500, &d);
    CHECK_OK(store_blob_put(b, &d, c, 500));
    store_ingest *w = NULL;
    CHECK_OK(store_ingest_open(&w, b, &d, 500));
    CHECK_OK(store_ingest_write(w, "not the blob", 12));
    CHECK_OK(store_ingest_commit(w));
    berth_digest got;
    char *blob = store_blob_path(b, &d);
    CHECK_OK(digest_of_file(&got, blob));
    CHECK(digest_equal(&got, &d)); /* the verified copy was not replaced */
    CHECK(files_in(dir, "ingest") == 0);
    free(blob);
    free(c);
    close_store(b, dir);
}

/* A child process holds the ingest; the parent must get BERTH_EBUSY, then succeed after. */
static void concurrent_open_is_busy(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    /* no open store crosses the fork: SQLite forbids using a connection in a child, and the
     * child's copy could never be freed (valgrind counts it lost, failing the child) */
    berth_close(b);
    b = NULL;
    berth_digest d;
    unsigned char *c = content(3000, &d);
    int ready[2], done[2];
    CHECK(pipe(ready) == 0 && pipe(done) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        berth_t *cb = NULL;
        store_ingest *cw = NULL;
        char x = 'n';
        if (berth_open(&cb, dir) == 0 && store_ingest_open(&cw, cb, &d, 3000) == 0 &&
            store_ingest_write(cw, c, 1000) == 0)
            x = 'y';
        (void)!write(ready[1], &x, 1);
        (void)!read(done[0], &x, 1);   /* hold the lock until the parent has tried */
        store_ingest_abort(cw);
        berth_close(cb);
        free(c);   /* the child's copy: under valgrind a leak here fails the child, then the test */
        _exit(0);
    }
    CHECK_OK(berth_open(&b, dir));
    char x = 0;
    CHECK(read(ready[0], &x, 1) == 1 && x == 'y');
    store_ingest *w = NULL;
    CHECK_RC(BERTH_EBUSY, store_ingest_open(&w, b, &d, 3000));
    CHECK_MSG("another pull is writing this blob");
    CHECK(w == NULL);
    (void)!write(done[1], "z", 1);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* the child's 1000 bytes are resumed */
    CHECK_OK(store_ingest_open(&w, b, &d, 3000));
    CHECK(store_ingest_offset(w) == 1000);
    /* and a second handle in this same process is refused as well */
    store_ingest *w2 = NULL;
    CHECK_RC(BERTH_EBUSY, store_ingest_open(&w2, b, &d, 3000));
    CHECK_OK(store_ingest_write(w, c + 1000, 2000));
    CHECK_OK(store_ingest_commit(w));
    CHECK(store_blob_exists(b, &d, NULL));
    for (int i = 0; i < 2; i++) {
        close(ready[i]);
        close(done[i]);
    }
    free(c);
    close_store(b, dir);
}

/* kill -9 in the middle of a download: the kernel drops the lock, the next open resumes. */
static void resume_after_kill(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d;
    unsigned char *c = content(50000, &d);
    pid_t pid = fork();
    if (pid == 0) {
        berth_t *cb = NULL;
        store_ingest *cw = NULL;
        if (berth_open(&cb, dir) == 0 && store_ingest_open(&cw, cb, &d, 50000) == 0)
            store_ingest_write(cw, c, 20000);
        raise(SIGKILL);
        _exit(1);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    store_ingest *w = NULL;
    CHECK_OK(store_ingest_open(&w, b, &d, 50000));
    CHECK(store_ingest_offset(w) == 20000);
    CHECK_OK(store_ingest_write(w, c + 20000, 30000));
    CHECK_OK(store_ingest_commit(w));
    CHECK(store_blob_exists(b, &d, NULL));
    free(c);
    close_store(b, dir);
}

/* The empty blob (sha256 of nothing) is a real blob: empty layers and configs exist. */
static void empty_blob(void)
{
    char dir[64];
    berth_t *b = open_store(dir);
    berth_digest d;
    CHECK_OK(digest_of_buffer(&d, "", 0));
    store_ingest *w = NULL;
    CHECK_OK(store_ingest_open(&w, b, &d, 0));
    CHECK_RC(BERTH_EDIGEST, store_ingest_write(w, "x", 1));
    CHECK_OK(store_ingest_commit(w));
    int64_t size = -1;
    CHECK(store_blob_exists(b, &d, &size) && size == 0);
    char *data = NULL;
    size_t len = 99;
    CHECK_OK(store_blob_read(&data, &len, b, &d, 10));
    CHECK(len == 0);
    free(data);
    close_store(b, dir);
}

int main(void)
{
    RUN(put_then_read);
    RUN(read_detects_rotted_blob);
    RUN(ingest_in_pieces);
    RUN(resume_after_abort);
    RUN(resume_with_unknown_size);
    RUN(mismatch_deletes_partial);
    RUN(size_mismatches);
    RUN(oversized_partial_is_discarded);
    RUN(reset_starts_over);
    RUN(already_present_is_success);
    RUN(concurrent_open_is_busy);
    RUN(resume_after_kill);
    RUN(empty_blob);
    return check_done();
}
